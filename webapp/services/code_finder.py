"""Tra cứu mã số BHXH: find one's own social insurance code without an account.

Two ways, each an exact match on what only the person is likely to know together:
- full name + date of birth + province (of the registry record),
- ID number (CCCD 12 digits or CMND 9 digits) + full name.
Names compare folded ("nguyen van an" = "Nguyễn Văn An"), everything else exactly. No match and
several matches look the same from outside: "not found", never which part was wrong. The answer
is the code with its middle hidden; the whole code is shown only after the person proves they hold
the registered phone with a one-time code sent there by SMS. Views throttle the search per IP.

The phone proof is the one OTP step of `services.otp` (6 digits, 5 minutes, 5 tries, 60 s between
sends, 5 sends an hour), its subject the person found ("person:<id>", who may have no account),
bound to a random id this browser's search got. Sends, wrong tries and successes are also audit
events of the person, so an enumeration attempt can be seen afterwards.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Person
from webapp.services import audit, messaging, otp, outgoing
from webapp.services.lookups import province_codes
from webapp.services.text import fold, mask

SENT, FAILED, PROVEN = "find_code_otp_sent", "find_code_otp_failed", "find_code_otp_ok"
FOUND = "find_code_found"
FOUND_VALID_FOR = dt.timedelta(minutes=15)  # how long a found (masked) result stays open


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


PURPOSE = "find_code"


def send_code(
    person: Person, device_id: str, now: dt.datetime, config, locale: str | None = None
) -> otp.Issued:
    """Send a code by SMS to the person's registered phone, unless the cooldown or the hourly
    cap says wait: in the language of the person's account, else of the page asking (`locale`).
    The caller commits (the SMS and the audit event go together)."""
    assert person.phone, "no phone registered"
    issued = otp.issue(PURPOSE, otp.person_subject(person.id), device_id, now, config["SECRET_KEY"])
    if issued.challenge is not None:
        language = outgoing.recipient_locale(person.account, locale)
        text = outgoing.sms("otp_find_code", language, code=issued.code)
        messaging.send("sms", person.phone, text, now, config)
        _audit(SENT, person.id, now)
    return issued


def check_code(
    person_id: int, device_id: str, code: str, now: dt.datetime, secret_key: str
) -> otp.Verdict:
    """Check a typed code against the newest one sent to the person for this browser's search.
    The caller commits."""
    verdict = otp.check(PURPOSE, otp.person_subject(person_id), device_id, code, now, secret_key)
    if verdict.result is otp.Check.OK:
        _audit(PROVEN, person_id, now)
    elif verdict.result is not otp.Check.MISSING:
        _audit(FAILED, person_id, now)
    return verdict


def _audit(event: str, person_id: int, now: dt.datetime) -> None:
    audit.record(event, now, actor_type="anonymous", subject_type="person", subject_id=person_id)
