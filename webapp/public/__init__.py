"""Pages anyone can open without an account."""

from flask import Blueprint

bp = Blueprint("public", __name__)

from webapp.public import find_code, lookups, news, support, verify, views  # noqa: E402, F401
