"""For the load balancer and the monitoring: liveness, readiness and metrics.

`/healthz`, `/readyz` and `/metrics` are answered without a rate limit, a CSRF check, a session
or a language cookie, and kept by no cache. The latency of every request of the app is timed
here, by endpoint and status class (`webapp.metrics`).
"""

from __future__ import annotations

import datetime as dt
import time

from flask import Blueprint, Flask, Response, g, request
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from webapp.extensions import csrf, limiter
from webapp.metrics import REQUEST_SECONDS, UNMATCHED

bp = Blueprint("ops", __name__)
limiter.exempt(bp)
csrf.exempt(bp)

# Asked every few seconds by the load balancer and the scraper, with whatever cookies they
# hold: these paths never read or write a session (no Set-Cookie, no Vary: Cookie).
SESSIONLESS_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with two changes:

    - left unopened and unsaved on the sessionless paths;
    - a permanent session's cookie is signed again (and its expiry moved on) when its data
      changed or when it was signed more than `REFRESH_AFTER` ago, not on every response: a
      phone still stays signed in for the session lifetime after its last use, and a page no
      longer spends a signature and a Set-Cookie header on a cookie that did not change."""

    REFRESH_AFTER = dt.timedelta(hours=1)

    def get_signing_serializer(self, app):
        # Built once per key, not twice per request (the keys are set before the app serves).
        cached = app.extensions.get("session_serializer")
        if cached is None or cached[0] != app.secret_key:
            cached = app.extensions["session_serializer"] = (
                app.secret_key,
                super().get_signing_serializer(app),
            )
        return cached[1]

    def open_session(self, app, request):
        if request.path in SESSIONLESS_PATHS:
            return self.session_class()
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app, session) -> bool:
        if session.modified:
            return True
        if not session.permanent:
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or dt.datetime.now(dt.UTC) - signed_at >= self.REFRESH_AFTER

    def save_session(self, app, session, response) -> None:
        if request.path in SESSIONLESS_PATHS:
            return
        # A client that never follows a redirect (a script, a page reloaded in a loop) is sent
        # the same message each time: it is kept once, so the cookie does not grow with them.
        flashes = session.get("_flashes")
        if flashes and len(flashes) > 1:
            unique = list(dict.fromkeys(map(tuple, flashes)))
            if len(unique) < len(flashes):
                session["_flashes"] = unique
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
