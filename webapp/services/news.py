"""Tin tức: articles of the social-insurance sector, newest first, in Vietnamese and (where an
officer wrote one) English. Officers with role `admin` publish them from the officer side."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from sqlalchemy import func, select

from webapp.extensions import db
from webapp.i18n import content_language
from webapp.models import NewsArticle, Officer
from webapp.services import audit
from webapp.services.text import fold

PAGE_SIZE = 10
SLUG_MAX = 100


@dataclass(frozen=True)
class LocalizedArticle:
    """An article as one reader sees it: in English when it was written in English, else in
    Vietnamese, saying which (`lang`), so the page can mark the text's language."""

    article: NewsArticle
    lang: str
    title: str
    summary: str
    body: str

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]


@dataclass(frozen=True)
class NewsPage:
    articles: list[LocalizedArticle]
    page: int
    pages: int
    total: int


def localize(article: NewsArticle, locale: str) -> LocalizedArticle:
    if content_language(locale) == "en" and article.title_en and article.body_en:
        return LocalizedArticle(
            article, "en", article.title_en, article.summary_en or "", article.body_en
        )
    return LocalizedArticle(article, "vi", article.title_vi, article.summary_vi, article.body_vi)


def list_articles(page: int, locale: str, now: dt.datetime) -> NewsPage:
    """Published articles (never one dated in the future), newest first, PAGE_SIZE a page; a page
    past the last shows the last one."""
    published = NewsArticle.published_at <= now
    total = db.session.scalar(select(func.count(NewsArticle.id)).where(published)) or 0
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        select(NewsArticle)
        .where(published)
        .order_by(NewsArticle.published_at.desc(), NewsArticle.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    return NewsPage([localize(a, locale) for a in rows], page, pages, total)


def get_article(slug: str, locale: str, now: dt.datetime) -> LocalizedArticle | None:
    article = db.session.scalar(
        select(NewsArticle).where(NewsArticle.slug == slug, NewsArticle.published_at <= now)
    )
    return localize(article, locale) if article else None


def slugify(title: str) -> str:
    """ "Đăng nhập VssID bằng số định danh" → "dang-nhap-vssid-bang-so-dinh-danh"."""
    return re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")[:SLUG_MAX].strip("-") or "tin"


def publish_article(
    officer: Officer,
    now: dt.datetime,
    *,
    title_vi: str,
    summary_vi: str,
    body_vi: str,
    title_en: str | None = None,
    summary_en: str | None = None,
    body_en: str | None = None,
    published_at: dt.datetime | None = None,
) -> NewsArticle:
    """Đăng tin: only an active officer with role `admin` may publish. The slug comes from the
    Vietnamese title (made unique with a number); an English version is kept only when it has a
    title and a body. Recorded in the audit log; the caller commits."""
    if officer.role != "admin" or not officer.active:
        raise PermissionError("only an active admin officer publishes news")
    if not (title_vi.strip() and summary_vi.strip() and body_vi.strip()):
        raise ValueError("a Vietnamese title, summary and body are required")
    base = slugify(title_vi)
    taken = set(
        db.session.scalars(select(NewsArticle.slug).where(NewsArticle.slug.like(f"{base}%")))
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    english = bool(title_en and title_en.strip() and body_en and body_en.strip())
    article = NewsArticle(
        slug=slug,
        title_vi=title_vi.strip(),
        summary_vi=summary_vi.strip(),
        body_vi=body_vi.strip(),
        title_en=title_en.strip() if english else None,
        summary_en=((summary_en or "").strip() or None) if english else None,
        body_en=body_en.strip() if english else None,
        published_at=published_at or now,
        author_id=officer.id,
    )
    db.session.add(article)
    db.session.flush()
    audit.record(
        "news_published",
        now,
        actor_type="officer",
        actor_id=officer.id,
        subject_type="news_article",
        subject_id=article.id,
    )
    return article
