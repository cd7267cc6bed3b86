"""Thẻ BHYT: one card per person, its group and benefit level from how the person is insured,
valid around today, expired, or (for the demo citizens) active or about to expire."""

from __future__ import annotations

import datetime as dt
from typing import Any

from webapp.services.cards import card_number

from .common import DAY, month_start
from .history import Spans, six_years_end
from .state import PersonDraft, Run
from .tables import EMPLOYEE_GROUP

# profile → (beneficiary group, benefit level); employees' group depends on their employer
GROUP_AND_LEVEL = {
    "child": ("TE", 2),
    "pupil": ("HS", 4),
    "student": ("SV", 4),
    "pensioner": ("HT", 3),
    "veteran": ("CC", 1),
    "social": ("BT", 2),
    "household": ("GD", 4),
    "voluntary": ("GD", 4),
    "lump_sum": ("GD", 4),
    "poor": ("HN", 2),
    "near_poor": ("CN", 3),
    "unemployed": ("TN", 4),
    "uninsured": ("GD", 4),
}
PERCENT_OF_LEVEL = {1: 100, 2: 100, 3: 95, 4: 80, 5: 100}  # share BHYT pays


def make_card(run: Run, p: PersonDraft, bhyt: Spans) -> dict[str, Any]:
    """Write the person's card and return its row (the visits need its level and dates)."""
    rng = run.rng
    group, level = _group_and_level(run, p, bhyt)
    valid_from, valid_to = _validity(run, p, bhyt)
    today = run.today
    issued_on = max(p.dob, min(today, valid_from - dt.timedelta(days=rng.randint(0, 20))))
    if p.profile == "child":
        issued_on = min(today, p.dob + dt.timedelta(days=rng.randint(7, 45)))
    five = _five_years_on(run, valid_to, bhyt)
    facility = rng.choice(run.primary_care.get(p.province) or [run.facilities[p.province][0][0]])
    sink = run.sinks["health_card"]
    row = {
        "id": sink.new_id(),
        "person_id": p.id,
        "number": card_number(group, level, p.province, p.row["bhxh_code"]),
        "group_code": group,
        "benefit_level": level,
        "benefit_percent": PERCENT_OF_LEVEL[level],
        "province_code": p.province,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "issued_on": issued_on,
        "facility_id": facility,
        "five_years_on": five,
        "living_area": p.row["living_area"],
        "managing_office_code": p.office_code,
    }
    sink.add(row)
    return row


def _group_and_level(run: Run, p: PersonDraft, bhyt: Spans) -> tuple[str, int]:
    """By profile; an employee's (and a lapsed employee's) group from the kind of employer."""
    profile = p.profile
    if profile == "employee":
        return EMPLOYEE_GROUP[run.employers[p.jobs[-1][2]][1]], 4
    group, level = GROUP_AND_LEVEL[profile]
    if profile == "uninsured" and p.jobs and (not bhyt or bhyt[-1][1] == p.career_end):
        group = EMPLOYEE_GROUP[run.employers[p.jobs[-1][2]][1]]  # lapsed with the last job
    return group, level


def _validity(run: Run, p: PersonDraft, bhyt: Spans) -> tuple[dt.date, dt.date]:
    """A yearly card around today, the TE card until six, or an expired one; then the demo
    citizens' cards are made active or about to expire."""
    rng = run.rng
    today = run.today
    profile = p.profile
    anniversary = rng.randint(1, 12)
    year = today.year if today.month >= anniversary else today.year - 1
    valid_from = dt.date(year, anniversary, 1)
    valid_to = dt.date(year + 1, anniversary, 1) - DAY
    last_end = bhyt[-1][1] if bhyt else None
    if profile == "child":
        valid_from, valid_to = p.dob, six_years_end(p.dob)
    elif profile in ("pupil", "poor") and p.minor:
        valid_from, valid_to = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    elif profile == "unemployed" and p.tn:  # paid by the unemployment fund while it lasts
        valid_from, valid_to = month_start(p.tn[0]), month_start(p.tn[1] + 1) - DAY
    elif profile == "uninsured" and (not bhyt or last_end is None):
        valid_to = today - dt.timedelta(days=rng.randint(15, 700))
        valid_from = max(p.dob, valid_to - dt.timedelta(days=364))
    elif bhyt and last_end is not None:  # cover ended: the card has expired
        valid_to = month_start(last_end + 1) - DAY
        valid_from = max(p.dob, min(month_start(bhyt[-1][0]), valid_to - dt.timedelta(days=364)))
    if p.card_mode == "active" and valid_to < today + dt.timedelta(days=60):
        valid_from = month_start(run.today_mi - 3)
        valid_to = month_start(run.today_mi + 9) - DAY
    elif p.card_mode == "expiring":
        valid_to = today + dt.timedelta(days=14)
        valid_from = valid_to - dt.timedelta(days=364)
    return valid_from, valid_to


def _five_years_on(run: Run, valid_to: dt.date, bhyt: Spans) -> dt.date | None:
    """Thời điểm đủ 5 năm liên tục, on a valid card: five years after the start of the last run
    of BHYT cover without a break longer than 3 months."""
    if valid_to < run.today or not bhyt:
        return None
    spans = sorted(((s, run.today_mi if e is None else e) for s, e in bhyt))
    run_start, run_end = spans[0]
    for s, e in spans[1:]:
        if s > run_end + 4:
            run_start = s
        run_end = max(run_end, e)
    return month_start(run_start + 60)
