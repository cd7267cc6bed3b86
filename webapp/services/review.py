"""Xét duyệt hồ sơ đăng ký (seed appendix 02, O3–O10): the officer's queue and decisions.

Decisions, in one place:
- valid registration → the BHXH code and name are checked against the HGĐ registry. Known →
  the account is created (never a second time) with a first password from `secrets` that must be
  changed at first login; the password goes by SMS to the declared phone (never anywhere
  else: not the email, not the audit log), and a notice to the email if there is one.
  Unknown → the dossier is marked `no_code` and the officer guides the person to apply for a
  BHXH code; no account.
- invalid (registration or change) → a reason is required; SMS and email with it.
- valid change of information → after the officer's confirmation, the person's phone, email
  and address become the requested ones (OTPs go to the new phone from then on).
- Every decision and photo replacement goes to the audit log: officer, time, dossier,
  decision, reason.

A dossier is decided once. The row is read `FOR UPDATE` (PostgreSQL), so a second officer
waits for the first and then sees the decision; where the database has no row locks (SQLite)
the version column makes the later write fail. Either way the later officer gets
`AlreadyDecided`, and nothing of the later decision (account, SMS, audit) is kept.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import secrets
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import Row, and_, false, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from webapp.extensions import db
from webapp.models import (
    Account,
    AuditEvent,
    BhxhOffice,
    Officer,
    Person,
    RegistrationDossier,
)
from webapp.services import audit, messaging, outgoing, passwords, registration
from webapp.services.clock import VIETNAM
from webapp.services.registry import HouseholdRegistry
from webapp.services.text import fold, mask

T = TypeVar("T")
REASON_MAX = 500
PAGE_SIZE = 20
ASSESSMENTS = ("pending", "valid", "invalid")  # Tình trạng
STATES = ("declared", "approved", "rejected", "no_code", "applied")  # Trạng thái (listed)
KINDS = ("register", "change_info")
FIRST_PASSWORD_LENGTH = 10
# No 0/O, 1/l/I: the password is read from an SMS and typed on a phone.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"  # noqa: S105


class Outcome(enum.Enum):
    APPROVED = "approved"  # account issued
    NO_CODE = "no_code"  # valid, but the HGĐ registry does not know the code and name
    REJECTED = "rejected"
    APPLIED = "applied"  # change of information made


class AlreadyDecided(Exception):
    """Another officer decided this dossier first; `dossier` is how it stands now."""

    def __init__(self, dossier: RegistrationDossier | None) -> None:
        super().__init__("already decided")
        self.dossier = dossier


class AccountExists(Exception):
    """The person of this registration already has an account: it is never issued twice (a
    first password sent to the phone of a later declaration would hand the account over).
    Nothing of the approval is kept; `dossier` stays undecided, for the officer to refuse."""

    def __init__(self, dossier: RegistrationDossier | None) -> None:
        super().__init__("the account exists")
        self.dossier = dossier


class NotFound(Exception):
    """No such dossier (or it expired, or it is not this officer's office's)."""


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    dossier: RegistrationDossier
    account_created: bool = False
    messages: list[str] = field(default_factory=list)  # "sms", "email": what went out


@dataclass(frozen=True)
class QueueFilter:
    """The search of "Mở rộng": every field optional."""

    number: str | None = None
    bhxh_code: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    assessment: str | None = None
    state: str | None = None
    kind: str | None = None

    @property
    def active(self) -> bool:
        return any(value for value in vars(self).values())


@dataclass(frozen=True)
class QueuePage:
    dossiers: list[Row]  # QUEUE_COLUMNS of each dossier
    page: int
    has_next: bool


# --- what an officer sees ----------------------------------------------------------------------


def scope_condition(officer: Officer):
    """SQL: the dossiers this officer works on. An admin: every office's. A reviewer of a
    provincial office: the province's offices'. A reviewer of a grassroots office: its own."""
    if officer.role == "admin":
        return None
    office = officer.office
    if office is None:
        return false()
    if office.level == "province":
        # The ids themselves (a handful): the planner can then weigh the office_id index.
        offices = db.session.scalars(
            select(BhxhOffice.id).where(BhxhOffice.province_code == office.province_code)
        ).all()
        return RegistrationDossier.office_id.in_(offices)
    return RegistrationDossier.office_id == office.id


def _visible(query, officer: Officer, now: dt.datetime):
    query = query.where(registration.not_expired(now))
    condition = scope_condition(officer)
    return query if condition is None else query.where(condition)


def _start_of_day(day: dt.date) -> dt.datetime:
    """Midnight in Vietnam of `day`, as the UTC moment the database compares."""
    return dt.datetime.combine(day, dt.time(), tzinfo=VIETNAM).astimezone(dt.UTC)


# What a row of the queue shows: read as plain rows, not as whole dossiers (27 columns each,
# kept in the session's identity map), which cost as much as rendering them.
QUEUE_COLUMNS = (
    RegistrationDossier.id,
    RegistrationDossier.number,
    RegistrationDossier.kind,
    RegistrationDossier.bhxh_code,
    RegistrationDossier.full_name,
    RegistrationDossier.declared_at,
    RegistrationDossier.deadline_at,
    RegistrationDossier.assessment,
    RegistrationDossier.state,
)


def queue(
    officer: Officer, search: QueueFilter, now: dt.datetime, page: int = 1, size: int = PAGE_SIZE
) -> QueuePage:
    """Hồ sơ ĐK GDĐT → Cá nhân: the dossiers, newest first, one page at a time.

    Reads `size + 1` rows to know whether a next page exists: never a COUNT over the table, so
    the first page costs the same with 100,000 dossiers as with 100."""
    query = _visible(select(*QUEUE_COLUMNS), officer, now)
    if search.number:
        query = query.where(number_condition(search.number))
    if search.bhxh_code:
        query = query.where(RegistrationDossier.bhxh_code == search.bhxh_code)
    if search.date_from:
        query = query.where(RegistrationDossier.declared_at >= _start_of_day(search.date_from))
    if search.date_to:
        next_day = search.date_to + dt.timedelta(days=1)
        query = query.where(RegistrationDossier.declared_at < _start_of_day(next_day))
    if search.assessment:
        query = query.where(RegistrationDossier.assessment == search.assessment)
    if search.state:
        query = query.where(RegistrationDossier.state == search.state)
    if search.kind:
        query = query.where(RegistrationDossier.kind == search.kind)
    query = (
        query.order_by(RegistrationDossier.declared_at.desc(), RegistrationDossier.id.desc())
        .offset((page - 1) * size)
        .limit(size + 1)
    )
    rows = db.session.execute(query).all()
    return QueuePage(rows[:size], page, len(rows) > size)


# Where each character of a dossier number may be: "HS", the year, "-", the count in the year.
_NUMBER_LAYOUT = ("H", "S", *["0123456789"] * 4, "-", *["0123456789"] * 6)
NUMBER_LENGTH = len(_NUMBER_LAYOUT)


def is_number_part(text: str) -> bool:
    """Whether `text` (upper case, no spaces) is all or part of some dossier number as they are
    written, `HS2026-000124`: "HS2026-000124", "HS2026-0001", "000124", "124", "2026-0001"."""
    if not 0 < len(text) <= NUMBER_LENGTH:
        return False
    return any(
        all(ch in _NUMBER_LAYOUT[start + i] for i, ch in enumerate(text))
        for start in range(NUMBER_LENGTH - len(text) + 1)
    )


def number_condition(text: str):
    """SQL: the dossiers whose number contains `text` (`is_number_part`).

    A whole number is one row of the unique index on `number`, and a beginning of one
    ("HS2026-0001", what an officer types from the left) is a range of it: the index finds
    those without reading other dossiers. Any other part ("000124", "124", "2026-00") can stand
    anywhere in the number, which no B-tree index orders by: those are a LIKE over the
    officer's dossiers, read newest first in the queue's own index order and stopped once a
    page is full (an officer's search is sent, not run at each keystroke)."""
    if len(text) == NUMBER_LENGTH:
        return RegistrationDossier.number == text
    if text.startswith("H"):
        # "HS2026-0001" ≤ number < "HS2026-0002": every character of a number is ASCII and the
        # last one typed is followed by the next character code.
        after = text[:-1] + chr(ord(text[-1]) + 1)
        return and_(RegistrationDossier.number >= text, RegistrationDossier.number < after)
    return RegistrationDossier.number.contains(text, autoescape=True)


def find(officer: Officer, number: str, now: dt.datetime) -> RegistrationDossier | None:
    """One dossier by its number, if this officer may see it."""
    query = _visible(
        select(RegistrationDossier).where(RegistrationDossier.number == number), officer, now
    )
    return db.session.scalar(query.options(joinedload(RegistrationDossier.office)))


def current_person(dossier: RegistrationDossier) -> Person | None:
    """The person a change-of-information dossier is about (to show old beside new)."""
    return db.session.get(Person, dossier.person_id) if dossier.person_id else None


# --- deciding ------------------------------------------------------------------------------------


def first_password() -> str:
    """A first password from `secrets`: 10 characters with an upper-case letter, a lower-case
    letter and a digit, none that can be misread."""
    while True:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(FIRST_PASSWORD_LENGTH))
        if (
            any(c in string.ascii_uppercase for c in password)
            and any(c in string.ascii_lowercase for c in password)
            and any(c.isdigit() for c in password)
        ):
            return password


