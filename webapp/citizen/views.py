"""QL cá nhân (C4): the citizen's home screen."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.citizen import bp
from webapp.services import cards, passwords, push
from webapp.services.provinces import FORMER_PROVINCES, PROVINCES
from webapp.services.text import mask
from webapp.templating import render_page
from webapp.web import clock

# The home screen's tiles, in the order of the seed: endpoint, label, icon.
FEATURES = (
    ("citizen.card", _l("Health insurance card"), "card"),
    ("citizen.card_view", _l("View card"), "qr"),
    ("citizen.history", _l("Insurance participation"), "history"),
    ("citizen.benefits", _l("Benefits received"), "benefits"),
    ("citizen.medical_book", _l("Medical book"), "book"),
    ("citizen.notifications", _l("Notifications"), "inbox"),
    ("citizen.family", _l("Family"), "family"),
    ("auth.change_password", _l("Change password"), "password"),
)

# What to do about a card that is ending, by how its group is renewed (cards.RENEWAL_BY_GROUP).
RENEWAL_ADVICE = {
    "employer": _l(
        "Your employer renews it with your contributions: check with them that the next "
        "period is paid."
    ),
    "household": _l(
        "Pay the household contribution for the next period at a collection point or agent "
        "before the end date."
    ),
    "school": _l("Your school renews it: pay the next year's contribution there."),
    "automatic": _l(
        "The BHXH office issues the next card without a request. If it has not come by the "
        "end date, call the hotline or ask your BHXH office."
    ),
    "office": _l("Ask your BHXH office how to renew it, or call the hotline."),
}


@bp.route("/")
def home():
    """QL cá nhân: who the citizen is (phone and ID partly hidden), what needs doing now (a
    password or a health insurance card about to end, with how to renew the card), and every
    feature's entry."""
    person = current_user.person
    today = clock().today()
    card_alert = cards.expiry_alert(person.id, today, current_app.config["CARD_EXPIRING_DAYS"])
    days_left = passwords.days_until_expiry(
        current_user.account, clock().now(), current_app.config["PASSWORD_MAX_AGE_DAYS"]
    )
    return render_page(
        "citizen/home.html",
        person=person,
        password_days_left=days_left
        if days_left <= current_app.config["PASSWORD_WARN_DAYS"]
        else None,
        masked_phone=mask(person.phone, 3, 3),
        masked_id=mask(person.id_number, 0, 4),
        features=FEATURES,
        push=_push_switch(),
        card_alert=card_alert,
        renewal_advice=RENEWAL_ADVICE[card_alert.renewal] if card_alert else None,
        province_now=_province_now(person.province_code),
    )


def _province_now(code: str | None) -> str | None:
    """The province of today for a code that may be one merged since (the lookups' filter
    knows only today's)."""
    if code in PROVINCES:
        return code
    former = FORMER_PROVINCES.get(code or "")
    return former[1] if former else None


@bp.route("/tai-khoan")
def account():
    """Tài khoản: the account's own page (the last entry of the bottom menu): who is signed in,
    changing the phone, email or address and the password, the language, and signing out."""
    person = current_user.person
    return render_page(
        "citizen/account.html",
        person=person,
        masked_phone=mask(person.phone, 3, 3),
        masked_id=mask(person.id_number, 0, 4),
    )


def _push_switch() -> dict | None:
    """What the Web Push switch needs: the server's VAPID public key and whether this device is
    subscribed. None when the server has no VAPID key (the switch is then not shown)."""
    keys = push.vapid_keys(current_app.config)
    if keys is None:
        return None
    account, device = current_user.account, current_user.device_session
    return {
        "public_key": keys.public_key,
        "subscribed": push.is_subscribed(account.id, device.device_id),
    }
