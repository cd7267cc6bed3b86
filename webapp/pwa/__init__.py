"""The installable app: manifest, icons, service worker and the offline page."""

from flask import Blueprint

bp = Blueprint("pwa", __name__)

from webapp.pwa import views  # noqa: E402, F401
