"""Public content: news, FAQ, and citizens' feedback (phản ánh kiến nghị)."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String, Text, false
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
    """Câu hỏi thường gặp: a question and its answer, grouped by topic, with the page of the app
    that does what it explains (`link`, a key of `services.faq.LINKS`). `key` is stable: the
    content file's (`webapp/content/faq.json`), or made from the question when an admin adds
    one. `edited_at` is set by an admin's edit, which the content file then leaves alone."""

    __tablename__ = "faq_entry"
    __table_args__ = (Index("ux_faq_entry_key", "key", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), default=lambda: f"entry-{secrets.token_hex(6)}")
    link: Mapped[str | None] = mapped_column(String(40))
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    edited_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
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
    locale: Mapped[str | None] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
