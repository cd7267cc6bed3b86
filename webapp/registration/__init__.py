"""Đăng ký ngay (R1–R4): a person without an account declares form 01 and prints it."""

from flask import Blueprint

bp = Blueprint("registration", __name__, url_prefix="/dang-ky")


@bp.app_context_processor
def dossier_labels() -> dict:
    """The names of a dossier's codes, for the registration, citizen and officer pages."""
    from webapp.registration import labels

    return labels.context()


from webapp.registration import views  # noqa: E402, F401
