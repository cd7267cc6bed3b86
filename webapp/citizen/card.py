"""Thẻ BHYT (C5): the citizen's health insurance card, in words and drawn as a card with its
signed QR code for the registration desk."""

from __future__ import annotations

from functools import lru_cache

import segno
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from webapp.citizen import bp
from webapp.citizen.shared import subject
from webapp.models import HealthCard
from webapp.services import cards
from webapp.templating import render_page
from webapp.web import clock

# Beneficiary groups a citizen meets most often (the first two letters of the card number).
GROUP_LABELS = {
    "DN": _l("Employee of an enterprise"),
    "HC": _l("Civil servant or public employee"),
    "HX": _l("Member of a cooperative"),
    "HT": _l("Pensioner"),
    "TN": _l("Receiving unemployment benefit"),
    "CC": _l("Person with meritorious services to the revolution"),
    "BT": _l("Receiving social protection allowance"),
    "HN": _l("Member of a poor household"),
    "CN": _l("Member of a near-poor household"),
    "HS": _l("Pupil"),
    "SV": _l("Student"),
    "GD": _l("Member of a household"),
    "TE": _l("Child under 6"),
}

STATE_BADGES = {"valid": "ok", "expiring": "warn", "expired": "bad", "not_yet_valid": "warn"}


def _state_label(state: str, days: int) -> str:
    """The badge text: Còn hạn / Sắp hết hạn (còn n ngày) / Hết hạn / Chưa có hiệu lực."""
    if state == "expiring":
        if days == 1:
            return _("Expiring soon (last day today)")
        return _("Expiring soon (%(num)d days left)", num=days)
    return {
        "valid": _("Still valid"),
        "expired": _("Expired"),
        "not_yet_valid": _("Not yet valid"),
    }[state]


def _card_context(card: HealthCard | None) -> dict:
    """What both card pages show about the card: its number in parts and its state today."""
    if card is None:
        return {"card": None}
    today = clock().today()
    state = cards.card_state(card, today, current_app.config["CARD_EXPIRING_DAYS"])
    days = cards.days_left(card, today)
    return {
        "card": card,
        "number": cards.parse_card_number(card.number),
        "state": state,
        "state_badge": STATE_BADGES[state],
        "state_label": _state_label(state, days),
        "group_label": GROUP_LABELS.get(card.group_code),
    }


def _face_labels() -> dict[str, str]:
    """The card face reads as the printed card does, in Vietnamese, whatever the screen's
    language: the clerk at the desk reads the card, not the app."""
    with force_locale("vi"):
        return {
            "issuer": _("VIETNAM SOCIAL SECURITY"),
            "title": _("HEALTH INSURANCE CARD"),
            "number": _("Card number"),
            "full_name": _("Full name"),
            "date_of_birth": _("Date of birth"),
            "gender": _("Gender"),
            "genders": {1: _("Male"), 2: _("Female")},
            "facility": _("Primary-care facility"),
            "validity": _("Validity"),
            "benefit": _("Benefit level"),
            "five_years": _("5 continuous years from"),
            "qr": _("QR code of the health insurance card"),
        }


@lru_cache(maxsize=2048)
def _qr_svg(fields: tuple[str, ...], kid: str, title: str) -> Markup:
    """The signed QR as inline SVG: one path, no size, so CSS scales it crisply to any screen;
    the quiet zone is kept and the light modules are the white card behind it.

    Signing and drawing cost ~25 ms, so the drawing is kept per card content and key: the same
    card shows the same QR on every view, and a change of any field makes a new one."""
    key = cards.signing_key_from_config(current_app.config)
    assert key.kid == kid
    payload = cards.signed_payload(list(fields), key)
    qr = segno.make(payload, error="m", micro=False)
    svg = qr.svg_inline(border=4, omitsize=True, svgclass="card-qr", lineclass=None, title=title)
    return Markup(svg)  # noqa: S704 (segno escapes the title; the rest is its own path data)


@bp.route("/the-bhyt", defaults={"person_id": None})
@bp.route("/nguoi-than/<int:person_id>/the-bhyt")
def card(person_id: int | None):
    """Thẻ BHYT: the card in words: number, holder, validity and state today (with the days
    left when it is ending), benefit level, primary-care facility, 5 continuous years. Under
    /nguoi-than/<person>: a child's card, or a card shared by a delegation."""
    person = subject("card", person_id)
    context = _card_context(cards.current_card(person.id, clock().today()))
    return render_page("citizen/card.html", person=person, **context)


@bp.route("/the-bhyt/xem", defaults={"person_id": None})
@bp.route("/nguoi-than/<int:person_id>/the-bhyt/xem")
def card_view(person_id: int | None):
    """Xem thẻ: the card as a card, with its signed QR code, that the citizen can turn to
    landscape for the clerk; readable without the app around it."""
    person = subject("card", person_id)
    context = _card_context(cards.current_card(person.id, clock().today()))
    if context["card"] is not None:
        face = _face_labels()
        kid = cards.signing_key_from_config(current_app.config).kid
        fields = tuple(cards.qr_fields(context["card"], person))
        context.update(face=face, qr_svg=_qr_svg(fields, kid, face["qr"]), updated_at=clock().now())
    return render_page("citizen/card_view.html", person=person, **context)
