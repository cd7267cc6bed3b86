"""Demo-only pages: the message outbox, so a demo user can read the SMS (and OTP codes) the app
sends. Registered only in demo or debug mode; in production the URLs do not exist."""

from flask import Blueprint

bp = Blueprint("dev", __name__, url_prefix="/dev")

from webapp.dev import views  # noqa: E402, F401
