"""Signing citizens in and out, one device at a time.

Sessions live in the database (`DeviceSession`), so that any gunicorn worker can tell a revoked
device at its next request. A device is recognised by a long-lived random cookie. Signing in
again on the same device needs nothing more; signing in on a second device while the account is
signed in elsewhere needs an OTP sent to the registered phone, and then signs the first one out.

Nothing here commits but the sign-in attempt's count (`atomic.durable`); the view does.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import secrets
from collections.abc import Callable

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import joinedload

from webapp import metrics
from webapp.extensions import db
from webapp.models import Account, DeviceSession, IdentifierLock, Notification, Person
from webapp.services import atomic, audit, otp
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


def authenticate(
    identifier: str, password: str, now: dt.datetime, max_failures: int, lock_minutes: int
) -> tuple[Outcome, Account | None]:
    """Check code/CCCD and password. The same work is done whether the code exists or not, so the
    answer time tells nothing. After `max_failures` wrong passwords in a row the account is
    locked for `lock_minutes`; the right password does not open a locked account early, and
    parallel guesses get no more than `max_failures` weighed (`count_attempt`)."""
    account = find_account(identifier)
    if account is None or account.status not in {"active", "pending"}:
        return _unknown_identifier(identifier, password, now, max_failures, lock_minutes), None

    def check() -> bool:
        return verify_password(account.password_hash, password)

    return weigh_sign_in(account, check, now, max_failures, lock_minutes), account


def weigh_sign_in(
    account: Account,
    check: Callable[[], bool],
    now: dt.datetime,
    max_failures: int,
    lock_minutes: int,
    method: str = "password",
) -> Outcome:
    """One sign-in attempt on `account` (a password, a passkey): counted before `check` runs,
    so that parallel attempts get no more than `max_failures` weighed; `check` runs either way
    (equal timing); then the count is cleared, or the failure (and a lock) recorded."""
    row = Account.id == account.id
    details = {} if method == "password" else {"method": method}
    with atomic.durable():
        may_weigh = atomic.count_attempt(Account, row, now, max_failures)
    ok = check()
    with atomic.durable():  # the count cleared, or the failure and a lock, hold from here
        if not may_weigh:
            audit.record(
                "login_refused_locked", now, actor_type="citizen", actor_id=account.id, **details
            )
            metrics.count_refused_sign_in("citizen", locked_out=True)
            return Outcome.LOCKED
        locked = atomic.settle_attempt(Account, row, ok, now, max_failures, lock_minutes)
        if not ok:
            audit.record("login_failed", now, actor_type="citizen", actor_id=account.id, **details)
            if locked:
                audit.record("account_locked", now, actor_type="citizen", actor_id=account.id)
    db.session.refresh(account)
    if ok:
        return Outcome.OK
    metrics.count_refused_sign_in("citizen", lock_set=locked)
    return Outcome.LOCKED if locked else Outcome.WRONG


def _unknown_identifier(
    identifier: str, password: str, now: dt.datetime, max_failures: int, lock_minutes: int
) -> Outcome:
    """A code or CCCD without an account that may sign in is counted and locked exactly like
    an account, so neither the answers nor their order tell whether it exists."""
    return weigh_without_account(
        f"citizen:{identifier}",
        password,
        now,
        max_failures,
        lock_minutes,
        kind="citizen",
        events=("login_refused_locked", "login_failed"),
        who={"actor_type": "anonymous", "reason": "unknown"},
    )


def weigh_without_account(
    key: str,
    password: str,
    now: dt.datetime,
    max_failures: int,
    lock_minutes: int,
    *,
    kind: str,
    events: tuple[str, str],
    who: dict,
) -> Outcome:
    """A sign-in whose identifier (`key`) has no account that may sign in, citizen's or
    officer's: the same work as a password weighed, counted and locked on an IdentifierLock row
    as an account would be, and audited with `events` (refused while locked, failed)."""
    refused_event, failed_event = events
    row = IdentifierLock.key == key
    with atomic.durable():
        atomic.insert_if_absent(IdentifierLock, key=key, failed_logins=0)
        may_weigh = atomic.count_attempt(IdentifierLock, row, now, max_failures)
    verify_password(None, password)
    with atomic.durable():
        if not may_weigh:
            audit.record(refused_event, now, **who)
            metrics.count_refused_sign_in(kind, locked_out=True)
            return Outcome.LOCKED
        locked = atomic.settle_attempt(IdentifierLock, row, False, now, max_failures, lock_minutes)
        audit.record(failed_event, now, **who)
    metrics.count_refused_sign_in(kind, lock_set=locked)
    return Outcome.LOCKED if locked else Outcome.WRONG


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
) -> DeviceSession | None:
    """Sign the account in on this device. Every other session is closed: the earlier one on
    this device (replaced), and after an OTP (`took_over`) those on other devices. Without the
    OTP, a session open on another device meanwhile means no: None (the caller asks for the
    OTP), and this sign-in's write is rolled back. The account's row is written first, so
    sign-ins of one account take turns and the check sees every session committed before."""
    db.session.execute(
        update(Account)
        .where(Account.id == account.id)
        .values(last_login_at=now)
        .execution_options(synchronize_session=False)
    )
    if not took_over and sessions_elsewhere(account, device_id):
        db.session.rollback()
        return None
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
    db.session.flush()
    return device_session


# Read on every signed-in request, so built once: a statement built anew, with its loader
# options, costs more to build and to key for SQLAlchemy's cache than the query itself.
SESSION_BY_TOKEN = (
    select(DeviceSession)
    .where(DeviceSession.token == bindparam("token"))
    .options(joinedload(DeviceSession.account).joinedload(Account.person))
)


# A signed-in page shows the unread count in its top bar: counted in the same statement.
SESSION_AND_UNREAD_BY_TOKEN = SESSION_BY_TOKEN.add_columns(
    select(func.count())
    .select_from(Notification)
    .where(Notification.account_id == DeviceSession.account_id, Notification.read_at.is_(None))
    .scalar_subquery()
)


def load_session(token: str) -> DeviceSession | None:
    """The device session behind a browser's token, revoked or not (with account and person)."""
    return db.session.scalar(SESSION_BY_TOKEN, {"token": token})


