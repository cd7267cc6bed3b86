"""Signing officers in and out of the back-office (O1): the sign-in lock and the sessions.

- The lock: after LOGIN_MAX_FAILURES wrong passwords in a row an officer's sign-in is locked for
  LOGIN_LOCK_MINUTES, and the right password does not open it early. The counter is raised by
  one UPDATE whose returned value decides, so a burst of parallel guesses gets no more passwords
  weighed than sequential ones would: attempt n ≤ max is weighed, n > max is refused unweighed.
- The sessions (`OfficerSession`): the browser's signed cookie holds only a random token; the
  row says whether it still opens the back-office, whichever worker serves the request. Signing
  out, a new password, the officer's deactivation and the end of the working day
  (OFFICER_SESSION_HOURS) each end it on the server: the old cookie, replayed, opens nothing.
"""

from __future__ import annotations

import datetime as dt
import enum
import secrets

from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.models import Officer, OfficerSession
from webapp.services import audit
from webapp.services.clock import as_utc
from webapp.services.passwords import verify_password

LAST_SEEN_EVERY = dt.timedelta(minutes=5)  # how often `last_seen_at` is written, at most


class Outcome(enum.Enum):
    OK = "ok"
    WRONG = "wrong"  # username or password (never which)
    LOCKED = "locked"  # too many failures: wait


class Ended(enum.Enum):
    """Why a session no longer opens the back-office (the sign-in page says so)."""

    LOGOUT = "logout"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (a reason, not a password)
    DISABLED = "disabled"
    EXPIRED = "expired"


# --- the sign-in lock ---------------------------------------------------------------------------


def _count_attempt(officer_id: int, now: dt.datetime) -> int | None:
    """Raise the officer's failure counter by one, unless the sign-in is locked; the counter's
    new value (this attempt's place in the row), or None when locked. Committed at once, so the
    row is not held while the password is weighed."""
    attempt = db.session.execute(
        update(Officer)
        .where(
            Officer.id == officer_id,
            or_(Officer.locked_until.is_(None), Officer.locked_until <= now),
        )
        .values(failed_logins=Officer.failed_logins + 1)
        .returning(Officer.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    db.session.commit()
    return attempt


def _lock(officer_id: int, now: dt.datetime, lock_minutes: int, *, above: int | None = None):
    """Lock the sign-in and start the count again, in one statement (only while the counter is
    above `above`, when given)."""
    query = update(Officer).where(Officer.id == officer_id)
    if above is not None:
        query = query.where(Officer.failed_logins > above)
    db.session.execute(
        query.values(
            locked_until=now + dt.timedelta(minutes=lock_minutes), failed_logins=0
        ).execution_options(synchronize_session=False)
    )


def authenticate(
    username: str, password: str, now: dt.datetime, max_failures: int, lock_minutes: int
) -> tuple[Outcome, Officer | None]:
    """Check an officer's username and password. An unknown or deactivated officer costs the
    same work as a wrong password and is answered the same. The `max_failures`-th wrong password
    in a row locks the sign-in for `lock_minutes`; while locked, no password is weighed at all.
    On OK the counter is reset (a lock set meanwhile stays) and the caller commits."""
    officer = db.session.scalar(select(Officer).where(Officer.username == username))
    if officer is None or not officer.active:
        verify_password(None, password)
        audit.record(
            "officer_login_failed",
            now,
            actor_type="officer" if officer else "anonymous",
            actor_id=officer.id if officer else None,
            reason="inactive" if officer else "unknown",
        )
        db.session.commit()
        return Outcome.WRONG, None
    officer_id, password_hash = officer.id, officer.password_hash
    attempt = _count_attempt(officer_id, now)
    if attempt is None or attempt > max_failures:
        if attempt is not None:
            # More attempts than allowed arrived together: the lock holds even if the one
            # that reached the limit never finishes.
            _lock(officer_id, now, lock_minutes, above=max_failures)
        audit.record("officer_login_refused_locked", now, actor_type="officer", actor_id=officer_id)
        db.session.commit()
        return Outcome.LOCKED, officer
    if not verify_password(password_hash, password):
        outcome = Outcome.WRONG
        if attempt == max_failures:
            _lock(officer_id, now, lock_minutes)
            audit.record("officer_locked", now, actor_type="officer", actor_id=officer_id)
            outcome = Outcome.LOCKED
        audit.record("officer_login_failed", now, actor_type="officer", actor_id=officer_id)
        db.session.commit()
        return outcome, officer
    db.session.execute(
        update(Officer)
        .where(Officer.id == officer_id)
        .values(failed_logins=0)
        .execution_options(synchronize_session=False)
    )
    return Outcome.OK, officer


# --- sessions -----------------------------------------------------------------------------------


def open_session(
    officer: Officer, user_agent: str | None, now: dt.datetime, hours: int
) -> OfficerSession:
    """Sign the officer in on this browser for one working day (`hours`), and commit."""
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
    db.session.commit()
    return officer_session


def load_session(token: str, now: dt.datetime) -> tuple[OfficerSession | None, Ended | None]:
    """The session behind a browser's token if it still opens the back-office: not revoked,
    not past its working day, its officer still active. Otherwise (None, why it ended), or
    (None, None) for a token nobody was given. A session found past its end is marked so."""
    if not token or len(token) > 64:
        return None, None
    officer_session = db.session.scalar(
        select(OfficerSession)
        .where(OfficerSession.token == token)
        .options(joinedload(OfficerSession.officer).joinedload(Officer.office))
    )
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
        db.session.commit()
        return None, ended
    if now - as_utc(officer_session.last_seen_at) >= LAST_SEEN_EVERY:
        officer_session.last_seen_at = now
        db.session.commit()
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
    """Đăng xuất: this browser's session is over for good, and commit."""
    _revoke(officer_session, now, Ended.LOGOUT)
    audit.record("officer_logout", now, actor_type="officer", actor_id=officer_session.officer_id)
    db.session.commit()


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
    is signed out. Commits; returns how many sessions were closed."""
    officer.password_hash = password_hash
    closed = revoke_all(officer, now, Ended.PASSWORD_CHANGED)
    audit.record(
        "officer_password_set",
        now,
        subject_type="officer",
        subject_id=officer.id,
        sessions_closed=closed,
    )
    db.session.commit()
    return closed


def disable(officer: Officer, now: dt.datetime) -> int:
    """Deactivate an officer: no sign-in from now on, and every open session ends. Commits;
    returns how many sessions were closed."""
    officer.active = False
    closed = revoke_all(officer, now, Ended.DISABLED)
    audit.record(
        "officer_disabled",
        now,
        subject_type="officer",
        subject_id=officer.id,
        sessions_closed=closed,
    )
    db.session.commit()
    return closed


def enable(officer: Officer, now: dt.datetime) -> None:
    """Let a deactivated officer sign in again (their old sessions stay ended). Commits."""
    officer.active = True
    audit.record("officer_enabled", now, subject_type="officer", subject_id=officer.id)
    db.session.commit()
