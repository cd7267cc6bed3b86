"""Kiểm tra thẻ BHYT: facility staff check a card's QR code, and fetch the keys to do it offline."""

from __future__ import annotations

from flask import current_app, jsonify, render_template
from flask_babel import gettext as _

from webapp.public import bp
from webapp.public.forms import VerifyCardForm
from webapp.services import cards
from webapp.web import clock


def _public_keys() -> dict:
    return cards.public_key_set(cards.signing_key_from_config(current_app.config))


@bp.route("/verify", methods=["GET", "POST"])
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
    return render_template("public/verify.html", form=form, result=result), status


@bp.route("/.well-known/card-keys.json")
def card_keys():
    """The public key set (JWKS) card QR codes are signed with, for facility software that
    checks cards without a connection. Public, cacheable, readable from any origin."""
    response = jsonify(_public_keys())
    response.headers["Cache-Control"] = "public, max-age=3600"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
