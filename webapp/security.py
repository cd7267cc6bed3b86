"""Security headers on every response, with a per-request nonce for our own scripts."""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request

# A file served as itself (an uploaded scan): no script, no subresource, an opaque origin. The
# one policy a view may set instead of the page policy below, which is never weakened.
FILE_POLICY = "default-src 'none'; sandbox"
NO_STORE = "private, no-store"

# Sent when a browser's session ends: it drops what it kept of the account (HTTP cache, Cache
# Storage, local storage; the service worker registers again).
CLEAR_SITE_DATA = '"cache", "storage"'

# A tile server's host: DNS labels (the first may be Leaflet's {s} subdomain), an optional port.
_TILE_HOST = re.compile(r"^(\{s\}\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:\d{1,5})?$", re.IGNORECASE)


def csp_nonce() -> str:
    """The nonce every <script> of this response carries (the CSP allows no other script)."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def tile_image_source(url: str | None) -> str | None:
    """The CSP source that lets map tiles load from the configured tile server: its scheme and
    host ("https://tile.openstreetmap.org"; Leaflet's "{s}." subdomain becomes "*."). Anything
    else than a plain http(s) host (a path trick, credentials, quotes, a semicolon) gives None:
    no tiles rather than a policy an odd value could widen."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not _TILE_HOST.match(parts.netloc):
        return None
    return f"{parts.scheme}://{parts.netloc.lower().replace('{s}.', '*.')}"


def allow_map_tiles() -> bool:
    """Called by the one page that shows the map: its response may load images from the tile
    server (and only that page's). False when no usable tile server is configured."""
    source = current_app.extensions.get("csp_tile_source")
    if source:
        g.csp_tile_source = source
    return bool(source)


def no_store(response: Response) -> Response:
    """Kept by no cache, neither a shared one nor the browser's disk or back/forward cache: for
    the pages that show or receive a password or a one-time code."""
    response.headers["Cache-Control"] = NO_STORE
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.extensions["csp_tile_source"] = tile_image_source(app.config.get("MAP_TILE_URL"))

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        if response.headers.get("Content-Security-Policy") != FILE_POLICY:
            nonce = csp_nonce()
            tiles = g.get("csp_tile_source")
            images = f"'self' data: {tiles}" if tiles else "'self' data:"
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; "
                f"script-src 'self' 'nonce-{nonce}'; "
                f"style-src 'self'; img-src {images}; connect-src 'self'; "
                "manifest-src 'self'; worker-src 'self'; object-src 'none'; "
                "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
            )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(self)"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
