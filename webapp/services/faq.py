"""Câu hỏi thường gặp: the FAQ entries, read by the FAQ page and by the virtual assistant, and
edited by officers with role `admin` in the back office.

Every entry may name the page of the app that does what it explains (`link`, a key of LINKS): the
FAQ page and the assistant's answer link to it. Nothing is cached: the FAQ page and the assistant
read the rows on each request, so an admin's edit counts at once on every worker.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.i18n import content_language
from webapp.models import FaqEntry, Officer
from webapp.services import audit
from webapp.services.text import fold

# Link key → (endpoint, URL values): the pages an entry may send the reader to. Stored as a key,
# not a path, so a URL that changes follows; the names shown are `labels.FAQ_LINK_LABELS`.
LINKS: dict[str, tuple[str, dict[str, str]]] = {
    "home": ("public.index", {}),
    "install": ("public.install", {}),
    "login": ("auth.login", {}),
    "forgot_password": ("auth.forgot_password", {}),
    "recovery_unreachable": ("auth.recovery_unreachable", {}),
    "change_password": ("auth.change_password", {}),
    "personal": ("citizen.home", {}),
    "change_info": ("citizen.change_info", {}),
    "card": ("citizen.card", {}),
    "card_view": ("citizen.card_view", {}),
    "history": ("citizen.history", {}),
    "benefits": ("citizen.benefits", {}),
    "medical_book": ("citizen.medical_book", {}),
    "notifications": ("citizen.notifications", {}),
    "register": ("registration.start", {}),
    "register_individual": ("registration.individual", {}),
    "find_code": ("public.find_code", {}),
    "news": ("public.news_list", {}),
    "lookup_offices": ("public.lookup", {"kind": "co-quan-bhxh"}),
    "lookup_sick_leave": ("public.lookup", {"kind": "cskcb-cap-giay-nghi-viec"}),
    "lookup_bhyt_facilities": ("public.lookup", {"kind": "cskcb-kham-chua-benh-bhyt"}),
    "lookup_employers": ("public.lookup", {"kind": "don-vi-tham-gia"}),
    "lookup_collection": ("public.lookup", {"kind": "diem-thu-dai-ly-thu"}),
    "office_map": ("public.office_map", {}),
    "support": ("public.support", {}),
    "faq": ("public.faq", {}),
    "feedback": ("public.feedback_form", {}),
    "feedback_status": ("public.feedback_status", {}),
    "assistant": ("public.chatbot_page", {}),
    "verify": ("public.verify", {}),
    "verify_document": ("public.verify_document", {}),
    "services": ("public.services", {}),
    "account": ("citizen.account", {}),
    "passkeys": ("auth.passkeys_page", {}),
    "family": ("citizen.family", {}),
    "delegation": ("citizen.delegation_new", {}),
    "access_log": ("citizen.access_log", {}),
    "api_docs": ("api.docs", {}),
    "officer_login": ("officer.login", {}),
    "officer_queue": ("officer.queue", {}),
}
TOPICS = (
    "app",
    "account",
    "password",
    "otp",
    "card",
    "history",
    "benefits",
    "medical",
    "registration",
    "services",
    "support",
    "officer",
)
KEY_MAX = 80
QUESTION_MAX = 500
ANSWER_MAX = 4000
KEYWORDS_MAX = 500


def entries() -> list[FaqEntry]:
    """The entries readers see (not hidden), in the order the FAQ page shows them."""
    return list(
        db.session.scalars(
            select(FaqEntry)
            .where(FaqEntry.hidden.is_(False))
            .order_by(FaqEntry.position, FaqEntry.id)
        )
    )


def all_entries() -> list[FaqEntry]:
    """Every entry, hidden ones included: the back office's list."""
    return list(db.session.scalars(select(FaqEntry).order_by(FaqEntry.position, FaqEntry.id)))


def get(entry_id: int) -> FaqEntry | None:
    return db.session.get(FaqEntry, entry_id)


