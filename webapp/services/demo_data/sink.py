"""Where the generated rows go: one sink per table, written in chunks with ids given here."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert, text

from webapp.extensions import db
from webapp.models import (
    Account,
    Benefit,
    BhxhOffice,
    CollectionPoint,
    Delegation,
    Employer,
    Facility,
    FacilityApiKey,
    FaqEntry,
    HealthCard,
    Household,
    MedicalVisit,
    NewsArticle,
    Officer,
    ParticipationPeriod,
    Person,
    RegistrationDossier,
)

CHUNK = 5_000  # rows per executemany

# Every table the generator fills, parents before children.
MODELS = (
    BhxhOffice,
    Facility,
    Employer,
    CollectionPoint,
    Officer,
    FacilityApiKey,
    Household,
    Person,
    Account,
    Delegation,
    HealthCard,
    ParticipationPeriod,
    Benefit,
    MedicalVisit,
    RegistrationDossier,
    NewsArticle,
    FaqEntry,
)


class Sink:
    """Rows of one table, written `CHUNK` at a time; ids are handed out here, from 1."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.rows: list[dict[str, Any]] = []
        self.count = 0
        self.last_id = 0

    def new_id(self) -> int:
        self.last_id += 1
        return self.last_id

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            db.session.execute(insert(self.table), self.rows)
            self.count += len(self.rows)
            self.rows = []


def new_sinks() -> dict[str, Sink]:
    """A sink per table, by table name, in the order parents come before children."""
    return {model.__tablename__: Sink(model.__table__) for model in MODELS}


def flush_all(sinks: dict[str, Sink]) -> None:
    for sink in sinks.values():
        sink.flush()


def reset_sequences(sinks: dict[str, Sink]) -> None:
    """PostgreSQL hands out ids from a sequence, which explicit ids do not advance."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for name in sinks:
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                f"COALESCE((SELECT MAX(id) FROM {name}), 1), "
                f"(SELECT MAX(id) FROM {name}) IS NOT NULL)"
            )
        )