def _lock_undecided(dossier_id: int, officer: Officer, now: dt.datetime) -> RegistrationDossier:
    """Read the dossier for an update (waiting for another officer who is deciding it), and
    refuse when it is decided already, expired, or not this officer's."""
    query = _visible(
        select(RegistrationDossier).where(RegistrationDossier.id == dossier_id), officer, now
    )
    dossier = db.session.scalar(
        query.with_for_update(of=RegistrationDossier).execution_options(populate_existing=True)
    )
    if dossier is None:
        raise NotFound
    if dossier.state != "declared":
        raise AlreadyDecided(dossier)
    return dossier


def _once(decision: Callable[..., T]) -> Callable[..., T]:
    """A decision whose dossier another officer's decision overtook (written between reading
    and writing: only possible without row locks, i.e. on SQLite) keeps nothing of itself and
    answers AlreadyDecided, like the row lock's case."""

    @functools.wraps(decision)
    def decide_once(dossier_id: int, *args, **kwargs) -> T:
        try:
            return decision(dossier_id, *args, **kwargs)
        except StaleDataError:
            db.session.rollback()
            raise AlreadyDecided(
                db.session.scalar(
                    select(RegistrationDossier)
                    .where(RegistrationDossier.id == dossier_id)
                    .execution_options(populate_existing=True)
                )
            ) from None

    return decide_once