def localized(entry: FaqEntry, locale: str) -> tuple[str, str, str]:
    """(question, answer, language of the text) for a reader of `locale`: English where it was
    written in English and the reader reads English rather than Vietnamese, Vietnamese
    otherwise."""
    if content_language(locale) == "en" and entry.question_en and entry.answer_en:
        return entry.question_en, entry.answer_en, "en"
    return entry.question_vi, entry.answer_vi, "vi"


def link_target(entry: FaqEntry) -> tuple[str, dict[str, str]] | None:
    """(endpoint, URL values) of the page the entry sends the reader to, if any."""
    return LINKS.get(entry.link or "")


@dataclass(frozen=True)
class FaqText:
    """What an admin writes: the Vietnamese question and answer are required, English optional."""

    topic: str
    question_vi: str
    answer_vi: str
    question_en: str | None = None
    answer_en: str | None = None
    keywords: str | None = None
    link: str | None = None
    hidden: bool = False


def _new_key(question_vi: str) -> str:
    base = "-".join(fold(question_vi).split())[: KEY_MAX - 8].strip("-") or "faq"
    base = "".join(c if c.isalnum() or c == "-" else "" for c in base) or "faq"
    key, n = base, 2
    while db.session.scalar(select(FaqEntry.id).where(FaqEntry.key == key)) is not None:
        key, n = f"{base}-{n}", n + 1
    return key


def _check(officer: Officer, text: FaqText) -> None:
    if officer.role != "admin" or not officer.active:
        raise PermissionError("only an active admin officer edits the FAQ")
    if text.topic not in TOPICS or (text.link and text.link not in LINKS):
        raise ValueError("unknown topic or link")
    if not (text.question_vi.strip() and text.answer_vi.strip()):
        raise ValueError("a Vietnamese question and answer are required")


def _apply(entry: FaqEntry, text: FaqText) -> None:
    english = bool(text.question_en and text.question_en.strip() and text.answer_en)
    entry.topic = text.topic
    entry.question_vi = text.question_vi.strip()
    entry.answer_vi = text.answer_vi.strip()
    entry.question_en = text.question_en.strip() if english else None
    entry.answer_en = text.answer_en.strip() if english and text.answer_en else None
    entry.keywords = (text.keywords or "").strip() or None
    entry.link = text.link or None
    entry.hidden = text.hidden


def add_entry(officer: Officer, now: dt.datetime, text: FaqText) -> FaqEntry:
    """Thêm câu hỏi: a new entry, last of the list, readable at once. Audited; the caller
    commits."""
    _check(officer, text)
    last = db.session.scalar(select(func.max(FaqEntry.position))) or 0
    entry = FaqEntry(key=_new_key(text.question_vi), position=last + 1)
    _apply(entry, text)
    entry.edited_at, entry.edited_by_id = now, officer.id
    db.session.add(entry)
    db.session.flush()
    audit.record(
        "faq_added",
        now,
        actor_type="officer",
        actor_id=officer.id,
        subject_type="faq_entry",
        subject_id=entry.id,
    )
    return entry


def edit_entry(officer: Officer, now: dt.datetime, entry: FaqEntry, text: FaqText) -> FaqEntry:
    """Sửa câu hỏi: the new text counts at once (the assistant reads the rows on each question),
    and the content file no longer overwrites it (`edited_at`). Audited, with what changed; the
    caller commits."""
    _check(officer, text)
    before = {f: getattr(entry, f) for f in ("question_vi", "answer_vi", "link", "hidden")}
    _apply(entry, text)
    changed = sorted(f for f, value in before.items() if getattr(entry, f) != value)
    entry.edited_at, entry.edited_by_id = now, officer.id
    db.session.flush()
    audit.record(
        "faq_edited",
        now,
        actor_type="officer",
        actor_id=officer.id,
        subject_type="faq_entry",
        subject_id=entry.id,
        changed=changed,
    )
    return entry
