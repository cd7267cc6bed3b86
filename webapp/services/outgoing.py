"""What VssID says by SMS and email, in the recipient's language, from templates.

Each message is a template, `webapp/templates/messages/sms/<name>.txt` or
`messages/email/<name>.txt` (an email has a `subject` and a `body` block), whose sentences are
English msgids in `{% trans %}` blocks, translated by the catalogues like every page. It is
rendered under `force_locale` of the recipient's language (`recipient_locale`): the account's
choice, else the language of the page the recipient is using at that moment (registration,
feedback, the BHXH-code search), else Vietnamese. No sentence is a format string in a service.

SMS are sent in plain letters, as Vietnamese SMS commonly are (a reader of Korean, Japanese or
Chinese gets their SMS in English, which those letters can carry, and their emails in their own
language): the GSM-7 alphabet fits 160
characters in one message (153 a part when longer), while one letter with a diacritic makes the
whole message UCS-2, 70 characters (67 a part). So the Vietnamese text (written with diacritics
in the catalogue) goes out without them, and so do the names and reasons put into any SMS. Each
SMS template has a budget (`SMS_BUDGETS`) in parts, as sent and, for a gateway that would keep
the diacritics, with them; the one free text an SMS carries, an officer's reason, is shortened
(at a word, and said to be shortened) to keep within it. The tests render every template in
every language with the longest values and check both budgets.

The gateway (`messaging.send`) and the outbox are unchanged: they get the finished text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, get_translations

from webapp.i18n import LANGUAGE_NAMES, TEMPLATE_CATALOGUE

DEFAULT_LOCALE = "vi"
LOCALES = tuple(LANGUAGE_NAMES)
# The languages an SMS is written in: those whose plain letters GSM-7 carries.
SMS_LOCALES = ("vi", "en")


@dataclass(frozen=True)
class SmsBudget:
    """How many SMS parts a message may take: as sent (GSM-7, without diacritics), and if a
    gateway kept the diacritics (UCS-2)."""

    parts: int
    accented_parts: int


# An OTP fits one SMS as sent: it is read on the lock screen, in one piece.
SMS_BUDGETS: dict[str, SmsBudget] = {
    "otp_new_device": SmsBudget(1, 3),
    "otp_change_password": SmsBudget(1, 3),
    "otp_add_passkey": SmsBudget(1, 3),
    "otp_delegation": SmsBudget(1, 3),
    "passkeys_removed": SmsBudget(2, 3),
    "otp_find_code": SmsBudget(1, 2),
    "otp_reset_password": SmsBudget(1, 3),
    "first_password_resent": SmsBudget(1, 3),
    "password_reset": SmsBudget(2, 3),
    "password_changed": SmsBudget(1, 3),
    "registration_declared": SmsBudget(2, 4),
    "change_requested": SmsBudget(1, 3),
    "dossier_approved": SmsBudget(2, 4),
    "dossier_rejected": SmsBudget(3, 6),
    "change_applied": SmsBudget(1, 2),
    "phone_moved": SmsBudget(2, 3),
    "feedback_received": SmsBudget(1, 3),
    "feedback_answered": SmsBudget(1, 2),
}
EMAILS = (
    "otp_reset_password",
    "first_password_resent",
    "dossier_approved",
    "dossier_rejected",
    "change_applied",
)

# --- the SMS alphabet --------------------------------------------------------------------------

# GSM 03.38: the basic set (one septet each) and the extension set (two: escape + character).
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
# Typography a phone keyboard or a pasted text brings, in the GSM-7 letters that say the same.
_PLAIN_PUNCTUATION = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "…": "...",
        "\u00a0": " ",
        "•": "-",
    }
)


def gsm7_length(text: str) -> int | None:
    """Septets `text` takes in GSM-7, or None when a character is not in the alphabet."""
    length = 0
    for ch in text:
        if ch in GSM7_BASIC:
            length += 1
        elif ch in GSM7_EXTENDED:
            length += 2
        else:
            return None
    return length


def sms_parts(text: str) -> int:
    """How many SMS `text` is sent as: GSM-7 when every character is in it (160, or 153 a part
    when longer), else UCS-2 (70, or 67 a part; a character outside the BMP counts two)."""
    septets = gsm7_length(text)
    if septets is not None:
        return 1 if septets <= 160 else math.ceil(septets / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


def plain_letters(text: str) -> str:
    """The text in GSM-7 letters: diacritics dropped ("Lý do" → "Ly do", đ → d), typographic
    quotes and dashes as plain ones, anything else outside the alphabet as "?", spaces
    collapsed within each line."""
    decomposed = unicodedata.normalize(
        "NFD", text.replace("đ", "d").replace("Đ", "D").translate(_PLAIN_PUNCTUATION)
    )
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    letters = "".join(ch if ch in GSM7_BASIC or ch in GSM7_EXTENDED else "?" for ch in kept)
    return "\n".join(" ".join(line.split()) for line in letters.splitlines())


# --- values put into a sentence ----------------------------------------------------------------

_END = re.compile(r"[\s.!?…;:,\-–—]+$")


def sentence(text: str) -> str:
    """A free text (an officer's reason) as one sentence of a message: its own closing
    punctuation kept once ("Ảnh mờ." stays "Ảnh mờ.", "Ảnh mờ..", "Ảnh mờ ." and "Ảnh mờ;"
    become "Ảnh mờ."), a full stop added when it has none, so the template never doubles one."""
    text = " ".join(text.split())
    match = _END.search(text)
    if match is None:
        return f"{text}." if text else text
    tail = match.group()
    end = "?" if "?" in tail else "!" if "!" in tail else "."
    head = text[: match.start()]
    return f"{head}{end}" if head else ""


# --- rendering ---------------------------------------------------------------------------------


def recipient_locale(account=None, fallback: str | None = None) -> str:
    """The language to write to someone in: their account's choice, else `fallback` (the
    language of the page they are using at that moment), else Vietnamese."""
    for locale in (getattr(account, "locale", None), fallback):
        if locale in LOCALES:
            return locale
    return DEFAULT_LOCALE


def _environment():
    """The app's Jinja environment (loader, gettext of the catalogues), keeping each line of a
    message template as written: the pages' environment drops the newline after a tag."""
    environment = current_app.extensions.get("outgoing_jinja")
    if environment is None:
        environment = current_app.jinja_env.overlay(trim_blocks=False, lstrip_blocks=False)
        current_app.extensions["outgoing_jinja"] = environment
    return environment


