"""One run of the generator, in the order the rows must be written, and what it made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from .accounts import (
    OFFICER_PASSWORD,
    OFFICERS,
    make_account,
    make_api_key,
    make_delegation,
    make_officers,
    plan_accounts,
)
from .benefits import make_benefits
from .content import make_content
from .directories import make_directories
from .dossiers import make_dossiers
from .health_cards import make_card
from .history import periods
from .people import populate
from .sink import flush_all, reset_sequences
from .state import Run
from .tables import DEMO_CITIZEN_NOTES
from .visits import make_visits

# Told how many more persons have been written since it was last called (a bar's `update`).
Progress = Callable[[int], object]


@dataclass
class DemoSummary:
    """What `generate` made: the accounts to try the demo with, and how many rows per table."""

    citizens: list[tuple[str, str]]  # (bhxh_code, password): active card, expiring card, pensioner
    officer: tuple[str, str]  # (username, password) of the admin officer
    officers: list[tuple[str, str, str]] = field(default_factory=list)  # (username, password, role)
    # Adults with a phone and no account nor dossier: (bhxh_code, full_name), to try registration.
    unregistered: list[tuple[str, str]] = field(default_factory=list)
    descriptions: dict[str, str] = field(default_factory=dict)  # bhxh_code → what to look at
    counts: dict[str, int] = field(default_factory=dict)  # table name → rows inserted
    today: dt.date | None = None
    seconds: float = 0.0


def run(
    seed: int,
    today: dt.date,
    password: str,
    persons: int,
    hashes: tuple[str, str],
    progress: Progress | None = None,
) -> DemoSummary:
    """Parents before children, so that every chunk written refers only to rows already in
    the database (PostgreSQL checks foreign keys row by row). `hashes` are the citizens' and
    the officers' password hashes."""
    citizen_hash, officer_hash = hashes
    state = Run(seed, today, password)
    make_directories(state, persons)
    make_officers(state, officer_hash)
    make_api_key(state)
    flush_all(state.sinks)
    populate(state, persons)
    plan_accounts(state)
    _lives(state, citizen_hash, progress)
    make_delegation(state)
    make_dossiers(state)
    make_content(state)
    flush_all(state.sinks)
    reset_sequences(state.sinks)
    return _summary(state)


def _lives(state: Run, citizen_hash: str, progress: Progress | None) -> None:
    """Per person: account, participation periods, card, benefits and medical visits (most of
    the run's time, so `progress` is told of each person here)."""
    for p in state.people:
        if p.account:
            make_account(state, p, citizen_hash)
        card = make_card(state, p, periods(state, p))
        make_benefits(state, p)
        make_visits(state, p, card)
        if progress is not None:
            progress(1)


def _summary(state: Run) -> DemoSummary:
    """The demo citizens (the heads of the first three households), the officers, and adults
    left to try the registration with."""
    demo = [p for p in state.people if p.rich]
    descriptions = {
        p.row["bhxh_code"]: note for p, note in zip(demo, DEMO_CITIZEN_NOTES, strict=True)
    }
    in_dossier = {p.id for _s, p, _d in state.dossier_plan}
    unregistered = [
        (p.row["bhxh_code"], p.full_name)
        for p in state.people
        if not p.minor and not p.account and p.row["phone"] and p.id not in in_dossier
    ][:10]
    return DemoSummary(
        citizens=[(p.row["bhxh_code"], state.password) for p in demo],
        officer=(OFFICERS[0][0], OFFICER_PASSWORD),
        officers=[(username, OFFICER_PASSWORD, role) for username, role in OFFICERS],
        unregistered=unregistered,
        descriptions=descriptions,
        counts={name: sink.count for name, sink in state.sinks.items()},
        today=state.today,
    )
