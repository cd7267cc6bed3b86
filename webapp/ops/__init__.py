"""For the load balancer and the monitoring: liveness, readiness and metrics.

`/healthz`, `/readyz` and `/metrics` are answered without a rate limit, a CSRF check, a session
or a language cookie, and kept by no cache. The latency of every request of the app is timed
here, by endpoint and status class (`webapp.metrics`).
"""

from __future__ import annotations

import time

from flask import Blueprint, Flask, Response, g, request
from flask.sessions import SecureCookieSessionInterface

from webapp.extensions import csrf, limiter
from webapp.metrics import REQUEST_SECONDS, UNMATCHED

bp = Blueprint("ops", __name__)
limiter.exempt(bp)
csrf.exempt(bp)

# Asked every few seconds by the load balancer and the scraper, with whatever cookies they
# hold: these paths never read or write a session (no Set-Cookie, no Vary: Cookie).
SESSIONLESS_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, left unopened and unsaved on the sessionless paths."""

    def open_session(self, app, request):
        if request.path in SESSIONLESS_PATHS:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response) -> None:
        if request.path in SESSIONLESS_PATHS:
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    """Times every request (registered before the other hooks, so the time is the whole of
    Flask's work) and makes the probes sessionless."""
    app.session_interface = SessionInterface()

    @app.before_request
    def start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def observe_latency(response: Response) -> Response:
        started = g.get("request_started")
        if started is not None:
            REQUEST_SECONDS.labels(
                endpoint=request.endpoint or UNMATCHED, status=f"{response.status_code // 100}xx"
            ).observe(time.perf_counter() - started)
        return response


from webapp.ops import views  # noqa: E402, F401