def _decided(dossier: RegistrationDossier, officer: Officer, now: dt.datetime) -> None:
    dossier.decided_at = now
    dossier.decided_by_id = officer.id


def _record(event: str, dossier: RegistrationDossier, officer: Officer, now, **detail) -> None:
    audit.record(
        event,
        now,
        actor_type="officer",
        actor_id=officer.id,
        subject_type="dossier",
        subject_id=dossier.id,
        number=dossier.number,
        **detail,
    )


def _recipient_locale(dossier: RegistrationDossier) -> str:
    """The language of the person a dossier is about: their account's, when they have one (a
    change of information), else the one they wrote the dossier in, else Vietnamese."""
    person = db.session.get(Person, dossier.person_id) if dossier.person_id else None
    return outgoing.recipient_locale(person.account if person else None, dossier.locale)


def _person_for(dossier: RegistrationDossier) -> Person:
    """Our record of the person the registry vouched for (made from the dossier if the registry
    is another system and we have none yet)."""
    person = db.session.scalar(
        select(Person).where(Person.bhxh_code == dossier.bhxh_code).with_for_update()
    )
    if person is not None:
        return person
    office = dossier.office
    person = Person(
        bhxh_code=dossier.bhxh_code,
        cccd=dossier.id_number if dossier.id_type == "cccd" else None,
        cmnd=dossier.id_number if dossier.id_type == "cmnd" else None,
        passport=dossier.id_number if dossier.id_type == "passport" else None,
        full_name=dossier.full_name,
        name_folded=fold(dossier.full_name),
        date_of_birth=dossier.date_of_birth,
        gender=dossier.gender or 1,
        nationality=dossier.nationality or "VN",
        address=dossier.address or "",
        province_code=office.province_code if office else "01",
        id_issued_on=dossier.id_issued_on,
        id_issued_place=dossier.id_issued_place,
    )
    db.session.add(person)
    db.session.flush()
    return person


