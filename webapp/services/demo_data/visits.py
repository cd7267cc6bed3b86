"""Sổ khám chữa bệnh: five years of medical visits and this year's, none in the future, more for
the young and the old; a chronic condition brings the patient back; births are inpatient
stays."""

from __future__ import annotations

import bisect
import datetime as dt
import math
from typing import Any

from .common import DAY, base_salary, cumulative, month_index, thousand
from .state import PersonDraft, Run
from .tables import (
    CHRONIC,
    ICD10,
    IN_ADULT,
    IN_CHILD,
    IN_ELDER,
    OUT_ADULT,
    OUT_CHILD,
    OUT_FEMALE,
)


def _visits_a_year(p: PersonDraft) -> list[float]:
    """Cumulative weights of 0 to 6 visits in a year, by age (the demo citizens have many)."""
    if p.rich:
        weights: tuple[float, ...] = (0, 0, 10, 30, 30, 20, 10)
    elif p.age < 6:
        weights = (10, 20, 25, 20, 12, 8, 5)
    elif p.age < 45:
        weights = (35, 30, 18, 9, 5, 2, 1)
    elif p.age < 60:
        weights = (22, 25, 22, 14, 9, 5, 3)
    else:
        weights = (10, 15, 20, 20, 15, 12, 8)
    return cumulative(weights)


def make_visits(run: Run, p: PersonDraft, card: dict[str, Any]) -> None:
    """The visits of each year from five years ago, while the card was valid (BHYT pays
    nothing once it has expired), then the births of the person's own children."""
    rng = run.rng
    today = run.today
    cum = _visits_a_year(p)
    chronic: tuple[str, ...] = ()
    if p.age >= 45 and rng.random() < (0.55 if p.age >= 60 else 0.3):
        chronic = tuple(rng.sample(CHRONIC, k=rng.choice((1, 1, 2))))
    if p.rich and p.profile == "pensioner":
        chronic = ("I10", "E11.9")
    first_year = today.year - 5
    last_day = min(today, card["valid_to"])
    for year in range(first_year, today.year + 1):
        lo = max(dt.date(year, 1, 1), p.dob)
        hi = min(dt.date(year, 12, 31), last_day)
        if hi < lo:
            continue
        n = bisect.bisect_left(cum, rng.random() * cum[-1])
        if year == today.year:
            n = round(n * (today.timetuple().tm_yday / 366))
        if n and chronic and n < 3:
            n += 1
        for _ in range(n):
            _visit(run, p, card, run.day_between(lo, hi), chronic)
    if p.gender == 2:
        for birth in p.children:
            if birth.year >= first_year and birth <= last_day:
                total = thousand(rng.uniform(2.5e6, 9e6))
                hospital = rng.choice(run.hospitals[p.province])
                stay = rng.randint(2, 4)
                _visit_row(run, p, card, hospital, birth - DAY, stay, True, "O80", total)


def _visit(
    run: Run, p: PersonDraft, card: dict[str, Any], day: dt.date, chronic: tuple[str, ...]
) -> None:
    """One visit: an inpatient stay now and then (more often for the young and the old) at a
    hospital of the province, else an outpatient visit, mostly at the card's facility."""
    rng = run.rng
    age = p.age
    inpatient = rng.random() < (0.1 if age >= 60 or age < 6 else 0.05)
    if inpatient:
        pool = IN_ELDER if age >= 60 else (IN_CHILD if age < 16 else IN_ADULT)
        code = rng.choice(chronic) if chronic and rng.random() < 0.3 else rng.choice(pool)
        facility = rng.choice(run.hospitals[p.province])
        stay = rng.randint(2, 12)
        total = thousand(min(60e6, max(2e6, math.exp(rng.gauss(15.5, 0.7)))))
    else:
        code = _outpatient_diagnosis(run, p, chronic)
        if rng.random() < 0.6:
            facility = card["facility_id"]
        else:
            facility = rng.choice(run.facilities[p.province])[0]
        stay = 0
        total = thousand(min(2e6, max(1e5, math.exp(rng.gauss(12.9, 0.6)))))
    _visit_row(run, p, card, facility, day, stay, inpatient, code, total)


def _outpatient_diagnosis(run: Run, p: PersonDraft, chronic: tuple[str, ...]) -> str:
    rng = run.rng
    if chronic and rng.random() < 0.55:
        return rng.choice(chronic)
    if p.age < 16:
        return rng.choice(OUT_CHILD)
    if p.gender == 2 and rng.random() < 0.12:
        return rng.choice(OUT_FEMALE)
    return rng.choice(OUT_ADULT)


def _visit_row(
    run: Run,
    p: PersonDraft,
    card: dict[str, Any],
    facility: int,
    day: dt.date,
    stay: int,
    inpatient: bool,
    code: str,
    total: int,
) -> None:
    """BHYT pays the card's share; a visit costing under 15 % of the base salary, or one at a
    commune health station, is paid in full."""
    out = min(day + dt.timedelta(days=stay), run.today)
    share = card["benefit_percent"]
    small = not inpatient and total < 0.15 * base_salary(month_index(day))
    if facility in run.commune_ids or small:
        share = 100
    paid = total * share // 100
    sink = run.sinks["medical_visit"]
    sink.add(
        {
            "id": sink.new_id(),
            "person_id": p.id,
            "facility_id": facility,
            "admitted_on": day,
            "discharged_on": out,
            "inpatient": inpatient,
            "icd10": code,
            "diagnosis": ICD10[code],
            "total_cost": total,
            "bhyt_paid": paid,
            "patient_paid": total - paid,
        }
    )
