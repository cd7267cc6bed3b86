"""Jinja filters and the page/fragment rendering rule shared by every blueprint.

Dates are dd/mm/yyyy and money is Vietnamese-grouped đồng in both languages: a card or a
receipt reads the same whatever language the screen is in.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Hashable
from functools import lru_cache

from babel.numbers import format_decimal
from flask import (
    Flask,
    Response,
    current_app,
    make_response,
    render_template,
    request,
)
from flask_babel import get_locale
from markupsafe import Markup

from webapp import labels
from webapp.extensions import htmx
from webapp.i18n import LANGUAGE_NAMES, language_tag
from webapp.services.clock import VIETNAM
from webapp.web import clock


def format_date(value: dt.date | None) -> str:
    """dd/mm/yyyy, as on every Vietnamese form."""
    return value.strftime("%d/%m/%Y") if value else ""


def format_datetime(value: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M")


def format_money(amount: int | None) -> str:
    """ "1.234.567 ₫": dots between thousands, a no-break space before the đồng sign."""
    if amount is None:
        return ""
    return f"{format_number(amount)}\u00a0₫"


def format_number(value: int | float) -> str:
    """Vietnamese grouping: 1.234.567, and 1.234,5. A whole number (every amount of đồng) is
    grouped directly, as Babel's Vietnamese pattern does it (a test compares the two) at a
    twentieth of its cost: a medical book or benefits page shows a hundred amounts."""
    if type(value) is int:
        return f"{value:,}".replace(",", ".")
    return format_decimal(value, locale="vi")


def render_page(page: str, fragment: str | None = None, **context) -> Response:
    """One URL per resource: an HTMX request (not boosted) gets the fragment, any other request
    the full page that includes it. The response says it varies by HX-Request so that no cache
    (browser or service worker) ever answers one with the other."""
    partial = (
        fragment is not None
        and bool(htmx)
        and not htmx.boosted
        # Back after a swap: htmx asks again for the whole page (personal pages keep no history).
        and not htmx.history_restore_request
    )
    response = make_response(render_template(fragment if partial else page, **context))
    response.vary.add("HX-Request")
    response.vary.add("HX-History-Restore-Request")
    return response


class RememberedFragment:
    """A fragment whose HTML is a function of a key the caller names (with the language and
    the mount point added), rendered once per key and remembered for the last `size` keys: for
    a part of a page that many requests show alike, such as a search form as it was filled,
    which an officer sees again on every page of the search's results."""

    def __init__(self, template: str, size: int = 512) -> None:
        self.template = template
        self.size = size
        self._kept: OrderedDict[Hashable, Markup] = OrderedDict()
        self._lock = threading.Lock()

    def render(self, key: Hashable | None, **context) -> Markup:
        """The fragment for `key` (None: rendered, not remembered)."""
        if key is None:
            return Markup(render_template(self.template, **context))  # noqa: S704
        key = (str(get_locale()), request.script_root, key)
        with self._lock:
            html = self._kept.get(key)
            if html is not None:
                self._kept.move_to_end(key)
                return html
        html = Markup(render_template(self.template, **context))  # noqa: S704 (autoescaped)
        with self._lock:
            self._kept[key] = html
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return html


def clean_attrs(attrs: dict) -> dict:
    """Drop the attributes a macro left empty, so that a field renders only what it has."""
    return {name: value for name, value in attrs.items() if value not in (None, "", False)}


def remembered_url_for(app: Flask, size: int = 4096):
    """`url_for` for templates, remembering the last `size` URLs it built: a page links to the
    same two dozen endpoints on every request (menu, bottom bar, stylesheet), and building one
    through the URL map costs more than most of the page's work. A relative endpoint (".x",
    which depends on the request's blueprint) and any `_external`, `_anchor`... argument go to
    Flask's `url_for` every time; a value's type is part of the key (1 and 1.0 and True are
    different URLs)."""
    build = app.url_for

    @lru_cache(maxsize=size)
    def remembered(script_root: str, endpoint: str, values: tuple) -> str:
        return build(endpoint, **{name: value for name, _type, value in values})

    def url_for(endpoint: str, **values) -> str:
        if endpoint.startswith(".") or any(name.startswith("_") for name in values):
            return build(endpoint, **values)
        key = tuple(sorted((name, type(value), value) for name, value in values.items()))
        try:
            return remembered(request.script_root, endpoint, key)
        except TypeError:  # a value that cannot be a key (a list): built each time
            return build(endpoint, **values)

    url_for.cache_info = remembered.cache_info
    return url_for


def init_app(app: Flask) -> None:
    app.jinja_env.globals["url_for"] = remembered_url_for(app)
    app.jinja_env.filters["date"] = format_date
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["language_tag"] = language_tag
    app.jinja_env.globals["clean_attrs"] = clean_attrs
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def inject_globals() -> dict:
        return {
            "lang": language_tag(str(get_locale())),
            "locale": str(get_locale()),
            "language_names": LANGUAGE_NAMES,
            "hotline": current_app.config["HOTLINE"],
            # as the language switch's `next`: never a control character in the page
            "current_path": "".join(ch for ch in request.full_path.rstrip("?") if ch.isprintable()),
            "updated_at": clock().now(),
            **labels.context(),  # what codes are called, on every area's pages
        }
