"""Small builders for test data: each makes one row with sensible defaults, overridable."""

from __future__ import annotations

import datetime as dt
import itertools

from webapp.extensions import db
from webapp.models import (
    Account,
    Benefit,
    BhxhOffice,
    Employer,
    Facility,
    HealthCard,
    MedicalVisit,
    Officer,
    ParticipationPeriod,
    Person,
    RegistrationDossier,
)
from webapp.services.passwords import hash_password
from webapp.services.text import fold

PASSWORD = "Mat-khau-2026"  # noqa: S105
_seq = itertools.count(1)
_hashes: dict[str, str] = {}


def _hash(password: str) -> str:
    if password not in _hashes:
        _hashes[password] = hash_password(password)
    return _hashes[password]


def facility(**kw) -> Facility:
    n = next(_seq)
    name = kw.pop("name", f"Bệnh viện Đa khoa thử nghiệm {n}")
    row = Facility(
        code=kw.pop("code", f"01{n % 1000:03d}"),
        name=name,
        name_folded=fold(name),
        level="province",
        province_code=kw.pop("province_code", "01"),
        address="1 Đường Thử, Hà Nội",
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


def employer(**kw) -> Employer:
    n = next(_seq)
    name = kw.pop("name", f"Công ty TNHH Thử Nghiệm {n}")
    row = Employer(
        unit_code=f"TA{n:05d}",
        tax_code=f"01{n:08d}",
        name=name,
        name_folded=fold(name),
        province_code="01",
        address="2 Đường Thử, Hà Nội",
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


def person(account: bool = True, password: str = PASSWORD, **kw) -> Person:
    """A person (with an active account unless `account=False`)."""
    n = next(_seq)
    name = kw.pop("full_name", f"Nguyễn Thị Thử {n}")
    row = Person(
        bhxh_code=kw.pop("bhxh_code", f"01{n:08d}"),
        cccd=kw.pop("cccd", f"0013{n:08d}"),
        full_name=name,
        name_folded=fold(name),
        date_of_birth=kw.pop("date_of_birth", dt.date(1985, 3, 14)),
        gender=kw.pop("gender", 2),
        phone=kw.pop("phone", f"0912{n:06d}"),
        address=kw.pop("address", "Số 5, phố Thử, phường Ba Đình, Hà Nội"),
        province_code=kw.pop("province_code", "01"),
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    if account:
        now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
        db.session.add(
            Account(
                person=row,
                password_hash=_hash(password),
                status="active",
                password_changed_at=now,
                created_at=now,
            )
        )
        db.session.flush()
    return row


def card(owner: Person, **kw) -> HealthCard:
    group, level = kw.pop("group_code", "DN"), kw.pop("benefit_level", 4)
    province = kw.pop("province_code", owner.province_code)
    row = HealthCard(
        person_id=owner.id,
        number=f"{group}{level}{province}{owner.bhxh_code}",
        group_code=group,
        benefit_level=level,
        benefit_percent=kw.pop("benefit_percent", 80),
        province_code=province,
        valid_from=kw.pop("valid_from", dt.date(2026, 1, 1)),
        valid_to=kw.pop("valid_to", dt.date(2026, 12, 31)),
        issued_on=kw.pop("issued_on", dt.date(2025, 12, 20)),
        facility_id=kw.pop("facility_id", None) or facility().id,
        five_years_on=kw.pop("five_years_on", dt.date(2021, 1, 1)),
        managing_office_code=kw.pop("managing_office_code", "01000"),
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


def period(owner: Person, **kw) -> ParticipationPeriod:
    row = ParticipationPeriod(
        person_id=owner.id,
        scheme=kw.pop("scheme", "bhxh"),
        start_month=kw.pop("start_month", dt.date(2015, 1, 1)),
        end_month=kw.pop("end_month", dt.date(2019, 12, 1)),
        occupation=kw.pop("occupation", "Kế toán"),
        contribution_base=kw.pop("contribution_base", 5_000_000),
        **kw,
    )
    if "employer_id" not in kw and "unit_label" not in kw:
        row.employer_id = employer().id
    db.session.add(row)
    db.session.flush()
    return row


def visit(owner: Person, **kw) -> MedicalVisit:
    admitted = kw.pop("admitted_on", dt.date(2025, 6, 10))
    total = kw.pop("total_cost", 1_234_567)
    bhyt = kw.pop("bhyt_paid", total * 80 // 100)
    row = MedicalVisit(
        person_id=owner.id,
        facility_id=kw.pop("facility_id", None) or facility().id,
        admitted_on=admitted,
        discharged_on=kw.pop("discharged_on", admitted),
        icd10=kw.pop("icd10", "J06.9"),
        diagnosis=kw.pop("diagnosis", "Nhiễm trùng đường hô hấp trên cấp tính"),
        total_cost=total,
        bhyt_paid=bhyt,
        patient_paid=kw.pop("patient_paid", total - bhyt),
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


def benefit(owner: Person, **kw) -> Benefit:
    row = Benefit(
        person_id=owner.id,
        kind=kw.pop("kind", "short_term"),
        regime=kw.pop("regime", "sickness"),
        decided_on=kw.pop("decided_on", dt.date(2024, 5, 2)),
        period_from=kw.pop("period_from", dt.date(2024, 4, 1)),
        period_to=kw.pop("period_to", dt.date(2024, 4, 5)),
        days=kw.pop("days", 5),
        amount=kw.pop("amount", 1_500_000),
        paid_on=kw.pop("paid_on", dt.date(2024, 5, 10)),
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


# --- registration and the back-office ------------------------------------------------------------

OFFICER_PASSWORD = "Can-bo-thu-nghiem-2026"  # noqa: S105


def office(**kw) -> BhxhOffice:
    n = next(_seq)
    name = kw.pop("name", f"BHXH cơ sở Thử Nghiệm {n}")
    row = BhxhOffice(
        code=kw.pop("code", f"{kw.get('province_code', '01')}{n % 1000:03d}"),
        name=name,
        name_folded=fold(name),
        level=kw.pop("level", "commune"),
        province_code=kw.pop("province_code", "01"),
        address=kw.pop("address", f"{n} Đường Cơ Quan, Hà Nội"),
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


def officer(password: str = OFFICER_PASSWORD, **kw) -> Officer:
    """An officer (admin of every office unless `role="reviewer"` and an `office`)."""
    n = next(_seq)
    row = Officer(
        username=kw.pop("username", f"canbo{n:03d}"),
        password_hash=_hash(password),
        full_name=kw.pop("full_name", f"Cán Bộ Thử {n}"),
        role=kw.pop("role", "admin"),
        office_id=kw.pop("office_id", None),
        active=kw.pop("active", True),
        created_at=kw.pop("created_at", dt.datetime(2026, 1, 5, tzinfo=dt.UTC)),
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


def dossier(**kw) -> RegistrationDossier:
    """A declared registration dossier (form 01), declared an hour before the tests' now."""
    n = next(_seq)
    declared = kw.pop("declared_at", dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC))
    row = RegistrationDossier(
        number=kw.pop("number", f"HS2026-9{n:05d}"),
        kind=kw.pop("kind", "register"),
        bhxh_code=kw.pop("bhxh_code", f"79{n:08d}"),
        full_name=kw.pop("full_name", f"Phạm Văn Khai {n}"),
        date_of_birth=kw.pop("date_of_birth", dt.date(1990, 5, 17)),
        gender=kw.pop("gender", 1),
        nationality=kw.pop("nationality", "VN"),
        id_type=kw.pop("id_type", "cccd"),
        id_number=kw.pop("id_number", f"0790900{n:05d}"),
        id_issued_on=kw.pop("id_issued_on", dt.date(2021, 6, 1)),
        id_issued_place=kw.pop("id_issued_place", "Cục Cảnh sát QLHC về TTXH"),
        address=kw.pop("address", "12 Đường Thử, phường Bến Thành, TP Hồ Chí Minh"),
        phone=kw.pop("phone", f"0987{n:06d}"),
        email=kw.pop("email", None),
        declared_at=declared,
        deadline_at=kw.pop("deadline_at", declared + dt.timedelta(days=10)),
        assessment=kw.pop("assessment", "pending"),
        state=kw.pop("state", "declared"),
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row
