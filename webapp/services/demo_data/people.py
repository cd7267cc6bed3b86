"""Households and their members: a head, often a spouse, children, sometimes a grandparent;
each person with a BHXH code, identity papers, a phone and an e-mail address for many, and a
profile that decides how they are insured today."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from webapp.services.provinces import FORMER_PROVINCES, current_province
from webapp.services.text import fold

from . import names, places
from .careers import plan_life, retirement_month
from .common import DAY, add_years, age_on, cumulative
from .state import PersonDraft, Run
from .tables import (
    CITY_CODES,
    EMAIL_DOMAINS,
    FORMER_WEIGHTS,
    HOMEMAKER,
    INDUSTRIAL,
    MOUNTAIN,
    OCCUPATION_BY_PROFILE,
    OTHER_OCCUPATIONS,
)

_FORMER_CODES = list(FORMER_WEIGHTS)
_FORMER_CUM = cumulative(FORMER_WEIGHTS.values())


class Home(NamedTuple):
    """What the members of a household share."""

    household_id: int
    former: str  # the former province where the household's BHXH codes were issued
    province: str  # the province it lives in today
    address: str
    office: str  # code of the BHXH office that manages its members
    poor: bool
    near_poor: bool


def _demo_heads(today: dt.date) -> list[dict[str, Any]]:
    """The heads of the first three households: the demo citizens, one per kind of record."""
    return [
        {
            "former": "01",
            "gender": 1,
            "dob": dt.date(today.year - 38, 4, 17),
            "profile": "employee",
            "card_mode": "active",
        },
        {
            "former": "48",
            "gender": 2,
            "dob": dt.date(today.year - 49, 9, 2),
            "profile": "voluntary",
            "card_mode": "expiring",
        },
        {
            "former": "79",
            "gender": 1,
            "dob": dt.date(today.year - 67, 2, 11),
            "profile": "pensioner",
            "card_mode": "active",
        },
    ]


def populate(run: Run, count: int) -> None:
    """Households and their members; the first three households hold the demo citizens."""
    forced = _demo_heads(run.today)
    households = run.sinks["household"]
    while len(run.people) < count:
        force = forced.pop(0) if forced else None
        members = _household(run, force)
        for p in members[: count - len(run.people)]:
            run.people.append(p)
        households.add(members[0].household)
    households.flush()
    sink = run.sinks["person"]
    for p in run.people:
        sink.add(p.row)
    sink.flush()


def _household(run: Run, force: dict | None) -> list[PersonDraft]:
    """A household where it is likely to live, its head, and the family around the head."""
    rng = run.rng
    former = force["former"] if force else rng.choices(_FORMER_CODES, cum_weights=_FORMER_CUM)[0]
    province = current_province(former)
    hh_id = run.sinks["household"].new_id()
    urban = rng.random() < (0.7 if province in CITY_CODES else 0.3)
    address = places.address(rng, province, urban)
    poor = rng.random() < 0.05
    near_poor = not poor and rng.random() < 0.03
    office = rng.choice(run.offices[province][1:])[1]
    if force:
        head_gender, head_dob = force["gender"], force["dob"]
    else:
        head_gender = 1 if rng.random() < 0.72 else 2
        year = round(rng.triangular(1950, 2001, 1978))
        head_dob = run.day_between(dt.date(year, 1, 1), dt.date(year, 12, 31))
    family = names.family_name(rng, province)
    home = Home(hh_id, former, province, address, office, poor, near_poor)
    head = _person(run, home, head_gender, head_dob, family, migrant=True, force=force)
    spouse = _spouse(run, head, home)
    members = [head] if spouse is None else [head, spouse]
    members += _children(run, head, spouse, home)
    grandparent = _grandparent(run, head, home)
    if grandparent is not None:
        members.append(grandparent)
    for member in members:  # the relation to the head, as the registry records it
        member.row["household_relation"] = (
            "head"
            if member is head
            else "spouse"
            if member is spouse
            else "parent"
            if member is grandparent
            else "child"
        )
    head.household = {
        "id": hh_id,
        "code": f"HG{former}{hh_id:07d}",
        "head_name": head.full_name,
        "address": address,
        "province_code": province,
    }
    return members


def _spouse(run: Run, head: PersonDraft, home: Home) -> PersonDraft | None:
    """Four heads in five from 22 have a spouse of about their age, at least 18."""
    rng = run.rng
    if not (head.age >= 22 and rng.random() < 0.8):
        return None
    gap = rng.randint(0, 6)
    sdob = add_years(head.dob, gap if head.gender == 1 else -gap)
    sdob = min(
        sdob + dt.timedelta(days=rng.randint(-150, 150)),
        run.today - dt.timedelta(days=18 * 366),
    )
    if sdob.year < 1950:
        return None
    family = names.family_name(rng, home.province)
    return _person(run, home, 3 - head.gender, sdob, family, migrant=True)


def _children(
    run: Run, head: PersonDraft, spouse: PersonDraft | None, home: Home
) -> list[PersonDraft]:
    """One to four children, born to the mother between 20 and 40, none in the last 45 days;
    they carry the father's family name and the head as guardian."""
    rng = run.rng
    father = head if head.gender == 1 else spouse
    mother = head if head.gender == 2 else spouse
    parent = mother or head
    kids: list[PersonDraft] = []
    if not (head.age >= 21 and rng.random() < 0.85):
        return kids
    births, at = [], rng.uniform(20, 30)
    for _ in range(rng.choices((1, 2, 3, 4), (30, 45, 20, 5))[0]):
        if at > 40:
            break
        births.append(at)
        at += rng.uniform(1.5, 6)  # a year and a half at least between siblings
    for at in births:
        cdob = parent.dob + dt.timedelta(days=round(at * 365.25))
        if cdob > run.today - dt.timedelta(days=45):
            break
        kid_family = father.family if father else head.family
        gender = rng.choice((1, 2))
        kid = _person(run, home, gender, cdob, kid_family, migrant=False, guardian=head.full_name)
        kids.append(kid)
        for parent_of_kid in (mother, father):
            if parent_of_kid is not None:
                parent_of_kid.children.append(cdob)
    return kids


