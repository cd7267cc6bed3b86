"""Tra cứu mã số BHXH: find one's own social insurance code without an account.

Two ways, each an exact match on what only the person is likely to know together:
- full name + date of birth + province (of the registry record),
- ID number (CCCD 12 digits or CMND 9 digits) + full name.
Names compare folded ("nguyen van an" = "Nguyễn Văn An"), everything else exactly. No match and
several matches look the same from outside: "not found", never which part was wrong. The answer
is the code with its middle hidden; the whole code is shown only after the person proves they hold
the registered phone with a one-time code sent there by SMS. Views throttle the search per IP.

The phone proof. `services.otp` binds codes to an *account*, and a person looking for the code
often has none, so this proof is kept differently, by the same rules (6 digits, 5 minutes, 5 wrong
tries, 60 s between sends, 5 sends an hour per person):
- the code's HMAC (server secret, a random nonce, the code) and its expiry travel in the caller's
  signed session, never the code itself, so a copied cookie cannot be brute-forced offline;
- every send, wrong try and success is an audit event of the person (`find_code_otp_*`, with the
  nonce), so the counts live in the database: replaying an older cookie does not give back tries,
  a newer send voids the older code, and any worker can check any code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import AuditEvent, Person
from webapp.services import audit, messaging
from webapp.services.clock import as_utc
from webapp.services.lookups import province_codes
from webapp.services.otp import (
    CODE_DIGITS,
    HOURLY_CAP,
    MAX_WRONG_TRIES,
    RESEND_COOLDOWN,
    VALID_FOR,
    Check,
)
from webapp.services.text import fold, mask

SENT, FAILED, PROVEN = "find_code_otp_sent", "find_code_otp_failed", "find_code_otp_ok"
FOUND = "find_code_found"
FOUND_VALID_FOR = dt.timedelta(minutes=15)  # how long a found (masked) result stays open

SMS_TEXT = (
    "VssID: Ma OTP {code} dung de XEM MA SO BHXH, co hieu luc 5 phut. "
    "Khong cung cap ma nay cho bat ky ai."
)


def masked_code(bhxh_code: str) -> str:
    """ "0123456789" → "01******89": enough to recognise, not enough to use."""
    return mask(bhxh_code, 2, 2)


def _single(statement) -> Person | None:
    rows = db.session.scalars(statement.limit(2)).all()
    return rows[0] if len(rows) == 1 else None


def find_by_birth(full_name: str, date_of_birth: dt.date, province: str) -> Person | None:
    """The one person with this name (folded), date of birth and province; None if none or
    several (namesakes born the same day: the ID-number way tells them apart)."""
    return _single(
        select(Person).where(
            Person.name_folded == fold(full_name),
            Person.date_of_birth == date_of_birth,
            Person.province_code.in_(province_codes(province)),
        )
    )


def find_by_id_number(id_number: str, full_name: str) -> Person | None:
    """The one person with this CCCD (12 digits) or CMND (9 digits) and this name (folded)."""
    column = Person.cccd if len(id_number) == 12 else Person.cmnd
    return _single(select(Person).where(column == id_number, Person.name_folded == fold(full_name)))


def record_search(found: Person | None, now: dt.datetime, method: str) -> None:
    """Every search is in the audit log (a found person as its subject), so an enumeration
    attempt can be seen afterwards."""
    audit.record(
        FOUND if found else "find_code_not_found",
        now,
        actor_type="anonymous",
        subject_type="person" if found else None,
        subject_id=found.id if found else None,
        method=method,
    )


def _digest(secret_key: str, nonce: str, code: str) -> str:
    return hmac.new(secret_key.encode(), f"{nonce}:{code}".encode(), hashlib.sha256).hexdigest()


def _events(person_id: int, after_id: int = 0, since: dt.datetime | None = None):
    statement = select(AuditEvent).where(
        AuditEvent.subject_type == "person",
        AuditEvent.subject_id == person_id,
        AuditEvent.event.in_((SENT, FAILED, PROVEN)),
        AuditEvent.id > after_id,
    )
    if since is not None:
        statement = statement.where(AuditEvent.at > since)
    return db.session.scalars(statement.order_by(AuditEvent.id)).all()


@dataclass(frozen=True)
class Sent:
    challenge: dict | None  # to keep in the session: nonce, digest, expiry (no code)
    retry_after: int = 0  # seconds to wait when refused


def send_code(person: Person, now: dt.datetime, config) -> Sent:
    """Send a code by SMS to the person's registered phone, unless the cooldown or the hourly
    cap says wait. The caller commits (the SMS and the audit event go together)."""
    assert person.phone, "no phone registered"
    sends = [e for e in _events(person.id, since=now - dt.timedelta(hours=1)) if e.event == SENT]
    if sends and as_utc(sends[-1].at) + RESEND_COOLDOWN > now:
        wait = as_utc(sends[-1].at) + RESEND_COOLDOWN - now
        return Sent(None, int(wait.total_seconds()) + 1)
    if len(sends) >= HOURLY_CAP:
        wait = as_utc(sends[0].at) + dt.timedelta(hours=1) - now
        return Sent(None, int(wait.total_seconds()) + 1)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    nonce = secrets.token_hex(8)
    messaging.send("sms", person.phone, SMS_TEXT.format(code=code), now, config)
    audit.record(
        SENT, now, actor_type="anonymous", subject_type="person", subject_id=person.id, nonce=nonce
    )
    return Sent(
        {
            "person_id": person.id,
            "nonce": nonce,
            "digest": _digest(config["SECRET_KEY"], nonce, code),
            "expires_at": (now + VALID_FOR).isoformat(),
        }
    )


@dataclass(frozen=True)
class Verdict:
    result: Check
    tries_left: int


def check_code(challenge: dict | None, code: str, now: dt.datetime, secret_key: str) -> Verdict:
    """Check a typed code against the newest one sent to the person. A right code is used up;
    the fifth wrong one voids it. The caller commits."""
    if not challenge:
        return Verdict(Check.MISSING, 0)
    person_id, nonce = challenge["person_id"], challenge["nonce"]
    latest = db.session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.subject_type == "person",
            AuditEvent.subject_id == person_id,
            AuditEvent.event == SENT,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    if latest is None or (latest.detail or {}).get("nonce") != nonce:
        return Verdict(Check.MISSING, 0)  # never sent, or a newer code replaced it
    after = _events(person_id, after_id=latest.id)
    if any(e.event == PROVEN for e in after):
        return Verdict(Check.MISSING, 0)
    wrong = sum(1 for e in after if e.event == FAILED)
    if wrong >= MAX_WRONG_TRIES:
        return Verdict(Check.VOID, 0)
    if dt.datetime.fromisoformat(challenge["expires_at"]) <= now:
        return Verdict(Check.EXPIRED, 0)
    ok = hmac.compare_digest(challenge["digest"], _digest(secret_key, nonce, code))
    audit.record(
        PROVEN if ok else FAILED,
        now,
        actor_type="anonymous",
        subject_type="person",
        subject_id=person_id,
        nonce=nonce,
    )
    if ok:
        return Verdict(Check.OK, MAX_WRONG_TRIES - wrong)
    left = MAX_WRONG_TRIES - wrong - 1
    return Verdict(Check.VOID if left == 0 else Check.WRONG, left)
