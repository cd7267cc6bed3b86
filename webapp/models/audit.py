"""Nhật ký: the audit log of security events and officer decisions (never secrets)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class AuditEvent(db.Model):
    """Who did what, when, to what, and why."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_subject", "subject_type", "subject_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor_type: Mapped[str] = mapped_column(String(10))  # citizen / officer / system / anonymous
    actor_id: Mapped[int | None] = mapped_column()
    event: Mapped[str] = mapped_column(String(40), index=True)
    subject_type: Mapped[str | None] = mapped_column(String(20))
    subject_id: Mapped[int | None] = mapped_column()
    detail: Mapped[dict | None] = mapped_column(JSON)
    # The X-Request-Id of the request that wrote it (none from a command or the worker): the
    # row and the log lines of that request can be read side by side.
    request_id: Mapped[str | None] = mapped_column(String(128))
