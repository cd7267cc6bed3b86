"""The time the app lives in. Tests replace the clock instead of sleeping or patching datetime."""

from __future__ import annotations

import datetime as dt

# Vietnam has one time zone and no daylight saving: UTC+7 all year.
VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def as_utc(value: dt.datetime) -> dt.datetime:
    """An aware UTC datetime from the database (SQLite hands back naive ones for stored UTC)."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class Clock:
    """Real time. `now()` is aware (UTC); `today()` is the calendar date in Vietnam."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def today(self) -> dt.date:
        return self.now().astimezone(VIETNAM).date()


class FixedClock(Clock):
    """A clock that stands still until moved: `clock.set(...)`, `clock.advance(minutes=5)`."""

    def __init__(self, at: dt.datetime) -> None:
        self._at = at

    def now(self) -> dt.datetime:
        return self._at

    def set(self, at: dt.datetime) -> None:
        self._at = at

    def advance(self, **delta: float) -> None:
        self._at += dt.timedelta(**delta)
