"""What the codes of a dossier are called on screen (citizen and officer sides alike)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.registration.forms import ID_TYPE_LABELS, NATIONALITY_LABELS

KIND_LABELS = {
    "register": _l("Registration"),
    "change_info": _l("Change of information"),
}
# Tình trạng (the officer's assessment)
ASSESSMENT_LABELS = {
    "pending": _l("Not yet assessed"),
    "valid": _l("Valid"),
    "invalid": _l("Invalid"),
}
# Trạng thái (where the dossier is)
STATE_LABELS = {
    "declared": _l("Declared"),
    "approved": _l("Approved, account issued"),
    "rejected": _l("Rejected"),
    "no_code": _l("No BHXH code in the HGĐ system"),
    "expired": _l("Expired"),
    "applied": _l("Information updated"),
}
STATE_BADGES = {
    "declared": "warn",
    "approved": "ok",
    "applied": "ok",
    "rejected": "bad",
    "no_code": "bad",
    "expired": "bad",
}
FIELD_LABELS = {
    "phone": _l("Mobile phone"),
    "email": _l("Email"),
    "address": _l("Contact address"),
}
ROLE_LABELS = {"reviewer": _l("Reviewer"), "admin": _l("Administrator")}


def nationality_label(code: str | None) -> str:
    return str(NATIONALITY_LABELS.get(code or "", code or ""))


def id_type_label(code: str | None) -> str:
    return str(ID_TYPE_LABELS.get(code or "", _l("ID document")))


def context() -> dict:
    return {
        "kind_labels": KIND_LABELS,
        "assessment_labels": ASSESSMENT_LABELS,
        "state_labels": STATE_LABELS,
        "state_badges": STATE_BADGES,
        "field_labels": FIELD_LABELS,
        "role_labels": ROLE_LABELS,
        "nationality_label": nationality_label,
        "id_type_label": id_type_label,
    }
