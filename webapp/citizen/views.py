"""QL cá nhân (C4): the citizen's home screen."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.citizen import bp
from webapp.services.text import mask
from webapp.templating import render_page


# The home screen's tiles, in the order of the seed: endpoint, label, icon.
FEATURES = (
    ("citizen.card", _l("Health insurance card"), "card"),
    ("citizen.card_view", _l("View card"), "qr"),
    ("citizen.history", _l("Insurance participation"), "history"),
    ("citizen.benefits", _l("Benefits received"), "benefits"),
    ("citizen.medical_book", _l("Medical book"), "book"),
)


@bp.route("/")
def home():
    """QL cá nhân: who the citizen is (phone and ID partly hidden) and every feature's entry."""
    person = current_user.person
    return render_page(
        "citizen/home.html",
        person=person,
        masked_phone=mask(person.phone, 3, 3),
        masked_id=mask(person.id_number, 0, 4),
        features=FEATURES,
    )
