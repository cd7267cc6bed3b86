"""Đăng ký giao dịch điện tử (R1–R4) and yêu cầu thay đổi thông tin: the rules, in one place.

- Form 01: BHXH code 10 digits; CCCD 12 digits starting with a province code, CMND 9 digits,
  passport a letter and 7 digits; the ID issued neither in the future nor before birth;
  a Vietnamese mobile (10 digits from 03/05/07/08/09, or +84…), stored as 0xxxxxxxxx;
  an optional email; an office from the offices table; a photo of the ID document, JPEG, PNG
  or PDF as its first bytes say (never its name), at most DOSSIER_PHOTO_MAX_BYTES.
- The dossier number (số hồ sơ) is `HS<year>-<6 digits>`, counted per year.
- A declaration must be handed in (signed, on paper) within 10 days: until an officer decides
  it, it is "declared"; past its deadline it is left out of every list and `expire` deletes it.
- One pending declaration per BHXH code, and none for a code that already has an account.
  The database holds the first rule by itself (a partial unique index: one open dossier of
  each kind per code), so that of two declarations sent at the same moment one is recorded
  and the other refused exactly as a later one is (`AlreadyDeclared`).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, delete, event, func, not_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.extensions import db
from webapp.models import Account, BhxhOffice, Person, RegistrationDossier
from webapp.services import audit, messaging, outgoing
from webapp.services.clock import VIETNAM
from webapp.services.provinces import FORMER_PROVINCES

DEADLINE = dt.timedelta(days=10)
NUMBER_PREFIX = "HS"
ID_TYPES = ("cccd", "cmnd", "passport")
GENDERS = (1, 2)
# Nationalities offered on form 01 (ISO 3166 alpha-2), Việt Nam first.
NATIONALITIES = ("VN", "LA", "KH", "CN", "KR", "JP", "TW", "TH", "US", "FR", "GB", "AU", "XX")
NAME_MAX, ADDRESS_MAX, PLACE_MAX, EMAIL_MAX = 120, 255, 120, 254
EARLIEST_BIRTH = dt.date(1900, 1, 1)

BHXH_CODE = re.compile(r"\d{10}")
MOBILE = re.compile(r"0[35789]\d{8}")
EMAIL = re.compile(r"[^@\s<>\"'()\[\],;:]+@[^@\s<>\"'()\[\],;:]+\.[A-Za-z]{2,}")
# Letters of any script (Vietnamese included), words joined by one space, an apostrophe or a
# hyphen: no digits, no markup.
NAME = re.compile(r"[^\W\d_]+(?:[ '\-][^\W\d_]+)*")
FREE_TEXT_FORBIDDEN = re.compile(r"[<>{}\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# What a file's first bytes say it is: (mime type, extension). Names and declared types lie.
PHOTO_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)


class Problem(enum.Enum):
    """Why a value of the form is refused; the form says it in the reader's language."""

    REQUIRED = "required"
    BHXH_CODE = "bhxh_code"
    NAME = "name"
    TOO_LONG = "too_long"
    FORBIDDEN_CHARACTERS = "forbidden_characters"
    BIRTH_IN_FUTURE = "birth_in_future"
    BIRTH_TOO_EARLY = "birth_too_early"
    ISSUED_IN_FUTURE = "issued_in_future"
    ISSUED_BEFORE_BIRTH = "issued_before_birth"
    CCCD = "cccd"
    CCCD_PROVINCE = "cccd_province"
    CMND = "cmnd"
    PASSPORT = "passport"
    MOBILE = "mobile"
    EMAIL = "email"
    OFFICE = "office"
    PHOTO_EMPTY = "photo_empty"
    PHOTO_TYPE = "photo_type"
    PHOTO_TOO_LARGE = "photo_too_large"
    NOTHING_CHANGED = "nothing_changed"


class Duplicate(enum.Enum):
    PENDING = "pending"  # a declaration of this code still waits to be handed in
    ACCOUNT = "account"  # the code already has an account


class AlreadyDeclared(Exception):
    """This code may not be declared now: `duplicate` says why, `deadline_at` is when the
    declaration that waits is deleted if not handed in. Nothing of the refused one is kept."""

    def __init__(self, duplicate: Duplicate, pending: RegistrationDossier | None) -> None:
        super().__init__(duplicate.value)
        self.duplicate = duplicate
        # Read now: the refused declaration's transaction is rolled back before it is told.
        self.deadline_at = pending.deadline_at if pending is not None else None


