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


# Câu hỏi thường gặp: the topics, in the order the FAQ page shows them (`services.faq.TOPICS`)
FAQ_TOPICS = {
    "app": _l("Installing and using the app"),
    "account": _l("Account and sign-in"),
    "password": _l("Password"),
    "otp": _l("OTP codes"),
    "card": _l("Health insurance card"),
    "history": _l("Participation history"),
    "benefits": _l("Benefits"),
    "medical": _l("Medical book"),
    "registration": _l("Registration"),
    "services": _l("Lookups without an account"),
    "support": _l("Support"),
    "officer": _l("For BHXH officers"),
}
# The pages an FAQ entry may link to (`services.faq.LINKS`), as the link and the admin's list
# name them.
FAQ_LINK_LABELS = {
    "home": _l("Start page"),
    "install": _l("Install the app"),
    "login": _l("Sign in"),
    "forgot_password": _l("Forgot password"),
    "recovery_unreachable": _l("No access to my phone or email"),
    "change_password": _l("Change password"),
    "personal": _l("Personal"),
    "change_info": _l("Change of information"),
    "card": _l("Health insurance card"),
    "card_view": _l("Show the card"),
    "history": _l("Participation history"),
    "benefits": _l("Benefits received"),
    "medical_book": _l("Medical book"),
    "notifications": _l("Notifications"),
    "register": _l("Register now"),
    "register_individual": _l("Form 01 for individuals"),
    "find_code": _l("Look up BHXH code"),
    "news": _l("News"),
    "lookup_offices": _l("BHXH offices"),
    "lookup_sick_leave": _l("Health facilities issuing sick-leave certificates"),
    "lookup_bhyt_facilities": _l("Health facilities with a BHYT contract"),
    "lookup_employers": _l("Employers participating in BHXH"),
    "lookup_collection": _l("Collection points and agents"),
    "office_map": _l("Map of BHXH offices"),
    "support": _l("Support"),
    "faq": _l("Frequently asked questions"),
    "feedback": _l("Send feedback or a complaint"),
    "feedback_status": _l("Check the answer to my feedback"),
    "assistant": _l("Virtual assistant"),
    "verify": _l("Check a card"),
    "verify_document": _l("Check a document"),
    "services": _l("Public services"),
    "account": _l("Account"),
    "passkeys": _l("Sign in with fingerprint or face"),
    "family": _l("Family and shared access"),
    "delegation": _l("Give someone access"),
    "access_log": _l("Who looked at my data"),
    "api_docs": _l("Card-check API for health facilities"),
    "officer_login": _l("Officer sign-in"),
    "officer_queue": _l("Registration dossiers"),
}


# The insurance schemes, in the seed's order (the history's tabs, its PDF, the verify page).
SCHEME_LABELS = {
    "bhxh": _l("Social insurance (BHXH)"),
    "bhtn": _l("Unemployment insurance (BHTN)"),
    "bhtnld": _l("Occupational accident and disease insurance (BHTNLĐ-BNN)"),
    "bhyt": _l("Health insurance (BHYT)"),
}
