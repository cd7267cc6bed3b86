"""The loops of the background workers: `flask outbox deliver` and `flask notifications work`.

Services never commit (`webapp.services`): a view commits for its request, a command for its
run, and a worker's loop for each unit of work, in a transaction of its own, so that a failure
never undoes what was sent before it: one outbox message; a notification round's scan, then
its pushes. A failing round is rolled back and logged; the next one tries again.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable

from webapp.extensions import db
from webapp.services import messaging, notifications, push
from webapp.services.clock import Clock

log = logging.getLogger(__name__)

OUTBOX_BATCH = 100  # messages tried per round at most


def deliver_outbox(config: dict, now, limit: int = OUTBOX_BATCH) -> int:
    """Send the SMS and emails that are due, each committed on its own (a message sent is
    recorded as sent even if a later one breaks the round); how many were delivered."""
    delivered = 0
    for _ in range(limit):
        outcome = messaging.deliver_next(config, now)
        if outcome is None:
            break
        db.session.commit()
        delivered += outcome
    return delivered


def run_notifications(
    clock: Clock,
    interval: float,
    *,
    iterations: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterable[tuple[Counter, Counter]]:
    """Scan for events (`notifications.scan_events`), then send pending pushes
    (`push.deliver_pushes`), every `interval` seconds, for ever (or `iterations` times); each
    committed on its own. Yields each round's counts. Time comes from `clock` and waiting from
    `sleep`, so a test runs rounds without waiting."""
    done = 0
    while iterations is None or done < iterations:
        if done:
            sleep(interval)
        done += 1
        try:
            created = notifications.scan_events(clock.now(), clock.today())
            db.session.commit()
            pushed = push.deliver_pushes(clock.now())
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("notification round failed")
            continue
        yield created, pushed
