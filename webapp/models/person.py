"""People known to BHXH and their households (the HGĐ registry)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


class Household(db.Model):
    """Hộ gia đình: a household of the code-issuing registry (Hệ thống cấp mã số BHXH và quản lý
    BHYT hộ gia đình)."""

    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    head_name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(255))
    province_code: Mapped[str] = mapped_column(String(2), index=True)


class Person(db.Model):
    """A person with a mã số BHXH: the registry's record, whether or not they have an account."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    bhxh_code: Mapped[str] = mapped_column(String(10), unique=True)
    cccd: Mapped[str | None] = mapped_column(String(12), unique=True)
    cmnd: Mapped[str | None] = mapped_column(String(9))
    passport: Mapped[str | None] = mapped_column(String(8))
    full_name: Mapped[str] = mapped_column(String(120))
    # Lower-case, without diacritics: what name searches compare against ("nguyen van an").
    name_folded: Mapped[str] = mapped_column(String(120), index=True)
    date_of_birth: Mapped[dt.date] = mapped_column(Date, index=True)
    gender: Mapped[int] = mapped_column(SmallInteger)  # 1 male, 2 female (as on the card QR)
    nationality: Mapped[str] = mapped_column(String(2), default="VN")
    phone: Mapped[str | None] = mapped_column(String(15))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(255))
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    living_area: Mapped[str | None] = mapped_column(String(2))  # K1/K2/K3
    guardian_name: Mapped[str | None] = mapped_column(String(120))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    # The member's relation to the head, as the registry records it (quan hệ với chủ hộ): head,
    # spouse, child, parent, other. The head and the spouse are a child's parents or guardians.
    household_relation: Mapped[str | None] = mapped_column(String(10))
    managing_office_code: Mapped[str | None] = mapped_column(String(10))
    id_issued_on: Mapped[dt.date | None] = mapped_column(Date)
    id_issued_place: Mapped[str | None] = mapped_column(String(120))
    occupation: Mapped[str | None] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer, default=1)

    household: Mapped[Household | None] = relationship()
    account: Mapped[Account | None] = relationship(back_populates="person")  # noqa: F821

    @property
    def id_number(self) -> str | None:
        """The identity document shown to the citizen: CCCD, else CMND, else passport."""
        return self.cccd or self.cmnd or self.passport
