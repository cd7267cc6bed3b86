"""The officer back-office (seed appendix 02, O1–O10): its own sign-in, the queue of
registration dossiers, their detail and decisions. Citizens never reach it."""

from flask import Blueprint

bp = Blueprint("officer", __name__, url_prefix="/officer")

from webapp.officer import api_keys, content, passkeys, views  # noqa: E402, F401
