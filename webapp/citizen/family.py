"""Gia đình (C11–C13): the children's cards, delegations given and received, and the access log
of who looked at the citizen's data.

A delegation is made in two steps, like a password change: the form (whom, what, how long),
then the SMS code sent to the grantor's phone; only then is it offered to the delegate, who
accepts or declines it on this same page. Either side ends it here at any time.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp import throttling, verification
from webapp.citizen import bp
from webapp.citizen.forms import PART_LABELS, DelegationForm
from webapp.citizen.shared import shared_with_me
from webapp.extensions import db
from webapp.parsing import parse_int
from webapp.services import access_log, family, otp
from webapp.templating import render_page
from webapp.web import clock

OFFERING = "delegation_offering"  # between the form and the SMS code: whom, what, how long
OFFER_WINDOW = dt.timedelta(minutes=10)

PROBLEMS = {
    family.Problem.NO_SUCH_HOLDER: (
        "bhxh_code",
        _l(
            "No adult with a VssID account has this BHXH code and this full name: check both, "
            "as on their card"
        ),
    ),
    family.Problem.YOURSELF: ("bhxh_code", _l("This is your own BHXH code")),
    family.Problem.ALREADY: (
        "bhxh_code",
        _l("You have already given or offered this person access: end it first to change it"),
    ),
    family.Problem.NOT_ADULT: (None, _l("Only an adult can give access to their data")),
}

KIND_LABELS = {
    "card": _l("Health insurance card"),
    "qr": _l("Card QR code checked"),
    "book": _l("Medical book"),
    "history": _l("Insurance participation"),
    "benefits": _l("Benefits received"),
    "dossier": _l("Registration dossier"),
}
VIEWER_LABELS = {
    "guardian": _l("Parent or guardian"),
    "delegate": _l("Person you gave access to"),
    "officer": _l("BHXH officer"),
    "facility": _l("Health facility"),
    "verifier": _l("Someone who scanned your card's QR code"),
}


@bp.route("/gia-dinh", endpoint="family")
def family_page():
    """Gia đình: the children's cards, what others shared with this account, the offers waiting
    for an answer, and what this account shares (with the button to end each)."""
    account = current_user.account
    now = clock().now()
    return render_page(
        "citizen/family.html",
        shared=shared_with_me(),
        offers=family.offered_to(account, now),
        given=family.given_by(account, now),
        part_labels=PART_LABELS,
    )


@bp.route("/gia-dinh/uy-quyen", methods=["GET", "POST"])
@throttling.limit_posts("OTP_LIMIT_PER_IP")
def delegation_new():
    """Ủy quyền mới: the form; a right one sends the SMS code to the grantor's phone."""
    account = current_user.account
    form = DelegationForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            today = clock().today()
            try:
                delegate = family.find_delegate(
                    account, form.bhxh_code.data, form.full_name.data, today
                )
                if family.has_open(account, delegate.id, clock().now()):
                    raise family.Refused(family.Problem.ALREADY)
            except family.Refused as refused:
                name, message = PROBLEMS[refused.problem]
                (form[name].errors if name else form.form_errors).append(str(message))
            else:
                refused = verification.send_code(
                    form,
                    account,
                    lambda: otp.issue_to_account(
                        family.DELEGATE,
                        account,
                        current_user.device_session.device_id,
                        clock().now(),
                        current_app.config,
                        "otp_delegation",
                    ),
                )
                if refused is None:
                    session[OFFERING] = {
                        "delegate": delegate.id,
                        "name": delegate.person.full_name,
                        "parts": list(form.parts.data),
                        "days": int(form.period.data),
                        "until": (clock().now() + OFFER_WINDOW).timestamp(),
                    }
                    return redirect(url_for("citizen.delegation_otp"))
                status = refused
    return render_page("citizen/delegation_new.html", form=form), status


def _offering() -> dict | None:
    offering = session.get(OFFERING)
    if (
        not isinstance(offering, dict)
        or not isinstance(offering.get("delegate"), int)
        or not isinstance(offering.get("until"), int | float)
        or offering["until"] < clock().now().timestamp()
    ):
        return None
    return offering


@bp.route("/gia-dinh/uy-quyen/otp", methods=["GET", "POST"])
@throttling.limit_posts("OTP_LIMIT_PER_IP")
def delegation_otp():
    """The SMS code that confirms the delegation; then it is offered to the delegate."""
    offering = _offering()
    if offering is None:
        return redirect(url_for("citizen.delegation_new"))
    account = current_user.account
    now = clock().now()
    step = verification.submit(
        lambda code: otp.check_for_account(
            family.DELEGATE,
            account,
            current_user.device_session.device_id,
            code,
            now,
            current_app.config["SECRET_KEY"],
        )
    )
    if step.ok:
        session.pop(OFFERING, None)
        try:
            family.offer(account, offering["delegate"], offering["parts"], offering["days"], now)
        except (family.Refused, ValueError):
            db.session.commit()  # the code is used up
            flash(str(PROBLEMS[family.Problem.ALREADY][1]), "error")
            return redirect(url_for("citizen.family"))
        db.session.commit()
        flash(
            _(
                "Access offered to %(name)s. It starts when they accept it.",
                name=offering.get("name", ""),
            ),
            "success",
        )
        return redirect(url_for("citizen.family"))
    db.session.commit()
    heading = _("Confirm the access you give")
    return verification.sms_page(
        step, heading, account.person.phone, url_for("citizen.delegation_new")
    )


def _delegation_action(change, message: str, delegation_id: int):
    if change(current_user.account, delegation_id, clock().now()) is None:
        abort(404)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("citizen.family"))


@bp.route("/gia-dinh/uy-quyen/<int:delegation_id>/chap-nhan", methods=["POST"])
def delegation_accept(delegation_id: int):
    return _delegation_action(
        family.accept, _("You accepted. Their data is now in Family."), delegation_id
    )


@bp.route("/gia-dinh/uy-quyen/<int:delegation_id>/tu-choi", methods=["POST"])
def delegation_decline(delegation_id: int):
    return _delegation_action(family.decline, _("You declined the offer."), delegation_id)


@bp.route("/gia-dinh/uy-quyen/<int:delegation_id>/ket-thuc", methods=["POST"])
def delegation_end(delegation_id: int):
    return _delegation_action(family.end, _("The access has ended."), delegation_id)


@bp.route("/nhat-ky-truy-cap", endpoint="access_log")
def access_log_page():
    """Nhật ký truy cập: who looked at the citizen's data, when and what, newest first, with a
    filter by kind."""
    kind = request.args.get("kind") or None
    if kind is not None and kind not in access_log.KINDS:
        abort(404)
    page = parse_int(request.args.get("page", "1"), minimum=1, maximum=10_000)
    if page is None:
        abort(404)
    return render_page(
        "citizen/access_log.html",
        log=access_log.entries(current_user.person.id, kind, page),
        kind=kind,
        kind_labels=KIND_LABELS,
        viewer_labels=VIEWER_LABELS,
    )
