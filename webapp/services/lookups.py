"""Tra cứu trực tuyến: the public directories, searched by province and by name as people type it.

Five directories, one rule: the typed text becomes search words (`text.search_words`: lower case,
no diacritics, đ → d, punctuation dropped, abbreviations such as "BV", "TTYT", "Cty TNHH", "TP",
"HCM" written out) and every word must appear in the row's `name_folded`, which holds the row's
name turned into search words the same way when the row is written. So "ha noi", "Hà Nội" and
"HA NOI" find the same rows, and "BV Bạch Mai" finds "Bệnh viện Bạch Mai".

A query that names a province ("benh vien ha noi", "TP.HCM", "Sài Gòn", "HN") also finds the rows
of that province whose name lacks it ("Trạm Y tế phường Ba Đình" is in Hà Nội). A former province
("Bình Dương", "Thừa Thiên Huế", still on older cards and in people's habits since the merger of
1 July 2025) names the province it is part of now. Employers are also found by their tax code or
BHXH unit code, facilities and offices by their code. Results are paginated, ordered by province
then name.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import and_, event, false, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from webapp.extensions import db
from webapp.models import BhxhOffice, CollectionPoint, Employer, Facility
from webapp.services.provinces import FORMER_PROVINCES, PROVINCES
from webapp.services.text import ABBREVIATIONS, fold, search_text, search_tokens, search_words

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

MAX_WORDS = 60  # LIKE conditions per query, whatever was typed

# Other names people give a province today (after `search_words`: "SG", "HCM" are written out).
PROVINCE_ALIASES: dict[str, str] = {"Sài Gòn": "79", "TT Huế": "46"}
# What may stand before a province's name and belongs to it: "tỉnh Bình Dương", "TP. Huế".
_PROVINCE_PREFIXES = (("thanh", "pho"), ("tinh",))


def _province_names() -> dict[tuple[str, ...], str]:
    """Search words of every name a province goes by → the code of that province today: its
    name, the former provinces now part of it, and the aliases above."""
    names = {tuple(search_words(name)): now for name, now in FORMER_PROVINCES.values()}
    names |= {tuple(search_words(name)): code for code, name in PROVINCES.items()}
    names |= {tuple(search_words(name)): code for name, code in PROVINCE_ALIASES.items()}
    return names


_PROVINCE_NAMES = _province_names()
_PROVINCE_NAME_LONGEST = max(len(words) for words in _PROVINCE_NAMES)


def _index_name(_mapper, _connection, row) -> None:
    """A directory row's `name_folded` is always its name's search words, whatever a caller
    passed (bulk inserts, the demo data, compute it with `search_text` themselves)."""
    row.name_folded = search_text(row.name)


for _model in (BhxhOffice, Facility, Employer, CollectionPoint):
    event.listen(_model, "before_insert", _index_name)
    event.listen(_model, "before_update", _index_name)


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


def named_province(words: list[str]) -> tuple[str, list[str]] | None:
    """If the search words name a province (today's, a former one, or an alias) as whole words,
    the code of that province today and the other words, without a "tỉnh" or "thành phố" just
    before the name. The longest name at the first place one starts wins ("thua thien hue" over
    "hue"). Linear in the number of words (each place tries a few lengths)."""
    for start in range(len(words)):
        for size in range(min(_PROVINCE_NAME_LONGEST, len(words) - start), 0, -1):
            code = _PROVINCE_NAMES.get(tuple(words[start : start + size]))
            if code is None:
                continue
            before = words[:start]
            for prefix in _PROVINCE_PREFIXES:
                if tuple(before[-len(prefix) :]) == prefix:
                    before = before[: -len(prefix)]
                    break
            return code, before + words[start + size :]
    return None


def query_words(query: str) -> tuple[list[str], str | None]:
    """The search words of a query, and its last word as typed, which may still be being typed
    (`_name_matches`). At most MAX_WORDS words."""
    tokens = search_tokens(query)
    words = search_words(query)
    if not tokens or len(words) > MAX_WORDS:
        return words[:MAX_WORDS], None
    return words, tokens[-1]


def _being_typed(token: str) -> list[list[str]]:
    """What the last word typed may stand for, each as search words: itself written out, itself
    as typed, and (from 2 letters) every abbreviation it begins, written out: "tt" may be on
    its way to "ttyt" (trung tam y te), "bv" is "benh vien" or the start of "bvdk"."""
    meanings = [ABBREVIATIONS.get(token, token).split(), [token]]
    if len(token) >= 2:
        meanings += [
            expansion.split()
            for abbreviation, expansion in ABBREVIATIONS.items()
            if abbreviation != token and abbreviation.startswith(token)
        ]
    unique: list[list[str]] = []
    for meaning in meanings:
        if meaning not in unique:
            unique.append(meaning)
    return unique


def _name_matches(column, words: list[str], typing: str | None) -> ColumnElement:
    """Every search word in the indexed name, the last word typed in any of its meanings
    (`_being_typed`), so the results do not vanish while a word is being typed. The
    alternatives are bounded by the abbreviation table, whatever is typed."""
    if typing is None:
        return _words_in_name(column, words)
    head = words[: len(words) - len(ABBREVIATIONS.get(typing, typing).split())]
    return and_(
        _words_in_name(column, head),
        or_(*(_words_in_name(column, meaning) for meaning in _being_typed(typing))),
    )


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
    words, typing = query_words(folded)
    if words:
        alternatives = [_name_matches(model.name_folded, words, typing)]
        named = named_province(words)
        if named and not province:
            code, rest = named
            alternatives.append(
                and_(
                    model.province_code.in_(province_codes(code)),
                    _words_in_name(model.name_folded, rest),
                )
            )
        compact = "".join(search_tokens(folded))  # "01.000", "0101 234 567": a code's digits
        if _CODE.match(compact):
            prefix = f"{_escape_like(compact)}%"
            for column in directory.code_columns:
                alternatives.append(func.lower(getattr(model, column)).like(prefix, escape="\\"))
        conditions.append(or_(*alternatives))
    elif folded:
        conditions.append(false())  # only punctuation was typed: it names nothing
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
