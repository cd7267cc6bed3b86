"""Quên mật khẩu (C3b): recovery by an OTP to the registered phone or email.

The answer never tells whether a code, phone or email exists: a match and a non-match get the
same pages, do the same work (one argon2 hash, one lookup) and are throttled alike. A first
password an officer issued and nobody used is sent again, once, instead of an OTP.
"""

from __future__ import annotations

import base64
import hashlib
import json

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from webapp import throttling, verification
from webapp.auth import bp
from webapp.auth.forms import NewPasswordForm, RecoveryForm
from webapp.auth.views import (
    POLICY_MESSAGES,
    locked_page,
    remember_device,
    this_device_id,
)
from webapp.extensions import db
from webapp.models import Account
from webapp.services import lookups, recovery
from webapp.services.provinces import PROVINCES
from webapp.templating import format_datetime
from webapp.web import clock

PENDING = "recovery"


def _sealed() -> Fernet:
    """Flask's session cookie is signed, not encrypted: whether the details matched must not be
    readable in it, so the recovery state travels encrypted."""
    key = hashlib.sha256(b"recovery:" + current_app.config["SECRET_KEY"].encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _save(pending: dict) -> None:
    session[PENDING] = _sealed().encrypt(json.dumps(pending).encode()).decode()


def _pending() -> dict | None:
    sealed = session.get(PENDING)
    if not sealed:
        return None
    try:
        pending = json.loads(_sealed().decrypt(sealed.encode(), ttl=30 * 60))
    except (InvalidToken, ValueError):
        return None
    if pending.get("device_id") != request.cookies.get("device_id"):
        return None
    return pending


def _identifier_key() -> str:
    identifier = "".join((request.form.get("identifier") or "").split())[:12]
    return f"recovery-identifier:{identifier}"


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
@throttling.limit_posts("RECOVERY_LIMIT_PER_IP")
@throttling.limit_posts(
    "RECOVERY_LIMIT_PER_IDENTIFIER",
    key_func=_identifier_key,
    on_breach=lambda limit: locked_page(),
)
def forgot_password():
    """Step 1: the BHXH code or CCCD, and the registered phone (or email) to send the code to."""
    form = RecoveryForm()
    if not form.is_submitted():
        return render_template("auth/recovery_start.html", form=form)
    if not form.validate():
        return render_template("auth/recovery_start.html", form=form), 400
    started = recovery.start(
        form.identifier.data,
        form.channel.data,
        form.contact.data,
        this_device_id(),
        clock().now(),
        current_app.config,
    )
    db.session.commit()
    # The same state whether the details matched or not: the contact's OTP subject only.
    _save({"subject": started.subject, "device_id": this_device_id()})
    if started.retry_after:
        flash(verification.cooldown_message(started.retry_after), "info")
    return remember_device(redirect(url_for("auth.recovery_code")))


@bp.route("/quen-mat-khau/ma-otp", methods=["GET", "POST"])
@throttling.limit_posts("OTP_LIMIT_PER_IP")
def recovery_code():
    """Step 2: the code that was sent, if the details matched (the page cannot say)."""
    pending = _pending()
    if pending is None or "subject" not in pending:
        return redirect(url_for("auth.forgot_password"))
    step = verification.submit(
        lambda code: recovery.check_code(
            pending["subject"], code, pending["device_id"], clock().now(), current_app.config
        )
    )
    db.session.commit()
    if step.ok:
        _save({**pending, "account_id": step.verdict.challenge.account_id, "verified": True})
        return redirect(url_for("auth.recovery_new_password"))
    return verification.page(
        step,
        _("Enter the code"),
        [
            _(
                "If the details you gave match an account, we have sent a 6-digit OTP code to "
                "that phone or email. It is valid for 5 minutes."
            ),
            _(
                "An account that has never been used gets a new temporary password instead of "
                "a code: sign in with it, then choose your own password."
            ),
        ],
        [
            (url_for("auth.forgot_password"), _("Did not get the code? Ask for a new one")),
            (url_for("auth.login"), _("Sign in")),
            (
                url_for("auth.recovery_unreachable"),
                _("I no longer have the registered phone or email"),
            ),
        ],
    )


@bp.route("/quen-mat-khau/mat-khau-moi", methods=["GET", "POST"])
def recovery_new_password():
    """Step 3: the new password, under the one password policy. Every session of the account
    is then signed out, and the citizen told by SMS and in the inbox."""
    pending = _pending()
    if pending is None or not pending.get("verified") or pending.get("account_id") is None:
        return redirect(url_for("auth.forgot_password"))
    account = db.session.get(Account, pending["account_id"])
    form = NewPasswordForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            violation = recovery.passwords.check_policy(form.new_password.data, account)
            if violation:
                form.new_password.errors.append(str(POLICY_MESSAGES[violation]))
            else:
                now = clock().now()
                recovery.reset(
                    account, form.new_password.data, now, current_app.config, format_datetime(now)
                )
                db.session.commit()
                session.pop(PENDING, None)
                flash(_("Your password has been reset. Sign in with the new password."), "success")
                return redirect(url_for("auth.login"))
    return render_template("auth/recovery_new_password.html", form=form), status


@bp.route("/quen-mat-khau/khong-nhan-duoc")
def recovery_unreachable():
    """When the registered phone and email are both lost: how the change-of-information
    dossier works, the BHXH offices of a province, and the hotline."""
    province = request.args.get("province", "")
    offices = []
    if province in PROVINCES:
        offices = lookups.offices_on_map(province)
    elif province:
        province = ""
    return render_template(
        "auth/recovery_unreachable.html",
        provinces=sorted(PROVINCES.items(), key=lambda item: item[1]),
        province=province,
        offices=offices,
    )