def approve(
    dossier_id: int, officer: Officer, registry: HouseholdRegistry, now: dt.datetime, config
) -> Result:
    """Hồ sơ hợp lệ + Ghi nhận, for a registration: check the HGĐ registry, then issue the
    account and text its first password, or mark the dossier `no_code`. A person who has an
    account already (another dossier of theirs was approved first, one after the other or at
    the same moment) raises `AccountExists`: no account, password or message is issued again."""
    try:
        return _approve(dossier_id, officer, registry, now, config)
    except IntegrityError:
        # Another approval made the same person or account in the meantime (unique keys).
        db.session.rollback()
        raise AccountExists(_reread(dossier_id)) from None


def _reread(dossier_id: int) -> RegistrationDossier | None:
    return db.session.scalar(
        select(RegistrationDossier)
        .where(RegistrationDossier.id == dossier_id)
        .execution_options(populate_existing=True)
    )


@_once
def _approve(
    dossier_id: int, officer: Officer, registry: HouseholdRegistry, now: dt.datetime, config
) -> Result:
    dossier = _lock_undecided(dossier_id, officer, now)
    if dossier.kind != "register":
        raise ValueError("a change of information is confirmed with apply_change")
    dossier.assessment = "valid"
    _decided(dossier, officer, now)
    if not registry.exists(dossier.bhxh_code, dossier.full_name):
        dossier.state = "no_code"
        _record("dossier_no_code", dossier, officer, now, decision="valid", outcome="no_code")
        db.session.flush()
        return Result(Outcome.NO_CODE, dossier)

    person = _person_for(dossier)
    if db.session.scalar(select(Account.id).where(Account.person_id == person.id)) is not None:
        db.session.rollback()
        raise AccountExists(_reread(dossier_id))
    password = first_password()
    account = Account(
        person=person,
        password_hash=passwords.hash_password(password),
        status="pending",
        must_change_password=True,
        password_changed_at=now,
        created_at=now,
        failed_logins=0,
    )
    db.session.add(account)
    db.session.flush()
    # The declared phone and email are the ones registered for electronic transactions.
    person.phone = dossier.phone
    if dossier.email:
        person.email = dossier.email
    dossier.person_id = person.id
    dossier.state = "approved"
    sent = ["sms"]
    # The new account speaks the language the person registered in (and is told in it).
    account.locale = dossier.locale
    locale = outgoing.recipient_locale(account)
    values = {"number": dossier.number, "account": person.bhxh_code}
    text = outgoing.sms("dossier_approved", locale, password=password, **values)
    messaging.send("sms", dossier.phone, text, now, config)
    if dossier.email:
        sent.append("email")
        mail = outgoing.email(
            "dossier_approved",
            locale,
            name=dossier.full_name,
            phone=mask(dossier.phone, 3, 3),
            **values,
        )
        messaging.send("email", dossier.email, mail.body, now, config, subject=mail.subject)
    _record(
        "dossier_approved",
        dossier,
        officer,
        now,
        decision="valid",
        outcome="approved",
        account_created=True,
    )
    db.session.flush()
    return Result(Outcome.APPROVED, dossier, account_created=True, messages=sent)


@_once
def reject(dossier_id: int, officer: Officer, reason: str, now: dt.datetime, config) -> Result:
    """Hồ sơ không hợp lệ + Ghi nhận: the reason goes to the person by SMS and email."""
    reason = " ".join(reason.split())
    if not reason or len(reason) > REASON_MAX:
        raise ValueError("a reason of 1 to 500 characters is required")
    dossier = _lock_undecided(dossier_id, officer, now)
    dossier.assessment = "invalid"
    dossier.state = "rejected"
    dossier.reason = reason
    _decided(dossier, officer, now)
    sent = []
    locale = _recipient_locale(dossier)
    if dossier.phone:
        sent.append("sms")
        text = outgoing.sms("dossier_rejected", locale, number=dossier.number, reason=reason)
        messaging.send("sms", dossier.phone, text, now, config)
    if dossier.email:
        sent.append("email")
        mail = outgoing.email(
            "dossier_rejected", locale, name=dossier.full_name, number=dossier.number, reason=reason
        )
        messaging.send("email", dossier.email, mail.body, now, config, subject=mail.subject)
    _record(
        "dossier_rejected",
        dossier,
        officer,
        now,
        decision="invalid",
        outcome="rejected",
        reason=reason,
    )
    db.session.flush()
    return Result(Outcome.REJECTED, dossier, messages=sent)


