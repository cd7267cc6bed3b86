"""Small pure helpers of the generator: months as integers, money rounding, ages, weights."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable
from functools import cache

from webapp.services.provinces import PROVINCES
from webapp.services.text import fold

from .tables import BASE_SALARY, CITY_CODES, REGION_MINIMUM

DAY = dt.timedelta(days=1)


def month_index(day: dt.date) -> int:
    """A month as one integer, so that month arithmetic is addition."""
    return day.year * 12 + day.month - 1


@cache
def month_start(index: int) -> dt.date:
    """The first day of a month index (cached: the same few hundred months are asked for
    millions of times)."""
    return dt.date(index // 12, index % 12 + 1, 1)


_BASE_SALARY_MONTHS = [month_index(day) for day, _ in BASE_SALARY]
_REGION_MINIMUM_MONTHS = [month_index(day) for day, _ in REGION_MINIMUM]


def base_salary(index: int) -> int:
    """Lương cơ sở in force in a month."""
    return BASE_SALARY[max(bisect.bisect_right(_BASE_SALARY_MONTHS, index) - 1, 0)][1]


def region_minimum(index: int) -> int:
    """The region I minimum wage in force in a month."""
    return REGION_MINIMUM[max(bisect.bisect_right(_REGION_MINIMUM_MONTHS, index) - 1, 0)][1]


def thousand(value: float) -> int:
    """Round to the nearest 1 000 ₫, as contribution bases and costs are written."""
    return int(round(value / 1000.0)) * 1000


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for a 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def age_on(dob: dt.date, today: dt.date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def cumulative(weights: Iterable[float]) -> list[float]:
    """Running totals, for `random.choices(cum_weights=…)` and bisection."""
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:110]


def province_label(code: str) -> str:
    """The province as an address or an office name says it: "thành phố Hà Nội", "tỉnh Gia Lai"."""
    return ("thành phố " if code in CITY_CODES else "tỉnh ") + PROVINCES[code]
