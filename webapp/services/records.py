"""The citizen's own records: quá trình tham gia (C7), thông tin hưởng (C8), sổ KCB (C9).

Every function takes the person's id and filters by it: the caller passes the signed-in
person, never anything read from the request. Each page costs a fixed, small number of queries
that run on the composite indexes (person_id, scheme, start_month), (person_id, kind, decided_on)
and (person_id, admitted_on), whatever the number of rows a person has.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Integer, bindparam, cast, extract, func, select
from sqlalchemy.orm import contains_eager, joinedload

from webapp.extensions import db
from webapp.models import Benefit, MedicalVisit, ParticipationPeriod
from webapp.models.history import BENEFIT_KINDS, SCHEMES

# BHYT began in Vietnam in 1992 (Nghị định 299/HĐBT): no medical book year comes before it.
FIRST_BOOK_YEAR = 1992


def month_index(day: dt.date) -> int:
    """A month as one integer (year × 12 + month − 1), so that month spans are subtractions."""
    return day.year * 12 + day.month - 1


@dataclass(frozen=True)
class Duration:
    """A number of months shown as "X năm Y tháng"."""

    total_months: int

    @property
    def years(self) -> int:
        return self.total_months // 12

    @property
    def months(self) -> int:
        return self.total_months % 12


@dataclass(frozen=True)
class PeriodLine:
    """One line of the participation table: which months, where, as what, on how much."""

    start: dt.date
    end: dt.date | None  # None: still contributing ("nay")
    unit: str | None  # employer name, or the label of a non-employer unit ("Tự nguyện")
    occupation: str | None
    contribution_base: int
    months: int


@dataclass(frozen=True)
class SchemeHistory:
    """Quá trình tham gia of one scheme: the periods, newest first, and the time contributed.

    `total` counts each calendar month once: two overlapping jobs in the same month are one
    month of participation, as BHXH counts it. `overlapping` tells the page to say so.
    """

    scheme: str
    periods: list[PeriodLine]
    total: Duration
    overlapping: bool


def period_months(start: dt.date, end: dt.date | None, today: dt.date) -> tuple[int, int] | None:
    """The inclusive span of a period as month indices, an ongoing one up to today's month.

    None when the span is empty (a period that starts after today, or ends before it starts).
    """
    first = month_index(start)
    last = month_index(end) if end is not None else month_index(today)
    return (first, last) if last >= first else None


def distinct_months(spans: list[tuple[int, int]]) -> int:
    """How many calendar months the spans cover together, each month counted once."""
    total = 0
    covered_to = None  # the last month already counted
    for first, last in sorted(spans):
        if covered_to is not None and first <= covered_to:
            first = covered_to + 1
        if last >= first:
            total += last - first + 1
        covered_to = last if covered_to is None else max(covered_to, last)
    return total


def participation(person_id: int, scheme: str, today: dt.date) -> SchemeHistory:
    """The person's periods in one scheme (one query, employer joined) and their total time."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}")
    rows = db.session.scalars(
        select(ParticipationPeriod)
        .outerjoin(ParticipationPeriod.employer)
        .options(contains_eager(ParticipationPeriod.employer))
        .where(ParticipationPeriod.person_id == person_id, ParticipationPeriod.scheme == scheme)
        .order_by(ParticipationPeriod.start_month.desc(), ParticipationPeriod.id.desc())
    ).all()
    lines: list[PeriodLine] = []
    spans: list[tuple[int, int]] = []
    for row in rows:
        span = period_months(row.start_month, row.end_month, today)
        if span:
            spans.append(span)
        lines.append(
            PeriodLine(
                start=row.start_month,
                end=row.end_month,
                unit=row.employer.name if row.employer else row.unit_label,
                occupation=row.occupation,
                contribution_base=row.contribution_base,
                months=span[1] - span[0] + 1 if span else 0,
            )
        )
    total = distinct_months(spans)
    return SchemeHistory(
        scheme=scheme,
        periods=lines,
        total=Duration(total),
        overlapping=total < sum(line.months for line in lines),
    )


@dataclass
class BenefitGroup:
    """One kind of benefit (một lần, ngắn hạn, hàng tháng, thất nghiệp) and what it adds up to.

    `total` is the money received. A monthly benefit's amount is a monthly rate, so adding the
    rates of successive decisions means nothing: that group shows instead `current_monthly`, the
    rate of the decision in force today (None when none is).
    """

    kind: str
    benefits: list[Benefit] = field(default_factory=list)
    total: int = 0
    current_monthly: int | None = None


def benefits(person_id: int, today: dt.date) -> list[BenefitGroup]:
    """Thông tin hưởng: the four groups in the order of the seed, each newest first (one query)."""
    groups = {kind: BenefitGroup(kind) for kind in BENEFIT_KINDS}
    rows = db.session.scalars(
        select(Benefit)
        .where(Benefit.person_id == person_id)
        # all descending: the (person_id, kind, decided_on) index is read backwards, no sort step
        .order_by(Benefit.kind.desc(), Benefit.decided_on.desc(), Benefit.id.desc())
    ).all()
    for row in rows:
        group = groups.get(row.kind)
        if group is None:  # a kind this page does not know is not shown under a wrong heading
            continue
        group.benefits.append(row)
        group.total += row.amount
    monthly = groups["monthly"]
    in_force = [
        b
        for b in monthly.benefits
        if (b.period_from is None or b.period_from <= today)
        and (b.period_to is None or b.period_to >= today)
    ]
    monthly.current_monthly = in_force[0].amount if in_force else None
    return list(groups.values())


