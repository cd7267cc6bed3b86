"""Prometheus metrics (prometheus_client): what the app counts as it runs, and the gauges read
from the database when scraped.

Counted in the process that served the request: request latency per Flask endpoint (the rule's
name, never the raw path, so the series stay few whatever URLs are sent) and status class, and
the sign-in failures and locks of citizens and officers. Under gunicorn each worker counts its
own; with `PROMETHEUS_MULTIPROC_DIR` set (webapp/gunicorn_config.py does it) the workers write their
counts to files there and a scrape of any worker adds up all of them (prometheus_client's
multiprocess mode).

Read at scrape time, from the database: the outbox backlog and the age of its oldest message,
and how long ago the notifications worker last completed a scan. They are facts of the
database, not of a process, so every worker answers the same.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db
from webapp.models import NotificationScan, OutboxMessage

log = logging.getLogger(__name__)

REQUEST_SECONDS = Histogram(
    "vssid_http_request_duration_seconds",
    "Time to answer a request, by Flask endpoint and status class (2xx, 4xx, …)",
    ["endpoint", "status"],
)
SIGN_IN_FAILURES = Counter(
    "vssid_sign_in_failures",
    "Sign-ins refused: a wrong code, username or password (wrong), or refused while locked",
    ["role", "reason"],
)
SIGN_IN_LOCKS = Counter(
    "vssid_sign_in_locks",
    "Sign-in locks set after LOGIN_MAX_FAILURES wrong passwords in a row",
    ["role"],
)
UNMATCHED = "unmatched"  # the endpoint label of a request no rule matched (404, 405)


def count_refused_sign_in(role: str, *, locked_out: bool = False, lock_set: bool = False) -> None:
    """A citizen's or officer's sign-in refused (`role`), once its audit rows are committed:
    refused unweighed while locked, or a wrong password, which may have set the lock."""
    SIGN_IN_FAILURES.labels(role=role, reason="locked" if locked_out else "wrong").inc()
    if lock_set:
        SIGN_IN_LOCKS.labels(role=role).inc()


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive datetimes; they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def database_gauges(now: dt.datetime) -> list[Metric]:
    """The gauges read from the database at `now`. Two small queries: the pending messages
    (by the `status` index) and the notification scan's mark. A database that does not answer
    gives no gauges (logged): the counters of the scrape are still worth having."""
    try:
        pending, oldest = db.session.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(
                OutboxMessage.status == "pending"
            )
        ).one()
        scanned_at = db.session.scalar(
            select(NotificationScan.scanned_at).where(NotificationScan.source == "visit")
        )
    except SQLAlchemyError as error:
        db.session.rollback()
        log.warning("metrics: the database did not answer (%s)", type(error).__name__)
        return []
    families = [
        GaugeMetricFamily(
            "vssid_outbox_pending_messages",
            "SMS and emails waiting to be sent (or retried) by the outbox process",
            value=pending,
        ),
        GaugeMetricFamily(
            "vssid_outbox_oldest_pending_age_seconds",
            "Age of the oldest message still waiting to be sent (0 when none waits)",
            value=max((now - _aware(oldest)).total_seconds(), 0.0) if oldest else 0.0,
        ),
    ]
    if scanned_at is not None:  # absent until the worker's first scan
        families.append(
            GaugeMetricFamily(
                "vssid_notification_scan_lag_seconds",
                "Time since the notifications worker last completed a scan",
                value=max((now - _aware(scanned_at)).total_seconds(), 0.0),
            )
        )
    return families


class _Families:
    """A collector of metric families already read."""

    def __init__(self, families: list[Metric]) -> None:
        self.families = families

    def collect(self) -> list[Metric]:
        return self.families


def exposition(accept: str | None, now: dt.datetime) -> tuple[bytes, str]:
    """The body and content type of a scrape: every worker's counters (multiprocess mode) or
    this process's (with its process and runtime metrics), and the database gauges."""
    registry = CollectorRegistry()
    if current_app.config["PROMETHEUS_MULTIPROC_DIR"]:
        MultiProcessCollector(registry)
    else:
        registry.register(REGISTRY)
    registry.register(_Families(database_gauges(now)))
    encoder, content_type = choose_encoder(accept or "")
    return encoder(registry), content_type
