"""The family's data on one phone: delegations between adults, and the access log of who looked
at a citizen's data (C11–C13). Children's cards need no table: they follow the household
registry (`Person.household_id`, `Person.household_relation`) and the child's age."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DDL, DateTime, ForeignKey, Index, String, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db

OPEN_STATES = ("offered", "active")


class Delegation(db.Model):
    """Ủy quyền: an adult (the grantor) lets another account holder (the delegate) see chosen
    parts of their data until `ends_at`. It exists once the grantor has confirmed it with an SMS
    code ("offered"), and counts once the delegate has accepted it ("active"); either side can
    end it ("ended"), the delegate can decline an offer ("declined"). One open delegation per
    pair at a time (a partial unique index)."""

    __tablename__ = "delegation"
    __table_args__ = (
        Index(
            "ux_delegation_open_pair",
            "grantor_id",
            "delegate_id",
            unique=True,
            sqlite_where=text("state IN ('offered', 'active')"),
            postgresql_where=text("state IN ('offered', 'active')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grantor_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    parts: Mapped[str] = mapped_column(String(40))  # "card,book,history,benefits" (a subset)
    state: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    ended_by: Mapped[str | None] = mapped_column(String(10))  # grantor / delegate / period

    grantor: Mapped[Account] = relationship(foreign_keys=[grantor_id])  # noqa: F821
    delegate: Mapped[Account] = relationship(foreign_keys=[delegate_id])  # noqa: F821

    @property
    def part_list(self) -> list[str]:
        return [part for part in self.parts.split(",") if part]


class AccessLogEntry(db.Model):
    """Nhật ký truy cập: one view of a citizen's data by someone other than the citizen.
    Append-only: nothing in the app updates a row, and the database refuses an UPDATE (a trigger,
    migration 0015); rows older than the retention are deleted by the clock."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_person_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    # card / qr / book / history / benefits / dossier
    kind: Mapped[str] = mapped_column(String(10))
    # guardian / delegate / officer / facility / verifier (anyone on the verify page)
    viewer_type: Mapped[str] = mapped_column(String(10))
    viewer_account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    viewer_officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    # Who it was, as the citizen reads it, kept as it was at the time of the view.
    viewer_name: Mapped[str | None] = mapped_column(String(200))
    request_id: Mapped[str | None] = mapped_column(String(128))


# The same trigger as migration 0015, for databases made from the models (the tests).
APPEND_ONLY_POSTGRESQL = (
    "CREATE FUNCTION access_log_append_only() RETURNS trigger AS $$ BEGIN "
    "RAISE EXCEPTION 'access_log is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
    "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()",
)
APPEND_ONLY_SQLITE = (
    "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
    "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END",
)
for _statement in APPEND_ONLY_POSTGRESQL:
    event.listen(
        AccessLogEntry.__table__,
        "after_create",
        DDL(_statement).execute_if(dialect="postgresql"),
    )
for _statement in APPEND_ONLY_SQLITE:
    event.listen(
        AccessLogEntry.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite")
    )
event.listen(
    AccessLogEntry.__table__,
    "before_drop",
    DDL("DROP FUNCTION IF EXISTS access_log_append_only() CASCADE").execute_if(
        dialect="postgresql"
    ),
)
