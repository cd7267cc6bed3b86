"""One id per request, to follow it through the load balancer, the log lines and the audit rows.

The id comes from the `X-Request-Id` header the load balancer (or another service) sets, when it
is well-formed: 1 to 128 letters, digits, dots, dashes and underscores. Anything else (too long,
a newline that would forge a log line, markup) is replaced by a fresh id, never trimmed or
escaped: an id is either taken whole or not at all. The response carries the id back in the same
header.
"""

from __future__ import annotations

import re
import uuid

from flask import Flask, Response, g, request

from webapp.services.audit import current_request_id

HEADER = "X-Request-Id"
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{1,128}")


def request_id_from(header: str | None) -> str:
    """The incoming id when well-formed, else a fresh one (32 hex digits)."""
    if header is not None and WELL_FORMED.fullmatch(header):
        return header
    return uuid.uuid4().hex


def init_app(app: Flask) -> None:
    """Registered before every other hook, so that whatever a hook logs carries the id."""

    @app.before_request
    def take_request_id() -> None:
        g.request_id = request_id_from(request.headers.get(HEADER))

    @app.after_request
    def send_request_id(response: Response) -> Response:
        request_id = current_request_id()
        if request_id:
            response.headers[HEADER] = request_id
        return response
