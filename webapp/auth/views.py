"""Citizen login and logout (C2)."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webapp.auth import bp
from webapp.auth.forms import LoginForm
from webapp.extensions import login_manager
from webapp.services import sessions
from webapp.templating import clock

DEVICE_COOKIE = "device_id"
DEVICE_COOKIE_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie


class CitizenUser:
    """What Flask-Login holds for a signed-in citizen: one device session of one account."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_officer = False

    def __init__(self, device_session) -> None:
        self.device_session = device_session
        self.account = device_session.account
        self.person = self.account.person

    def get_id(self) -> str:
        return f"c:{self.device_session.token}"


@login_manager.user_loader
def load_user(user_id: str):
    """Each request re-reads the device session: a revoked one is signed out at once."""
    kind, _sep, token = user_id.partition(":")
    if kind != "c" or not token:
        return None
    device_session = sessions.active_session(token)
    return CitizenUser(device_session) if device_session else None


login_manager.login_view = "auth.login"
login_manager.login_message = None


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("citizen.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Đăng nhập: BHXH code or CCCD, and password. A wrong pair never says which part was wrong."""
    if current_user.is_authenticated:
        return redirect(url_for("citizen.home"))
    form = LoginForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            account = sessions.authenticate(form.identifier.data, form.password.data)
            if account is not None:
                device_id = request.cookies.get(DEVICE_COOKIE) or secrets.token_urlsafe(24)
                device_session = sessions.open_session(
                    account, device_id, request.user_agent.string, clock().now()
                )
                session.permanent = True  # stays signed in on this phone until signed out
                login_user(CitizenUser(device_session))
                response = redirect(_safe_next(request.args.get("next")))
                response.set_cookie(
                    DEVICE_COOKIE,
                    device_id,
                    max_age=DEVICE_COOKIE_AGE,
                    httponly=True,
                    samesite="Lax",
                    secure=current_app.config["SESSION_COOKIE_SECURE"],
                )
                return response
            status = 401
            form.form_errors.append(_("The BHXH code/CCCD number or the password is not correct."))
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Đăng xuất: the device session is closed for good, then back to the login page."""
    sessions.revoke(current_user.device_session, "logout", clock().now())
    logout_user()
    flash(_("You have signed out."), "info")
    response = redirect(url_for("auth.login"))
    # The browser drops what it kept of this account: HTTP cache, Cache Storage, local storage
    # (and the service worker, which the next page registers again, empty).
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