def _grandparent(run: Run, head: PersonDraft, home: Home) -> PersonDraft | None:
    """One younger head in seven lives with a parent (or a parent-in-law)."""
    rng = run.rng
    if not (head.age < 48 and rng.random() < 0.15):
        return None
    gdob = add_years(head.dob, -rng.randint(22, 32))
    if gdob.year < 1950:
        return None
    gender = rng.choice((1, 2))
    family = head.family if rng.random() < 0.5 else names.family_name(rng, home.province)
    return _person(run, home, gender, gdob, family, migrant=False)


def _person(
    run: Run,
    home: Home,
    gender: int,
    dob: dt.date,
    family: str,
    *,
    migrant: bool,
    force: dict | None = None,
    guardian: str | None = None,
) -> PersonDraft:
    """A member of a household; `force` makes a demo citizen of a given profile. An adult
    may come from another province, whose code their BHXH code keeps."""
    rng = run.rng
    p = PersonDraft()
    p.id = run.sinks["person"].new_id()
    p.gender, p.dob, p.family = gender, dob, family
    p.age = age_on(dob, run.today)
    p.minor = p.age < 18
    p.province = home.province
    p.office_code = home.office
    p.former = home.former
    if migrant and not force and rng.random() < (0.3 if p.province in INDUSTRIAL else 0.08):
        p.former = rng.choices(_FORMER_CODES, cum_weights=_FORMER_CUM)[0]
    p.full_name = names.full_name(rng, gender, dob.year, family)
    code = run.bhxh_code(p.former)
    p.retire = retirement_month(dob, gender)
    p.profile = force["profile"] if force else _profile(run, p, home.poor, home.near_poor)
    p.rich = force is not None
    p.card_mode = force["card_mode"] if force else ""
    identity = _identity(run, p)
    phone = _phone(run, p)
    email = _email(run, p)
    living_area = None
    if rng.random() < (0.05 if p.province in MOUNTAIN else 0.004):
        living_area = rng.choice(("K1", "K2", "K3"))
    plan_life(run, p)
    p.row = {
        "id": p.id,
        "bhxh_code": code,
        **identity,
        "passport": None,
        "full_name": p.full_name,
        "name_folded": fold(p.full_name),
        "date_of_birth": dob,
        "gender": gender,
        "nationality": "VN",
        "phone": phone,
        "email": email,
        "address": home.address,
        "province_code": p.province,
        "living_area": living_area,
        "guardian_name": guardian if p.minor else None,
        "household_id": home.household_id,
        "managing_office_code": p.office_code,
        "occupation": _occupation(run, p),
        "version": 1,
    }
    return p


