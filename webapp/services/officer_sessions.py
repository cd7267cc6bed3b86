"""Signing officers in and out of the back-office (O1): the sign-in lock and the sessions.

- The lock: after LOGIN_MAX_FAILURES wrong passwords in a row an officer's sign-in is locked for
  LOGIN_LOCK_MINUTES, and the right password does not open it early. The counter is the
  citizens' (webapp.services.atomic): one UPDATE … RETURNING numbers each attempt, and only
  attempts 1 to max count, so a burst of parallel guesses gets no more passwords tried than
  sequential ones would.
- The sessions (`OfficerSession`): the browser's signed cookie holds only a random token; the
  row says whether it still opens the back-office, whichever worker serves the request. Signing
  out, a new password, the officer's deactivation and the end of the working day
  (OFFICER_SESSION_HOURS) each end it on the server: the old cookie, replayed, opens nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from webapp import metrics
from webapp.extensions import db
from webapp.models import Officer, OfficerSession
from webapp.services import atomic, audit, sessions
from webapp.services.clock import as_utc
from webapp.services.passwords import verify_password
from webapp.services.sessions import Outcome  # the same three answers as a citizen's

LAST_SEEN_EVERY = dt.timedelta(minutes=5)  # how often `last_seen_at` is written, at most


class Ended(enum.Enum):
    """Why a session no longer opens the back-office (the sign-in page says so)."""

    LOGOUT = "logout"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (a reason, not a password)
    DISABLED = "disabled"
    EXPIRED = "expired"


# --- the sign-in lock ---------------------------------------------------------------------------


def authenticate(
    username: str, password: str, now: dt.datetime, max_failures: int, lock_minutes: int
) -> tuple[Outcome, Officer | None]:
    """Check an officer's username and password. An unknown or deactivated officer costs the
    same work as a wrong password and is answered the same. The `max_failures`-th wrong password
    in a row locks the sign-in for `lock_minutes`; while locked, or past the `max_failures`-th
    attempt counted at once, the answer is "locked" whatever the password. On OK the count is
    cleared (a lock set meanwhile stays). The count, its clearing, a lock and the audit rows of
    a failure are committed at once (`atomic.durable`)."""
    officer = db.session.scalar(select(Officer).where(Officer.username == username))
    if officer is None or not officer.active:
        return _no_such_officer(username, password, officer, now, max_failures, lock_minutes), None
    officer_id, password_hash = officer.id, officer.password_hash
    row = Officer.id == officer_id
    with atomic.durable():
        may_weigh = atomic.count_attempt(Officer, row, now, max_failures)
    ok = verify_password(password_hash, password)  # the same work either way: equal timing
    with atomic.durable():
        if not may_weigh:
            audit.record(
                "officer_login_refused_locked", now, actor_type="officer", actor_id=officer_id
            )
            metrics.count_refused_sign_in("officer", locked_out=True)
            return Outcome.LOCKED, officer
        locked = atomic.settle_attempt(Officer, row, ok, now, max_failures, lock_minutes)
        if not ok:
            audit.record("officer_login_failed", now, actor_type="officer", actor_id=officer_id)
            if locked:
                audit.record("officer_locked", now, actor_type="officer", actor_id=officer_id)
    if ok:
        return Outcome.OK, officer
    metrics.count_refused_sign_in("officer", lock_set=locked)
    return (Outcome.LOCKED if locked else Outcome.WRONG), officer


def _no_such_officer(
    username: str,
    password: str,
    officer: Officer | None,
    now: dt.datetime,
    max_failures: int,
    lock_minutes: int,
) -> Outcome:
    """An unknown or deactivated username is counted and locked exactly like an officer, so
    neither the answers nor their order tell which usernames exist or still work."""
    return sessions.weigh_without_account(
        f"officer:{username}",
        password,
        now,
        max_failures,
        lock_minutes,
        kind="officer",
        events=("officer_login_refused_locked", "officer_login_failed"),
        who={
            "actor_type": "officer" if officer else "anonymous",
            "actor_id": officer.id if officer else None,
            "reason": "inactive" if officer else "unknown",
        },
    )


# --- sessions -----------------------------------------------------------------------------------


def open_session(
    officer: Officer, user_agent: str | None, now: dt.datetime, hours: int
) -> OfficerSession:
    """Sign the officer in on this browser for one working day (`hours`)."""
    officer_session = OfficerSession(
        officer=officer,
        token=secrets.token_urlsafe(32),
        user_agent=(user_agent or "")[:255],
        created_at=now,
        last_seen_at=now,
        expires_at=now + dt.timedelta(hours=hours),
    )
    db.session.add(officer_session)
    audit.record("officer_login", now, actor_type="officer", actor_id=officer.id)
    db.session.flush()
    return officer_session


# Read on every request of the back-office, so built once (as the citizens' one).
SESSION_BY_TOKEN = (
    select(OfficerSession)
    .where(OfficerSession.token == bindparam("token"))
    .options(joinedload(OfficerSession.officer).joinedload(Officer.office))
)


def load_session(token: str, now: dt.datetime) -> tuple[OfficerSession | None, Ended | None]:
    """The session behind a browser's token if it still opens the back-office: not revoked,
    not past its working day, its officer still active. Otherwise (None, why it ended), or
    (None, None) for a token nobody was given. A session found past its end is marked so, and
    `last_seen_at` is written every LAST_SEEN_EVERY: the caller commits what was written."""
    if not token or len(token) > 64:
        return None, None
    officer_session = db.session.scalar(SESSION_BY_TOKEN, {"token": token})
    if officer_session is None:
        return None, None
    if officer_session.revoked_at is not None:
        return None, _ended(officer_session.revoked_reason)
    ended = None
    if not officer_session.officer.active:
        ended = Ended.DISABLED
    elif as_utc(officer_session.expires_at) <= now:
        ended = Ended.EXPIRED
    if ended is not None:
        _revoke(officer_session, now, ended)
        return None, ended
    if now - as_utc(officer_session.last_seen_at) >= LAST_SEEN_EVERY:
        officer_session.last_seen_at = now
    return officer_session, None


def _ended(reason: str | None) -> Ended | None:
    try:
        return Ended(reason)
    except ValueError:
        return None


def _revoke(officer_session: OfficerSession, now: dt.datetime, why: Ended) -> None:
    officer_session.revoked_at = now
    officer_session.revoked_reason = why.value


def sign_out(officer_session: OfficerSession, now: dt.datetime) -> None:
    """Đăng xuất: this browser's session is over for good."""
    _revoke(officer_session, now, Ended.LOGOUT)
    audit.record("officer_logout", now, actor_type="officer", actor_id=officer_session.officer_id)


