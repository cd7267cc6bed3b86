"""Pages anyone can open without an account."""

from flask import Blueprint, Response
from flask_login import current_user

bp = Blueprint("public", __name__)


@bp.after_request
def signed_in_pages_stay_private(response: Response) -> Response:
    """A signed-in citizen's public page carries their menu and unread count: no shared cache
    may keep it for someone else (a page that set its own policy keeps it)."""
    if (
        response.mimetype == "text/html"
        and getattr(current_user, "account", None) is not None
        and "Cache-Control" not in response.headers
    ):
        response.headers["Cache-Control"] = "private, no-cache"
    return response


from webapp.public import find_code, lookups, news, support, verify, views  # noqa: E402, F401
