"""What codes are called on screen, on every area's pages: a dossier's kinds, states and
assessments, ID documents, nationalities, feedback topics, officer roles. Templates get them
through `context()` (a context processor of templating); forms and views import them from here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.services import registration

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
ID_TYPE_LABELS = {
    "cccd": _l("Citizen identity card (CCCD)"),
    "cmnd": _l("Identity card (CMND)"),
    "passport": _l("Passport"),
}
NATIONALITY_LABELS = {
    "VN": _l("Vietnam"),
    "LA": _l("Laos"),
    "KH": _l("Cambodia"),
    "CN": _l("China"),
    "KR": _l("South Korea"),
    "JP": _l("Japan"),
    "TW": _l("Taiwan"),
    "TH": _l("Thailand"),
    "US": _l("United States"),
    "FR": _l("France"),
    "GB": _l("United Kingdom"),
    "AU": _l("Australia"),
    "XX": _l("Other"),
}
assert set(NATIONALITY_LABELS) == set(registration.NATIONALITIES)
assert set(ID_TYPE_LABELS) == set(registration.ID_TYPES)
FEEDBACK_TOPICS = {
    "account": _l("Account and sign-in"),
    "card": _l("Health insurance card"),
    "history": _l("Participation history"),
    "benefits": _l("Benefits"),
    "registration": _l("Registration"),
    "app": _l("The app itself"),
    "other": _l("Something else"),
}
ROLE_LABELS = {"reviewer": _l("Reviewer"), "admin": _l("Administrator")}


def nationality_label(code: str | None) -> str:
    return str(NATIONALITY_LABELS.get(code or "", code or ""))


def id_type_label(code: str | None) -> str:
    return str(ID_TYPE_LABELS.get(code or "", _l("ID document")))


class Translated(dict):
    """Lazy labels translated once per page, however many rows show them: the officer's queue
    shows a kind, an assessment and a state on each of its twenty rows, and each translation
    of a lazy string walks Flask-Babel's request context."""

    def __init__(self, labels: dict) -> None:
        super().__init__()
        self.labels = labels

    def __missing__(self, key):
        value = self[key] = str(self.labels[key])
        return value

    def get(self, key, default=None):
        return self[key] if key in self.labels else default


def context() -> dict:
    """For every template: made for each render, so that a page translates in its language."""
    return {
        "kind_labels": Translated(KIND_LABELS),
        "assessment_labels": Translated(ASSESSMENT_LABELS),
        "state_labels": Translated(STATE_LABELS),
        "state_badges": STATE_BADGES,
        "field_labels": Translated(FIELD_LABELS),
        "role_labels": Translated(ROLE_LABELS),
        "nationality_label": nationality_label,
        "id_type_label": id_type_label,
    }
