"""The small kit every blueprint shares: the app's clock, where a "next" link may lead, and a
redirect that leaves an HTMX page whole.

Blueprints take these from here, never from one another."""

from __future__ import annotations

import base64
from urllib.parse import urlsplit

from flask import Response, current_app, redirect, session, url_for

from webapp.extensions import htmx


def clock():
    """The app's clock (tests replace it)."""
    return current_app.extensions["clock"]


def safe_next(target: str | None, default_endpoint: str, prefix: str = "/") -> str:
    """Where to go after signing in or switching language: a path of this site under `prefix`
    (never another site, "//host" or "/\\host"), else the default page."""
    if (
        target
        and target.startswith(prefix)
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for(default_endpoint)


def whole_page_redirect(target: str, htmx_status: int = 401) -> Response:
    """A redirect that leaves the page: htmx would follow a plain 302 inside its swap target, so
    an HTMX request is told `HX-Redirect` instead."""
    if htmx:
        response = current_app.response_class(status=htmx_status)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


# --- passkey ceremonies (the citizens' and the officers'): the challenge under way -------------

PASSKEY_CHALLENGE = "passkey_challenge"  # in the browser's session, base64


def keep_challenge(challenge: bytes) -> None:
    session[PASSKEY_CHALLENGE] = base64.b64encode(challenge).decode()


def kept_challenge() -> bytes | None:
    """The challenge of the ceremony under way, taken (a second answer finds none)."""
    kept = session.pop(PASSKEY_CHALLENGE, None)
    return base64.b64decode(kept) if isinstance(kept, str) else None


def json_options(options_json: str) -> Response:
    return Response(options_json, mimetype="application/json")
