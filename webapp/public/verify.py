"""Kiểm tra thẻ BHYT: facility staff check a card's QR code, and fetch the keys to do it offline."""

from __future__ import annotations

from flask import current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp import throttling
from webapp.extensions import db
from webapp.labels import SCHEME_LABELS
from webapp.public import bp
from webapp.public.forms import VerifyCardForm
from webapp.services import access_log, cards, record_documents
from webapp.services.text import mask
from webapp.web import clock


def _public_keys() -> dict:
    return cards.public_key_set(cards.signing_key_from_config(current_app.config))


@bp.route("/verify", methods=["GET", "POST"])
@throttling.limit_posts("VERIFY_LIMIT_PER_IP")
def verify():
    """A scanner types the QR (or staff paste it); the answer is big and plain: valid, expired
    or forged, with what the card says. Text that is not a card QR is an error by the field."""
    form = VerifyCardForm()
    result = None
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            result = cards.verify_qr(form.payload.data, _public_keys(), clock().today())
            if result.status == "unreadable":
                result = None
                form.payload.errors.append(
                    _(
                        "This is not the text of a health insurance card's QR code. "
                        "Scan the QR code on the card again."
                    )
                )
            else:
                status = 200
                form.payload.data = ""  # ready for the next card
                if result.status != "forged":
                    _log_check(result.card.number)
    return render_template("public/verify.html", form=form, result=result), status


def _log_check(card_number: str) -> None:
    """A genuine card checked here is in its holder's access log (C13), unless the holder
    checked it themselves; a signed-in officer is named, anyone else is "a QR check"."""
    person = getattr(current_user, "person", None)
    officer = getattr(current_user, "officer", None)
    viewer: dict = {}
    if officer is not None:
        viewer = {"viewer_name": officer.full_name, "viewer_officer_id": officer.id}
    elif person is not None:
        viewer = {
            "viewer_name": person.full_name,
            "viewer_account_id": current_user.account.id,
            "unless_holder": person.id,
        }
    if access_log.record_card_check(card_number, "qr", "verifier", clock().now(), **viewer):
        db.session.commit()


@bp.route("/.well-known/card-keys.json")
def card_keys():
    """The public key set (JWKS) card QR codes are signed with, for facility software that
    checks cards without a connection. Public, cacheable, readable from any origin."""
    response = jsonify(_public_keys())
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/verify/tai-lieu")
def verify_document():
    """The QR code of a PDF record (the participation history, a year of the medical book)
    opens here: it says whether the document is one of ours and says what the database holds
    today, with the figures to compare with the paper. An altered code is refused (400)."""
    verdict = record_documents.check(request.args.get("t", ""), current_app.config["SECRET_KEY"])
    status = 400 if verdict.status is record_documents.Status.REFUSED else 200
    page = render_template(
        "public/verify_document.html",
        verdict=verdict,
        Status=record_documents.Status,
        scheme_labels=SCHEME_LABELS,
        masked_code=mask(verdict.document.person.bhxh_code, 0, 4) if verdict.document else None,
    )
    return page, status
