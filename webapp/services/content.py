"""The site's own content, kept as data files in the repository (`webapp/content/*.json`) and
loaded into the database by `flask --app webapp content load`: the FAQ (which the virtual
assistant answers from), the news articles, and the reference directories (BHXH offices, health
facilities, collection points and agents; the provinces are `services.provinces`). Run at each
release (the Procfile's `release`) and by `make run`; the demo data loads the FAQ the same way.
So a production install is never empty.

Idempotent: rows are matched by a stable key (the FAQ entry's `key`, the article's `slug`, a
directory entry's `code`), so a second load adds nothing and changes nothing. A row loaded
earlier is updated when the file changed; an FAQ entry an admin edited in the back office
(`FaqEntry.edited_at`), or an article an officer published (it has an author), is left alone
unless `force` is given, and is then counted as kept. Rows the files do not name (an admin's own
entries, an office added by hand) are never touched, and nothing is ever deleted.

The directory files were written from the demo data (seed 2025): real provinces, made-up codes,
addresses and phone numbers. They are placeholders for the real directory, which goes into the
same files (same fields) before going live.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import BhxhOffice, CollectionPoint, Facility, FaqEntry, NewsArticle
from webapp.services.faq import LINKS, TOPICS
from webapp.services.provinces import PROVINCES
from webapp.services.text import search_text

FAQ_FIELDS = ("topic", "question_vi", "answer_vi", "question_en", "answer_en", "keywords", "link")
LEGACY_PREFIX = "faq-"
NEWS_FIELDS = ("title_vi", "summary_vi", "body_vi", "title_en", "summary_en", "body_en")


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # edited in the back office, left alone


# file → (model, fields besides the code); `name_folded` is derived from `name` (search words)
DIRECTORIES = {
    "offices": (
        BhxhOffice,
        ("name", "level", "province_code", "address", "phone", "latitude", "longitude"),
    ),
    "facilities": (
        Facility,
        (
            "name",
            "level",
            "province_code",
            "address",
            "phone",
            "has_bhyt_contract",
            "issues_sick_leave",
            "latitude",
            "longitude",
        ),
    ),
    "collection_points": (
        CollectionPoint,
        ("name", "kind", "province_code", "address", "phone"),
    ),
}
PARTS = ("faq", "news", "directories")


@dataclass
class LoadReport:
    faq: Counts = field(default_factory=Counts)
    news: Counts = field(default_factory=Counts)
    directories: dict[str, Counts] = field(default_factory=dict)

    def lines(self) -> list[str]:
        named = [("FAQ", self.faq), ("News", self.news)]
        named += [(name.replace("_", " ").capitalize(), c) for name, c in self.directories.items()]
        return [
            f"{name}: {c.added} added, {c.updated} updated, {c.unchanged} unchanged"
            + (f", {c.kept} kept as written in the back office" if name in ("FAQ", "News") else "")
            for name, c in named
        ]


def read(name: str) -> Any:
    """One content file, parsed (`name` without `.json`)."""
    text = resources.files("webapp").joinpath("content", f"{name}.json").read_text("utf-8")
    return json.loads(text)


def faq_records() -> list[dict[str, Any]]:
    """The FAQ file's entries, checked: unique keys, known topics and links."""
    records = read("faq")
    keys = [r["key"] for r in records]
    if len(set(keys)) != len(keys):
        raise ValueError("faq.json: duplicate keys")
    for r in records:
        if r["topic"] not in TOPICS or (r.get("link") and r["link"] not in LINKS):
            raise ValueError(f"faq.json: {r['key']}: unknown topic or link")
    return records


def load(force: bool = False, parts: tuple[str, ...] = PARTS) -> LoadReport:
    """Upsert the FAQ, the news and the directories from the content files (see the module's
    docstring); `parts` chooses among them. The caller commits."""
    report = LoadReport()
    if "faq" in parts:
        _load_faq(report.faq, force)
    if "news" in parts:
        _load_news(report.news, force)
    if "directories" in parts:
        for name in DIRECTORIES:
            report.directories[name] = _load_directory(name)
    db.session.flush()
    return report


def _load_directory(name: str) -> Counts:
    """One directory, matched by code; a row the file does not name is left as it is."""
    model, fields = DIRECTORIES[name]
    counts = Counts()
    records = read(name)
    codes = [r["code"] for r in records]
    if len(set(codes)) != len(codes) or any(r["province_code"] not in PROVINCES for r in records):
        raise ValueError(f"{name}.json: duplicate codes or unknown provinces")
    existing = {row.code: row for row in db.session.scalars(select(model))}
    for record in records:
        values = {f: record.get(f) for f in fields} | {"name_folded": search_text(record["name"])}
        row = existing.get(record["code"])
        if row is None:
            db.session.add(model(code=record["code"], **values))
            counts.added += 1
        elif all(getattr(row, f) == v for f, v in values.items()):
            counts.unchanged += 1
        else:
            for f, v in values.items():
                setattr(row, f, v)
            counts.updated += 1
    return counts


def _load_faq(counts: Counts, force: bool) -> None:
    existing = {e.key: e for e in db.session.scalars(select(FaqEntry))}
    # Rows written before entries had keys got "faq-<id>" from the migration: the one with the
    # same question is that entry, so it is taken over instead of duplicated.
    legacy = {
        e.question_vi: e
        for key, e in existing.items()
        if key.startswith(LEGACY_PREFIX) and key[len(LEGACY_PREFIX) :].isdigit()
    }
    for position, record in enumerate(faq_records(), start=1):
        values = {f: record.get(f) or None for f in FAQ_FIELDS} | {"position": position}
        entry = existing.get(record["key"])
        if entry is None and (entry := legacy.pop(record["question_vi"], None)) is not None:
            entry.key = record["key"]
        if entry is None:
            db.session.add(FaqEntry(key=record["key"], hidden=False, **values))
            counts.added += 1
            continue
        if entry.edited_at is not None and not force:
            counts.kept += 1
            continue
        if force:
            values |= {"hidden": False, "edited_at": None, "edited_by_id": None}
        if all(getattr(entry, f) == v for f, v in values.items()):
            counts.unchanged += 1
            continue
        for f, v in values.items():
            setattr(entry, f, v)
        counts.updated += 1


def _load_news(counts: Counts, force: bool) -> None:
    records = read("news")
    slugs = [r["slug"] for r in records]
    named = select(NewsArticle).where(NewsArticle.slug.in_(slugs))
    existing = {a.slug: a for a in db.session.scalars(named)}
    for record in records:
        # stored in UTC, as every moment of the app (SQLite reads it back without a zone)
        published = dt.datetime.fromisoformat(record["published_at"]).astimezone(dt.UTC)
        values = {f: record.get(f) or None for f in NEWS_FIELDS} | {"published_at": published}
        article = existing.get(record["slug"])
        if article is None:
            db.session.add(NewsArticle(slug=record["slug"], **values))
            counts.added += 1
            continue
        if article.author_id is not None and not force:
            counts.kept += 1
            continue
        stored = article.published_at
        same_time = (stored if stored.tzinfo else stored.replace(tzinfo=dt.UTC)) == published
        if same_time and all(getattr(article, f) == values[f] for f in NEWS_FIELDS):
            counts.unchanged += 1
            continue
        for f, v in values.items():
            setattr(article, f, v)
        counts.updated += 1
