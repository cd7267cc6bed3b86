"""Counters and claims that hold when many requests arrive at once, and the one step that
commits before the request does.

A rule such as "five wrong passwords lock the sign-in" must not be read, then written: parallel
requests would all read the same count. Here each attempt is counted by one UPDATE that returns
the new value, and the decision is taken on that value; a row that may not exist yet is created
by an INSERT that does nothing when another request created it first. Both work the same on
SQLite (3.35 and later) and PostgreSQL.

Services never commit: the request or command that called them does (see `webapp.services`).
The exception is `durable()`: an attempt counter or a lock must hold even when the request
fails afterwards, or a failure would undo the count that should stop the next try.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from webapp.extensions import db


@contextmanager
def durable() -> Iterator[None]:
    """The writes of the block are committed at its end, in a short transaction of their own,
    whatever the request does next: the one exception to "the request or command commits".

    For attempt counters and locks only: a sign-in attempt counted and settled (with the audit
    rows of a failure or lock), an OTP send claimed from the throttle, an OTP try counted. Each
    is a step the answer depends on and that a later failure (a template, a provider, a crash)
    must not roll back, else a failing request could be retried without being counted. Held
    briefly, the row does not wait while a password is weighed or a message is written.

    Call it before the request has written anything else: its commit would carry that along.
    An exception inside the block commits nothing."""
    yield
    db.session.commit()


def _insert(model):
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def insert_if_absent(model, **values) -> None:
    """INSERT the row unless one with the same primary key exists (then nothing happens)."""
    db.session.execute(_insert(model).values(**values).on_conflict_do_nothing())


def upsert(model, keys: list[str], **values) -> None:
    """INSERT the row, or UPDATE the one with the same `keys` (a unique constraint) to
    `values`: in one statement, so two requests at once cannot both insert."""
    statement = _insert(model).values(**values)
    changed = {name: statement.excluded[name] for name in values if name not in keys}
    db.session.execute(statement.on_conflict_do_update(index_elements=keys, set_=changed))


def _unlocked(model, now: dt.datetime):
    return model.locked_until.is_(None) | (model.locked_until <= now)


def count_attempt(model, row, now: dt.datetime, max_failures: int) -> bool:
    """Count one sign-in attempt on the row (`row`: a WHERE clause) of a table with
    `failed_logins` and `locked_until` (a citizen's account, an officer, an unknown identifier),
    and say whether its password may be weighed: not while locked, and not past the
    `max_failures`-th attempt since the last success or lock. Parallel attempts each get a
    number of their own. Run it in `durable()`: the count holds whatever the request does
    next, and the row is not held while the password is weighed."""
    number = db.session.execute(
        update(model)
        .where(row, _unlocked(model, now))
        .values(failed_logins=model.failed_logins + 1)
        .returning(model.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar()
    return number is not None and number <= max_failures


def settle_attempt(
    model, row, ok: bool, now: dt.datetime, max_failures: int, lock_minutes: int
) -> bool:
    """After the password was weighed: a right one clears the count (not a lock that other
    attempts set meanwhile); a wrong one locks the row for `lock_minutes` once `max_failures`
    attempts were counted since the last success or lock, and clears the count. True when this
    attempt locked it. Run it in `durable()`, with the audit rows of the attempt: a clear
    count, or a lock, holds whatever the request does next."""
    if ok:
        db.session.execute(
            update(model)
            .where(row, _unlocked(model, now))
            .values(failed_logins=0, locked_until=None)
            .execution_options(synchronize_session=False)
        )
        return False
    locked = db.session.execute(
        update(model)
        .where(row, _unlocked(model, now), model.failed_logins >= max_failures)
        .values(failed_logins=0, locked_until=now + dt.timedelta(minutes=lock_minutes))
        .execution_options(synchronize_session=False)
    )
    return locked.rowcount == 1
