"""Pages anyone can open without an account."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from webapp.public import verify, views  # noqa: E402, F401
