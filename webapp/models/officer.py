"""Officers of BHXH offices, who review dossiers (a user table of their own)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
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

    office: Mapped[BhxhOffice | None] = relationship()  # noqa: F821
