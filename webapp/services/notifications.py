"""Thông báo (X4): the citizen's in-app inbox, and the scan that turns back-office data into
notifications.

A notification row holds no language and no sentence: a `kind`, a few `params` (dates, a
facility name) and a `link` to the page it is about. The inbox renders the title in the reader's
language when it is read; Web Push (`services.push`) sends only a generic title and the link.

Events come two ways. Things the app itself does (password changed, a new device signed in) call
`notify` in the same transaction. Things that arrive from back-office systems (a card issued or
about to expire, a medical visit recorded by a hospital, a benefit paid) are found by
`scan_events`, run by the worker (`flask notifications work`, `webapp.workers`): a handful of
set-based queries, each reading only what is new or due, for persons who have an account.
Every event has a dedupe key ("visit:123"), unique per account, so that scanning twice, or two
workers scanning at once, never notifies twice.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import String, bindparam, cast, exists, func, literal, select, text, update
from sqlalchemy.orm import aliased

from webapp.extensions import db
from webapp.models import (
    Account,
    Benefit,
    Facility,
    HealthCard,
    MedicalVisit,
    Notification,
    NotificationScan,
)
from webapp.services import atomic
from webapp.services.clock import VIETNAM, as_utc

KINDS = (
    "password_changed",
    "new_device",
    "passkeys_removed",
    "card_renewed",
    "card_expiring",
    "medical_visit",
    "benefit_paid",
    "delegation_offered",
    "delegation_accepted",
    "delegation_declined",
    "delegation_ended",
    "viewed_by_officer",
)

# Where each kind leads when the caller names no page (endpoints of the citizen blueprint).
DEFAULT_ENDPOINTS = {
    "password_changed": "citizen.home",
    "new_device": "citizen.home",
    "passkeys_removed": "citizen.account",
    "card_renewed": "citizen.card",
    "card_expiring": "citizen.card",
    "medical_visit": "citizen.medical_book",
    "benefit_paid": "citizen.benefits",
    "delegation_offered": "citizen.family",
    "delegation_accepted": "citizen.family",
    "delegation_declined": "citizen.family",
    "delegation_ended": "citizen.family",
    "viewed_by_officer": "citizen.access_log",
}

PAGE_SIZE = 20
# A card whose period started within this many days (or starts later) is "renewed", if the
# person had a card before it.
CARD_RENEWED_DAYS = 30
# Visits discharged, and benefits paid, longer ago than this are history, not news: a back-office
# import of old records does not flood anyone's phone.
RECENT_DAYS = 60
# Each scan also looks again at this many ids below where the last one stopped: rows that
# another transaction committed late, out of id order, are still seen (the dedupe key makes the
# second look free of duplicates).
VISIT_ID_OVERLAP = 1000
# A payment date filled in on an older benefit row is found when it is no older than the day
# before the previous scan (the worker scans every minute).
PAID_LATE_DAYS = 1
INSERT_CHUNK = 1000


def path_for(endpoint: str, **values) -> str:
    """The path of a page, built without a request (the worker has none)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def is_local_path(link: str) -> bool:
    """A path on this site, never one a browser would read as another site ("//x", "/\\x")."""
    return (
        link.startswith("/")
        and not link.startswith(("//", "/\\"))
        and "\\" not in link
        and all(33 <= ord(char) < 127 for char in link)
    )


def _insert_new(rows: list[dict]) -> int:
    """Insert notifications, skipping any whose (account, dedupe key) exists already, even one
    another worker inserted a moment ago. Returns how many were new."""
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # pragma: no cover - the app runs on SQLite and PostgreSQL only
        raise RuntimeError(f"unsupported database: {dialect}")
    added = 0
    for start in range(0, len(rows), INSERT_CHUNK):
        statement = (
            insert(Notification)
            .on_conflict_do_nothing(index_elements=["account_id", "dedupe_key"])
            .returning(Notification.id)
        )
        added += len(db.session.execute(statement, rows[start : start + INSERT_CHUNK]).all())
    return added


