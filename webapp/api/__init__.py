"""The card-check API for health facilities (A1), versioned under /api/v1: JSON in and out,
a facility API key in the Authorization header, described by an OpenAPI document."""

from flask import Blueprint

PREFIX = "/api/v1"
bp = Blueprint("api", __name__, url_prefix=PREFIX)
# The document also at the site's root, where tools look for it first.
root = Blueprint("api_root", __name__)

from webapp.api import views  # noqa: E402, F401