def _render(path: str, locale: str, values: dict, block: str | None = None) -> str:
    template = _environment().get_template(path)
    with force_locale(locale):
        context = template.new_context({TEMPLATE_CATALOGUE: get_translations(), **values})
        if block is None:
            return "".join(template.root_render_func(context))
        return "".join(template.blocks[block](context))


def _sms_text(template: str, locale: str, values: dict, plain: bool) -> str:
    text = " ".join(_render(f"messages/sms/{template}.txt", locale, values).split())
    return plain_letters(text) if plain else text


def _shortened(reason: str, words: int) -> str:
    return sentence(" ".join(reason.split()[:words]))


def sms(template: str, locale: str, plain: bool = True, **values) -> str:
    """The SMS `template` in `locale`, one line, in plain letters (`plain=False`: with diacritics,
    to check the budget a gateway keeping them would need). A `reason` too long for the
    template's budget is cut at a word, and the message says it was shortened."""
    budget = SMS_BUDGETS[template]
    locale = locale if locale in SMS_LOCALES else "en"
    parts = budget.parts if plain else budget.accented_parts
    reason = values.get("reason")
    if reason is not None:
        values["reason"] = sentence(reason)
        values.setdefault("shortened", False)
    text = _sms_text(template, locale, values, plain)
    if reason is None or sms_parts(text) <= parts:
        return text
    # Fewest words cut: the longest prefix of the reason that fits (binary search).
    words = reason.split()
    low, high = 0, len(words) - 1
    best = _fit(template, locale, values, plain, reason, 0)
    while low <= high:
        middle = (low + high) // 2
        candidate = _fit(template, locale, values, plain, reason, middle)
        if sms_parts(candidate) <= parts:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best


def _fit(template: str, locale: str, values: dict, plain: bool, reason: str, words: int) -> str:
    shortened = {**values, "reason": _shortened(reason, words), "shortened": True}
    return _sms_text(template, locale, shortened, plain)


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def email(template: str, locale: str, **values) -> Email:
    """The email `template` in `locale`: its subject (one line) and body (paragraphs kept)."""
    if values.get("reason") is not None:
        values["reason"] = sentence(values["reason"])
    path = f"messages/email/{template}.txt"
    subject = " ".join(_render(path, locale, values, "subject").split())
    lines = _render(path, locale, values, "body").strip().splitlines()
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(line.strip() for line in lines))
    return Email(subject, body)
