"""Signing citizens in and out, one device at a time.

Sessions live in the database (`DeviceSession`), so that any gunicorn worker can tell a revoked
device at its next request. A device is recognised by a long-lived random cookie. Signing in
again on the same device needs nothing more; signing in on a second device while the account is
signed in elsewhere needs an OTP sent to the registered phone, and then signs the first one out.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.models import Account, DeviceSession, Person
from webapp.services import audit
from webapp.services.passwords import verify_password

BHXH_CODE = re.compile(r"^\d{10}$")
CCCD = re.compile(r"^\d{12}$")


class Outcome(enum.Enum):
    OK = "ok"
    WRONG = "wrong"  # code/CCCD or password (never which)
    LOCKED = "locked"  # too many failures: wait


def find_account(identifier: str) -> Account | None:
    """The account of the person with this BHXH code (10 digits) or CCCD (12 digits)."""
    if BHXH_CODE.match(identifier):
        condition = Person.bhxh_code == identifier
    elif CCCD.match(identifier):
        condition = Person.cccd == identifier
    else:
        return None
    return db.session.scalar(
        select(Account).join(Account.person).where(condition).options(joinedload(Account.person))
    )


def count_attempt(model, row_id: int, now: dt.datetime, max_failures: int) -> bool:
    """Count one sign-in attempt on a row with `failed_logins` and `locked_until` (a citizen's
    account or an officer), in one UPDATE, and say whether its password may be weighed: not
    while locked, and not beyond the `max_failures`-th attempt since the last success or lock.
    Parallel attempts each get a number of their own, so a burst weighs no more than the rule
    allows. Committed at once: the count holds whatever happens to the request after."""
    number = db.session.execute(
        update(model)
        .where(
            model.id == row_id,
            model.locked_until.is_(None) | (model.locked_until <= now),
        )
        .values(failed_logins=model.failed_logins + 1)
        .returning(model.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar()
    db.session.commit()
    return number is not None and number <= max_failures


def settle_attempt(
    model, row_id: int, ok: bool, now: dt.datetime, max_failures: int, lock_minutes: int
) -> bool:
    """After the password was weighed: a right one clears the count (not a lock set meanwhile
    by other attempts); the `max_failures`-th wrong one since then locks the row for
    `lock_minutes` and clears the count. True when this attempt locked it."""
    unlocked = model.locked_until.is_(None) | (model.locked_until <= now)
    if ok:
        db.session.execute(
            update(model)
            .where(model.id == row_id, unlocked)
            .values(failed_logins=0, locked_until=None)
            .execution_options(synchronize_session=False)
        )
        return False
    locked = db.session.execute(
        update(model)
        .where(model.id == row_id, unlocked, model.failed_logins >= max_failures)
        .values(failed_logins=0, locked_until=now + dt.timedelta(minutes=lock_minutes))
        .execution_options(synchronize_session=False)
    )
    return locked.rowcount == 1


def authenticate(
    identifier: str, password: str, now: dt.datetime, max_failures: int, lock_minutes: int
) -> tuple[Outcome, Account | None]:
    """Check code/CCCD and password. The same work is done whether the code exists or not, so the
    answer time tells nothing. After `max_failures` wrong passwords in a row the account is
    locked for `lock_minutes`; the right password does not open a locked account early, and
    parallel guesses get no more than `max_failures` weighed (`count_attempt`)."""
    account = find_account(identifier)
    if account is None or account.status not in {"active", "pending"}:
        verify_password(None, password)
        audit.record("login_failed", now, actor_type="anonymous", reason="unknown")
        db.session.commit()
        return Outcome.WRONG, None
    may_weigh = count_attempt(Account, account.id, now, max_failures)
    ok = verify_password(account.password_hash, password)  # weighed either way: equal timing
    if not may_weigh:
        audit.record("login_refused_locked", now, actor_type="citizen", actor_id=account.id)
        db.session.commit()
        return Outcome.LOCKED, account
    locked = settle_attempt(Account, account.id, ok, now, max_failures, lock_minutes)
    db.session.refresh(account)
    if ok:
        return Outcome.OK, account
    audit.record("login_failed", now, actor_type="citizen", actor_id=account.id)
    if locked:
        audit.record("account_locked", now, actor_type="citizen", actor_id=account.id)
    db.session.commit()
    return (Outcome.LOCKED if locked else Outcome.WRONG), account


def sessions_elsewhere(account: Account, device_id: str) -> list[DeviceSession]:
    """The account's signed-in sessions on other devices."""
    return list(
        db.session.scalars(
            select(DeviceSession).where(
                DeviceSession.account_id == account.id,
                DeviceSession.revoked_at.is_(None),
                DeviceSession.device_id != device_id,
            )
        )
    )


def revoke_all(
    account: Account, now: dt.datetime, reason: str, keep: DeviceSession | None = None
) -> int:
    """Sign the account out everywhere (but `keep`); returns how many sessions were closed."""
    closed = 0
    for device_session in db.session.scalars(
        select(DeviceSession)
        .where(DeviceSession.account_id == account.id, DeviceSession.revoked_at.is_(None))
        .with_for_update()
    ):
        if keep is not None and device_session.id == keep.id:
            continue
        device_session.revoked_at = now
        device_session.revoked_reason = reason
        closed += 1
    return closed


def open_session(
    account: Account, device_id: str, user_agent: str | None, now: dt.datetime, *, took_over=False
) -> DeviceSession:
    """Sign the account in on this device. Every other session is closed: the earlier one on
    this device (replaced), and after an OTP (`took_over`) those on other devices."""
    revoke_all(account, now, "signed_in_elsewhere" if took_over else "replaced")
    device_session = DeviceSession(
        account=account,
        token=secrets.token_urlsafe(32),
        device_id=device_id,
        user_agent=(user_agent or "")[:255],
        created_at=now,
        last_seen_at=now,
    )
    account.last_login_at = now
    if account.status == "pending":
        account.status = "active"
    db.session.add(device_session)
    audit.record("login", now, actor_type="citizen", actor_id=account.id, new_device=took_over)
    if took_over:
        audit.record("device_replaced", now, actor_type="citizen", actor_id=account.id)
    db.session.commit()
    return device_session


def load_session(token: str) -> DeviceSession | None:
    """The device session behind a browser's token, revoked or not (with account and person)."""
    return db.session.scalar(
        select(DeviceSession)
        .where(DeviceSession.token == token)
        .options(joinedload(DeviceSession.account).joinedload(Account.person))
    )


def sign_out(device_session: DeviceSession, now: dt.datetime) -> None:
    device_session.revoked_at = now
    device_session.revoked_reason = "logout"
    audit.record("logout", now, actor_type="citizen", actor_id=device_session.account_id)
    db.session.commit()
