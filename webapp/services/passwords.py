"""Passwords: argon2id hashing and the password policy, in one place.

Policy: 8 to 128 characters; not the BHXH code, the CCCD or the date of birth (nor containing
them); not one of the most common passwords (`data/common_passwords.txt`) nor a run of one
character or of consecutive digits; not one of the last 5 passwords of the account.
A password is changed at least every 180 days (`PASSWORD_MAX_AGE_DAYS`), with a warning in the
last 14 (`PASSWORD_WARN_DAYS`).
"""

from __future__ import annotations

import datetime as dt
import enum
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Account, PasswordHistory, Person
from webapp.services.clock import as_utc

MIN_LENGTH = 8
MAX_LENGTH = 128
HISTORY_DEPTH = 5

# argon2id as RFC 9106 recommends where memory is limited: 64 MiB, 3 passes, 4 lanes (about a
# tenth of a second a hash on one core). The test configuration alone (PASSWORD_HASH_CHEAPEST)
# uses argon2's cheapest parameters, so that the suite's thousands of sign-ins take no time;
# a hash records its parameters, so either hasher verifies the other's hashes.
PRODUCTION_PARAMETERS = profiles.RFC_9106_LOW_MEMORY


@lru_cache(maxsize=2)
def _hashers(cheapest: bool) -> tuple[PasswordHasher, str]:
    """The hasher, and a hash verified against when no account matches, so that a wrong code
    costs as long as a wrong password."""
    hasher = PasswordHasher.from_parameters(
        profiles.CHEAPEST if cheapest else PRODUCTION_PARAMETERS
    )
    return hasher, hasher.hash("not-a-password-of-anyone")


def _hasher() -> tuple[PasswordHasher, str]:
    cheapest = has_app_context() and current_app.config.get("PASSWORD_HASH_CHEAPEST", False)
    return _hashers(bool(cheapest))


class Violation(enum.Enum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    PERSONAL = "personal"  # the BHXH code, CCCD or date of birth
    COMMON = "common"
    REUSED = "reused"


def hash_password(password: str) -> str:
    return _hasher()[0].hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; always does the work of one verification."""
    try:
        hasher, dummy_hash = _hasher()
        return hasher.verify(password_hash or dummy_hash, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common_passwords.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _is_trivial(password: str) -> bool:
    """One character repeated, or digits counting up or down (12345678, 98765432)."""
    if len(set(password)) == 1:
        return True
    if password.isdecimal():  # not isdigit(): "²" is a digit int() cannot read
        steps = {int(b) - int(a) for a, b in zip(password, password[1:], strict=False)}
        return steps in ({1}, {-1})
    return False


def _personal_forms(person: Person) -> list[str]:
    """What a password must not be or contain: the codes and the birth date as people write it."""
    dob = person.date_of_birth
    forms = [person.bhxh_code, person.cccd or "", person.cmnd or ""]
    forms += [
        dob.strftime("%d%m%Y"),
        dob.strftime("%d/%m/%Y"),
        dob.strftime("%d-%m-%Y"),
        dob.strftime("%Y%m%d"),
        dob.strftime("%d%m%y"),
    ]
    return [form for form in forms if form]


OFFICER_MIN_LENGTH = 12


def officer_password_problem(password: str, username: str) -> str | None:
    """Why an officer's password is refused (officers see everyone's dossiers: 12 characters
    at least, not a common password, not the username), or None. Said in the CLI, in English."""
    if len(password) < OFFICER_MIN_LENGTH:
        return f"at least {OFFICER_MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"at most {MAX_LENGTH} characters"
    folded = password.lower()
    if folded in _common_passwords() or username in folded:
        return "not a common password and not the username"
    return None


def check_policy(password: str, account: Account) -> Violation | None:
    """The first rule the new password breaks, or None when it may be used."""
    if len(password) < MIN_LENGTH:
        return Violation.TOO_SHORT
    if len(password) > MAX_LENGTH:
        return Violation.TOO_LONG
    folded = "".join(password.split()).lower()
    if any(form in folded for form in _personal_forms(account.person)):
        return Violation.PERSONAL
    if folded in _common_passwords() or _is_trivial(folded):
        return Violation.COMMON
    recent = db.session.scalars(
        select(PasswordHistory.password_hash)
        .where(PasswordHistory.account_id == account.id)
        .order_by(PasswordHistory.created_at.desc(), PasswordHistory.id.desc())
        .limit(HISTORY_DEPTH - 1)
    ).all()
    if any(verify_password(old, password) for old in [account.password_hash, *recent]):
        return Violation.REUSED
    return None


def set_password_hash(account: Account, new_hash: str, now: dt.datetime, *, temporary=False):
    """Store a new password (hashed); the old hash joins the history. A temporary password (an
    officer issued it) must be changed at first login."""
    db.session.add(
        PasswordHistory(account_id=account.id, password_hash=account.password_hash, created_at=now)
    )
    account.password_hash = new_hash
    account.password_changed_at = now
    account.must_change_password = temporary


def days_until_expiry(account: Account, now: dt.datetime, max_age_days: int) -> int:
    """Whole days left before the password must be changed (0 or less: it must be now)."""
    expires = as_utc(account.password_changed_at) + dt.timedelta(days=max_age_days)
    return (expires - now).days


def must_change(account: Account, now: dt.datetime, max_age_days: int) -> str | None:
    """Why the citizen must change the password before anything else: "first" (an officer
    issued it), "expired" (older than the maximum age), or None."""
    if account.must_change_password:
        return "first"
    if days_until_expiry(account, now, max_age_days) <= 0:
        return "expired"
    return None
