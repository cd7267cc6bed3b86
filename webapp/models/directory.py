"""Public directories: BHXH offices, health facilities (CSKCB), employers, collection points."""

from __future__ import annotations

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class BhxhOffice(db.Model):
    """Cơ quan BHXH: a provincial or grassroots social-insurance office."""

    __tablename__ = "bhxh_office"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    level: Mapped[str] = mapped_column(String(10))  # province / commune
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    address: Mapped[str] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(20))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


class Facility(db.Model):
    """CSKCB: a health facility; some hold a BHYT contract, some issue sick-leave certificates."""

    __tablename__ = "facility"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(5), unique=True)  # 2-digit province + 3 digits
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    level: Mapped[str] = mapped_column(String(20))  # central / province / district / commune
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    address: Mapped[str] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(20))
    has_bhyt_contract: Mapped[bool] = mapped_column(default=True, index=True)
    issues_sick_leave: Mapped[bool] = mapped_column(default=False, index=True)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)


class Employer(db.Model):
    """Đơn vị tham gia BHXH: an employer that pays contributions for its staff."""

    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(10), unique=True)
    tax_code: Mapped[str] = mapped_column(String(14), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    address: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)


class CollectionPoint(db.Model):
    """Điểm thu, đại lý thu: where households pay voluntary BHXH and household BHYT."""

    __tablename__ = "collection_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # point / agent
    province_code: Mapped[str] = mapped_column(String(2), index=True)
    address: Mapped[str] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(20))
