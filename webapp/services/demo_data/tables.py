"""The word lists and tables of the demo data, read from the JSON files in `data/`.

Names, places, employers' words, diagnoses and salaries are data, not code: they are
kept in `data/*.json` (shipped with the package) and read once, at import, into the immutable
constants below. Lists become tuples and the order of every list and mapping is kept, because
the random draws depend on it.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources
from typing import Any, NamedTuple


@cache
def load(name: str) -> Any:
    """One data file, parsed (`name` without `.json`)."""
    text = resources.files(__package__).joinpath("data", f"{name}.json").read_text("utf-8")
    return json.loads(text)


def _words(file: str, key: str) -> tuple[Any, ...]:
    return tuple(load(file)[key])


def _dated(file: str, key: str) -> tuple[tuple[dt.date, int], ...]:
    return tuple((dt.date.fromisoformat(day), value) for day, value in load(file)[key])


class ProvinceGeo(NamedTuple):
    """A current province: its administrative centre, telephone area code and local place
    names (for grassroots offices, health centres and hospitals)."""

    latitude: float
    longitude: float
    area_code: str
    places: tuple[str, ...]


class Sector(NamedTuple):
    """A branch of employers: its word in a company name, its weight among companies (0: not a
    company) and its occupations with their pay factor."""

    label: str
    weight: float
    occupations: tuple[tuple[str, float], ...]


# --- places ----------------------------------------------------------------------------------

# The six centrally-run cities among the 34 provinces (addresses say "thành phố", not "tỉnh").
CITY_CODES = frozenset(_words("places", "city_codes"))
MOUNTAIN = frozenset(_words("places", "mountain_provinces"))
PROVINCE_GEO: dict[str, ProvinceGeo] = {
    code: ProvinceGeo(geo["latitude"], geo["longitude"], geo["area_code"], tuple(geo["places"]))
    for code, geo in load("places")["provinces"].items()
}
# Approximate population of the 63 former provinces (hundred thousands): where people live.
FORMER_WEIGHTS: dict[str, float] = load("places")["former_province_weights"]
STREETS = _words("places", "streets")
COMMUNES = _words("places", "communes")
VILLAGES_MOUNTAIN = _words("places", "mountain_villages")
HAMLETS_SOUTH = _words("places", "southern_hamlets")

# --- people ----------------------------------------------------------------------------------

FAMILY_NAMES: dict[str, float] = load("people")["family_names"]
# In the south the same families are usually spelled Huỳnh and Võ.
SOUTHERN_SPELLING: dict[str, str] = load("people")["southern_spelling"]
MIDDLE_MALE: dict[str, float] = load("people")["middle_male"]
MIDDLE_FEMALE: dict[str, float] = load("people")["middle_female"]
THI_COMPOUNDS = _words("people", "thi_compounds")  # "Thị Thu", "Thị Thanh", …
GIVEN_MALE = _words("people", "given_male")
GIVEN_FEMALE = _words("people", "given_female")
# Mobile prefixes of the Vietnamese networks (Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile).
MOBILE_PREFIXES = _words("people", "mobile_prefixes")
EMAIL_DOMAINS = _words("people", "email_domains")  # reserved: no mail can reach anyone

# --- employers -------------------------------------------------------------------------------

BRANDS = _words("employers", "brands")
SECTORS: dict[str, Sector] = {
    key: Sector(s["label"], s["weight"], tuple(tuple(o) for o in s["occupations"]))
    for key, s in load("employers")["sectors"].items()
}
COMPANY_SECTORS = tuple(key for key, sector in SECTORS.items() if sector.weight)
COOPERATIVE_ACTIVITIES = _words("employers", "cooperative_activities")
# beneficiary group of an employee's card, by the kind of employer
EMPLOYEE_GROUP: dict[str, str] = load("employers")["card_group_by_kind"]
# Provinces where many people from elsewhere come to work, and how many come to each.
INDUSTRIAL = _words("employers", "industrial_provinces")
INDUSTRIAL_WEIGHTS = _words("employers", "industrial_weights")

# --- health ----------------------------------------------------------------------------------

# ICD-10 code → Vietnamese name (as in the Ministry of Health's ICD-10 list, shortened a little)
ICD10: dict[str, str] = load("health")["icd10"]
OUT_ADULT = _words("health", "outpatient_adult")
OUT_CHILD = _words("health", "outpatient_child")
OUT_FEMALE = _words("health", "outpatient_female")
CHRONIC = _words("health", "chronic")
IN_CHILD = _words("health", "inpatient_child")
IN_ADULT = _words("health", "inpatient_adult")
IN_ELDER = _words("health", "inpatient_elder")
FACILITY_BRANDS = _words("health", "facility_brands")
CENTRAL_HOSPITALS: dict[str, tuple[str, ...]] = {
    code: tuple(names) for code, names in load("health")["central_hospitals"].items()
}
UNIVERSITIES = _words("health", "universities")

# --- money -----------------------------------------------------------------------------------

# Lương cơ sở (statutory base salary) from the month it applied: the base of household BHYT,
# of pupils' and students' BHYT, and the unit of several benefits.
BASE_SALARY = _dated("money", "base_salary")
# Region I minimum wage: the cap of unemployment benefit is five times it.
REGION_MINIMUM = _dated("money", "region_minimum")

# --- content ---------------------------------------------------------------------------------

# News articles of the content file: (slug, title, summary, body) in Vietnamese, and the same
# in English for some. The FAQ is loaded from the content files by `services.content`.
NEWS: tuple[tuple[str, str, str, str, tuple[str, str, str] | None], ...] = tuple(
    (
        article["slug"],
        article["title_vi"],
        article["summary_vi"],
        article["body_vi"],
        (article["title_en"], article["summary_en"], article["body_en"])
        if "title_en" in article
        else None,
    )
    for article in json.loads(
        resources.files("webapp").joinpath("content", "news.json").read_text("utf-8")
    )
)

# --- labels ----------------------------------------------------------------------------------

OCCUPATION_BY_PROFILE: dict[str, str] = load("labels")["occupation_by_profile"]
OTHER_OCCUPATIONS = _words("labels", "other_occupations")
HOMEMAKER: str = load("labels")["homemaker"]
REJECTION_REASONS = _words("labels", "rejection_reasons")
NO_CODE_REASON: str = load("labels")["no_code_reason"]
DEMO_CITIZEN_NOTES = _words("labels", "demo_citizens")  # the first three households' heads
