"""Mã OTP: one-time codes sent by SMS (or email) to confirm what only the owner may do.

The rules, in one place: 6 digits from `secrets`; stored as an HMAC (never the code); bound to
an account, a purpose and a device; valid 5 minutes; 5 wrong tries make it void; a new code no
sooner than 60 seconds after the last, and at most 5 an hour per account and purpose.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.models import Account, OtpChallenge
from webapp.services.clock import as_utc

CODE_DIGITS = 6
VALID_FOR = dt.timedelta(minutes=5)
MAX_WRONG_TRIES = 5
RESEND_COOLDOWN = dt.timedelta(seconds=60)
HOURLY_CAP = 5

PURPOSES = ("change_password", "new_device", "reset_password", "find_code")


class Check(enum.Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    VOID = "void"  # too many wrong tries
    MISSING = "missing"  # no code was sent for this account, purpose and device


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


def _digest(secret_key: str, challenge_salt: str, code: str) -> str:
    return hmac.new(
        secret_key.encode(), f"{challenge_salt}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def issue(
    account: Account, purpose: str, device_id: str, now: dt.datetime, secret_key: str
) -> Issued:
    """A new code, unless the cooldown or the hourly cap says wait (then `retry_after`)."""
    assert purpose in PURPOSES, purpose
    last = db.session.scalar(
        select(func.max(OtpChallenge.created_at)).where(
            OtpChallenge.account_id == account.id, OtpChallenge.purpose == purpose
        )
    )
    if last is not None and as_utc(last) + RESEND_COOLDOWN > now:
        return Issued(None, None, int((as_utc(last) + RESEND_COOLDOWN - now).total_seconds()) + 1)
    hour_ago = now - dt.timedelta(hours=1)
    recent = db.session.scalars(
        select(OtpChallenge.created_at)
        .where(
            OtpChallenge.account_id == account.id,
            OtpChallenge.purpose == purpose,
            OtpChallenge.created_at > hour_ago,
        )
        .order_by(OtpChallenge.created_at)
    ).all()
    if len(recent) >= HOURLY_CAP:
        wait = as_utc(recent[0]) + dt.timedelta(hours=1) - now
        return Issued(None, None, int(wait.total_seconds()) + 1)
    # Older codes for the same purpose stop working: only the newest one counts.
    for old in db.session.scalars(
        select(OtpChallenge).where(
            OtpChallenge.account_id == account.id,
            OtpChallenge.purpose == purpose,
            OtpChallenge.consumed_at.is_(None),
        )
    ):
        old.consumed_at = now
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    salt = secrets.token_hex(8)
    challenge = OtpChallenge(
        account_id=account.id,
        purpose=purpose,
        device_id=device_id,
        code_hash=f"{salt}${_digest(secret_key, salt, code)}",
        created_at=now,
        expires_at=now + VALID_FOR,
        attempts=0,
    )
    db.session.add(challenge)
    db.session.flush()
    return Issued(challenge, code)


def check(
    account: Account, purpose: str, device_id: str, code: str, now: dt.datetime, secret_key: str
) -> Verdict:
    """Check a typed code against the newest one sent: the result and the tries left.

    A right code is used up; a wrong one counts, and the fifth wrong one voids the code."""
    challenge = db.session.scalar(
        select(OtpChallenge)
        .where(
            OtpChallenge.account_id == account.id,
            OtpChallenge.purpose == purpose,
            OtpChallenge.device_id == device_id,
            OtpChallenge.consumed_at.is_(None),
        )
        .order_by(OtpChallenge.created_at.desc())
        .limit(1)
        .with_for_update()
    )
    if challenge is None:
        return Verdict(Check.MISSING, 0)
    if challenge.attempts >= MAX_WRONG_TRIES:
        return Verdict(Check.VOID, 0, challenge)
    if as_utc(challenge.expires_at) <= now:
        return Verdict(Check.EXPIRED, 0, challenge)
    salt, _sep, digest = challenge.code_hash.partition("$")
    if hmac.compare_digest(digest, _digest(secret_key, salt, code)):
        challenge.consumed_at = now
        return Verdict(Check.OK, MAX_WRONG_TRIES - challenge.attempts, challenge)
    challenge.attempts += 1
    left = MAX_WRONG_TRIES - challenge.attempts
    return Verdict(Check.VOID if left == 0 else Check.WRONG, left, challenge)
