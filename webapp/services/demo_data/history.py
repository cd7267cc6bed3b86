"""Quá trình tham gia: the participation periods of each scheme (BHXH, BHTN, BHTNLĐ-BNN, BHYT),
from the planned jobs and from the cover a person has outside employment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from .careers import contribution_base
from .common import DAY, add_years, base_salary, month_index, month_start, thousand
from .state import PersonDraft, Run
from .tables import PROVINCE_GEO, UNIVERSITIES

BHTN_FROM = dt.date(2009, 1, 1)  # unemployment insurance began on 1 January 2009
BHTNLD_FROM = dt.date(2016, 7, 1)  # occupational accident insurance became a fund of its own
VOLUNTARY_FROM = dt.date(2008, 1, 1)  # voluntary social insurance began on 1 January 2008

Spans = list[tuple[int, int | None]]  # BHYT cover: (first month, last month or None: ongoing)


def periods(run: Run, p: PersonDraft) -> Spans:
    """Write the person's participation periods; return the BHYT spans (for 5 years)."""
    bhyt: Spans = []
    _job_periods(run, p, bhyt)
    _childhood_cover(run, p, bhyt)
    if p.profile == "student":
        _student_cover(run, p, bhyt)
    _adult_cover(run, p, bhyt)
    return bhyt


def _period_row(
    run: Run,
    p: PersonDraft,
    scheme: str,
    s: int,
    e: int | None,
    employer_id: int | None,
    label: str | None,
    occupation: str | None,
    base: int,
) -> dict[str, Any]:
    return {
        "id": run.sinks["participation_period"].new_id(),
        "person_id": p.id,
        "scheme": scheme,
        "start_month": month_start(s),
        "end_month": None if e is None else month_start(e),
        "employer_id": employer_id,
        "unit_label": label,
        "occupation": occupation,
        "contribution_base": base,
    }


def _job_periods(run: Run, p: PersonDraft, bhyt: Spans) -> None:
    """Each job in stretches of one to four years at one base: BHXH and BHYT, BHTN since 2009
    (not for commune civil servants), BHTNLĐ-BNN since mid-2016."""
    rng = run.rng
    sink = run.sinks["participation_period"]
    bhtn_from, bhtnld_from = month_index(BHTN_FROM), month_index(BHTNLD_FROM)
    for job in p.jobs:
        s0, e0, index, occupation, factor = job[:5]
        ongoing = len(job) > 5
        emp_id, kind, _sector, _prov = run.employers[index]
        s = s0
        while s <= e0:
            e = min(s + rng.randint(12, 48) - 1, e0)
            if e0 - e < 6:
                e = e0
            base = contribution_base(run, p, s, factor)
            end = None if ongoing and e == e0 else e
            p.segments.append((s, e, base))
            row = (emp_id, None, occupation, base)
            sink.add(_period_row(run, p, "bhxh", s, end, *row))
            if kind != "commune" and e >= bhtn_from:
                sink.add(_period_row(run, p, "bhtn", max(s, bhtn_from), end, *row))
            if e >= bhtnld_from:
                sink.add(_period_row(run, p, "bhtnld", max(s, bhtnld_from), end, *row))
            sink.add(_period_row(run, p, "bhyt", s, end, *row))
            bhyt.append((s, end))
            s = e + 1


def _yearly(
    run: Run,
    p: PersonDraft,
    bhyt: Spans,
    label: str | None,
    s: int,
    e: int | None,
    step: int = 12,
    employer_id: int | None = None,
    base_fn: Callable[[int], int] | None = None,
) -> None:
    """BHYT cover from month `s` to `e` (None: ongoing) in periods of `step` months, paid by a
    unit (`employer_id`) or under `label`, on the base salary unless `base_fn` says otherwise."""
    sink = run.sinks["participation_period"]
    last = run.today_mi if e is None else e
    bhyt.append((s, e))
    while s <= last:
        seg_end = min(s + step - 1, last)
        end = None if e is None and seg_end == last else seg_end
        base = base_fn(s) if base_fn else base_salary(s)
        sink.add(_period_row(run, p, "bhyt", s, end, employer_id, label, None, base))
        s = seg_end + 1