def notify(
    account_id: int,
    kind: str,
    now: dt.datetime,
    link: str | None = None,
    params: dict | None = None,
    dedupe_key: str | None = None,
) -> Notification | None:
    """Put a notification in the account's inbox (and so, later, on its subscribed devices).

    With a `dedupe_key` the same event never notifies twice: the second call returns None.
    `link` is a path inside the app; by default the page of the kind. `params` are the few
    values the title shows (ISO dates, a facility name), never a diagnosis or an amount."""
    if kind not in KINDS:
        raise ValueError(f"unknown notification kind: {kind}")
    if link is None:
        link = path_for(DEFAULT_ENDPOINTS[kind])
    if not is_local_path(link):
        raise ValueError("a notification links to a page of this site")
    values = {
        "account_id": account_id,
        "kind": kind,
        "params": params or None,
        "link": link,
        "dedupe_key": dedupe_key,
        "created_at": now,
    }
    if dedupe_key is None:
        notification = Notification(**values)
        db.session.add(notification)
        db.session.flush()
        return notification
    if not _insert_new([values]):
        return None
    return db.session.scalar(
        select(Notification).where(
            Notification.account_id == account_id, Notification.dedupe_key == dedupe_key
        )
    )


# --- The inbox -------------------------------------------------------------------------------


# Counted for the top bar of every personal page, so built once.
UNREAD_COUNT = (
    select(func.count())
    .select_from(Notification)
    .where(Notification.account_id == bindparam("account_id"), Notification.read_at.is_(None))
)


def unread_count(account_id: int) -> int:
    """How many notifications the citizen has not opened: one COUNT on the inbox index."""
    return db.session.scalar(UNREAD_COUNT, {"account_id": account_id})


@dataclass
class InboxPage:
    items: list[Notification]
    page: int
    has_previous: bool
    has_next: bool


def inbox(account_id: int, page: int = 1, per_page: int = PAGE_SIZE) -> InboxPage:
    """One page of the inbox, newest first. Reads one row more than it shows to know whether a
    next page exists, instead of counting them all."""
    page = max(page, 1)
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.account_id == account_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    return InboxPage(rows[:per_page], page, page > 1, len(rows) > per_page)


def mark_read(account_id: int, notification_id: int, now: dt.datetime) -> Notification | None:
    """Mark one of the account's notifications read (opening it does). Another account's
    notification is None, exactly like a missing one."""
    notification = db.session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.account_id == account_id
        )
    )
    if notification is not None and notification.read_at is None:
        notification.read_at = now
    return notification