def _identity(run: Run, p: PersonDraft) -> dict[str, Any]:
    """The identity columns: a CCCD (12 digits) for most from 14, an old CMND (9 digits) for
    some older people, the personal number alone for some children."""
    cccd, cmnd, issued_on, issued_place = _identity_document(run, p)
    return {
        "cccd": cccd,
        "cmnd": cmnd,
        "id_issued_on": issued_on,
        "id_issued_place": issued_place,
    }


def _identity_document(
    run: Run, p: PersonDraft
) -> tuple[str | None, str | None, dt.date | None, str | None]:
    """(cccd, cmnd, issued on, issued by)."""
    rng = run.rng
    fourteen = add_years(p.dob, 14)
    if p.age >= 14 and (p.rich or p.age < 40 or rng.random() < 0.9):
        cccd = run.cccd(p.former, p.dob, p.gender)
        issued_on = run.day_between(max(fourteen, dt.date(2016, 3, 1)), run.today - 20 * DAY)
        if issued_on >= dt.date(2024, 7, 1):
            return cccd, None, issued_on, "Bộ Công an"
        return cccd, None, issued_on, "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
    if p.age >= 14:
        cmnd = f"{rng.choice('0123')}{rng.randrange(10**8):08d}"
        issued_on = run.day_between(max(fourteen, dt.date(1998, 1, 1)), dt.date(2015, 12, 31))
        return None, cmnd, issued_on, f"Công an {FORMER_PROVINCES[p.former][0]}"
    if rng.random() < 0.35:  # the personal identification number, given at birth registration
        return run.cccd(p.former, p.dob, p.gender), None, None, None
    return None, None, None, None


def _phone(run: Run, p: PersonDraft) -> str | None:
    """Most adults have a mobile (fewer after 70), some teenagers too."""
    rng = run.rng
    if p.rich or (p.age >= 18 and rng.random() < (0.95 if p.age < 70 else 0.75)):
        return run.mobile()
    if 15 <= p.age < 18 and rng.random() < 0.4:
        return run.mobile()
    return None


def _email(run: Run, p: PersonDraft) -> str | None:
    """An address made of the person's name and year at a reserved `example.*` domain."""
    rng = run.rng
    if not (p.age >= 18 and (p.rich or rng.random() < (0.45 if p.age < 50 else 0.15))):
        return None
    parts = fold(p.full_name).split()
    local = rng.choice(
        (
            "".join(parts[1:] + parts[:1]),
            parts[-1] + parts[0],
            ".".join((parts[-1], parts[0])),
        )
    )
    year = p.dob.year
    suffix = rng.choice((str(year), f"{year % 100:02d}", str(rng.randint(1, 999))))
    return f"{local}{suffix}@{rng.choice(EMAIL_DOMAINS)}"


def _profile(run: Run, p: PersonDraft, poor: bool, near_poor: bool) -> str:
    """How the person is insured today, which decides the card group and the history."""
    rng = run.rng
    if p.age < 6:
        return "child"
    if p.age < 18:
        return "poor" if poor and rng.random() < 0.5 else "pupil"
    r = rng.random()
    if p.age < 23 and r < 0.35:
        return "student"
    if run.today_mi >= p.retire:
        return _retired_profile(run, p, r, poor)
    r = rng.random()
    if r < 0.62:
        return "employee"
    if poor:
        return "poor"
    if near_poor:
        return "near_poor"
    if r < 0.69:
        return "voluntary"
    if r < 0.85:
        return "household"
    if r < 0.90:
        return "unemployed"
    if r < 0.93:
        return "lump_sum"
    return "uninsured"


def _retired_profile(run: Run, p: PersonDraft, r: float, poor: bool) -> str:
    """Past pension age: mostly a pension, else social or household cover."""
    if p.age >= 80 and r < 0.3:
        return "social"
    if r < 0.6:
        return "veteran" if p.dob.year <= 1955 and run.rng.random() < 0.06 else "pensioner"
    if poor:
        return "poor"
    if r < 0.92:
        return "household"
    return "uninsured"


def _occupation(run: Run, p: PersonDraft) -> str | None:
    """The current job's title, or what the person does outside employment."""
    if p.profile == "employee" and p.jobs:
        return p.jobs[-1][3]
    if p.profile in ("child", "social"):
        return None
    return OCCUPATION_BY_PROFILE.get(p.profile) or run.rng.choice(
        OTHER_OCCUPATIONS + ((HOMEMAKER,) if p.gender == 2 else ())
    )
