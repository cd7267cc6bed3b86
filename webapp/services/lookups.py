"""Tra cứu trực tuyến: the public directories, searched by province and by name without diacritics.

Five directories, one rule: the typed text is folded (lower case, no diacritics, đ → d) and every
word of it must appear in the row's `name_folded` (an indexed column filled when the row is
written), so "ha noi", "Hà Nội" and "HA NOI" find the same rows. A query that names a province
("benh vien ha noi") also finds the rows of that province whose name lacks it ("Trạm Y tế phường
Ba Đình" is in Hà Nội). Employers are also found by their tax code or BHXH unit code, facilities
and offices by their code. Results are paginated, ordered by province then name.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import and_, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from webapp.extensions import db
from webapp.models import BhxhOffice, CollectionPoint, Employer, Facility
from webapp.services.provinces import FORMER_PROVINCES, PROVINCES
from webapp.services.text import fold

PAGE_SIZE = 20
MAP_PAGE_SIZE = 10  # offices listed under the map per page (the map shows all of them)
QUERY_MAX_LENGTH = 100
_CODE = re.compile(r"^[0-9a-z]{2,14}$")


@dataclass(frozen=True)
class Directory:
    """One public directory: which rows, searched how."""

    key: str  # the URL slug
    model: Any
    code_columns: tuple[str, ...]  # exact-or-prefix matches on these (codes, tax codes)
    extra: tuple[str, ...] = ()  # boolean columns that must be true (facility kinds)


DIRECTORIES: dict[str, Directory] = {
    d.key: d
    for d in (
        Directory("co-quan-bhxh", BhxhOffice, ("code",)),
        Directory("cskcb-cap-giay-nghi-viec", Facility, ("code",), ("issues_sick_leave",)),
        Directory("cskcb-kham-chua-benh-bhyt", Facility, ("code",), ("has_bhyt_contract",)),
        Directory("don-vi-tham-gia", Employer, ("tax_code", "unit_code"), ("active",)),
        Directory("diem-thu-dai-ly-thu", CollectionPoint, ("code",)),
    )
}

# Folded province names, longest first so that "ho chi minh" wins over any shorter name in it.
_PROVINCE_NAMES: list[tuple[str, str]] = sorted(
    ((fold(name), code) for code, name in PROVINCES.items()), key=lambda item: -len(item[0])
)


@dataclass(frozen=True)
class Page:
    """One page of results, with what the pager needs."""

    rows: list
    total: int
    page: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def province_codes(code: str) -> list[str]:
    """A province today and the former provinces merged into it (older rows keep their code)."""
    return sorted({code} | {old for old, (_name, now) in FORMER_PROVINCES.items() if now == code})


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _words_in_name(column, words: list[str]) -> ColumnElement:
    return and_(true(), *(column.like(f"%{_escape_like(w)}%", escape="\\") for w in words))


def _named_province(folded: str) -> tuple[str, list[str]] | None:
    """If the query names a province as whole words, that province and the other words."""
    padded = f" {folded} "
    for name, code in _PROVINCE_NAMES:
        if f" {name} " in padded:
            rest = padded.replace(f" {name} ", " ", 1).split()
            return code, rest
    return None


def search(
    directory: Directory, query: str = "", province: str | None = None, page: int = 1
) -> Page:
    """The rows of `directory` matching `query` (any case, with or without diacritics) in
    `province` (a code of PROVINCES, or None for all), `PAGE_SIZE` a page. A page past the last
    shows the last one."""
    model = directory.model
    conditions: list[ColumnElement] = [getattr(model, flag).is_(True) for flag in directory.extra]
    if province:
        conditions.append(model.province_code.in_(province_codes(province)))
    # Cut before folding (with room for the combining marks folding drops), then after: at most
    # 50 words, each one LIKE on the rows.
    folded = fold(query[: 4 * QUERY_MAX_LENGTH])[:QUERY_MAX_LENGTH].strip()
    words = folded.split()
    if words:
        alternatives = [_words_in_name(model.name_folded, words)]
        named = _named_province(folded)
        if named and not province:
            code, rest = named
            alternatives.append(
                and_(
                    model.province_code.in_(province_codes(code)),
                    _words_in_name(model.name_folded, rest),
                )
            )
        compact = folded.replace(" ", "")
        if _CODE.match(compact):
            prefix = f"{_escape_like(compact)}%"
            for column in directory.code_columns:
                alternatives.append(func.lower(getattr(model, column)).like(prefix, escape="\\"))
        conditions.append(or_(*alternatives))
    total = db.session.scalar(select(func.count()).select_from(model).where(*conditions)) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        select(model)
        .where(*conditions)
        .order_by(model.province_code, model.name_folded, model.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return Page(list(rows), total, page, pages)


def offices_on_map(province: str | None = None) -> list[BhxhOffice]:
    """Every BHXH office (of one province, or all) for the map and the list beside it: provincial
    offices first. Offices without coordinates are listed but get no marker."""
    statement = select(BhxhOffice).order_by(
        BhxhOffice.province_code, BhxhOffice.level.desc(), BhxhOffice.name_folded
    )
    if province:
        statement = statement.where(BhxhOffice.province_code.in_(province_codes(province)))
    return list(db.session.scalars(statement))


def page_of(rows: list, page: int, size: int) -> Page:
    """One page of rows already read (the offices: a hundred at most), `size` a page; a page
    past the last shows the last one."""
    pages = max(1, math.ceil(len(rows) / size))
    page = min(max(page, 1), pages)
    return Page(rows[(page - 1) * size : page * size], len(rows), page, pages)


def geo_uri(latitude: float, longitude: float, label: str) -> str:
    """A `geo:` URI (RFC 5870) that opens the phone's map app there, named, to get directions
    ("Chỉ đường"). The `q=` form with a label is what Android's map apps read."""
    point = f"{latitude:.6f},{longitude:.6f}"
    return f"geo:{point}?q={point}({quote(label)})"
