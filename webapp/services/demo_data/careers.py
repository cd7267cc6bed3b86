"""Careers: the jobs a person held, planned before any row is written (the person's occupation
shows the current one), and what they earned in them."""

from __future__ import annotations

import bisect
import datetime as dt

from .common import base_salary, cumulative, month_index, thousand
from .state import PersonDraft, Run
from .tables import INDUSTRIAL, INDUSTRIAL_WEIGHTS, SECTORS

RECORDS_FROM = dt.date(1985, 1, 1)  # the earliest month a history here starts
_INDUSTRIAL_CUM = cumulative(INDUSTRIAL_WEIGHTS)


def retirement_month(dob: dt.date, gender: int) -> int:
    """The month a person reaches pension age: 60 and 55 until 2020, then rising by 3 months
    (men) or 4 months (women) a year towards 62 and 60."""
    years, step, cap = (60, 3, 24) if gender == 1 else (55, 4, 60)
    reach = dob.year + years
    extra = 0 if reach < 2021 else min(cap, (reach - 2020) * step)
    return month_index(dob) + years * 12 + extra + 1


def plan_life(run: Run, p: PersonDraft) -> None:
    """The jobs of the person's working life, by profile: still at work, retired, out of work
    lately, paid out, or outside employment after some years of it."""
    rng = run.rng
    today_mi = run.today_mi
    profile = p.profile
    if profile in ("child", "pupil", "student"):
        return
    if profile == "poor" and p.minor:
        return
    start = month_index(p.dob) + rng.randint(18 * 12, 24 * 12)
    first = RECORDS_FROM if profile in ("pensioner", "veteran") else dt.date(1995, 1, 1)
    start = max(start, month_index(first))
    p.work_start = start
    p.coef = rng.uniform(2.5, 3.3)
    if profile == "employee":
        plan_jobs(run, p, min(start, today_mi - rng.randint(0, 3)), today_mi, ongoing=True)
    elif profile in ("pensioner", "veteran"):
        plan_jobs(run, p, start, p.retire - 1, ongoing=False)
    elif profile == "unemployed":
        end = today_mi - rng.randint(3, 9)
        if end - start >= 14:
            plan_jobs(run, p, start, end, ongoing=False, min_last=12)
    elif profile == "lump_sum":
        end = today_mi - rng.randint(14, 150)
        if end - start >= 24:
            plan_jobs(run, p, start, end, ongoing=False)
    elif profile in ("household", "voluntary", "uninsured", "poor", "near_poor", "social"):
        if p.rich or rng.random() < (0.6 if profile == "voluntary" else 0.35):
            end = today_mi - rng.randint(18, 200)
            if end - start >= 12:
                plan_jobs(run, p, start, end, ongoing=False)
    if p.jobs:
        p.career_end = p.jobs[-1][1]
    elif profile in ("unemployed", "lump_sum"):
        p.profile = "household"


def _pick_employer(run: Run, p: PersonDraft, last_sector: str | None) -> int:
    """An employer index: at home or, one time in eight, in an industrial province; often in
    the sector of the last job."""
    rng = run.rng
    province = p.province
    if rng.random() < 0.12:
        draw = rng.random() * _INDUSTRIAL_CUM[-1]
        province = INDUSTRIAL[bisect.bisect_left(_INDUSTRIAL_CUM, draw)]
    if last_sector and rng.random() < 0.6:
        pool = run.employers_by.get((province, last_sector))
        if pool:
            return rng.choice(pool)
    return rng.choice(run.employers_in[province])


def plan_jobs(
    run: Run, p: PersonDraft, start: int, end: int, *, ongoing: bool, min_last: int = 0
) -> None:
    """Consecutive jobs from `start` to `end` (month indexes), with short gaps between them."""
    rng = run.rng
    s = start
    last_sector = None
    occupation = None
    while s <= end:
        length = rng.randint(24, 84) if p.rich else int(rng.expovariate(1 / 66)) + 6
        e = min(s + length - 1, end)
        if end - e < 6:  # do not leave a stub of a job at the end
            e = end
        index = _pick_employer(run, p, last_sector)
        _emp_id, _kind, sector, _prov = run.employers[index]
        if sector != last_sector or occupation is None or rng.random() < 0.3:
            occupation, factor = rng.choice(SECTORS[sector].occupations)
        p.jobs.append([s, e, index, occupation, factor])
        last_sector = sector
        gap = 0 if rng.random() < 0.55 else rng.randint(1, 14)
        s = e + 1 + gap
    if min_last and p.jobs and p.jobs[-1][1] - p.jobs[-1][0] + 1 < min_last:
        _stretch_last_job(p.jobs, start, min_last)
    if ongoing and p.jobs:
        p.jobs[-1].append("ongoing")


def _stretch_last_job(jobs: list[list], start: int, min_last: int) -> None:
    """Make the last job last `min_last` months (what unemployment benefit asks for), cutting
    into the one before."""
    jobs[-1][0] = max(start, jobs[-1][1] - min_last + 1)
    if len(jobs) > 1 and jobs[-2][1] >= jobs[-1][0]:
        jobs[-2][1] = jobs[-1][0] - 1
        if jobs[-2][1] < jobs[-2][0]:
            del jobs[-2]


def contribution_base(run: Run, p: PersonDraft, mi: int, factor: float) -> int:
    """Mức đóng: the base salary times a personal, occupational and seniority coefficient,
    capped at 20 base salaries as the law caps it."""
    base = base_salary(mi)
    years = (mi - (p.work_start or mi)) / 12
    value = base * p.coef * factor * min(1.9, 1 + 0.03 * years) * run.rng.uniform(0.96, 1.06)
    return min(thousand(value), 20 * base)
