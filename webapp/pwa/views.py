"""Manifest, icons, `/sw.js` and `/offline`, served by views so they follow locale and deploys."""

from __future__ import annotations

import hashlib
import hmac
import json
from functools import lru_cache
from pathlib import Path

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp.i18n import language_tag
from webapp.pwa import bp
from webapp.pwa.icons import icon_png

SW_SOURCE = Path(__file__).parent.parent.parent / "service_worker" / "sw.js"
ICON_SIZES = (192, 512)


def shell_urls() -> list[str]:
    """What the worker precaches: the app shell that every page needs, and the offline page."""
    return [
        url_for("static", filename="css/app.css"),
        url_for("static", filename="css/card.css"),
        url_for("static", filename="css/records.css"),
        url_for("static", filename="js/app.js"),
        url_for("static", filename="js/card.js"),
        url_for("static", filename="vendor/htmx.min.js"),
        url_for("static", filename="icons/logo.svg"),
        url_for("pwa.icon", size=192),
        url_for("pwa.offline"),
    ]


@lru_cache(maxsize=1)
def _content_version(static_folder: str, template_folder: str, translations: str) -> str:
    """A digest of everything the worker caches or is: any change in a deploy changes it, and
    browsers then install the new worker and drop the old caches."""
    digest = hashlib.sha256(SW_SOURCE.read_bytes())
    for folder, pattern in (
        (static_folder, "**/*"),
        (template_folder, "**/*.html"),
        (translations, "**/*.po"),
    ):
        for path in sorted(Path(folder).glob(pattern)):
            if path.is_file():
                digest.update(path.name.encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def content_version() -> str:
    return _content_version(
        current_app.static_folder,
        str(Path(current_app.root_path) / "templates"),
        current_app.config["BABEL_TRANSLATION_DIRECTORIES"],
    )


@bp.route("/sw.js")
def service_worker():
    """The worker at the root scope, never cached by HTTP so a deploy reaches phones at once."""
    source = SW_SOURCE.read_text()
    source = source.replace('"__VERSION__"', json.dumps(content_version()))
    source = source.replace("__SHELL_URLS__", json.dumps(shell_urls()))
    response = Response(source, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/manifest.webmanifest")
def manifest():
    """The web app manifest, in the reader's language."""
    icons = [
        {"src": url_for("pwa.icon", size=size), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in ICON_SIZES
    ]
    icons.append(
        {
            "src": url_for("pwa.icon", size=512, maskable=1),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        }
    )
    data = {
        "id": "/",
        "name": _("VssID – Social Insurance"),
        "short_name": "VssID",
        "description": _(
            "Your health insurance card, contribution history, benefits and medical book, "
            "on your phone."
        ),
        "lang": language_tag(str(get_locale())),
        "start_url": url_for("citizen.home"),
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#f3f6f9",
        "theme_color": "#0b5394",
        "icons": icons,
    }
    response = Response(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")
    response.vary.add("Cookie")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/icons/<int:size>.png")
def icon(size: int):
    """The app icon at a manifest size (`?maskable=1` for the full-bleed variant)."""
    if size not in ICON_SIZES:
        abort(404)
    png = icon_png(size, maskable=request.args.get("maskable") == "1")
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.route("/offline")
def offline():
    """Shown by the worker when there is no network and the page asked for was never kept."""
    return render_template("pwa/offline.html")


def account_tag(account_id: int) -> str:
    """An opaque name for an account's offline cache: stable, but says nothing about the person."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"offline-cache:{account_id}".encode(), hashlib.sha256).hexdigest()[:24]


@bp.after_app_request
def tell_the_worker_whose_page_this_is(response: Response) -> Response:
    """Every HTML page names the signed-in account (or "-" for nobody), so that the service
    worker keeps personal pages per account and forgets them once nobody is signed in."""
    if response.mimetype == "text/html":
        account = getattr(current_user, "account", None)
        response.headers["X-Vssid-Account"] = account_tag(account.id) if account else "-"
    return response
