"""Officers of BHXH offices, who review dossiers (a user table of their own), and their
signed-in browsers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


class Officer(db.Model):
    """Cán bộ BHXH with role `reviewer` or `admin`, attached to an office."""

    __tablename__ = "officer"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(10), default="reviewer")
    office_id: Mapped[int | None] = mapped_column(ForeignKey("bhxh_office.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Wrong passwords in a row (counted by one UPDATE each), and the lock they lead to.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # An admin's choice: this officer's sign-in needs a passkey after the password.
    passkey_required: Mapped[bool] = mapped_column(default=False, server_default=text("false"))

    office: Mapped[BhxhOffice | None] = relationship()  # noqa: F821


class OfficerSession(db.Model):
    """Phiên làm việc: one signed-in browser of an officer. The browser's session holds only
    `token`; the row says whether it still opens the back-office, whichever worker serves the
    request: sign-out, a new password, the officer's deactivation and the end of the working
    day (`expires_at`) revoke it."""

    __tablename__ = "officer_session"
    __table_args__ = (Index("ix_officer_session_officer_active", "officer_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # logout, password_changed, disabled, expired
    revoked_reason: Mapped[str | None] = mapped_column(String(30))

    officer: Mapped[Officer] = relationship()
