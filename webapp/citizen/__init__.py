"""The signed-in citizen's own records: QL cá nhân, thẻ BHYT, quá trình tham gia, hưởng, KCB."""

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("citizen", __name__, url_prefix="/ca-nhan")


@bp.before_request
@login_required
def require_citizen():
    """Every page here belongs to a signed-in citizen; officers never reach it."""
    if getattr(current_user, "is_officer", False):
        abort(403)


@bp.after_request
def personal_cache_headers(response):
    """Personal pages stay out of shared and disk caches (the service worker decides offline)."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


from webapp.citizen import card, records, views  # noqa: E402, F401