def load_session_and_unread(token: str) -> tuple[DeviceSession, int] | None:
    """`load_session`, with the account's unread notifications counted in the same round trip
    (what every signed-in request reads)."""
    row = db.session.execute(SESSION_AND_UNREAD_BY_TOKEN, {"token": token}).first()
    return (row[0], row[1]) if row is not None else None


def sign_out(device_session: DeviceSession, now: dt.datetime) -> None:
    device_session.revoked_at = now
    device_session.revoked_reason = "logout"
    audit.record("logout", now, actor_type="citizen", actor_id=device_session.account_id)


# --- the OTP of a second device -----------------------------------------------------------------

NEW_DEVICE = "new_device"


def send_new_device_code(account: Account, device_id: str, now: dt.datetime, config) -> otp.Issued:
    """The citizen signed in elsewhere asks to take over on this device: a code by SMS to the
    registered phone, unless the cooldown or the hourly cap says wait (`otp.issue`)."""
    return otp.issue_to_account(NEW_DEVICE, account, device_id, now, config, "otp_new_device")


def check_new_device_code(
    account: Account, device_id: str, code: str, now: dt.datetime, config
) -> otp.Verdict:
    """The code typed on the new device; a code that does not work is in the audit log. When
    it is right, `open_session(..., took_over=True)` signs the other devices out."""
    verdict = otp.check(
        NEW_DEVICE, otp.account_subject(account), device_id, code, now, config["SECRET_KEY"]
    )
    if verdict.result is not otp.Check.OK:
        audit.record(
            "otp_failed", now, actor_type="citizen", actor_id=account.id, purpose=NEW_DEVICE
        )
    return verdict
