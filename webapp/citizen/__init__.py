"""The signed-in citizen's own records: QL cá nhân, thẻ BHYT, quá trình tham gia, hưởng, KCB."""

from flask import Blueprint, abort, current_app, url_for
from flask_login import current_user, login_required

from webapp.services import passwords
from webapp.web import clock, whole_page_redirect

bp = Blueprint("citizen", __name__, url_prefix="/ca-nhan")


@bp.before_request
@login_required
def require_citizen():
    """Every page here belongs to a signed-in citizen; officers never reach it."""
    if getattr(current_user, "is_officer", False):
        abort(403)
    max_age = current_app.config["PASSWORD_MAX_AGE_DAYS"]
    if passwords.must_change(current_user.account, clock().now(), max_age):
        # An officer-issued or too old password: nothing else until it is changed (C3).
        return whole_page_redirect(url_for("auth.change_password"), htmx_status=403)


@bp.after_request
def personal_cache_headers(response):
    """Personal pages stay out of shared and disk caches (the service worker decides offline)."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


from webapp.citizen import (  # noqa: E402, F401
    card,
    change_info,
    documents,
    family,
    notifications,
    records,
    shared,
    views,
)
