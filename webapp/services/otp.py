"""Mã OTP: the one verification step every flow uses (new device, password change, recovery,
the code finder's phone proof).

The rules, in one place: 6 digits from `secrets`; stored as an HMAC (never the code); bound to
a purpose, a subject and a device; valid 5 minutes; every try counts and the fifth wrong one
makes the code void; a new code no sooner than 60 seconds after the last, and at most 5 an hour
per subject and purpose; a newer code voids the older ones.

Every rule holds when many requests arrive at once: the send is claimed by one conditional
UPDATE of the subject's throttle row, a try is counted by one `UPDATE … SET attempts =
attempts + 1 … RETURNING` and decided on the number it returns, and a right code is used up by
one conditional UPDATE: of parallel right tries one wins.

The send's claim and the try's count are committed at once (`atomic.durable`): they hold even
when the request fails afterwards. Everything else (the code, the message, the audit row, the
code used up) is the caller's to commit, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import case, select, update

from webapp.extensions import db
from webapp.models import Account, OtpChallenge, OtpThrottle
from webapp.services import atomic, audit, messaging, outgoing
from webapp.services.clock import as_utc

CODE_DIGITS = 6
VALID_FOR = dt.timedelta(minutes=5)
MAX_WRONG_TRIES = 5
RESEND_COOLDOWN = dt.timedelta(seconds=60)
HOURLY_CAP = 5
HOUR = dt.timedelta(hours=1)

PURPOSES = (
    "change_password",
    "new_device",
    "reset_password",
    "find_code",
    "add_passkey",
    "delegate",
)


class Check(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    VOID = "void"  # too many wrong tries
    MISSING = "missing"  # no code was sent for this subject, purpose and device (or used up)


@dataclass(frozen=True)
class Verdict:
    result: Check
    tries_left: int
    challenge: OtpChallenge | None = None  # the code checked (to read what it confirms)


@dataclass(frozen=True)
class Issued:
    challenge: OtpChallenge | None
    code: str | None  # only to put in the message; never stored
    retry_after: int = 0  # seconds to wait when refused


def account_subject(account: Account | int) -> str:
    return f"account:{account if isinstance(account, int) else account.id}"


def person_subject(person_id: int) -> str:
    return f"person:{person_id}"


def contact_subject(contact: str, secret_key: str) -> str:
    """A phone number or email address as a subject, without keeping it in clear."""
    digest = hmac.new(secret_key.encode(), f"contact:{contact}".encode(), hashlib.sha256)
    return f"contact:{digest.hexdigest()[:40]}"


def _digest(secret_key: str, challenge_salt: str, code: str) -> str:
    return hmac.new(
        secret_key.encode(), f"{challenge_salt}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def _claim_send(key: str, now: dt.datetime) -> int:
    """Take the right to send one code for `key` now: 0, or the seconds to wait. One
    conditional UPDATE decides, so of parallel requests only as many win as the rules allow;
    the claim is committed at once (a failure afterwards does not give the send back)."""
    with atomic.durable():
        return _claim(key, now)


def _claim(key: str, now: dt.datetime) -> int:
    atomic.insert_if_absent(
        OtpThrottle, key=key, last_sent_at=None, window_start=now, sent_in_window=0
    )
    hour_ago = now - HOUR
    new_window = OtpThrottle.window_start <= hour_ago
    claimed = db.session.execute(
        update(OtpThrottle)
        .where(
            OtpThrottle.key == key,
            (OtpThrottle.last_sent_at.is_(None))
            | (OtpThrottle.last_sent_at <= now - RESEND_COOLDOWN),
            new_window | (OtpThrottle.sent_in_window < HOURLY_CAP),
        )
        .values(
            last_sent_at=now,
            window_start=case((new_window, now), else_=OtpThrottle.window_start),
            sent_in_window=case((new_window, 1), else_=OtpThrottle.sent_in_window + 1),
        )
        .returning(OtpThrottle.key)
        .execution_options(synchronize_session=False)
    ).first()
    if claimed is not None:
        return 0
    row = db.session.execute(
        select(
            OtpThrottle.last_sent_at, OtpThrottle.window_start, OtpThrottle.sent_in_window
        ).where(OtpThrottle.key == key)
    ).one()
    waits = [as_utc(row.last_sent_at) + RESEND_COOLDOWN - now] if row.last_sent_at else []
    if row.sent_in_window >= HOURLY_CAP:
        waits.append(as_utc(row.window_start) + HOUR - now)
    return max(int(max(waits).total_seconds()) + 1, 1)


def issue(
    purpose: str,
    subject: str,
    device_id: str,
    now: dt.datetime,
    secret_key: str,
    *,
    account_id: int | None = None,
    channel: str = "sms",
) -> Issued:
    """A new code for `subject`, unless the cooldown or the hourly cap says wait (then
    `retry_after`, and the code sent before keeps working). Older codes stop working."""
    assert purpose in PURPOSES, purpose
    wait = _claim_send(f"{purpose}:{subject}", now)
    if wait:
        return Issued(None, None, wait)
    db.session.execute(
        update(OtpChallenge)
        .where(
            OtpChallenge.subject == subject,
            OtpChallenge.purpose == purpose,
            OtpChallenge.consumed_at.is_(None),
        )
        .values(consumed_at=now)
        .execution_options(synchronize_session=False)
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(8)
    challenge = OtpChallenge(
        account_id=account_id,
        subject=subject,
        purpose=purpose,
        device_id=device_id,
        channel=channel,
        code_hash=f"{salt}${_digest(secret_key, salt, code)}",
        created_at=now,
        expires_at=now + VALID_FOR,
        attempts=0,
    )
    db.session.add(challenge)
    db.session.flush()
    return Issued(challenge, code)


def check(
    purpose: str, subject: str, device_id: str, code: str, now: dt.datetime, secret_key: str
) -> Verdict:
    """Check a typed code against the newest one sent for this purpose, subject and device:
    the result and the tries left. The try is counted, and committed, before the code is
    compared; a right code is used up in the caller's transaction."""
    challenge_id = db.session.scalar(
        select(OtpChallenge.id)
        .where(
            OtpChallenge.subject == subject,
            OtpChallenge.purpose == purpose,
            OtpChallenge.device_id == device_id,
            OtpChallenge.consumed_at.is_(None),
        )
        .order_by(OtpChallenge.created_at.desc(), OtpChallenge.id.desc())
        .limit(1)
    )
    if challenge_id is None:
        return Verdict(Check.MISSING, 0)
    with atomic.durable():  # the try counts, whatever the request does next
        counted = db.session.execute(
            update(OtpChallenge)
            .where(OtpChallenge.id == challenge_id, OtpChallenge.consumed_at.is_(None))
            .values(attempts=OtpChallenge.attempts + 1)
            .returning(OtpChallenge.attempts, OtpChallenge.expires_at, OtpChallenge.code_hash)
            .execution_options(synchronize_session=False)
        ).first()
    if counted is None:  # used up or replaced meanwhile
        return Verdict(Check.MISSING, 0)
    attempt, expires_at, code_hash = counted
    if attempt > MAX_WRONG_TRIES:
        return Verdict(Check.VOID, 0)
    if as_utc(expires_at) <= now:
        return Verdict(Check.EXPIRED, 0)
    salt, _sep, digest = code_hash.partition("$")
    if not hmac.compare_digest(digest, _digest(secret_key, salt, code)):
        left = MAX_WRONG_TRIES - attempt
        return Verdict(Check.VOID if left == 0 else Check.WRONG, left)
    used = db.session.execute(
        update(OtpChallenge)
        .where(OtpChallenge.id == challenge_id, OtpChallenge.consumed_at.is_(None))
        .values(consumed_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # a parallel right try used it first
        return Verdict(Check.MISSING, 0)
    challenge = db.session.get(OtpChallenge, challenge_id, populate_existing=True)
    return Verdict(Check.OK, MAX_WRONG_TRIES - attempt + 1, challenge)


def issue_to_account(
    purpose: str, account: Account, device_id: str, now: dt.datetime, config, sms_template: str
) -> Issued:
    """A code for one of the citizen's own steps (a new device, a password change), sent by SMS
    to the registered phone (the SMS template `sms_template`, in the account's language) and
    audited, unless the cooldown or the hourly cap says wait."""
    issued = issue(
        purpose,
        account_subject(account),
        device_id,
        now,
        config["SECRET_KEY"],
        account_id=account.id,
    )
    if issued.challenge is not None:
        text = outgoing.sms(sms_template, outgoing.recipient_locale(account), code=issued.code)
        messaging.send("sms", account.person.phone, text, now, config)
        audit.record("otp_sent", now, actor_type="citizen", actor_id=account.id, purpose=purpose)
    return issued


def check_for_account(
    purpose: str, account: Account, device_id: str, code: str, now: dt.datetime, secret_key: str
) -> Verdict:
    """`check` of a code sent by `issue_to_account` for one of the citizen's own steps."""
    return check(purpose, account_subject(account), device_id, code, now, secret_key)
