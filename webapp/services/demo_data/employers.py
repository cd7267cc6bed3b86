"""Employers: companies, schools, commune people's committees and co-operatives, spread over the
provinces by population, each with a unit code and a tax code of its own."""

from __future__ import annotations

import random

from webapp.services.provinces import PROVINCES, current_province
from webapp.services.text import search_text

from . import places
from .common import cumulative
from .state import Run
from .tables import (
    BRANDS,
    COMMUNES,
    COMPANY_SECTORS,
    COOPERATIVE_ACTIVITIES,
    FORMER_WEIGHTS,
    PROVINCE_GEO,
    SECTORS,
    STREETS,
)

_SECTOR_CUM = cumulative(SECTORS[s].weight for s in COMPANY_SECTORS)
_UNIT_LETTERS = "ABCDEFGHIKLMNPQRSTUVXY"
_SCHOOL_STAGES = ("Tiểu học", "THCS", "THPT")  # every province has one of each, for its pupils


def make_employers(run: Run, count: int) -> None:
    """About `count` employers, at least six per province, shared out by population."""
    weights: dict[str, float] = {code: 0.0 for code in PROVINCES}
    for former, w in FORMER_WEIGHTS.items():
        weights[current_province(former)] += w
    total = sum(weights.values())
    used_names: set[tuple[str, str]] = set()
    used_units: set[str] = set()
    for code in PROVINCES:
        n = max(6, round(count * weights[code] / total))
        for k in range(n):
            _employer(run, code, k, used_names, used_units)


def _employer(
    run: Run, code: str, k: int, used_names: set[tuple[str, str]], used_units: set[str]
) -> None:
    """The `k`-th employer of a province: the first three are its schools, one per stage."""
    rng = run.rng
    sink = run.sinks["employer"]
    if k < len(_SCHOOL_STAGES):
        kind, stage = "school", _SCHOOL_STAGES[k]
    else:
        kind = rng.choices(("company", "school", "commune", "coop"), (70, 12, 11, 7))[0]
        stage = rng.choice(("Mầm non", "Tiểu học", "THCS", "THPT"))
    emp_name, sector, commune, urban = _unique_name(rng, code, kind, stage, used_names)
    unit = _unit_code(rng, used_units)
    emp_id = sink.new_id()
    sink.add(
        {
            "id": emp_id,
            "unit_code": unit,
            "tax_code": f"{rng.choice('0123456789')}{rng.randrange(10**9):09d}",
            "name": emp_name,
            "name_folded": search_text(emp_name),
            "province_code": code,
            "address": places.address(rng, code, urban, commune),
            "active": rng.random() < 0.96,
        }
    )
    index = len(run.employers)
    run.employers.append((emp_id, kind, sector, code))
    run.employers_by.setdefault((code, sector), []).append(index)
    if kind == "school":
        run.schools.setdefault((code, stage), []).append(emp_id)
    run.employers_in.setdefault(code, []).append(index)


def _unique_name(
    rng: random.Random, code: str, kind: str, stage: str, used_names: set[tuple[str, str]]
) -> tuple[str, str, str | None, bool]:
    """(name, sector, commune, urban): a company's name is unique in the country, another
    employer's in its province (after 20 tries a repeat is let through)."""
    sector = kind
    commune, urban = None, rng.random() < 0.6
    for attempt in range(20):
        if kind == "company":
            sector = rng.choices(COMPANY_SECTORS, cum_weights=_SECTOR_CUM)[0]
            form = "Công ty TNHH" if rng.random() < 0.62 else "Công ty Cổ phần"
            emp_name = f"{form} {SECTORS[sector].label} {rng.choice(BRANDS)}"
            if attempt or rng.random() < 0.3:
                emp_name += f" {rng.choice(PROVINCE_GEO[code].places)}"
        elif kind == "school":
            if stage == "THPT" and rng.random() < 0.6:
                emp_name, commune = f"Trường THPT {rng.choice(STREETS)}", None
            else:
                commune = rng.choice(COMMUNES)
                emp_name = f"Trường {stage} {commune}"
        elif kind == "commune":
            commune, urban = rng.choice(COMMUNES), rng.random() < 0.35
            emp_name = f"UBND {'phường' if urban else 'xã'} {commune}"
        else:
            commune, urban = rng.choice(COMMUNES), False
            emp_name = f"Hợp tác xã {rng.choice(COOPERATIVE_ACTIVITIES)} {commune}"
        key = (emp_name, code) if kind != "company" else (emp_name, "")
        if key not in used_names:
            break
    used_names.add(key)
    return emp_name, sector, commune, urban


def _unit_code(rng: random.Random, used_units: set[str]) -> str:
    """A new unit code: two letters, four digits, a letter."""
    while True:
        unit = (
            rng.choice(_UNIT_LETTERS)
            + rng.choice(_UNIT_LETTERS)
            + f"{rng.randrange(10000):04d}"
            + rng.choice(_UNIT_LETTERS)
        )
        if unit not in used_units:
            used_units.add(unit)
            return unit
