"""Made-up places in real provinces: addresses, landline numbers, coordinates near a centre."""

from __future__ import annotations

import random

from .common import province_label
from .tables import (
    COMMUNES,
    HAMLETS_SOUTH,
    MOUNTAIN,
    PROVINCE_GEO,
    STREETS,
    VILLAGES_MOUNTAIN,
)


def address(rng: random.Random, province: str, urban: bool, commune: str | None = None) -> str:
    """An address in a ward (urban) or a commune; `commune` names it when the place's own
    name says where it is ("Trạm Y tế xã An Bình" is in xã An Bình)."""
    label = province_label(province)
    commune = commune or rng.choice(COMMUNES)
    south = province >= "75"
    if urban:
        return _street_address(rng, south, commune, label)
    if province in MOUNTAIN and rng.random() < 0.6:
        return f"Bản {rng.choice(VILLAGES_MOUNTAIN)}, xã {commune}, {label}"
    if south:
        return f"Ấp {rng.choice(HAMLETS_SOUTH)}, xã {commune}, {label}"
    word = "Thôn" if rng.random() < 0.7 else "Xóm"
    return f"{word} {rng.randint(1, 12)}, xã {commune}, {label}"


def _street_address(rng: random.Random, south: bool, commune: str, label: str) -> str:
    """A house on a street of a ward: in an alley (ngõ) in the north, a sub-number in the south."""
    street = rng.choice(STREETS)
    n = rng.randint(1, 450)
    if not south and rng.random() < 0.35:
        return f"Số {n} ngõ {rng.randint(2, 180)}, phố {street}, phường {commune}, {label}"
    if south and rng.random() < 0.35:
        return f"Số {n}/{rng.randint(1, 40)} đường {street}, phường {commune}, {label}"
    return f"Số {n}, đường {street}, phường {commune}, {label}"


def landline(rng: random.Random, province: str) -> str:
    """A fixed-line number with the province's area code: "024 3826 1234"."""
    area = PROVINCE_GEO[province].area_code
    digits = 11 - len(area)
    number = str(rng.randint(3 * 10 ** (digits - 1), 10**digits - 1))
    return f"{area} {number[:-4]} {number[-4:]}"


def near(rng: random.Random, province: str, spread: float) -> tuple[float, float]:
    """A point within `spread` degrees of the province's administrative centre."""
    geo = PROVINCE_GEO[province]
    return (
        round(geo.latitude + rng.uniform(-spread, spread), 5),
        round(geo.longitude + rng.uniform(-spread, spread), 5),
    )
