"""Câu hỏi thường gặp: the FAQ entries, read by the FAQ page and by the virtual assistant."""

from __future__ import annotations

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import FaqEntry


def entries() -> list[FaqEntry]:
    """Every entry, in the order the FAQ page shows them."""
    return list(db.session.scalars(select(FaqEntry).order_by(FaqEntry.position, FaqEntry.id)))


def localized(entry: FaqEntry, lang: str) -> tuple[str, str, str]:
    """(question, answer, language of the text): English where it was written in English,
    Vietnamese otherwise."""
    if lang == "en" and entry.question_en and entry.answer_en:
        return entry.question_en, entry.answer_en, "en"
    return entry.question_vi, entry.answer_vi, "vi"
