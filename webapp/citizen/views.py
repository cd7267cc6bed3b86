"""QL cá nhân (C4): the citizen's home screen."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.citizen import bp
from webapp.services import passwords, push
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
    ("auth.change_password", _l("Change password"), "password"),
)


@bp.route("/")
def home():
    """QL cá nhân: who the citizen is (phone and ID partly hidden) and every feature's entry."""
    person = current_user.person
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
