"""The state of one generation: the random stream, the day, the rows waiting per table, the
lookups later rows need, and the persons being made."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from webapp.services.clock import VIETNAM

from .common import month_index
from .sink import new_sinks
from .tables import MOBILE_PREFIXES


class PersonDraft:
    """A person being made: the row to insert plus what their life story needs."""

    __slots__ = (
        "id",
        "row",
        "dob",
        "gender",
        "age",
        "family",
        "full_name",
        "province",
        "former",
        "household",
        "profile",
        "jobs",
        "work_start",
        "career_end",
        "rich",
        "card_mode",
        "children",
        "office_code",
        "account",
        "account_id",
        "account_created",
        "minor",
        "coef",
        "retire",
        "segments",
        "tn",
    )

    def __init__(self) -> None:
        # [start, end, employer index, occupation, pay factor] (+ "ongoing"), months as integers
        self.jobs: list[list[Any]] = []
        self.children: list[dt.date] = []
        self.rich = False  # a demo citizen: every kind of record
        self.card_mode = ""
        self.account = False
        self.account_id: int | None = None
        self.account_created: dt.datetime | None = None
        self.career_end: int | None = None
        self.work_start: int | None = None
        self.segments: list[tuple[int, int, int]] = []  # (start, end, base) of employed months
        self.tn: tuple[int, int] | None = None  # months of unemployment-fund BHYT


class Run:
    """One run: a random stream, the day it is, the rows waiting per table, and the lookups
    (offices, facilities, employers by province) that later rows need."""

    def __init__(self, seed: int, today: dt.date, password: str) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.today_mi = month_index(today)
        self.now = dt.datetime.combine(today, dt.time(10, 0), tzinfo=VIETNAM).astimezone(dt.UTC)
        self.password = password
        self.sinks = new_sinks()
        self.used_codes: set[str] = set()
        self.used_cccd: set[str] = set()
        self.used_phones: set[str] = set()
        self.people: list[PersonDraft] = []
        # province → [(id, code)] of its offices, the provincial one first
        self.offices: dict[str, list[tuple[int, str]]] = {}
        self.facilities: dict[str, list[tuple[int, str]]] = {}  # province → [(id, level)]
        self.primary_care: dict[str, list[int]] = {}  # province → ids fit for primary care
        self.hospitals: dict[str, list[int]] = {}  # province → ids that admit inpatients
        self.commune_ids: set[int] = set()  # commune health stations
        self.employers: list[tuple[int, str, str, str]] = []  # (id, kind, sector, province)
        self.employers_by: dict[tuple[str, str], list[int]] = {}  # (province, sector) → indexes
        self.employers_in: dict[str, list[int]] = {}  # province → indexes, every kind
        self.schools: dict[tuple[str, str], list[int]] = {}  # (province, stage) → employer ids
        self.officer_ids: list[int] = []
        self.dossier_plan: list[tuple[str, PersonDraft, dt.datetime]] = []

    def day_between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return dt.date.fromordinal(self.rng.randint(first.toordinal(), last.toordinal()))

    def moment(self, day: dt.date) -> dt.datetime:
        """A time in office hours of `day` in Vietnam, as an aware UTC datetime."""
        minutes = self.rng.randint(7 * 60 + 30, 17 * 60 + 30)
        local = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=VIETNAM)
        return local.astimezone(dt.UTC)

    def mobile(self) -> str:
        """A mobile number nobody else in the data has."""
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**7):07d}"
            if phone not in self.used_phones:
                self.used_phones.add(phone)
                return phone

    def bhxh_code(self, former: str) -> str:
        """A new BHXH code: the former province's two digits and eight random ones."""
        while True:
            code = former + f"{self.rng.randrange(10**8):08d}"
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def cccd(self, former: str, dob: dt.date, gender: int) -> str:
        """A new personal identification number: 0, the province, century and sex, the year of
        birth, six random digits."""
        century = (0 if dob.year < 2000 else 2) + (gender - 1)
        while True:
            number = f"0{former}{century}{dob.year % 100:02d}{self.rng.randrange(10**6):06d}"
            if number not in self.used_cccd:
                self.used_cccd.add(number)
                return number