def six_years_end(dob: dt.date) -> dt.date:
    """The last day of a child's TE card: the day before turning six, or 30 September of
    that year when the sixth birthday falls before the school year starts."""
    six = add_years(dob, 6)
    if six <= dt.date(six.year, 9, 30):
        return dt.date(six.year, 9, 30)
    return six - DAY


def _childhood_cover(run: Run, p: PersonDraft, bhyt: Spans) -> None:
    """TE until six (children born since 2009), then pupils' BHYT at school."""
    profile = p.profile
    six = six_years_end(p.dob)
    if p.age < 25 and month_index(p.dob) >= month_index(dt.date(2009, 1, 1)):
        te_end = None if profile == "child" else month_index(six)
        _yearly(run, p, bhyt, "BHYT trẻ em dưới 6 tuổi", month_index(p.dob), te_end, step=72)
    if profile in ("pupil", "student") or (profile == "poor" and p.minor):
        _school_cover(run, p, bhyt, six)


def _school_cover(run: Run, p: PersonDraft, bhyt: Spans, six: dt.date) -> None:
    """Pupils' BHYT (since 2015) through the school of each stage; a child of a poor household
    is covered as such instead, from the first school year on."""
    profile = p.profile
    start = max(month_index(six) + 1, month_index(dt.date(2015, 1, 1)))
    school_end = None
    if profile == "student":
        school_end = month_index(dt.date(p.dob.year + 18, 5, 1))
    stages = (("Tiểu học", 6, 10), ("THCS", 11, 14), ("THPT", 15, 17))
    for stage, a, b in stages:
        s = max(start, month_index(dt.date(p.dob.year + a, 9, 1)))
        e = month_index(dt.date(p.dob.year + b + 1, 8, 1))
        if school_end is not None:
            e = min(e, school_end)
        if s > run.today_mi or s > e:
            continue
        if profile == "poor":  # covered as a member of a poor household, not by school
            _yearly(run, p, bhyt, "BHYT hộ nghèo", s, None)
            return
        # a pupil still at school at 17 is covered until the card's year ends
        ongoing = e >= run.today_mi or (profile == "pupil" and stage == "THPT")
        school = run.rng.choice(run.schools[(p.province, stage)])
        _yearly(run, p, bhyt, None, s, None if ongoing else e, employer_id=school)


def _student_cover(run: Run, p: PersonDraft, bhyt: Spans) -> None:
    """Students' BHYT through their university, from September after their 18th birthday."""
    first = month_index(dt.date(p.dob.year + 18, 9, 1))
    if first <= run.today_mi:
        place = PROVINCE_GEO[p.province].places[0]
        label = f"BHYT sinh viên - {run.rng.choice(UNIVERSITIES)} {place}"
        _yearly(run, p, bhyt, label, first, None)


def _adult_cover(run: Run, p: PersonDraft, bhyt: Spans) -> None:
    """Adults outside employment: pensioners' BHYT, household (or poor, near-poor, social)
    BHYT with voluntary BHXH for some, or BHYT from the unemployment fund."""
    profile = p.profile
    if profile in ("pensioner", "veteran"):
        if p.retire <= run.today_mi:
            label = (
                "BHYT người có công với cách mạng"
                if profile == "veteran"
                else "Người hưởng lương hưu"
            )
            pension = pension_amount(run, p)
            _yearly(run, p, bhyt, label, p.retire, None, base_fn=lambda _m: pension)
    elif (
        profile
        in ("household", "voluntary", "poor", "near_poor", "social", "lump_sum", "uninsured")
        and not p.minor
    ):
        _household_cover(run, p, bhyt)
        if profile == "voluntary":
            _voluntary_periods(run, p)
    elif profile == "unemployed" and p.career_end:
        _unemployment_fund_cover(run, p, bhyt, p.career_end)


