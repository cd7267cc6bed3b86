"""Đăng ký ngay (R1–R4): a person without an account declares form 01 and prints it."""

from flask import Blueprint

bp = Blueprint("registration", __name__, url_prefix="/dang-ky")


from webapp.registration import views  # noqa: E402, F401