@_once
def apply_change(dossier_id: int, officer: Officer, now: dt.datetime, config) -> Result:
    """Xác nhận, for a change of information: the person's phone, email and address become the
    requested ones. The old phone is told when the number changes."""
    dossier = _lock_undecided(dossier_id, officer, now)
    if dossier.kind != "change_info" or dossier.person_id is None:
        raise ValueError("only a change of information is applied")
    person = db.session.scalar(
        select(Person).where(Person.id == dossier.person_id).with_for_update()
    )
    changed = registration.changed_fields(
        person, dossier.phone or "", dossier.email, dossier.address or ""
    )
    old_phone = person.phone
    person.phone = dossier.phone
    person.email = dossier.email or None
    person.address = dossier.address or person.address
    dossier.assessment = "valid"
    dossier.state = "applied"
    _decided(dossier, officer, now)
    sent = []
    locale = outgoing.recipient_locale(person.account)
    if person.phone:
        sent.append("sms")
        text = outgoing.sms("change_applied", locale, number=dossier.number)
        messaging.send("sms", person.phone, text, now, config)
    if old_phone and old_phone != person.phone:
        text = outgoing.sms(
            "phone_moved",
            locale,
            account=mask(person.bhxh_code, 2, 3),
            phone=mask(person.phone, 3, 3),
            number=dossier.number,
            hotline=config["HOTLINE"],
        )
        messaging.send("sms", old_phone, text, now, config)
    if person.email:
        sent.append("email")
        mail = outgoing.email(
            "change_applied", locale, name=person.full_name, number=dossier.number
        )
        messaging.send("email", person.email, mail.body, now, config, subject=mail.subject)
    _record(
        "dossier_change_applied",
        dossier,
        officer,
        now,
        decision="valid",
        outcome="applied",
        fields=changed,
    )
    db.session.flush()
    return Result(Outcome.APPLIED, dossier, messages=sent)


@_once
def replace_photo(
    dossier_id: int, officer: Officer, photo: registration.Photo, now: dt.datetime, config
) -> RegistrationDossier:
    """Thay ảnh: the officer's scan replaces the applicant's image (until a decision). The
    applicant's file is removed once the replacement is committed."""
    folder = config["DOSSIER_UPLOAD_FOLDER"]
    dossier = _lock_undecided(dossier_id, officer, now)
    old = dossier.photo_path
    dossier.photo_path = registration.store_photo(photo, folder)
    dossier.photo_type = photo.mime
    _record("dossier_photo_replaced", dossier, officer, now, type=photo.mime)
    new = dossier.photo_path
    try:
        db.session.flush()
    except StaleDataError:
        registration.remove_photo(new, folder)
        raise
    registration.remove_photos_once_committed([old], folder)
    return dossier


@dataclass(frozen=True)
class LogEntry:
    """One line of a dossier's Nhật ký xử lý: when, what (the audit event), by whom (an
    officer, or the kind of actor), and the reason or the fields it names."""

    at: dt.datetime
    event: str
    actor_type: str | None
    officer: Officer | None
    reason: str | None
    fields: list[str]


def processing_log(dossier: RegistrationDossier) -> list[LogEntry]:
    """Nhật ký xử lý: every audit event of the dossier, oldest first, with the officer who did
    it (one query for the events, one for their officers)."""
    events = list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == "dossier", AuditEvent.subject_id == dossier.id)
            .order_by(AuditEvent.at, AuditEvent.id)
        )
    )
    officer_ids = {e.actor_id for e in events if e.actor_type == "officer" and e.actor_id}
    officers = (
        {o.id: o for o in db.session.scalars(select(Officer).where(Officer.id.in_(officer_ids)))}
        if officer_ids
        else {}
    )
    return [
        LogEntry(
            at=event.at,
            event=event.event,
            actor_type=event.actor_type,
            officer=officers.get(event.actor_id) if event.actor_type == "officer" else None,
            reason=(event.detail or {}).get("reason"),
            fields=(event.detail or {}).get("fields") or [],
        )
        for event in events
    ]
