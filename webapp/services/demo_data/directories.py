"""Directories: BHXH offices, health facilities (CSKCB), collection points and agents, province
by province, then the employers (`employers.py`)."""

from __future__ import annotations

import random

from webapp.services.provinces import PROVINCES
from webapp.services.text import search_text

from . import places
from .common import province_label
from .employers import make_employers
from .state import Run
from .tables import CENTRAL_HOSPITALS, COMMUNES, FACILITY_BRANDS, PROVINCE_GEO


def make_directories(run: Run, persons: int) -> None:
    """Offices, facilities and collection points of every province, then the employers."""
    for code in PROVINCES:
        _offices(run, code)
        _facilities(run, code)
        _collection_points(run, code)
    make_employers(run, 300 + persons // 40)
    run.commune_ids = {
        fid for fac_list in run.facilities.values() for fid, level in fac_list if level == "commune"
    }


def _offices(run: Run, code: str) -> None:
    """The provincial office, then 1–3 grassroots offices (BHXH cơ sở)."""
    rng = run.rng
    sink = run.sinks["bhxh_office"]
    local_places = PROVINCE_GEO[code].places
    label = province_label(code)
    office_list: list[tuple[int, str]] = []
    grassroots = rng.sample(local_places, k=min(len(local_places), rng.randint(1, 3)))
    for k, place in enumerate([None, *grassroots]):
        office_id = sink.new_id()
        office_code = f"{code}{k:03d}"
        office_name = f"BHXH {label}" if place is None else f"BHXH cơ sở {place}"
        lat, lon = PROVINCE_GEO[code].latitude, PROVINCE_GEO[code].longitude
        if place is not None:
            lat, lon = places.near(rng, code, 0.35)
        sink.add(
            {
                "id": office_id,
                "code": office_code,
                "name": office_name,
                "name_folded": search_text(office_name),
                "level": "province" if place is None else "commune",
                "province_code": code,
                "address": places.address(rng, code, True),
                "phone": places.landline(rng, code),
                "latitude": lat,
                "longitude": lon,
            }
        )
        office_list.append((office_id, office_code))
    run.offices[code] = office_list


def _facility_plan(
    rng: random.Random, code: str
) -> tuple[list[tuple[str, str]], dict[str, tuple[str, bool]]]:
    """The province's CSKCB as (name, kind), and the commune health stations' (commune, urban)."""
    local_places = PROVINCE_GEO[code].places
    label = province_label(code)
    plan: list[tuple[str, str]] = [(n, "central") for n in CENTRAL_HOSPITALS.get(code, ())]
    plan.append((f"Bệnh viện Đa khoa {label}", "province"))
    plan.append((f"Bệnh viện Sản - Nhi {label}", "province"))
    if rng.random() < 0.5:
        plan.append((f"Bệnh viện Y dược cổ truyền {label}", "province"))
    for place in rng.sample(local_places, k=2):
        plan.append((f"Trung tâm Y tế khu vực {place}", "district"))
    if rng.random() < 0.5:
        plan.append((f"Bệnh viện Đa khoa khu vực {rng.choice(local_places)}", "district"))
    for brand in rng.sample(FACILITY_BRANDS, k=rng.randint(1, 2)):
        plan.append((f"Phòng khám Đa khoa {brand}", "private"))
    stations: dict[str, tuple[str, bool]] = {}  # name → (commune, urban)
    for commune in rng.sample(COMMUNES, k=rng.randint(2, 3)):
        urban = rng.random() < 0.4
        fac_name = f"Trạm Y tế {'phường' if urban else 'xã'} {commune}"
        plan.append((fac_name, "commune"))
        stations[fac_name] = (commune, urban)
    return plan, stations


def _facilities(run: Run, code: str) -> None:
    """Health facilities (CSKCB): which have a BHYT contract, which issue sick-leave papers,
    which can be chosen for primary care and which admit inpatients."""
    rng = run.rng
    sink = run.sinks["facility"]
    plan, stations = _facility_plan(rng, code)
    seq = 0
    fac_list: list[tuple[int, str]] = []
    for fac_name, kind in plan:
        seq += rng.randint(1, 12)
        fac_id = sink.new_id()
        level = "district" if kind == "private" else kind
        contract = rng.random() < (0.7 if kind == "private" else 0.97)
        sick_leave = kind in ("central", "province", "district") or (
            kind == "private" and rng.random() < 0.5
        )
        lat, lon = places.near(rng, code, 0.05 if kind in ("central", "province") else 0.4)
        commune, urban = stations.get(fac_name, (None, True))
        sink.add(
            {
                "id": fac_id,
                "code": f"{code}{seq:03d}",
                "name": fac_name,
                "name_folded": search_text(fac_name),
                "level": level,
                "province_code": code,
                "address": places.address(rng, code, urban, commune),
                "phone": places.landline(rng, code),
                "has_bhyt_contract": contract,
                "issues_sick_leave": sick_leave,
                "latitude": lat,
                "longitude": lon,
            }
        )
        fac_list.append((fac_id, level))
        if contract and level in ("district", "commune"):
            run.primary_care.setdefault(code, []).append(fac_id)
        if level != "commune":
            run.hospitals.setdefault(code, []).append(fac_id)
    run.facilities[code] = fac_list


def _collection_point_name(rng: random.Random, code: str) -> tuple[str, str, bool, str | None]:
    """(name, kind, urban, commune) of a collection point (điểm thu) or agent (đại lý thu)."""
    commune: str | None = rng.choice(COMMUNES)
    choice = rng.randrange(5)
    if choice == 0:
        return f"Bưu điện văn hóa xã {commune}", "point", False, commune
    if choice == 1:
        place = rng.choice(PROVINCE_GEO[code].places)
        return f"Điểm thu Bưu điện {place}", "point", True, None
    if choice == 2:
        return f"Đại lý thu UBND xã {commune}", "agent", False, commune
    if choice == 3:
        return f"Đại lý thu Hội Liên hiệp Phụ nữ phường {commune}", "agent", True, commune
    return f"Đại lý thu Hội Nông dân xã {commune}", "agent", False, commune


def _collection_points(run: Run, code: str) -> None:
    """Three to six collection points and agents, each name once."""
    rng = run.rng
    sink = run.sinks["collection_point"]
    point_names: set[str] = set()
    k = 0
    while k < 3 or (k < 6 and rng.random() < 0.6):
        cp_name, kind, urban, commune = _collection_point_name(rng, code)
        if cp_name in point_names:
            continue
        point_names.add(cp_name)
        k += 1
        sink.add(
            {
                "id": sink.new_id(),
                "code": f"{'DT' if kind == 'point' else 'DL'}{code}{k:04d}",
                "name": cp_name,
                "name_folded": search_text(cp_name),
                "kind": kind,
                "province_code": code,
                "address": places.address(rng, code, urban, commune),
                "phone": run.mobile() if kind == "agent" else places.landline(rng, code),
            }
        )
