"""Keys of the card-check API (A1): one health facility's software calls with one of them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


class FacilityApiKey(db.Model):
    """A facility's API key: shown once when an admin creates it, kept only as a SHA-256 digest
    of its secret part (a random 256-bit secret needs no slow hash), found by its public prefix.
    Revoked keys stay, for the audit."""

    __tablename__ = "facility_api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    facility: Mapped[Facility] = relationship()  # noqa: F821