class ChangeAlreadyRequested(Exception):
    """The person's earlier change-of-information request still waits (`pending`); nothing of
    the later one is kept."""

    def __init__(self, pending: RegistrationDossier | None) -> None:
        super().__init__("a change of information is already waiting")
        self.pending = pending


@dataclass(frozen=True)
class Declaration:
    """The values of form 01, already checked and normalised."""

    full_name: str
    date_of_birth: dt.date
    gender: int
    nationality: str
    bhxh_code: str
    id_type: str
    id_number: str
    id_issued_on: dt.date
    id_issued_place: str
    address: str
    phone: str
    email: str | None
    office_id: int


@dataclass(frozen=True)
class Photo:
    data: bytes
    mime: str
    extension: str


# --- checks of single values ----------------------------------------------------------------


def clean_text(value: str | None) -> str:
    """Unicode NFC with the white space collapsed: what is stored of a typed text."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def check_name(value: str) -> Problem | None:
    if not value:
        return Problem.REQUIRED
    if len(value) > NAME_MAX:
        return Problem.TOO_LONG
    if not NAME.fullmatch(value):
        return Problem.NAME
    return None


def check_free_text(value: str, max_length: int) -> Problem | None:
    """An address or a place: any letters, digits and punctuation, but no markup characters."""
    if not value:
        return Problem.REQUIRED
    if len(value) > max_length:
        return Problem.TOO_LONG
    if FREE_TEXT_FORBIDDEN.search(value):
        return Problem.FORBIDDEN_CHARACTERS
    return None


def check_bhxh_code(value: str) -> Problem | None:
    if not value:
        return Problem.REQUIRED
    return None if BHXH_CODE.fullmatch(value) else Problem.BHXH_CODE


def normalize_id_number(id_type: str, value: str) -> str:
    value = "".join((value or "").split())
    return value.upper() if id_type == "passport" else value


def check_id_number(id_type: str, value: str) -> Problem | None:
    """CCCD: 12 digits whose first three are the province of birth registration ("0" + the
    former province code); CMND: 9 digits; passport: one letter and 7 digits."""
    if not value:
        return Problem.REQUIRED
    if id_type == "cccd":
        if not re.fullmatch(r"\d{12}", value):
            return Problem.CCCD
        if value[0] != "0" or value[1:3] not in FORMER_PROVINCES:
            return Problem.CCCD_PROVINCE
        return None
    if id_type == "cmnd":
        return None if re.fullmatch(r"\d{9}", value) else Problem.CMND
    return None if re.fullmatch(r"[A-Z]\d{7}", value) else Problem.PASSPORT


def check_birth(born: dt.date | None, today: dt.date) -> Problem | None:
    if born is None:
        return Problem.REQUIRED
    if born > today:
        return Problem.BIRTH_IN_FUTURE
    if born < EARLIEST_BIRTH:
        return Problem.BIRTH_TOO_EARLY
    return None


def check_issued(issued: dt.date | None, born: dt.date | None, today: dt.date) -> Problem | None:
    if issued is None:
        return Problem.REQUIRED
    if issued > today:
        return Problem.ISSUED_IN_FUTURE
    if born is not None and issued < born:
        return Problem.ISSUED_BEFORE_BIRTH
    return None


def normalize_phone(value: str | None) -> str:
    """ "+84 912 345 678", "0912.345.678" → "0912345678" (what is stored and texted)."""
    digits = re.sub(r"[\s.\-()]", "", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def check_mobile(value: str) -> Problem | None:
    if not value:
        return Problem.REQUIRED
    return None if MOBILE.fullmatch(value) else Problem.MOBILE


def check_email(value: str) -> Problem | None:
    """Optional; when given, one address of a plausible shape."""
    if not value:
        return None
    if len(value) > EMAIL_MAX:
        return Problem.TOO_LONG
    return None if EMAIL.fullmatch(value) else Problem.EMAIL


def sniff_photo(data: bytes, max_bytes: int) -> Photo | Problem:
    """The photo of the ID document, judged by its content: JPEG, PNG or PDF, not too large."""
    if not data:
        return Problem.PHOTO_EMPTY
    if len(data) > max_bytes:
        return Problem.PHOTO_TOO_LARGE
    for signature, mime, extension in PHOTO_SIGNATURES:
        if data.startswith(signature):
            return Photo(data, mime, extension)
    return Problem.PHOTO_TYPE


# --- offices ----------------------------------------------------------------------------------


def offices(province_code: str | None = None) -> list[BhxhOffice]:
    """The offices a declaration may name, by province then name (one province's only, if
    given)."""
    query = select(BhxhOffice).order_by(
        BhxhOffice.province_code, BhxhOffice.level.desc(), BhxhOffice.name
    )
    if province_code:
        query = query.where(BhxhOffice.province_code == province_code)
    return list(db.session.scalars(query))


def office(office_id: int | None) -> BhxhOffice | None:
    return db.session.get(BhxhOffice, office_id) if office_id else None


# --- dossiers -----------------------------------------------------------------------------------


def is_expired_condition(now: dt.datetime):
    """SQL: a declaration not handed in (still undecided) past its 10 days."""
    return and_(
        RegistrationDossier.kind == "register",
        RegistrationDossier.state == "declared",
        RegistrationDossier.deadline_at <= now,
    )


def not_expired(now: dt.datetime):
    """SQL: what every list and lookup shows (expired declarations are as good as deleted)."""
    return not_(is_expired_condition(now))


def deadline(declared_at: dt.datetime) -> dt.datetime:
    return declared_at + DEADLINE


def duplicate(
    bhxh_code: str, now: dt.datetime
) -> tuple[Duplicate | None, RegistrationDossier | None]:
    """Why this code may not be declared again now, or (None, None)."""
    has_account = db.session.scalar(
        select(func.count(Account.id)).join(Account.person).where(Person.bhxh_code == bhxh_code)
    )
    if has_account:
        return Duplicate.ACCOUNT, None
    pending = db.session.scalar(
        select(RegistrationDossier)
        .where(
            RegistrationDossier.bhxh_code == bhxh_code,
            RegistrationDossier.kind == "register",
            RegistrationDossier.state == "declared",
            RegistrationDossier.deadline_at > now,
        )
        .limit(1)
    )
    if pending is not None:
        return Duplicate.PENDING, pending
    return None, None


def next_number(year: int) -> str:
    """The next số hồ sơ of the year: HS2026-000124 after HS2026-000123."""
    prefix = f"{NUMBER_PREFIX}{year}-"
    last = db.session.scalar(
        select(func.max(RegistrationDossier.number)).where(
            RegistrationDossier.number >= prefix,
            RegistrationDossier.number < f"{NUMBER_PREFIX}{year}.",  # "." follows "-"
        )
    )
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:06d}"


def _insert_numbered(
    dossier: RegistrationDossier, now: dt.datetime, refusal: Callable[[], Exception | None]
) -> None:
    """Give the dossier the next number of its year and insert it. Two dossiers at the same
    moment collide on the unique number, and the later one takes the following number; or on
    the one open dossier per code and kind, and then `refusal()` (asked once the other is
    committed, which the database waits for) is raised, the whole transaction rolled back."""
    year = now.astimezone(VIETNAM).year
    for _attempt in range(10):
        dossier.number = next_number(year)
        try:
            with db.session.begin_nested():
                db.session.add(dossier)
            return
        except IntegrityError:
            refused = refusal()
            if refused is not None:
                db.session.rollback()
                raise refused from None
    raise RuntimeError("no free dossier number")


def _open_conflict(bhxh_code: str, now: dt.datetime) -> AlreadyDeclared | None:
    duplicate_, pending = duplicate(bhxh_code, now)
    return None if duplicate_ is None else AlreadyDeclared(duplicate_, pending)


def refuse_if_declared(bhxh_code: str, now: dt.datetime) -> None:
    """Raise `AlreadyDeclared` when the code has an account or a declaration that waits (what
    `declare` checks first, for a caller that must know before anything else is spent)."""
    refused = _open_conflict(bhxh_code, now)
    if refused is not None:
        raise refused


def _delete_expired_of(bhxh_code: str, now: dt.datetime) -> list[str]:
    """Delete this code's declarations past their 10 days (as `expire` would: they are as good
    as deleted already), so that they never hold the code's one open place against a new
    declaration. Returns their photos' names, to remove once the deletion is committed."""
    rows = db.session.execute(
        delete(RegistrationDossier)
        .where(is_expired_condition(now), RegistrationDossier.bhxh_code == bhxh_code)
        .returning(
            RegistrationDossier.id, RegistrationDossier.number, RegistrationDossier.photo_path
        )
        .execution_options(synchronize_session=False)
    ).all()
    for row in rows:
        audit.record(
            "dossier_expired", now, subject_type="dossier", subject_id=row.id, number=row.number
        )
    return [row.photo_path for row in rows if row.photo_path]


