"""Nhật ký truy cập (C13): every view of a citizen's data by someone other than the citizen, as
the citizen reads it: who, when, what.

Recorded in the same transaction as the request that showed the data: a child's card shown by a
parent, a delegate's view of any part, an officer opening a dossier of the citizen, a QR code of
the citizen's card checked on the verify page, a facility's check. Rows are only ever added (the
database refuses an UPDATE); the clock deletes those older than `ACCESS_LOG_RETENTION_DAYS`.
An officer's view also reaches the citizen's inbox, once a day per officer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select

from webapp.extensions import db
from webapp.models import AccessLogEntry, Account, HealthCard
from webapp.services import notifications
from webapp.services.audit import current_request_id
from webapp.services.clock import VIETNAM

KINDS = ("card", "qr", "book", "history", "benefits", "dossier")
VIEWER_TYPES = ("guardian", "delegate", "officer", "facility", "verifier")
PAGE_SIZE = 30


def record(
    person_id: int,
    kind: str,
    viewer_type: str,
    now: dt.datetime,
    *,
    viewer_name: str | None = None,
    viewer_account_id: int | None = None,
    viewer_officer_id: int | None = None,
) -> AccessLogEntry:
    """Add one view to the caller's transaction."""
    assert kind in KINDS and viewer_type in VIEWER_TYPES, (kind, viewer_type)
    entry = AccessLogEntry(
        person_id=person_id,
        at=now,
        kind=kind,
        viewer_type=viewer_type,
        viewer_name=(viewer_name or "")[:200] or None,
        viewer_account_id=viewer_account_id,
        viewer_officer_id=viewer_officer_id,
        request_id=current_request_id(),
    )
    db.session.add(entry)
    if viewer_type == "officer":
        account_id = db.session.scalar(select(Account.id).where(Account.person_id == person_id))
        if account_id is not None:
            day = now.astimezone(VIETNAM).date()
            notifications.notify(
                account_id,
                "viewed_by_officer",
                now,
                link=notifications.path_for("citizen.access_log"),
                params={"name": viewer_name or "", "date": day.isoformat()},
                dedupe_key=f"viewed:{viewer_officer_id}:{day.isoformat()}",
            )
    return entry


def record_card_check(
    card_number: str,
    kind: str,
    viewer_type: str,
    now: dt.datetime,
    *,
    unless_holder: int | None = None,
    **viewer,
) -> AccessLogEntry | None:
    """A check of a card (its QR on the verify page, a facility's API call) in the log of the
    card's holder; None when no card has that number, or when its holder is the person
    `unless_holder` (one's own check is not someone else's view)."""
    person_id = db.session.scalar(
        select(HealthCard.person_id).where(HealthCard.number == card_number).limit(1)
    )
    if person_id is None or person_id == unless_holder:
        return None
    return record(person_id, kind, viewer_type, now, **viewer)


@dataclass(frozen=True)
class LogPage:
    entries: list[AccessLogEntry]
    page: int
    has_next: bool


def entries(person_id: int, kind: str | None = None, page: int = 1) -> LogPage:
    """The person's log, newest first, of one kind or all."""
    where = [AccessLogEntry.person_id == person_id]
    if kind is not None:
        where.append(AccessLogEntry.kind == kind)
    rows = list(
        db.session.scalars(
            select(AccessLogEntry)
            .where(*where)
            .order_by(AccessLogEntry.at.desc(), AccessLogEntry.id.desc())
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return LogPage(rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE)


def purge(now: dt.datetime, retention_days: int) -> int:
    """Delete the entries older than the retention; how many."""
    result = db.session.execute(
        delete(AccessLogEntry).where(AccessLogEntry.at < now - dt.timedelta(days=retention_days))
    )
    return result.rowcount or 0
