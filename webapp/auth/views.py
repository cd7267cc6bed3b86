"""Signing in and out (C2), one device at a time (C6), and changing the password (C3)."""

from __future__ import annotations

import functools
import secrets

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from webapp import throttling, verification
from webapp.auth import bp
from webapp.auth.forms import ChangePasswordForm, LoginForm
from webapp.extensions import db, login_manager
from webapp.models import Account
from webapp.security import CLEAR_SITE_DATA
from webapp.services import notifications, passkeys, password_change, passwords, sessions
from webapp.services.text import mask
from webapp.templating import format_datetime
from webapp.web import clock, safe_next, whole_page_redirect

DEVICE_COOKIE = "device_id"
DEVICE_COOKIE_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
REMOVE_PASSKEYS = "remove_passkeys"  # the password change's choice, until its OTP
# A step that sends an SMS code to the account's phone, which has none.

# Why a device was signed out, as the login page then says it.
REVOKED_MESSAGES = {
    "signed_in_elsewhere": _l(
        "Your account was signed in on another device, so it was signed out here."
    ),
    "password_changed": _l("Your password was changed, so you were signed out on this device."),
    "password_reset": _l("Your password was reset, so you were signed out on this device."),
}


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


def load_citizen(token: str) -> CitizenUser | None:
    """Each request re-reads the device session, so a revoked one is signed out at once, and
    the reason is kept to tell the citizen and to clear what the browser kept."""
    found = sessions.load_session_and_unread(token)
    if found is None:
        return None
    device_session, unread = found
    if device_session.revoked_at is not None:
        g.revoked_reason = device_session.revoked_reason
        return None
    g.unread_notifications = unread  # for the top bar (`unread_for_current_user`)
    return CitizenUser(device_session)


@login_manager.unauthorized_handler
def unauthorized():
    """To the login page (a whole-page redirect for HTMX), saying why when a device was signed
    out from elsewhere."""
    message = REVOKED_MESSAGES.get(g.get("revoked_reason"))
    flash(str(message) if message else _("Please sign in to continue."), "info")
    return whole_page_redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


@bp.after_app_request
def forget_revoked_device(response):
    """A device whose session was revoked elsewhere drops everything it kept of the account."""
    if g.get("revoked_reason"):
        response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
        session.pop("_user_id", None)
    return response


def this_device_id() -> str:
    """This browser's device id (its cookie), or a new one the response will set."""
    return request.cookies.get(DEVICE_COOKIE) or g.setdefault(
        "new_device_id", secrets.token_urlsafe(24)
    )


