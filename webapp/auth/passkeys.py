"""Đăng nhập bằng vân tay / khuôn mặt: the citizen's passkeys (added after an SMS code, listed,
removed) and signing in with one (`services.passkeys` holds the rules).

The two ceremonies run in the browser (`static/js/passkey.js`): it asks for options, lets the
phone create or use the key, and posts the answer as JSON; the challenge stays in this browser's
session. Passkeys are off (404) when `WEBAUTHN_RP_ID` is empty.
"""

from __future__ import annotations

import datetime as dt

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from webapp import throttling, verification
from webapp.auth import bp
from webapp.auth.forms import PasskeyForm
from webapp.auth.views import (
    _sign_in,
    citizen_required,
    locked_message,
    remember_device,
    this_device_id,
)
from webapp.extensions import db
from webapp.services import otp, passkeys, sessions
from webapp.web import clock, json_options, keep_challenge, kept_challenge

ADDING = "passkey_adding"  # after the SMS code: the name, the device session, until when
ADD_WINDOW = dt.timedelta(minutes=5)


def _on() -> None:
    if not passkeys.enabled(current_app.config):
        abort(404)


def _error(message: str, status: int):
    return jsonify(error=message), status


# --- the citizen's passkeys ---------------------------------------------------------------------


@bp.route("/van-tay-khuon-mat", methods=["GET", "POST"])
@citizen_required
def passkeys_page():
    """The list (device name, added, last used; each can be removed) and the form that adds
    one for this phone: its name, then a code by SMS, as for a password change."""
    _on()
    account = current_user.account
    form = PasskeyForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            refused = verification.send_code(
                form,
                account,
                lambda: otp.issue_to_account(
                    passkeys.ADD,
                    account,
                    current_user.device_session.device_id,
                    clock().now(),
                    current_app.config,
                    "otp_add_passkey",
                ),
            )
            if refused is None:
                session[ADDING] = {"name": form.device_name.data}
                return redirect(url_for("auth.passkey_otp"))
            status = refused
    items = passkeys.passkeys_of(passkeys.citizen(account))
    return render_template("auth/passkeys.html", form=form, passkeys=items), status


@bp.route("/van-tay-khuon-mat/otp", methods=["GET", "POST"])
@citizen_required
@throttling.limit_posts("OTP_LIMIT_PER_IP")
def passkey_otp():
    """The SMS code that lets this phone add a passkey, within the next 5 minutes."""
    _on()
    adding = session.get(ADDING)
    if not isinstance(adding, dict) or "name" not in adding:
        return redirect(url_for("auth.passkeys_page"))
    now = clock().now()
    device_session = current_user.device_session
    step = verification.submit(
        lambda code: otp.check_for_account(
            passkeys.ADD,
            current_user.account,
            device_session.device_id,
            code,
            now,
            current_app.config["SECRET_KEY"],
        )
    )
    db.session.commit()
    if step.ok:
        session[ADDING] = {
            "name": adding["name"],
            "session": device_session.token,
            "until": (now + ADD_WINDOW).timestamp(),
        }
        return redirect(url_for("auth.passkey_create"))
    heading = _("Confirm sign-in with fingerprint or face")
    return verification.sms_page(
        step, heading, current_user.person.phone, url_for("auth.passkeys_page")
    )


def _confirmed_adding() -> dict | None:
    """What the SMS code allowed, if it is this device session's and still in time."""
    adding = session.get(ADDING)
    if (
        not isinstance(adding, dict)
        or adding.get("session") != current_user.device_session.token
        or not isinstance(adding.get("until"), int | float)
        or adding["until"] < clock().now().timestamp()
    ):
        return None
    return adding


@bp.route("/van-tay-khuon-mat/tao")
@citizen_required
def passkey_create():
    """The button that has the phone create the passkey (its fingerprint or face asked)."""
    _on()
    adding = _confirmed_adding()
    if adding is None:
        return redirect(url_for("auth.passkeys_page"))
    return render_template(
        "auth/passkey_create.html",
        name=adding["name"],
        options_url=url_for("auth.passkey_create_options"),
        save_url=url_for("auth.passkey_save"),
        back_url=url_for("auth.passkeys_page"),
    )