def _household_cover(run: Run, p: PersonDraft, bhyt: Spans) -> None:
    """BHYT bought for the household (or paid for the poor, the near-poor and social
    beneficiaries) since some year after the last job; the uninsured let it lapse."""
    rng = run.rng
    today_mi = run.today_mi
    profile = p.profile
    floor = (p.career_end + 1) if p.career_end else month_index(add_years(p.dob, 18))
    if profile == "social":
        floor = max(floor, month_index(add_years(p.dob, 80)))
    start = max(floor, month_index(dt.date(2012, 1, 1)) + rng.randint(0, 120))
    if profile == "lump_sum" and p.career_end:
        start = max(start, p.career_end + rng.randint(6, 14))
    start = min(start, today_mi - rng.randint(0, 6))
    end: int | None = None
    if profile == "uninsured":
        end = today_mi - rng.randint(1, 24)
        if p.career_end and end <= p.career_end + 2:
            end = None
            start = -1  # lapsed straight after the last job: no household cover at all
    label = {
        "poor": "BHYT hộ nghèo",
        "near_poor": "BHYT hộ cận nghèo",
        "social": "BHYT người hưởng trợ cấp bảo trợ xã hội",
    }.get(profile, "BHYT hộ gia đình")
    if start >= 0 and (end is None or end >= start):
        _yearly(run, p, bhyt, label, start, end)


def _voluntary_periods(run: Run, p: PersonDraft) -> None:
    """BHXH tự nguyện (since 2008) on a declared income, paid every six or twelve months."""
    rng = run.rng
    sink = run.sinks["participation_period"]
    today_mi = run.today_mi
    vs = max(
        month_index(VOLUNTARY_FROM),
        (p.career_end or 0) + 1,
        month_index(dt.date(2010, 1, 1)) + rng.randint(0, 130),
    )
    vs = min(vs, today_mi - 3)
    income = rng.uniform(1.0, 2.2)
    s = vs
    while s <= today_mi:
        seg_end = min(s + rng.choice((6, 12, 12, 12)) - 1, today_mi)
        floor_income = 1_500_000 if s >= month_index(dt.date(2022, 1, 1)) else 700_000
        base = max(floor_income, thousand(base_salary(s) * income))
        end = None if seg_end == today_mi else seg_end
        sink.add(_period_row(run, p, "bhxh", s, end, None, "BHXH tự nguyện", None, base))
        s = seg_end + 1


def _unemployment_fund_cover(run: Run, p: PersonDraft, bhyt: Spans, career_end: int) -> None:
    """BHYT paid by the unemployment fund while the benefit lasts, on the last job's base."""
    first = career_end + 2
    months = unemployment_months(p.jobs)
    e = first + months - 1
    if first <= run.today_mi:
        p.tn = (first, e)
        last_base = p.segments[-1][2]
        _yearly(
            run,
            p,
            bhyt,
            "BHYT người hưởng trợ cấp thất nghiệp",
            first,
            None if e >= run.today_mi else e,
            base_fn=lambda _m: last_base,
        )


def unemployment_months(jobs: list[list[Any]]) -> int:
    """Months of unemployment benefit: 3 for the first 36 months of BHTN, one more for each
    further 12, at most 12."""
    months = sum(j[1] - j[0] + 1 for j in jobs if j[1] >= month_index(BHTN_FROM))
    return max(3, min(12, 3 + max(0, (months - 36) // 12)))


def pension_amount(run: Run, p: PersonDraft) -> int:
    """Today's monthly pension: 45 % for the first 20 years (15 for women), +2 % a year
    beyond, at most 75 %, of the career's average base brought to today's level. Every
    pensioner has worked (`careers.plan_life`), so there are segments to average."""
    segments = p.segments
    years = sum(e - s + 1 for s, e, _b in segments) // 12
    threshold = 20 if p.gender == 1 else 15
    rate = min(75, 45 + 2 * max(0, years - threshold))
    recent = segments[-3:]
    last = sum(b for _s, _e, b in recent) / len(recent)
    at = recent[-1][0]
    today_base = base_salary(run.today_mi)
    uplift = (today_base / base_salary(at)) ** 0.7
    return max(today_base, thousand(last * rate / 100 * uplift))