def mark_all_read(account_id: int, now: dt.datetime) -> int:
    """Đánh dấu tất cả là đã đọc: returns how many were unread."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.account_id == account_id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
    return result.rowcount or 0


# --- Events from the back office ---------------------------------------------------------------


def _key(prefix: str, column) -> object:
    """The SQL expression of a dedupe key, "prefix:<id>", as `notify` would write it."""
    return literal(f"{prefix}:") + cast(column, String)


def _not_yet_notified(account_id, key) -> object:
    """No notification with this key for this account (a probe of the unique index)."""
    return ~exists().where(Notification.account_id == account_id, Notification.dedupe_key == key)


@dataclass
class Since:
    """Where the previous scan of one table stopped: ids above `start_id` (up to `newest`) are
    new rows; `last_day` is the day it ran (None: never, so everything due is read once)."""

    start_id: int
    newest: int
    last_day: dt.date | None


def _since(source: str, model, now: dt.datetime) -> Since:
    """Read the source's mark and move it to the table's newest row (the caller's transaction
    commits both the notifications and the mark)."""
    mark = db.session.get(NotificationScan, source)
    newest = db.session.scalar(select(func.max(model.id))) or 0
    if mark is None:  # the first scan ever; another worker's may be inserting it too
        atomic.insert_if_absent(NotificationScan, source=source, last_id=newest, scanned_at=now)
        return Since(0, newest, None)
    since = Since(
        max(mark.last_id - VISIT_ID_OVERLAP, 0),
        newest,
        as_utc(mark.scanned_at).astimezone(VIETNAM).date(),
    )
    mark.last_id, mark.scanned_at = max(newest, mark.last_id), now
    return since


def _stream(reads, row, since: Since) -> Iterator[dict]:
    """The rows of each read in turn, as `row` makes them, a chunk at a time, so that a scan
    never holds every event it found as dictionaries. A first scan (nothing read before) finds
    every event due: over a million people, hundreds of thousands, fetched from a server-side
    cursor a chunk at a time, so its memory stays flat. A later scan reads what is new, a small
    result fetched at once: PostgreSQL plans a cursor for its first rows, which made the
    every-minute scan several times slower. Each read is ordered by account and source row, so
    two workers inserting the same events wait on each other's rows in one order, never in a
    circle (a deadlock); a row found by two reads is inserted once (the dedupe key)."""
    options = {}
    if since.last_day is None:
        options["yield_per"] = INSERT_CHUNK
        if db.session.get_bind().dialect.name == "postgresql":
            # plan the cursor for all its rows, as a plain query is, not for its first tenth
            db.session.execute(text("SET LOCAL cursor_tuple_fraction = 1.0"))
    for read in reads:
        for chunk in db.session.execute(read.execution_options(**options)).partitions(INSERT_CHUNK):
            for values in chunk:
                yield row(*values)


def _expiring_cards(today: dt.date, expiring_days: int, since: Since) -> Iterator[dict]:
    """Cards in their last `expiring_days` days (as `cards.card_state` calls "expiring"), unless
    the person already has a card that runs longer (renewed: nothing to warn about). Only what
    became due since the last scan is read: the days that entered the window since then, and
    cards recorded since then; the first scan reads the whole window."""
    later = aliased(HealthCard)
    last_day = today + dt.timedelta(days=expiring_days - 1)
    query = (
        select(HealthCard.id, Account.id, HealthCard.valid_to)
        .join(Account, Account.person_id == HealthCard.person_id)
        .where(
            HealthCard.valid_to.between(today, last_day),
            HealthCard.valid_from <= today,
            ~exists().where(
                later.person_id == HealthCard.person_id, later.valid_to > HealthCard.valid_to
            ),
            _not_yet_notified(Account.id, _key("card_expiring", HealthCard.id)),
        )
        .order_by(Account.id, HealthCard.id)
    )
    if since.last_day is None:
        reads = [query]
    else:
        window_end_then = since.last_day + dt.timedelta(days=expiring_days - 1)
        reads = [
            query.where(HealthCard.valid_to > window_end_then),
            query.where(HealthCard.id > since.start_id, HealthCard.id <= since.newest),
        ]
    link = path_for("citizen.card")
    return _stream(
        reads,
        lambda card_id, account_id, valid_to: {
            "account_id": account_id,
            "kind": "card_expiring",
            "params": {"valid_to": valid_to.isoformat()},
            "link": link,
            "dedupe_key": f"card_expiring:{card_id}",
        },
        since,
    )


def _renewed_cards(today: dt.date, since: Since) -> Iterator[dict]:
    """New cards (their period began within CARD_RENEWED_DAYS, or begins later) of persons who
    had a card before: the card was renewed. A card can only become such news by being
    recorded, so after the first scan only the cards recorded since the last one are read."""
    earlier = aliased(HealthCard)
    query = (
        select(HealthCard.id, Account.id, HealthCard.valid_from, HealthCard.valid_to)
        .join(Account, Account.person_id == HealthCard.person_id)
        .where(
            HealthCard.valid_from > today - dt.timedelta(days=CARD_RENEWED_DAYS),
            HealthCard.valid_to >= today,
            exists().where(
                earlier.person_id == HealthCard.person_id,
                earlier.valid_from < HealthCard.valid_from,
            ),
            _not_yet_notified(Account.id, _key("card_renewed", HealthCard.id)),
        )
        .order_by(Account.id, HealthCard.id)
    )
    if since.last_day is not None:
        query = query.where(HealthCard.id > since.start_id, HealthCard.id <= since.newest)
    link = path_for("citizen.card")
    return _stream(
        [query],
        lambda card_id, account_id, valid_from, valid_to: {
            "account_id": account_id,
            "kind": "card_renewed",
            "params": {"valid_from": valid_from.isoformat(), "valid_to": valid_to.isoformat()},
            "link": link,
            "dedupe_key": f"card_renewed:{card_id}",
        },
        since,
    )


def _new_visits(today: dt.date, since: Since) -> Iterator[dict]:
    """Visits recorded since the last scan: ids above where it stopped (the primary key's range,
    whatever the table's size), recent ones only."""
    query = (
        select(MedicalVisit.id, Account.id, MedicalVisit.admitted_on, Facility.name)
        .join(Account, Account.person_id == MedicalVisit.person_id)
        .join(Facility, Facility.id == MedicalVisit.facility_id)
        .where(
            MedicalVisit.id > since.start_id,
            MedicalVisit.id <= since.newest,
            MedicalVisit.discharged_on >= today - dt.timedelta(days=RECENT_DAYS),
            _not_yet_notified(Account.id, _key("visit", MedicalVisit.id)),
        )
        .order_by(Account.id, MedicalVisit.id)
    )
    return _stream(
        [query],
        lambda visit_id, account_id, admitted_on, facility: {
            "account_id": account_id,
            "kind": "medical_visit",
            "params": {"date": admitted_on.isoformat(), "facility": facility},
            "link": path_for("citizen.visit", visit_id=visit_id),
            "dedupe_key": f"visit:{visit_id}",
        },
        since,
    )


def _paid_benefits(today: dt.date, since: Since) -> Iterator[dict]:
    """Benefits paid in the last RECENT_DAYS days not yet announced. The back office records a
    decision first and fills in the payment date later, on the same row: so besides the rows
    recorded since the last scan, the rows whose payment date is no older than the day before
    it are read (the first scan reads the whole window)."""
    query = (
        select(Benefit.id, Account.id, Benefit.regime, Benefit.paid_on)
        .join(Account, Account.person_id == Benefit.person_id)
        .where(
            Benefit.paid_on.between(today - dt.timedelta(days=RECENT_DAYS), today),
            _not_yet_notified(Account.id, _key("benefit", Benefit.id)),
        )
        .order_by(Account.id, Benefit.id)
    )
    if since.last_day is None:
        reads = [query]
    else:
        reads = [
            query.where(Benefit.paid_on >= since.last_day - dt.timedelta(days=PAID_LATE_DAYS)),
            query.where(Benefit.id > since.start_id, Benefit.id <= since.newest),
        ]
    link = path_for("citizen.benefits")
    return _stream(
        reads,
        lambda benefit_id, account_id, regime, paid_on: {
            "account_id": account_id,
            "kind": "benefit_paid",
            "params": {"date": paid_on.isoformat(), "regime": regime},
            "link": link,
            "dedupe_key": f"benefit:{benefit_id}",
        },
        since,
    )


def scan_events(now: dt.datetime, today: dt.date) -> Counter:
    """Notify what arrived from back-office systems: cards expiring within CARD_EXPIRING_DAYS
    of `today`, cards renewed, medical visits recorded since the last scan, benefits paid. Only
    persons with an account are notified; running it again finds nothing new. Returns how many
    notifications of each kind were created.

    Each kind's events are read and inserted a chunk at a time, one kind after the other in
    one order (KINDS), so the scan's memory does not grow with what it finds."""
    cards_since = _since("card", HealthCard, now)
    found = {
        "card_renewed": _renewed_cards(today, cards_since),
        "card_expiring": _expiring_cards(
            today, current_app.config["CARD_EXPIRING_DAYS"], cards_since
        ),
        "medical_visit": _new_visits(today, _since("visit", MedicalVisit, now)),
        "benefit_paid": _paid_benefits(today, _since("benefit", Benefit, now)),
    }
    created: Counter = Counter()
    for kind in KINDS:
        if kind not in found:
            continue
        rows = iter(found[kind])
        while chunk := [{**row, "created_at": now} for row in itertools.islice(rows, INSERT_CHUNK)]:
            created[kind] += _insert_new(chunk)
    return +created
