"""The start page and the language switch."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request
from flask_login import current_user

from webapp.extensions import db
from webapp.i18n import LOCALE_COOKIE
from webapp.public import bp
from webapp.web import safe_next


@bp.route("/")
def index():
    """Trang chủ: sign in, or (signed in) go straight to QL cá nhân."""
    if current_user.is_authenticated:
        return redirect(safe_next(None, "citizen.home"))
    return render_template("public/index.html")


@bp.route("/tien-ich")
def services():
    """Tiện ích: every public service in one place, for a signed-in citizen (whom the start page
    sends home) as for anyone; the bottom menu's "Tiện ích" leads here."""
    return render_template("public/services.html")


@bp.route("/cai-dat-ung-dung")
def install():
    """Cài đặt ứng dụng (C1): how to put VssID on the home screen, on Android and on iPhone; the
    install button of every page shows here too when the browser offers installation."""
    return render_template("public/install.html")


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch between Vietnamese and English; remembered on this browser and on the account."""
    lang = request.form.get("lang")
    response = redirect(safe_next(request.form.get("next"), "citizen.home"))
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LOCALE_COOKIE,
            lang,
            max_age=400 * 24 * 3600,
            httponly=True,  # only the server reads it: no script needs the choice
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        account = getattr(current_user, "account", None)
        if account is not None:
            account.locale = lang
            db.session.commit()
    return response
