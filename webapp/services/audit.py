"""The audit log: security events and officer decisions, never secrets (no password, no OTP)."""

from __future__ import annotations

import datetime as dt

from flask import g, has_request_context

from webapp.extensions import db
from webapp.models import AuditEvent


def current_request_id() -> str | None:
    """The id of the request being answered (webapp.request_id takes it when the request
    starts), None outside a request: a command, the worker."""
    return g.get("request_id") if has_request_context() else None


def record(
    event: str,
    now: dt.datetime,
    *,
    actor_type: str = "system",
    actor_id: int | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    **detail,
) -> AuditEvent:
    """Add an event to the caller's transaction (it is committed with what it records), with
    the id of the request that caused it, if any."""
    row = AuditEvent(
        at=now,
        actor_type=actor_type,
        actor_id=actor_id,
        event=event,
        subject_type=subject_type,
        subject_id=subject_id,
        detail=detail or None,
        request_id=current_request_id(),
    )
    db.session.add(row)
    return row
