"""Signing citizens in and out. Sessions live in the database (`DeviceSession`), so that any
gunicorn worker can tell a revoked device at its next request."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.models import Account, DeviceSession, Person
from webapp.services.passwords import verify_password

BHXH_CODE = re.compile(r"^\d{10}$")
CCCD = re.compile(r"^\d{12}$")


def find_account(identifier: str) -> Account | None:
    """The account of the person with this BHXH code (10 digits) or CCCD (12 digits)."""
    if BHXH_CODE.match(identifier):
        condition = Person.bhxh_code == identifier
    elif CCCD.match(identifier):
        condition = Person.cccd == identifier
    else:
        return None
    return db.session.scalar(select(Account).join(Account.person).where(condition))


def authenticate(identifier: str, password: str) -> Account | None:
    """The account when code/CCCD and password match and it may sign in; None otherwise.

    The same work is done whether the code exists or not, so the answer time tells nothing."""
    account = find_account(identifier)
    ok = verify_password(account.password_hash if account else None, password)
    if not ok or account is None or account.status not in {"active", "pending"}:
        return None
    return account


def open_session(account: Account, device_id: str, user_agent: str | None, now: dt.datetime):
    """Record a signed-in device and return it; the browser keeps only its random token."""
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
    db.session.commit()
    return device_session


def active_session(token: str) -> DeviceSession | None:
    """The device session behind a browser's token, unless it was revoked."""
    return db.session.scalar(
        select(DeviceSession)
        .where(DeviceSession.token == token, DeviceSession.revoked_at.is_(None))
        .options(joinedload(DeviceSession.account).joinedload(Account.person))
    )


def revoke(device_session: DeviceSession, reason: str, now: dt.datetime) -> None:
    device_session.revoked_at = now
    device_session.revoked_reason = reason
    db.session.commit()
