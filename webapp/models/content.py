"""Public content: news, FAQ, and citizens' feedback (phản ánh kiến nghị)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class NewsArticle(db.Model):
    """Tin tức: an article of the social-insurance sector, in Vietnamese and optionally English."""

    __tablename__ = "news_article"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title_vi: Mapped[str] = mapped_column(String(255))
    title_en: Mapped[str | None] = mapped_column(String(255))
    summary_vi: Mapped[str] = mapped_column(Text)
    summary_en: Mapped[str | None] = mapped_column(Text)
    body_vi: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))


class FaqEntry(db.Model):
    """Câu hỏi thường gặp: a question and its answer, grouped by topic."""

    __tablename__ = "faq_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(30), index=True)
    question_vi: Mapped[str] = mapped_column(String(500))
    answer_vi: Mapped[str] = mapped_column(Text)
    question_en: Mapped[str | None] = mapped_column(String(500))
    answer_en: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[str | None] = mapped_column(String(500))
    position: Mapped[int] = mapped_column(default=0)


class Feedback(db.Model):
    """Phản ánh kiến nghị: a citizen's feedback or complaint, tracked by its number."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_number: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(15))
    email: Mapped[str | None] = mapped_column(String(254))
    # The language the feedback was written in (vi / en): what the answer's SMS is sent in.
    locale: Mapped[str | None] = mapped_column(String(5))
    topic: Mapped[str] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