@dataclass(frozen=True)
class BenefitYear:
    """What was decided in one calendar year: how many benefits and their money."""

    year: int
    count: int
    total: int


@dataclass(frozen=True)
class BenefitSummary:
    """The head of the benefits page, read before any detail: the pension in force, the
    unemployment benefit (the one running today, else the latest), the money of each group and
    of each year. Monthly benefits are rates, not money received, so they are in no total."""

    monthly_pension: int | None
    unemployment: Benefit | None
    unemployment_running: bool
    totals: dict[str, int]
    years: list[BenefitYear]

    @property
    def empty(self) -> bool:
        return self.monthly_pension is None and self.unemployment is None and not self.totals


def benefit_summary(groups: list[BenefitGroup], today: dt.date) -> BenefitSummary:
    """Sum up `benefits()`'s groups (no further query): totals per group except the monthly
    one, and per year of decision, newest year first."""
    by_kind = {group.kind: group for group in groups}
    unemployment = by_kind["unemployment"].benefits[0] if by_kind["unemployment"].benefits else None
    running = unemployment is not None and (
        (unemployment.period_from is None or unemployment.period_from <= today)
        and (unemployment.period_to is None or unemployment.period_to >= today)
    )
    years: dict[int, list[int]] = {}
    for group in groups:
        if group.kind == "monthly":
            continue
        for item in group.benefits:
            count_total = years.setdefault(item.decided_on.year, [0, 0])
            count_total[0] += 1
            count_total[1] += item.amount
    return BenefitSummary(
        monthly_pension=by_kind["monthly"].current_monthly,
        unemployment=unemployment,
        unemployment_running=running,
        totals={g.kind: g.total for g in groups if g.kind != "monthly" and g.benefits},
        years=[BenefitYear(y, c, t) for y, (c, t) in sorted(years.items(), reverse=True)],
    )


@dataclass(frozen=True)
class YearTotals:
    """One year of the medical book: how many visits, what they cost, who paid what."""

    year: int
    visits: int = 0
    total_cost: int = 0
    bhyt_paid: int = 0
    patient_paid: int = 0


def _year_of(column):
    return cast(extract("year", column), Integer)


# The medical book's two queries, built once (the book is one of the most read pages).
_YEAR = _year_of(MedicalVisit.admitted_on).label("year")
_BOOK_YEARS = (
    select(
        _YEAR,
        func.count(MedicalVisit.id),
        func.coalesce(func.sum(MedicalVisit.total_cost), 0),
        func.coalesce(func.sum(MedicalVisit.bhyt_paid), 0),
        func.coalesce(func.sum(MedicalVisit.patient_paid), 0),
    )
    .where(MedicalVisit.person_id == bindparam("person_id"))
    .group_by(_YEAR)
    .order_by(_YEAR.desc())
)
_VISITS_BETWEEN = (
    select(MedicalVisit)
    .options(joinedload(MedicalVisit.facility, innerjoin=True))
    .where(
        MedicalVisit.person_id == bindparam("person_id"),
        MedicalVisit.admitted_on >= bindparam("start"),
        MedicalVisit.admitted_on < bindparam("end"),
    )
    .order_by(MedicalVisit.admitted_on.desc(), MedicalVisit.id.desc())
)


def book_years(person_id: int) -> list[YearTotals]:
    """Every year the person has visits in, newest first, with its totals: one GROUP BY query."""
    rows = db.session.execute(_BOOK_YEARS, {"person_id": person_id}).all()
    return [
        YearTotals(int(y), int(n), int(total), int(bhyt), int(own))
        for y, n, total, bhyt, own in rows
    ]


def is_book_year(year: int, today: dt.date, years: list[YearTotals]) -> bool:
    """A year the medical book can be opened at: one since BHYT began up to this year, or any
    year the person has visits in."""
    return FIRST_BOOK_YEAR <= year <= today.year or any(t.year == year for t in years)


def visits_of_year(person_id: int, year: int) -> list[MedicalVisit]:
    """The visits admitted in one year, newest first, with their facility (one query)."""
    bounds = {"start": dt.date(year, 1, 1), "end": dt.date(year + 1, 1, 1)}
    return list(db.session.scalars(_VISITS_BETWEEN, {"person_id": person_id, **bounds}))


def visit(person_id: int, visit_id: int) -> MedicalVisit | None:
    """One visit of this person, or None: another person's visit is as absent as a missing one."""
    return db.session.scalars(
        select(MedicalVisit)
        .options(joinedload(MedicalVisit.facility, innerjoin=True))
        .where(MedicalVisit.id == visit_id, MedicalVisit.person_id == person_id)
    ).first()
