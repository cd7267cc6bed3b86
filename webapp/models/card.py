"""Thẻ BHYT: health insurance cards."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


class HealthCard(db.Model):
    """A BHYT card. The 15-character number is group (2 letters) + benefit level (1 digit) +
    province code (2 digits) + BHXH code (10 digits); see `services.cards.card_number`."""

    __tablename__ = "health_card"
    __table_args__ = (
        Index("ix_health_card_person_valid", "person_id", "valid_to"),
        # The notification scan's ranges: cards about to end, cards just begun.
        Index("ix_health_card_valid_to", "valid_to"),
        Index("ix_health_card_valid_from", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    number: Mapped[str] = mapped_column(String(15), index=True)
    group_code: Mapped[str] = mapped_column(String(2))
    benefit_level: Mapped[int] = mapped_column(SmallInteger)  # 1..5
    benefit_percent: Mapped[int] = mapped_column(SmallInteger)  # 100, 95, 80
    province_code: Mapped[str] = mapped_column(String(2))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    five_years_on: Mapped[dt.date | None] = mapped_column(Date)
    living_area: Mapped[str | None] = mapped_column(String(2))
    managing_office_code: Mapped[str] = mapped_column(String(10))

    person: Mapped[Person] = relationship()  # noqa: F821
    facility: Mapped[Facility] = relationship()  # noqa: F821
