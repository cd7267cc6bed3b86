"""Participation history (quá trình tham gia) and benefits received (thông tin hưởng)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db

SCHEMES = ("bhxh", "bhtn", "bhtnld", "bhyt")
BENEFIT_KINDS = ("one_time", "short_term", "monthly", "unemployment")


class ParticipationPeriod(db.Model):
    """One period of contributions to one scheme with one employer (or voluntary/household)."""

    __tablename__ = "participation_period"
    __table_args__ = (
        Index("ix_participation_person_scheme", "person_id", "scheme", "start_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    scheme: Mapped[str] = mapped_column(String(8))  # one of SCHEMES
    start_month: Mapped[dt.date] = mapped_column(Date)  # first day of the first month
    end_month: Mapped[dt.date | None] = mapped_column(
        Date
    )  # first day of the last month; None = ongoing
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    unit_label: Mapped[str | None] = mapped_column(String(200))  # when not an employer: "Tự nguyện"
    occupation: Mapped[str | None] = mapped_column(String(120))
    contribution_base: Mapped[int] = mapped_column(BigInteger)  # VND per month (mức đóng)

    employer: Mapped[Employer | None] = relationship()  # noqa: F821


class Benefit(db.Model):
    """A benefit decided and paid (chế độ đã hưởng)."""

    __tablename__ = "benefit"
    __table_args__ = (
        Index("ix_benefit_person_kind", "person_id", "kind", "decided_on"),
        Index("ix_benefit_paid_on", "paid_on"),  # the notification scan: benefits just paid
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(14))  # one of BENEFIT_KINDS
    # within a kind: sickness / maternity / convalescence, pension, lump_sum, unemployment
    regime: Mapped[str] = mapped_column(String(16))
    decided_on: Mapped[dt.date] = mapped_column(Date)
    period_from: Mapped[dt.date | None] = mapped_column(Date)
    period_to: Mapped[dt.date | None] = mapped_column(Date)
    days: Mapped[int | None] = mapped_column()
    amount: Mapped[int] = mapped_column(BigInteger)  # VND; monthly amount for monthly benefits
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
    office_code: Mapped[str | None] = mapped_column(String(10))
