"""Hồ sơ đăng ký: pending declarations within their 10 days, decided ones, change requests, and
one declaration with a code the registry does not know."""

from __future__ import annotations

import datetime as dt
from typing import Any

from webapp.services.clock import VIETNAM

from . import names, places
from .state import PersonDraft, Run
from .tables import NO_CODE_REASON, REJECTION_REASONS

# planned state → (the officer's assessment, the dossier's state)
_OUTCOME = {
    "pending": ("pending", "declared"),
    "approved": ("valid", "approved"),
    "rejected": ("invalid", "rejected"),
    "no_code": ("valid", "no_code"),
    "change_info": ("pending", "declared"),
}


def make_dossiers(run: Run) -> None:
    """The planned dossiers (`accounts.plan_accounts`) in the order they were declared,
    numbered per year."""
    plan = sorted(run.dossier_plan, key=lambda item: item[2])
    if plan:
        plan.append(_unknown_code(run, plan[0][1]))
        plan.sort(key=lambda item: item[2])
    seq: dict[int, int] = {}
    for state, p, declared in plan:
        year = declared.astimezone(VIETNAM).year
        seq[year] = seq.get(year, 0) + 1
        _dossier(run, state, p, declared, f"HS{year}-{seq[year]:06d}")


def _unknown_code(run: Run, p0: PersonDraft) -> tuple[str, PersonDraft, dt.datetime]:
    """A declaration with a BHXH code the registry does not know: the officer guides the
    person to apply for one. The declarant is nobody in the data, a man living where `p0` does."""
    rng = run.rng
    ghost = PersonDraft()
    ghost.id = None  # type: ignore[assignment]
    dob = run.day_between(dt.date(1988, 1, 1), dt.date(1996, 12, 31))
    cccd = run.cccd(p0.former, dob, 1)
    ghost.row = dict(
        p0.row,
        bhxh_code=run.bhxh_code(p0.former),
        full_name=names.full_name(rng, 1, dob.year, names.family_name(rng, p0.province)),
        date_of_birth=dob,
        gender=1,
        cccd=cccd,
        cmnd=None,
        phone=run.mobile(),
        email=None,
    )
    ghost.province = p0.province
    return "no_code", ghost, run.now - dt.timedelta(days=rng.randint(15, 60))


def _decision(
    run: Run, state: str, p: PersonDraft, declared: dt.datetime
) -> tuple[dt.datetime | None, int | None, str | None]:
    """(decided at, by which officer, reason) of a dossier in `state`."""
    rng = run.rng
    decided_at = decided_by = reason = None
    if state == "approved":
        decided_at = p.account_created
    elif state in ("rejected", "no_code"):
        decided_at = declared + dt.timedelta(days=rng.randint(1, 9), minutes=rng.randint(5, 300))
    if decided_at is not None:
        decided_by = rng.choice(run.officer_ids)
    if state == "rejected":
        reason = rng.choice(REJECTION_REASONS)
    elif state == "no_code":
        reason = NO_CODE_REASON
    return decided_at, decided_by, reason


def _dossier(run: Run, state: str, p: PersonDraft, declared: dt.datetime, number: str) -> None:
    """Form 01 as the person declared it; a change request asks for a new phone or address."""
    rng = run.rng
    row = p.row
    kind = "change_info" if state == "change_info" else "register"
    assessment, decided_state = _OUTCOME[state]
    decided_at, decided_by, reason = _decision(run, state, p, declared)
    phone, address = row["phone"], row["address"]
    if kind == "change_info":
        if rng.random() < 0.5:
            phone = run.mobile()
        else:
            address = places.address(rng, p.province, True)
    sink = run.sinks["registration_dossier"]
    dossier: dict[str, Any] = {
        "id": sink.new_id(),
        "number": number,
        "kind": kind,
        "person_id": p.id,
        "bhxh_code": row["bhxh_code"],
        "full_name": row["full_name"],
        "date_of_birth": row["date_of_birth"],
        "gender": row["gender"],
        "nationality": "VN",
        "id_type": "cccd" if row["cccd"] else ("cmnd" if row["cmnd"] else None),
        "id_number": row["cccd"] or row["cmnd"],
        "id_issued_on": row["id_issued_on"],
        "id_issued_place": row["id_issued_place"],
        "address": address,
        "phone": phone,
        "email": row["email"],
        "office_id": rng.choice(run.offices[p.province][1:])[0],  # a grassroots office
        "photo_path": None,
        "photo_type": None,
        "declared_at": declared,
        "deadline_at": declared + dt.timedelta(days=10),
        "assessment": assessment,
        "state": decided_state,
        "reason": reason,
        "decided_at": decided_at,
        "decided_by_id": decided_by,
        "version": 1,
    }
    sink.add(dossier)
