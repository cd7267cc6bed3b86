"""Đăng nhập / đăng xuất for citizens."""

from flask import Blueprint

from webapp.security import no_store

bp = Blueprint("auth", __name__)
# Every page here shows or receives a password or a one-time code, or leads to one: sign-in,
# a new device's OTP, the password change and its OTP, recovery (code, OTP, new password).
bp.after_request(no_store)

from webapp.auth import passkeys, recovery, views  # noqa: E402, F401
