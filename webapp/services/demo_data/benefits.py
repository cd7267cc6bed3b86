"""Chế độ đã hưởng: sickness and convalescence while employed, maternity at the births of the
person's children, unemployment between jobs, a pension or a lump sum at the end."""

from __future__ import annotations

import datetime as dt

from .common import DAY, base_salary, month_index, month_start, region_minimum, thousand
from .history import pension_amount, unemployment_months
from .state import PersonDraft, Run


def _benefit(
    run: Run,
    p: PersonDraft,
    kind: str,
    regime: str,
    decided: dt.date,
    start: dt.date | None,
    end: dt.date | None,
    days: int | None,
    amount: int,
    paid: dt.date | None,
) -> None:
    """Write one benefit, unless it would be decided after today; unpaid until its day."""
    if decided > run.today:
        return
    sink = run.sinks["benefit"]
    sink.add(
        {
            "id": sink.new_id(),
            "person_id": p.id,
            "kind": kind,
            "regime": regime,
            "decided_on": decided,
            "period_from": start,
            "period_to": end,
            "days": days,
            "amount": amount,
            "paid_on": paid if paid is not None and paid <= run.today else None,
            "office_code": p.office_code,
        }
    )


def make_benefits(run: Run, p: PersonDraft) -> None:
    """Every benefit of a person who has contributed (employed segments)."""
    if not p.segments:
        return
    _sickness(run, p)
    _maternity(run, p)
    _unemployment_between_jobs(run, p)
    if p.profile in ("pensioner", "veteran") and p.retire <= run.today_mi:
        _pension(run, p)
    elif p.profile == "lump_sum" and p.career_end is not None:
        _lump_sum(run, p, p.career_end)


