"""Hệ thống HGĐ: the household registry that issues BHXH codes (Hệ thống cấp mã số BHXH và quản
lý BHYT hộ gia đình), as the officer's approval sees it.

The approval asks one question, "does this BHXH code exist, with this name?" (seed appendix 02),
through the `HouseholdRegistry` interface. Here the registry is our own `person` table; a
deployment that talks to the real HGĐ service registers another implementation as
`app.extensions["household_registry"]`.
"""

from __future__ import annotations

from typing import Protocol

from flask import current_app
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Person
from webapp.services.text import fold


class HouseholdRegistry(Protocol):
    def exists(self, bhxh_code: str, full_name: str) -> bool:
        """True when the registry knows this code and its holder has this name (compared
        without case, diacritics or extra spaces: "NGUYEN VAN AN" is "Nguyễn Văn An")."""
        ...


class DatabaseRegistry:
    """The HGĐ registry read from the `person` table."""

    def exists(self, bhxh_code: str, full_name: str) -> bool:
        name = db.session.scalar(select(Person.full_name).where(Person.bhxh_code == bhxh_code))
        return name is not None and fold(name) == fold(full_name)


def household_registry() -> HouseholdRegistry:
    """The registry this app asks (the database one unless another was registered)."""
    return current_app.extensions.get("household_registry") or DatabaseRegistry()