@bp.route("/van-tay-khuon-mat/tuy-chon", methods=["POST"])
@citizen_required
def passkey_create_options():
    _on()
    if _confirmed_adding() is None:
        return _error(_("Your session has ended: please sign in again."), 403)
    person = current_user.person
    options, challenge = passkeys.registration_options(
        passkeys.citizen(current_user.account),
        person.bhxh_code,
        person.full_name,
        current_user.device_session.device_id,
        clock().now(),
        current_app.config,
    )
    keep_challenge(challenge)
    db.session.commit()
    return json_options(options)


@bp.route("/van-tay-khuon-mat/luu", methods=["POST"])
@citizen_required
def passkey_save():
    """Keep the passkey the phone created (its answer as JSON)."""
    _on()
    adding = _confirmed_adding()
    challenge = kept_challenge()
    if adding is None or challenge is None:
        return _error(_("This request has expired: please start again."), 400)
    try:
        passkeys.add(
            passkeys.citizen(current_user.account),
            current_user.device_session.device_id,
            request.get_data(as_text=True),
            challenge,
            adding["name"],
            clock().now(),
            current_app.config,
        )
    except passkeys.PasskeyError:
        db.session.commit()  # the challenge stays used
        return _error(_("The phone's answer could not be verified. Please try again."), 400)
    session.pop(ADDING, None)
    db.session.commit()
    flash(_("Sign-in with fingerprint or face is on for this phone."), "success")
    return jsonify(next=url_for("auth.passkeys_page"))


@bp.route("/van-tay-khuon-mat/<int:passkey_id>/xoa", methods=["POST"])
@citizen_required
def passkey_remove(passkey_id: int):
    _on()
    if not passkeys.remove(passkeys.citizen(current_user.account), passkey_id, clock().now()):
        abort(404)
    db.session.commit()
    flash(_("The passkey was removed."), "success")
    return redirect(url_for("auth.passkeys_page"))


# --- signing in ---------------------------------------------------------------------------------


@bp.route("/login/passkey/tuy-chon", methods=["POST"])
@throttling.limit_posts("LOGIN_LIMIT_PER_IP")
def passkey_sign_in_options():
    _on()
    options, challenge = passkeys.sign_in_options(
        this_device_id(), clock().now(), current_app.config
    )
    keep_challenge(challenge)
    db.session.commit()
    return remember_device(json_options(options))


@bp.route("/login/passkey", methods=["POST"])
@throttling.limit_posts("LOGIN_LIMIT_PER_IP")
def passkey_sign_in():
    """Sign in with the phone's answer: as a password sign-in does from here (the lock, the
    audit, one device at a time); the browser goes where the answer says."""
    _on()
    challenge = kept_challenge()
    if challenge is None:
        return _error(_("This request has expired: please start again."), 400)
    try:
        outcome, account = passkeys.sign_in(
            request.get_data(as_text=True),
            challenge,
            this_device_id(),
            clock().now(),
            current_app.config,
        )
    except passkeys.PasskeyError as error:
        db.session.commit()  # the challenge stays used
        if error.reason == "challenge":
            return _error(_("This request has expired: please start again."), 400)
        return _error(_("This passkey is not known here. Sign in with your password."), 401)
    if outcome is sessions.Outcome.LOCKED:
        return _error(locked_message(), 429)
    if outcome is sessions.Outcome.WRONG:
        return _error(_("The phone's answer could not be verified. Please try again."), 401)
    response = _sign_in(account)
    # The page goes there itself: the answer is JSON, with the cookies of the sign-in.
    response.status_code = 200
    response.set_data(jsonify(next=response.headers.pop("Location")).get_data())
    response.mimetype = "application/json"
    return response
