"""The card-check API for health facilities (A1): who may call it (facility API keys) and what a
check answers. The HTTP side is `webapp.api`.

A check names a card by its number or the holder's BHXH code, with the holder's full name and
date of birth, or sends the text a desk scanner read from the card's QR code (its signature is
verified first). The name and birth date must match the registry: a mismatch, or a card or code
that does not exist, answers the same "does not match", so the API cannot be used to learn which
of the three was wrong, or whether a number exists.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, update

from webapp.extensions import db
from webapp.models import Facility, FacilityApiKey, HealthCard, MedicalVisit, Officer, Person
from webapp.services import access_log, audit, cards
from webapp.services.text import fold

KEY_PREFIX = "vssid_"
RECENT_VISITS = 5


# --- Keys ---------------------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(
    facility: Facility, label: str, officer: Officer, now: dt.datetime
) -> tuple[FacilityApiKey, str]:
    """A new key for the facility: the row, and the key itself (shown once, never stored)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    row = FacilityApiKey(
        facility_id=facility.id,
        prefix=prefix,
        secret_hash=_digest(secret),
        label=label,
        created_at=now,
        created_by_id=officer.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "api_key_created",
        now,
        actor_type="officer",
        actor_id=officer.id,
        subject_type="api_key",
        subject_id=row.id,
        facility=facility.code,
        prefix=prefix,
    )
    return row, f"{KEY_PREFIX}{prefix}_{secret}"


def revoke_key(key_id: int, officer: Officer, now: dt.datetime) -> FacilityApiKey | None:
    """Revoke a key still in use; None if there is none with this id, or it was revoked."""
    changed = db.session.execute(
        update(FacilityApiKey)
        .where(FacilityApiKey.id == key_id, FacilityApiKey.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(FacilityApiKey.id)
        .execution_options(synchronize_session=False)
    ).first()
    if changed is None:
        return None
    audit.record(
        "api_key_revoked",
        now,
        actor_type="officer",
        actor_id=officer.id,
        subject_type="api_key",
        subject_id=key_id,
    )
    return db.session.get(FacilityApiKey, key_id, populate_existing=True)


def _split(text: str | None) -> tuple[str, str] | None:
    """(prefix, secret) of a key as sent, `vssid_<12 hex>_<secret>`, or None."""
    if not text or not text.startswith(KEY_PREFIX) or len(text) > 100:
        return None
    prefix, sep, secret = text[len(KEY_PREFIX) :].partition("_")
    if not sep or len(prefix) != 12 or not secret:
        return None
    return prefix, secret


def authenticate(text: str | None, now: dt.datetime) -> FacilityApiKey | None:
    """The key row for a key sent in a request, if it exists, is not revoked and its secret is
    right (compared in constant time); its last use is noted."""
    parts = _split(text)
    if parts is None:
        return None
    prefix, secret = parts
    row = db.session.scalar(
        select(FacilityApiKey).where(
            FacilityApiKey.prefix == prefix, FacilityApiKey.revoked_at.is_(None)
        )
    )
    expected = row.secret_hash if row is not None else _digest("")
    if not hmac.compare_digest(expected, _digest(secret)) or row is None:
        return None
    row.last_used_at = now
    return row


# --- Checks -------------------------------------------------------------------------------------


class Refusal(enum.Enum):
    DOES_NOT_MATCH = "does_not_match"
    QR_UNREADABLE = "qr_unreadable"
    QR_FORGED = "qr_forged"


class Refused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class Inquiry:
    """What the desk sends: a card number or a BHXH code with the holder's name and birth date,
    or a QR's text; and who checks."""

    clerk_name: str
    clerk_id_number: str
    card_number: str | None = None
    bhxh_code: str | None = None
    full_name: str | None = None
    date_of_birth: dt.date | None = None
    qr: str | None = None


@dataclass(frozen=True)
class Answer:
    person: Person
    card: HealthCard
    state: str  # valid / expiring / expired / not_yet_valid (cards.card_state)
    visits: list[MedicalVisit]
    by_qr: bool


def _person_of(card_number: str | None, bhxh_code: str | None) -> Person | None:
    """The holder of a card number, else of a BHXH code."""
    if card_number is not None:
        return db.session.scalar(
            select(Person)
            .join(HealthCard, HealthCard.person_id == Person.id)
            .where(HealthCard.number == card_number)
            .limit(1)
        )
    return db.session.scalar(select(Person).where(Person.bhxh_code == bhxh_code))


def _same_birth(born: dt.date, printed: str) -> bool:
    """A birth date as a card prints it: dd/mm/yyyy, or the year alone for some older people."""
    return printed in (born.strftime("%d/%m/%Y"), str(born.year) if len(printed) == 4 else "")


def check(inquiry: Inquiry, today: dt.date, public_keys: Mapping, expiring_days: int) -> Answer:
    """The holder's current card and recent visits, or `Refused`."""
    by_qr = inquiry.qr is not None
    if by_qr:
        verdict = cards.verify_qr(inquiry.qr, public_keys, today)
        if verdict.status == "unreadable":
            raise Refused(Refusal.QR_UNREADABLE)
        if verdict.status == "forged":
            raise Refused(Refusal.QR_FORGED)
        # A genuine QR names the holder as the card was issued: it must still be theirs.
        qr_card = verdict.card
        person = _person_of(qr_card.number, None)
        matches = person is not None and _same_birth(person.date_of_birth, qr_card.date_of_birth)
        name = qr_card.full_name
    else:
        person = _person_of(inquiry.card_number, inquiry.bhxh_code)
        matches = person is not None and person.date_of_birth == inquiry.date_of_birth
        name = inquiry.full_name or ""
    if person is None or not matches or fold(person.full_name) != fold(name):
        raise Refused(Refusal.DOES_NOT_MATCH)
    card = cards.current_card(person.id, today)
    if card is None:
        raise Refused(Refusal.DOES_NOT_MATCH)
    visits = list(
        db.session.scalars(
            select(MedicalVisit)
            .where(MedicalVisit.person_id == person.id)
            .order_by(MedicalVisit.admitted_on.desc(), MedicalVisit.id.desc())
            .limit(RECENT_VISITS)
        )
    )
    return Answer(person, card, cards.card_state(card, today, expiring_days), visits, by_qr)


def record(
    key: FacilityApiKey, inquiry: Inquiry, answer: Answer | None, outcome: str, now: dt.datetime
) -> None:
    """Every check in the audit log (the facility, the key, the clerk, the outcome); a check
    that answered goes into the holder's access log as a check by that facility."""
    audit.record(
        "card_check",
        now,
        actor_type="facility",
        actor_id=key.facility_id,
        subject_type="person" if answer else None,
        subject_id=answer.person.id if answer else None,
        key=key.prefix,
        clerk=inquiry.clerk_name,
        clerk_id=inquiry.clerk_id_number,
        by="qr" if inquiry.qr is not None else "card_number" if inquiry.card_number else "code",
        outcome=outcome,
    )
    if answer is not None:
        access_log.record(
            answer.person.id,
            "qr" if answer.by_qr else "card",
            "facility",
            now,
            viewer_name=f"{key.facility.name} ({inquiry.clerk_name})",
        )
