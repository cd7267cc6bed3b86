"""Sổ khám chữa bệnh: BHYT-covered medical visits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


class MedicalVisit(db.Model):
    """One visit or stay paid by BHYT: facility, dates, ICD-10 diagnosis and who paid what."""

    __tablename__ = "medical_visit"
    __table_args__ = (Index("ix_medical_visit_person_date", "person_id", "admitted_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    admitted_on: Mapped[dt.date] = mapped_column(Date)
    discharged_on: Mapped[dt.date] = mapped_column(Date)
    inpatient: Mapped[bool] = mapped_column(default=False)
    icd10: Mapped[str] = mapped_column(String(8))
    diagnosis: Mapped[str] = mapped_column(String(255))
    total_cost: Mapped[int] = mapped_column(BigInteger)  # VND
    bhyt_paid: Mapped[int] = mapped_column(BigInteger)
    patient_paid: Mapped[int] = mapped_column(BigInteger)

    facility: Mapped[Facility] = relationship()  # noqa: F821
