"""Vietnamese full names, composed at random from common family, middle and given names."""

from __future__ import annotations

import random

from .common import cumulative
from .tables import (
    FAMILY_NAMES,
    GIVEN_FEMALE,
    GIVEN_MALE,
    MIDDLE_FEMALE,
    MIDDLE_MALE,
    SOUTHERN_SPELLING,
    THI_COMPOUNDS,
)


def _young(names: dict[str, float], young: bool, gender: int) -> dict[str, float]:
    """Parents since the 1990s have chosen "Văn" and "Thị" less often."""
    if not young:
        return names
    common = "Văn" if gender == 1 else "Thị"
    return {k: (v / 4 if k == common else v) for k, v in names.items()}


# (gender, born in 1995 or later) → (middle names, their cumulative weights)
_MIDDLE = {
    (gender, young): (list(names), cumulative(_young(names, young, gender).values()))
    for gender, names in ((1, MIDDLE_MALE), (2, MIDDLE_FEMALE))
    for young in (False, True)
}
_FAMILIES = list(FAMILY_NAMES)
_FAMILY_CUM = cumulative(FAMILY_NAMES.values())


def full_name(rng: random.Random, gender: int, birth_year: int, family: str) -> str:
    """Family, middle and given name; the given name never repeats the middle one."""
    names, cum = _MIDDLE[(gender, birth_year >= 1995)]
    middle = rng.choices(names, cum_weights=cum)[0]
    if gender == 2 and middle == "Thị" and rng.random() < 0.2:
        middle = "Thị " + rng.choice(THI_COMPOUNDS)
    given_pool = GIVEN_MALE if gender == 1 else GIVEN_FEMALE
    given = rng.choice(given_pool)
    while given == middle.split()[-1]:
        given = rng.choice(given_pool)
    return f"{family} {middle} {given}"


def family_name(rng: random.Random, province: str) -> str:
    """A family name by its frequency, spelt as the south spells it there."""
    family = rng.choices(_FAMILIES, cum_weights=_FAMILY_CUM)[0]
    if family in SOUTHERN_SPELLING and province >= "48" and rng.random() < 0.75:
        family = SOUTHERN_SPELLING[family]
    return family