def _sickness(run: Run, p: PersonDraft) -> None:
    """Sick leave in some years of the last twelve (75 % of the base), sometimes followed by
    convalescence; a demo citizen always has one."""
    rng = run.rng
    today = run.today
    segments = p.segments
    sickness_rate = 0.35 if p.rich else 0.09
    first_year = max(month_start(segments[0][0]).year, today.year - 12)
    had_sickness = False
    for s, e, base in segments:
        for year in range(max(month_start(s).year, first_year), month_start(e).year + 1):
            if rng.random() >= sickness_rate:
                continue
            lo = max(month_start(s), dt.date(year, 1, 1))
            hi = min(month_start(e + 1) - DAY, dt.date(year, 12, 31), today - 60 * DAY)
            if hi <= lo:
                continue
            start = run.day_between(lo, hi)
            days = rng.randint(2, 12)
            end = start + dt.timedelta(days=days + days // 5)
            decided = end + dt.timedelta(days=rng.randint(15, 45))
            amount = thousand(base / 24 * days * 0.75)
            paid = decided + dt.timedelta(days=rng.randint(2, 10))
            _benefit(run, p, "short_term", "sickness", decided, start, end, days, amount, paid)
            had_sickness = True
            if rng.random() < 0.15:
                _convalescence(run, p, end, rng.randint(5, 10))
    if p.rich and not had_sickness:  # the demo shows every kind of record
        s, e, base = segments[-1]
        last = min(month_start(e + 1) - DAY, today - 60 * DAY)
        start = max(month_start(s), last - 150 * DAY)
        amount = thousand(base / 24 * 5 * 0.75)
        decided, end, paid = start + 30 * DAY, start + 5 * DAY, start + 36 * DAY
        _benefit(run, p, "short_term", "sickness", decided, start, end, 5, amount, paid)


def _maternity(run: Run, p: PersonDraft) -> None:
    """A mother's six months (and a lump sum of two base salaries) at each birth since 2005 in
    a contributing month; a father's days off when his wife gives birth, since 2016."""
    rng = run.rng
    for birth in p.children:
        if birth < dt.date(2005, 1, 1):  # older benefits are not in the electronic records
            continue
        bmi = month_index(birth)
        seg = next(
            (sg for sg in p.segments if sg[0] <= bmi - 6 <= sg[1] or sg[0] <= bmi <= sg[1]), None
        )
        if seg is None:
            continue
        base = seg[2]
        if p.gender == 2:
            start = birth - dt.timedelta(days=rng.randint(0, 45))
            end = start + dt.timedelta(days=182)
            amount = thousand(base * 6 + 2 * base_salary(bmi))
            decided = birth + dt.timedelta(days=rng.randint(30, 75))
            paid = decided + dt.timedelta(days=rng.randint(3, 12))
            _benefit(run, p, "short_term", "maternity", decided, start, end, 180, amount, paid)
            if rng.random() < 0.35:
                _convalescence(run, p, end, rng.randint(5, 10))
        elif rng.random() < 0.6 and birth >= dt.date(2016, 1, 1):
            days = rng.choice((5, 5, 7, 10, 14))
            decided = birth + dt.timedelta(days=rng.randint(20, 60))
            end = birth + dt.timedelta(days=days)
            amount = thousand(base / 24 * days)
            paid = decided + dt.timedelta(days=rng.randint(3, 12))
            _benefit(run, p, "short_term", "maternity", decided, birth, end, days, amount, paid)


def _convalescence(run: Run, p: PersonDraft, after: dt.date, days: int) -> None:
    """Dưỡng sức phục hồi sức khỏe: 30 % of the base salary a day."""
    start = after + DAY
    decided = start + dt.timedelta(days=days + run.rng.randint(10, 30))
    amount = thousand(0.3 * base_salary(month_index(start)) * days)
    end = start + dt.timedelta(days=days - 1)
    paid = decided + dt.timedelta(days=run.rng.randint(2, 8))
    _benefit(run, p, "short_term", "convalescence", decided, start, end, days, amount, paid)


def _unemployment_between_jobs(run: Run, p: PersonDraft) -> None:
    """Unemployment benefit after a finished job of a year or more since 2010: a quarter of
    the gaps of four months or more between jobs, and the currently unemployed."""
    rng = run.rng
    jobs = p.jobs
    for i, job in enumerate(jobs):
        if len(job) > 5:  # ongoing
            continue
        gap_end = jobs[i + 1][0] if i + 1 < len(jobs) else None
        ended = job[1]
        if ended < month_index(dt.date(2010, 1, 1)) or ended - job[0] < 12:
            continue
        last = i + 1 == len(jobs)
        if last and p.profile != "unemployed":
            continue
        if not last and (gap_end is None or gap_end - ended < 4 or rng.random() > 0.25):
            continue
        _unemployment(run, p, jobs[: i + 1], ended, gap_end)


def _unemployment(
    run: Run, p: PersonDraft, jobs: list[list], ended: int, next_job: int | None
) -> None:
    """Trợ cấp thất nghiệp: 60 % of the last six months' average base, at most five region-I
    minimum wages, for 3 months plus one per further 12 months contributed (12 at most), and
    never into the next job (which starts four months after the last at the earliest).
    `amount` is the total paid for the whole period."""
    rng = run.rng
    months = unemployment_months(jobs)
    if next_job is not None:
        months = min(months, next_job - ended - 2)
    recent = [b for s, _e, b in p.segments if s <= ended][-2:]
    monthly = min(thousand(0.6 * sum(recent) / len(recent)), 5 * region_minimum(ended))
    decided = min(month_start(ended + 1) + dt.timedelta(days=rng.randint(15, 35)), run.today - DAY)
    start = decided + DAY
    end = month_start(month_index(start) + months) + dt.timedelta(days=start.day - 2)
    paid = decided + dt.timedelta(days=rng.randint(5, 12))
    _benefit(
        run, p, "unemployment", "unemployment", decided, start, end, None, monthly * months, paid
    )


def _pension(run: Run, p: PersonDraft) -> None:
    """Lương hưu hằng tháng from the month of pension age, last paid on the 5th."""
    rng = run.rng
    today = run.today
    start = month_start(p.retire)
    decided = start - dt.timedelta(days=rng.randint(10, 25))
    if today.day >= 5:
        paid = dt.date(today.year, today.month, 5)
    else:
        paid = month_start(run.today_mi - 1) + 4 * DAY
    amount = pension_amount(run, p)
    _benefit(run, p, "monthly", "pension", decided, start, None, None, amount, paid)


def _lump_sum(run: Run, p: PersonDraft, career_end: int) -> None:
    """BHXH một lần a year after the last job: 1.5 months of the average base per year
    contributed until 2013, 2 months per year since."""
    rng = run.rng
    segments = p.segments
    months_before = sum(
        max(0, min(e, month_index(dt.date(2013, 12, 1))) - s + 1) for s, e, _b in segments
    )
    months_after = sum(e - s + 1 for s, e, _b in segments) - months_before
    avg = sum(b * (e - s + 1) for s, e, b in segments) / max(1, months_before + months_after)
    amount = thousand(avg * (1.5 * months_before + 2 * months_after) / 12)
    decided = month_start(career_end + 13) + dt.timedelta(days=rng.randint(0, 20))
    if decided > run.today:
        decided = run.today - dt.timedelta(days=rng.randint(1, 30))
    start, end = month_start(segments[0][0]), month_start(career_end)
    paid = decided + dt.timedelta(days=rng.randint(3, 10))
    _benefit(run, p, "one_time", "lump_sum", decided, start, end, None, amount, paid)
