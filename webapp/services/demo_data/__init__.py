"""Dữ liệu minh họa: a deterministic, synthetic Vietnamese data set for demos and benchmarks.

Nothing here is about a real person. Names are composed at random from common family, middle
and given names; BHXH codes, CCCD and phone numbers are random digits in the right shape; e-mail
addresses use the reserved `example.*` domains, so nothing can ever reach a real mailbox.
Directory entries (offices, facilities, employers, collection points) look like real ones but
their codes, addresses and phone numbers are made up.

`generate()` fills an empty database with a whole population: households and persons, accounts
for about 70 % of them, a BHYT card each, decades of contribution history, benefits, five years
of medical visits, registration dossiers and news; the FAQ comes from the content files
(`services.content`), as in production. The same `seed` and `today` always give
the same rows. The big tables are written as plain rows in chunks (executemany), with primary
keys assigned here, so 100 000 persons (a few million rows) take minutes, not hours.

The modules follow the subjects: `directories` and `employers`, `people` and `careers`,
`accounts`, `history` (participation periods), `health_cards`, `benefits`, `visits`,
`dossiers`, `content`; `state` holds one run's state and `sink` writes the rows. The word lists
and tables (names, places, diagnoses, news, FAQ, …) are JSON files in `data/`, read by `tables`.
"""

from __future__ import annotations

import datetime as dt
import functools
import time

from flask import current_app
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Account, BhxhOffice, Household, Person
from webapp.services import content as site_content
from webapp.services.clock import Clock
from webapp.services.passwords import hash_password

from . import generator
from .accounts import DEMO_API_KEY, DEMO_PASSWORD, OFFICER_PASSWORD
from .generator import DemoSummary, Progress
from .tables import ICD10, NEWS

__all__ = [
    "DEMO_API_KEY",
    "DEMO_PASSWORD",
    "ICD10",
    "NEWS",
    "OFFICER_PASSWORD",
    "DemoSummary",
    "Progress",
    "demo_citizen_codes",
    "generate",
    "is_empty",
]


def _today() -> dt.date:
    try:
        clock = current_app.extensions.get("clock")
    except RuntimeError:
        clock = None
    return (clock or Clock()).today()


def is_empty() -> bool:
    """True when no person is registered yet: the demo data may be generated."""
    return db.session.execute(select(Person.id).limit(1)).first() is None


def demo_citizen_codes() -> list[str]:
    """The BHXH codes of the demo citizens (`DemoSummary.citizens`), found again in a database
    filled earlier: the account-holding heads of the first three households."""
    return list(
        db.session.scalars(
            select(Person.bhxh_code)
            .join(Household, Person.household_id == Household.id)
            .join(Account, Account.person_id == Person.id)
            .where(Person.full_name == Household.head_name)
            .order_by(Household.id)
            .limit(3)
        )
    )


def generate(
    persons: int = 2000,
    seed: int = 2025,
    today: dt.date | None = None,
    password: str = DEMO_PASSWORD,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty database with a synthetic population of `persons` people and everything
    around them. The same seed and day always give the same data. Returns the demo accounts
    (citizens and officers) and the row counts. The caller commits.

    `progress`, if given, is called with 1 as each person's records (account, history, card,
    benefits, visits) are made: `persons` calls in all, e.g. a progress bar's `update`
    (`webapp.progress.progress_bar`)."""
    if persons < 20:
        raise ValueError("persons must be at least 20, so that every kind of record exists")
    if not is_empty() or db.session.execute(select(BhxhOffice.id).limit(1)).first() is not None:
        raise RuntimeError("the database already holds data; demo data only goes into an empty one")
    started = time.perf_counter()
    hashes = (_demo_hash(password), _demo_hash(OFFICER_PASSWORD))
    try:
        summary = generator.run(seed, today or _today(), password, persons, hashes, progress)
        site_content.load(parts=("faq",))  # `make run` then loads the rest of the files
    except BaseException:
        db.session.rollback()
        raise
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


@functools.lru_cache(maxsize=8)
def _demo_hash(password: str) -> str:
    """argon2 is deliberately slow (a tenth of a second a hash): hashing 100 000 passwords would
    take hours. Each distinct demo password is hashed once (per process) and that hash is shared
    by every demo account using it: all citizens share one, both officers another. Fine for
    published demo passwords; real accounts each get their own hash and salt."""
    return hash_password(password)
