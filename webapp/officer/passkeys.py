"""Officers' passkeys: each officer adds their own (after typing the password again), and an
admin can require one as an officer's second factor; that officer's sign-in then asks for the
passkey after the password, before any session opens (`services.passkeys`)."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import (
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user
from sqlalchemy import func, select

from webapp import throttling
from webapp.extensions import db
from webapp.models import Officer, Passkey
from webapp.officer import bp
from webapp.officer.auth import OfficerUser
from webapp.officer.content import _admin_only
from webapp.officer.forms import OfficerPasskeyForm
from webapp.parsing import parse_int
from webapp.services import audit, officer_sessions, passkeys, passwords
from webapp.web import clock, json_options, keep_challenge, kept_challenge, safe_next

ADDING = "officer_passkey_adding"  # after the password: the name, the session, until when
PENDING = "officer_second_factor"  # after the password at sign-in: who, until when, where to
WINDOW = dt.timedelta(minutes=5)


def _on() -> None:
    if not passkeys.enabled(current_app.config):
        abort(404)


def _error(message: str, status: int):
    return jsonify(error=message), status


# --- the officer's own passkeys -------------------------------------------------------------------


@bp.route("/khoa-cua-toi", methods=["GET", "POST"])
def my_passkeys():
    """The officer's passkeys (name, added, last used; each removed, but not the last one while
    an admin requires it) and the form that adds one: its name and the password again."""
    _on()
    officer = g.officer
    form = OfficerPasskeyForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            if not passwords.verify_password(officer.password_hash, form.password.data):
                form.password.errors.append(_("The current password is not correct."))
            else:
                session[ADDING] = {
                    "name": form.device_name.data,
                    "session": current_user.officer_session.token,
                    "until": (clock().now() + WINDOW).timestamp(),
                }
                return redirect(url_for("officer.my_passkey_create"))
    items = passkeys.passkeys_of(passkeys.officer(officer))
    return render_template("officer/my_passkeys.html", form=form, passkeys=items), status


def _adding() -> dict | None:
    adding = session.get(ADDING)
    if (
        not isinstance(adding, dict)
        or adding.get("session") != current_user.officer_session.token
        or not isinstance(adding.get("until"), int | float)
        or adding["until"] < clock().now().timestamp()
    ):
        return None
    return adding


@bp.route("/khoa-cua-toi/tao")
def my_passkey_create():
    _on()
    adding = _adding()
    if adding is None:
        return redirect(url_for("officer.my_passkeys"))
    return render_template(
        "auth/passkey_create.html",
        name=adding["name"],
        options_url=url_for("officer.my_passkey_options"),
        save_url=url_for("officer.my_passkey_save"),
        back_url=url_for("officer.my_passkeys"),
    )


@bp.route("/khoa-cua-toi/tuy-chon", methods=["POST"])
def my_passkey_options():
    _on()
    if _adding() is None:
        return _error(_("Your session has ended: please sign in again."), 403)
    officer = g.officer
    options, challenge = passkeys.registration_options(
        passkeys.officer(officer),
        officer.username,
        officer.full_name,
        current_user.officer_session.token,
        clock().now(),
        current_app.config,
    )
    keep_challenge(challenge)
    db.session.commit()
    return json_options(options)


@bp.route("/khoa-cua-toi/luu", methods=["POST"])
def my_passkey_save():
    _on()
    adding = _adding()
    challenge = kept_challenge()
    if adding is None or challenge is None:
        return _error(_("This request has expired: please start again."), 400)
    try:
        passkeys.add(
            passkeys.officer(g.officer),
            current_user.officer_session.token,
            request.get_data(as_text=True),
            challenge,
            adding["name"],
            clock().now(),
            current_app.config,
        )
    except passkeys.PasskeyError:
        db.session.commit()
        return _error(_("The phone's answer could not be verified. Please try again."), 400)
    session.pop(ADDING, None)
    db.session.commit()
    flash(_("The passkey was added."), "success")
    return jsonify(next=url_for("officer.my_passkeys"))


@bp.route("/khoa-cua-toi/<int:passkey_id>/xoa", methods=["POST"])
def my_passkey_remove(passkey_id: int):
    _on()
    officer = g.officer
    owner = passkeys.officer(officer)
    if officer.passkey_required and len(passkeys.passkeys_of(owner)) <= 1:
        flash(
            _("An administrator requires a passkey for your sign-in: keep at least one."), "error"
        )
        return redirect(url_for("officer.my_passkeys"))
    if not passkeys.remove(owner, passkey_id, clock().now()):
        abort(404)
    db.session.commit()
    flash(_("The passkey was removed."), "success")
    return redirect(url_for("officer.my_passkeys"))


# --- an admin requires them ---------------------------------------------------------------------


@bp.route("/can-bo", methods=["GET", "POST"])
def officers():
    """Cán bộ (admins): each officer, their passkeys, and whether their sign-in requires one
    (only an officer who has one can be required to use it)."""
    _on()
    _admin_only()
    status = 200
    if request.method == "POST":
        officer_id = parse_int(request.form.get("officer_id", ""), minimum=1, maximum=2**31 - 1)
        target = db.session.get(Officer, officer_id) if officer_id else None
        if target is None:
            abort(404)
        require = request.form.get("require") == "1"
        count = len(passkeys.passkeys_of(passkeys.officer(target)))
        if require and count == 0:
            flash(
                _("%(name)s has no passkey yet: they add one first.", name=target.username), "error"
            )
            status = 409
        else:
            target.passkey_required = require
            audit.record(
                "officer_passkey_required" if require else "officer_passkey_not_required",
                clock().now(),
                actor_type="officer",
                actor_id=g.officer.id,
                subject_type="officer",
                subject_id=target.id,
            )
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("officer.officers"))
    counts = dict(
        db.session.execute(
            select(Passkey.officer_id, func.count())
            .where(Passkey.officer_id.is_not(None))
            .group_by(Passkey.officer_id)
        ).all()
    )
    rows = db.session.scalars(select(Officer).order_by(Officer.username)).all()
    return render_template("officer/officers.html", officers=rows, counts=counts), status


# --- the second factor at sign-in ---------------------------------------------------------------


def start_second_factor(officer: Officer, next_url: str | None):
    """After the right password of an officer who must use a passkey: no session yet."""
    session.clear()
    session[PENDING] = {
        "officer": officer.id,
        "until": (clock().now() + WINDOW).timestamp(),
        "next": next_url,
        "ceremony": secrets.token_urlsafe(24),
    }
    return redirect(url_for("officer.second_factor"))


def _pending() -> tuple[Officer, dict] | None:
    pending = session.get(PENDING)
    if (
        not isinstance(pending, dict)
        or not isinstance(pending.get("until"), int | float)
        or pending["until"] < clock().now().timestamp()
    ):
        return None
    officer = db.session.get(Officer, pending.get("officer"))
    if officer is None or not officer.active:
        return None
    return officer, pending


@bp.route("/khoa-xac-thuc")
def second_factor():
    _on()
    if _pending() is None:
        return redirect(url_for("officer.login"))
    return render_template("officer/second_factor.html")


@bp.route("/khoa-xac-thuc/tuy-chon", methods=["POST"])
@throttling.limit_posts("LOGIN_LIMIT_PER_IP")
def second_factor_options():
    _on()
    found = _pending()
    if found is None:
        return _error(_("This request has expired: please start again."), 400)
    officer, pending = found
    options, challenge = passkeys.second_factor_options(
        officer, pending["ceremony"], clock().now(), current_app.config
    )
    keep_challenge(challenge)
    db.session.commit()
    return json_options(options)


@bp.route("/khoa-xac-thuc", methods=["POST"])
@throttling.limit_posts("LOGIN_LIMIT_PER_IP")
def second_factor_check():
    """The passkey's answer: one of this officer's, for this ceremony; then the session opens,
    as a password alone opens it for the others."""
    _on()
    found = _pending()
    challenge = kept_challenge()
    if found is None or challenge is None:
        return _error(_("This request has expired: please start again."), 400)
    officer, pending = found
    now = clock().now()
    try:
        ok = passkeys.second_factor(
            officer,
            request.get_data(as_text=True),
            challenge,
            pending["ceremony"],
            now,
            current_app.config,
        )
    except passkeys.PasskeyError:
        ok = False
    if not ok:
        audit.record("officer_second_factor_failed", now, actor_type="officer", actor_id=officer.id)
        db.session.commit()
        return _error(_("This passkey is not one of yours. Use the passkey you added."), 401)
    officer_session = officer_sessions.open_session(
        officer, request.user_agent.string, now, current_app.config["OFFICER_SESSION_HOURS"]
    )
    db.session.commit()
    next_url = safe_next(pending.get("next"), "officer.queue", prefix="/officer/")
    session.clear()
    login_user(OfficerUser(officer_session))
    return jsonify(next=next_url)
