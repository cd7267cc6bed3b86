"""Hồ sơ đăng ký giao dịch điện tử: registration and change-of-information dossiers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db

# A dossier is open while no officer has decided it ("declared"); decided states are
# approved / rejected / no_code / applied, and an expired declaration is deleted.
OPEN = text("state = 'declared'")


class RegistrationDossier(db.Model):
    """Hồ sơ đăng ký giao dịch điện tử (form 01), or a change-of-information request."""

    __tablename__ = "registration_dossier"
    __table_args__ = (
        Index("ix_dossier_queue", "kind", "declared_at"),
        Index("ix_dossier_state_declared", "state", "declared_at"),
        Index("ix_dossier_assessment_declared", "assessment", "declared_at"),
        # The officer's queue, newest first, whatever the search: read in index order.
        Index("ix_dossier_declared", "declared_at"),
        # One open dossier of each kind per BHXH code, held by the database itself: of two
        # declarations sent at the same moment one is recorded, the other refused (an
        # approval of each would otherwise issue the account twice, to two phones).
        Index(
            "ux_dossier_open_per_code",
            "kind",
            "bhxh_code",
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # số hồ sơ
    kind: Mapped[str] = mapped_column(String(12), default="register")  # register / change_info
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    bhxh_code: Mapped[str] = mapped_column(String(10), index=True)
    full_name: Mapped[str] = mapped_column(String(120))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    gender: Mapped[int | None] = mapped_column(SmallInteger)
    nationality: Mapped[str | None] = mapped_column(String(2))
    id_type: Mapped[str | None] = mapped_column(String(10))  # cccd / cmnd / passport
    id_number: Mapped[str | None] = mapped_column(String(12))
    id_issued_on: Mapped[dt.date | None] = mapped_column(Date)
    id_issued_place: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(15))
    email: Mapped[str | None] = mapped_column(String(254))
    # The language the person wrote in (vi / en): what the officer's answer is sent in.
    locale: Mapped[str | None] = mapped_column(String(16))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("bhxh_office.id"), index=True)
    photo_path: Mapped[str | None] = mapped_column(String(255))
    photo_type: Mapped[str | None] = mapped_column(String(40))
    declared_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    deadline_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    # Tình trạng: pending / valid / invalid
    assessment: Mapped[str] = mapped_column(String(10), default="pending")
    # Trạng thái: declared / approved / rejected / no_code / expired / applied
    state: Mapped[str] = mapped_column(String(10), default="declared")
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    office: Mapped[BhxhOffice | None] = relationship()  # noqa: F821
    decided_by: Mapped[Officer | None] = relationship()  # noqa: F821

    __mapper_args__ = {"version_id_col": version}