def revoke_all(officer: Officer, now: dt.datetime, why: Ended) -> int:
    """Sign the officer out of every browser; how many sessions were open."""
    closed = 0
    for officer_session in db.session.scalars(
        select(OfficerSession)
        .where(OfficerSession.officer_id == officer.id, OfficerSession.revoked_at.is_(None))
        .with_for_update()
    ):
        _revoke(officer_session, now, why)
        closed += 1
    return closed


def set_password(officer: Officer, password_hash: str, now: dt.datetime) -> int:
    """A new password (already checked and hashed): every browser signed in with the old one
    is signed out. Returns how many sessions were closed."""
    officer.password_hash = password_hash
    return _end_every_session(officer, now, Ended.PASSWORD_CHANGED, "officer_password_set")


def disable(officer: Officer, now: dt.datetime) -> int:
    """Deactivate an officer: no sign-in from now on, and every open session ends. Returns
    how many sessions were closed."""
    officer.active = False
    return _end_every_session(officer, now, Ended.DISABLED, "officer_disabled")


def _end_every_session(officer: Officer, now: dt.datetime, why: Ended, event: str) -> int:
    closed = revoke_all(officer, now, why)
    audit.record(event, now, subject_type="officer", subject_id=officer.id, sessions_closed=closed)
    return closed


def enable(officer: Officer, now: dt.datetime) -> None:
    """Let a deactivated officer sign in again (their old sessions stay ended)."""
    officer.active = True
    audit.record("officer_enabled", now, subject_type="officer", subject_id=officer.id)