def store_photo(photo: Photo, folder: str) -> str:
    """Keep the file under the instance folder (never under static/), named by chance alone."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{photo.extension}"
    path = target / name
    path.write_bytes(photo.data)
    path.chmod(0o600)
    return name


def photo_file(dossier: RegistrationDossier, folder: str) -> Path | None:
    """Where the dossier's photo is on disk, if it has one that still exists."""
    if not dossier.photo_path or "/" in dossier.photo_path or "\\" in dossier.photo_path:
        return None
    path = Path(folder) / dossier.photo_path
    return path if path.is_file() else None


def remove_photo(name: str | None, folder: str) -> None:
    if name and "/" not in name and "\\" not in name:
        (Path(folder) / name).unlink(missing_ok=True)


PHOTOS_TO_REMOVE = "photos_to_remove"  # in the session's `info`: [(name, folder), …]


def remove_photos_once_committed(names: list[str | None], folder: str) -> None:
    """Files are not in the transaction: the photos of dossiers deleted or re-photographed are
    removed when the request (or command) commits that, and kept if it rolls back."""
    waiting = db.session.info.setdefault(PHOTOS_TO_REMOVE, [])
    waiting.extend((name, folder) for name in names if name)


@event.listens_for(Session, "after_commit")
def _remove_committed_photos(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the transaction goes on
        return
    for name, folder in session.info.pop(PHOTOS_TO_REMOVE, []):
        remove_photo(name, folder)


@event.listens_for(Session, "after_rollback")
def _keep_photos(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(PHOTOS_TO_REMOVE, None)


def declare(
    declaration: Declaration, photo: Photo, now: dt.datetime, config, locale: str | None = None
) -> RegistrationDossier:
    """Ghi nhận: store form 01 with its number and 10-day deadline, keep the photo, and text
    the number to the declared phone, in the language of the form (`locale`; the caller
    commits).

    A code that has an account, or whose declaration still waits, raises `AlreadyDeclared`
    before anything is written; so does the later of two declarations sent at the same moment
    (the database's unique index refuses it), and then its photo is removed again."""
    refuse_if_declared(declaration.bhxh_code, now)
    folder = config["DOSSIER_UPLOAD_FOLDER"]
    expired_photos = _delete_expired_of(declaration.bhxh_code, now)
    dossier = RegistrationDossier(
        kind="register",
        bhxh_code=declaration.bhxh_code,
        full_name=declaration.full_name,
        date_of_birth=declaration.date_of_birth,
        gender=declaration.gender,
        nationality=declaration.nationality,
        id_type=declaration.id_type,
        id_number=declaration.id_number,
        id_issued_on=declaration.id_issued_on,
        id_issued_place=declaration.id_issued_place,
        address=declaration.address,
        phone=declaration.phone,
        email=declaration.email,
        locale=outgoing.recipient_locale(None, locale),
        office_id=declaration.office_id,
        photo_path=store_photo(photo, folder),
        photo_type=photo.mime,
        declared_at=now,
        deadline_at=deadline(now),
        assessment="pending",
        state="declared",
    )
    try:
        _insert_numbered(dossier, now, lambda: _open_conflict(declaration.bhxh_code, now))
        messaging.send(
            "sms",
            dossier.phone,
            outgoing.sms(
                "registration_declared",
                dossier.locale,
                number=dossier.number,
                deadline=_vn_date(dossier.deadline_at),
            ),
            now,
            config,
        )
        audit.record(
            "dossier_declared",
            now,
            actor_type="anonymous",
            subject_type="dossier",
            subject_id=dossier.id,
            number=dossier.number,
        )
        db.session.flush()
    except Exception:
        remove_photo(dossier.photo_path, folder)
        raise
    remove_photos_once_committed(expired_photos, folder)
    return dossier


def pending_change(person: Person, now: dt.datetime) -> RegistrationDossier | None:
    """The person's change-of-information request still waiting for an officer, if any."""
    return db.session.scalar(
        select(RegistrationDossier)
        .where(
            RegistrationDossier.person_id == person.id,
            RegistrationDossier.kind == "change_info",
            RegistrationDossier.state == "declared",
        )
        .order_by(RegistrationDossier.declared_at.desc())
        .limit(1)
    )


def _change_conflict(person: Person, now: dt.datetime) -> ChangeAlreadyRequested | None:
    waiting = pending_change(person, now)
    return None if waiting is None else ChangeAlreadyRequested(waiting)


def managing_office(person: Person) -> BhxhOffice | None:
    """The office that manages the person (by code), else the provincial office."""
    if person.managing_office_code:
        found = db.session.scalar(
            select(BhxhOffice).where(BhxhOffice.code == person.managing_office_code)
        )
        if found is not None:
            return found
    return db.session.scalar(
        select(BhxhOffice)
        .where(BhxhOffice.province_code == person.province_code)
        .order_by(BhxhOffice.level.desc(), BhxhOffice.code)
        .limit(1)
    )


def request_change(
    person: Person, phone: str, email: str | None, address: str, now: dt.datetime, config
) -> RegistrationDossier:
    """A signed-in citizen asks to change phone, email or address: a dossier for an officer.
    Nothing about the person changes until an officer confirms it (the phone is where OTPs go).
    The caller has checked the values and that something changes; the caller commits.

    One request waits at a time: while one does, or when another is recorded at the same
    moment (the database's unique index), `ChangeAlreadyRequested` is raised and nothing kept."""
    waiting = pending_change(person, now)
    if waiting is not None:
        raise ChangeAlreadyRequested(waiting)
    id_type, id_number = (
        ("cccd", person.cccd)
        if person.cccd
        else ("cmnd", person.cmnd)
        if person.cmnd
        else ("passport", person.passport)
    )
    found = managing_office(person)
    dossier = RegistrationDossier(
        kind="change_info",
        person_id=person.id,
        bhxh_code=person.bhxh_code,
        full_name=person.full_name,
        date_of_birth=person.date_of_birth,
        gender=person.gender,
        nationality=person.nationality,
        id_type=id_type if id_number else None,
        id_number=id_number,
        id_issued_on=person.id_issued_on,
        id_issued_place=person.id_issued_place,
        address=address,
        phone=phone,
        email=email,
        locale=outgoing.recipient_locale(person.account),
        office_id=found.id if found else None,
        declared_at=now,
        deadline_at=deadline(now),
        assessment="pending",
        state="declared",
    )
    _insert_numbered(dossier, now, lambda: _change_conflict(person, now))
    if person.phone:
        text = outgoing.sms("change_requested", dossier.locale, number=dossier.number)
        messaging.send("sms", person.phone, text, now, config)
    audit.record(
        "dossier_change_requested",
        now,
        actor_type="citizen",
        actor_id=person.account.id if person.account else None,
        subject_type="dossier",
        subject_id=dossier.id,
        number=dossier.number,
        fields=changed_fields(person, phone, email, address),
    )
    return dossier


def changed_fields(person: Person, phone: str, email: str | None, address: str) -> list[str]:
    """Which of phone, email and address a request would change (names only)."""
    changes = []
    if phone != (person.phone or ""):
        changes.append("phone")
    if (email or None) != (person.email or None):
        changes.append("email")
    if address != person.address:
        changes.append("address")
    return changes


def expire(now: dt.datetime, folder: str) -> int:
    """Delete the declarations not handed in within their 10 days, and their photos (once the
    command commits); nothing else. Each deletion is in the audit log. Returns how many were
    deleted.

    Safe on several machines at once: each row is claimed (locked, in id order) by one of them;
    the others skip it, so it is deleted, audited and its photo removed once."""
    rows = db.session.execute(
        select(RegistrationDossier.id, RegistrationDossier.number, RegistrationDossier.photo_path)
        .where(is_expired_condition(now))
        .order_by(RegistrationDossier.id)
        .with_for_update(skip_locked=True)
    ).all()
    if not rows:
        return 0
    ids = [row.id for row in rows]
    for chunk in range(0, len(ids), 500):
        db.session.execute(
            delete(RegistrationDossier)
            .where(RegistrationDossier.id.in_(ids[chunk : chunk + 500]))
            .where(is_expired_condition(now))
            .execution_options(synchronize_session=False)
        )
    for row in rows:
        audit.record(
            "dossier_expired", now, subject_type="dossier", subject_id=row.id, number=row.number
        )
    remove_photos_once_committed([row.photo_path for row in rows], folder)
    return len(rows)


def _vn_date(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y")