def remember_device(response):
    """Set the device cookie on `response` when this request gave the browser a new id."""
    if "new_device_id" in g:
        response.set_cookie(
            DEVICE_COOKIE,
            g.new_device_id,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def _sign_in(account: Account, *, took_over: bool = False):
    """Open the session (a fresh session cookie: nothing from before sign-in survives), and
    commit. Signed in on another device, the citizen is warned first and asked for an OTP
    (C6)."""
    device_session = sessions.open_session(
        account, this_device_id(), request.user_agent.string, clock().now(), took_over=took_over
    )
    if device_session is None:
        session["pending_login"] = {
            "account_id": account.id,
            "device_id": this_device_id(),
            "next": request.args.get("next"),
        }
        return remember_device(redirect(url_for("auth.other_device")))
    next_url = session.get("pending_login", {}).get("next")
    session.clear()
    session.permanent = True  # stays signed in on this phone until signed out
    login_user(CitizenUser(device_session))
    if took_over:
        notifications.notify(
            account.id, "new_device", clock().now(), dedupe_key=f"device:{device_session.id}"
        )
    db.session.commit()
    return remember_device(redirect(safe_next(next_url, "citizen.home")))


def locked_message() -> str:
    return _(
        "Too many wrong attempts. Sign-in is locked for %(minutes)d minutes; "
        "try again later or use “Forgot password”.",
        minutes=current_app.config["LOGIN_LOCK_MINUTES"],
    )


def locked_page(form: LoginForm | None = None):
    """The sign-in page saying that sign-in is locked (429); recovery's per-code lock too."""
    return throttling.locked_page("auth/login.html", form or LoginForm(), locked_message())


@bp.route("/login", methods=["GET", "POST"])
@throttling.limit_posts("LOGIN_LIMIT_PER_IP")
def login():
    """Đăng nhập: BHXH code or CCCD, and password. A wrong pair never says which part was wrong.
    Signed in elsewhere, the citizen is warned first and asked for an OTP (C6)."""
    if current_user.is_authenticated:
        return redirect(url_for("citizen.home"))
    form = LoginForm()
    if not form.is_submitted():
        return render_template("auth/login.html", form=form)
    if not form.validate():
        return render_template("auth/login.html", form=form), 400
    config = current_app.config
    outcome, account = sessions.authenticate(
        form.identifier.data,
        form.password.data,
        clock().now(),
        config["LOGIN_MAX_FAILURES"],
        config["LOGIN_LOCK_MINUTES"],
    )
    if outcome is sessions.Outcome.LOCKED:
        return locked_page(form)
    if outcome is sessions.Outcome.WRONG:
        form.form_errors.append(_("The BHXH code/CCCD number or the password is not correct."))
        return render_template("auth/login.html", form=form), 401
    return _sign_in(account)


def _pending_account() -> Account | None:
    pending = session.get("pending_login")
    if not pending or pending.get("device_id") != request.cookies.get(DEVICE_COOKIE):
        return None
    return db.session.get(Account, pending["account_id"])


@bp.route("/login/thiet-bi-khac", methods=["GET", "POST"])
@throttling.limit_posts("OTP_LIMIT_PER_IP")
def other_device():
    """The seed's warning: one account, one device at a time. Continuing sends an OTP to the
    registered phone; the other device is signed out once the code is entered."""
    account = _pending_account()
    if account is None:
        return redirect(url_for("auth.login"))
    phone = account.person.phone
    if request.method == "POST":
        if request.form.get("action") == "cancel" or not phone:
            session.pop("pending_login", None)
            return redirect(url_for("auth.login"))
        issued = sessions.send_new_device_code(
            account, this_device_id(), clock().now(), current_app.config
        )
        db.session.commit()
        if issued.retry_after:
            flash(verification.cooldown_message(issued.retry_after), "info")
        return redirect(url_for("auth.other_device_otp"))
    return render_template("auth/other_device.html", masked_phone=mask(phone, 3, 3))


@bp.route("/login/otp", methods=["GET", "POST"])
@throttling.limit_posts("OTP_LIMIT_PER_IP")
def other_device_otp():
    """Enter the OTP that lets this device take over the account."""
    account = _pending_account()
    if account is None:
        return redirect(url_for("auth.login"))
    now = clock().now()
    step = verification.submit(
        lambda code: sessions.check_new_device_code(
            account, this_device_id(), code, now, current_app.config
        )
    )
    if step.ok:
        return _sign_in(account, took_over=True)
    db.session.commit()
    heading = _("Confirm sign-in on this device")
    return verification.sms_page(step, heading, account.person.phone, url_for("auth.other_device"))


def citizen_required(view):
    """Signed in, and as a citizen: an officer's session has no account on this side (403)."""

    @functools.wraps(view)
    @login_required
    def citizen_only(*args, **kwargs):
        if getattr(current_user, "is_officer", False):
            abort(403)
        return view(*args, **kwargs)

    return citizen_only


@bp.route("/logout", methods=["POST"])
@citizen_required
def logout():
    """Đăng xuất: the device session is closed for good, and the browser drops what it kept of
    this account (HTTP cache, Cache Storage, local storage; the service worker registers again)."""
    sessions.sign_out(current_user.device_session, clock().now())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    response = redirect(url_for("auth.login"))
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@bp.route("/doi-mat-khau", methods=["GET", "POST"])
@citizen_required
def change_password():
    """Đổi mật khẩu: current, new and repeated password; then an OTP to the registered phone.
    Also where a citizen lands when the password must be changed (first login, 180 days)."""
    account = current_user.account
    form = ChangePasswordForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            if not passwords.verify_password(account.password_hash, form.old_password.data):
                form.old_password.errors.append(_("The current password is not correct."))
            elif violation := passwords.check_policy(form.new_password.data, account):
                form.new_password.errors.append(str(POLICY_MESSAGES[violation]))
            else:
                refused = verification.send_code(
                    form,
                    account,
                    lambda: password_change.start(
                        account,
                        current_user.device_session.device_id,
                        form.new_password.data,
                        clock().now(),
                        current_app.config,
                    ),
                )
                if refused is None:
                    session[REMOVE_PASSKEYS] = bool(form.remove_passkeys.data)
                    return redirect(url_for("auth.change_password_otp"))
                status = refused
    reason = passwords.must_change(
        account, clock().now(), current_app.config["PASSWORD_MAX_AGE_DAYS"]
    )
    has_passkeys = bool(passkeys.passkeys_of(passkeys.citizen(account)))
    page = render_template(
        "auth/change_password.html", form=form, reason=reason, has_passkeys=has_passkeys
    )
    return page, status


@bp.route("/doi-mat-khau/otp", methods=["GET", "POST"])
@citizen_required
@throttling.limit_posts("OTP_LIMIT_PER_IP")
def change_password_otp():
    """The OTP that confirms the new password; then every other device is signed out."""
    now = clock().now()
    step = verification.submit(
        lambda code: password_change.confirm(
            current_user.account,
            current_user.device_session,
            code,
            now,
            current_app.config,
            format_datetime(now),
        )
    )
    if step.ok and session.pop(REMOVE_PASSKEYS, False):
        passkeys.remove_all(current_user.account.id, now, "password_changed")
    db.session.commit()
    if step.ok:
        flash(_("Your password has been changed."), "success")
        return redirect(url_for("citizen.home"))
    return verification.sms_page(
        step,
        _("Confirm the new password"),
        current_user.person.phone,
        url_for("auth.change_password"),
    )


POLICY_MESSAGES = {
    passwords.Violation.TOO_SHORT: _l("The new password needs at least 8 characters"),
    passwords.Violation.TOO_LONG: _l("A password has at most 128 characters"),
    passwords.Violation.PERSONAL: _l(
        "The new password must not be or contain your BHXH code, CCCD number or date of birth"
    ),
    passwords.Violation.COMMON: _l("This password is too common and easy to guess: choose another"),
    passwords.Violation.REUSED: _l("Choose a password you have not used for your last 5 passwords"),
}
