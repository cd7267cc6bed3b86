"""P2 Tin tức: the sector's news, newest first, ten a page, in the reader's language where the
article was written in it (else in Vietnamese, marked as such)."""

from __future__ import annotations

from flask import abort, request
from flask_babel import get_locale

from webapp.parsing import parse_int
from webapp.public import bp
from webapp.services import news
from webapp.templating import render_page
from webapp.web import clock


def _page_number() -> int:
    page = parse_int(request.args.get("page", "1"), minimum=1, maximum=100_000)
    if page is None:
        abort(404)
    return page


@bp.route("/tin-tuc")
def news_list():
    """Tin tức: titles, dates and summaries, newest first; older ones page by page."""
    listing = news.list_articles(_page_number(), str(get_locale()), clock().now())
    return render_page("public/news_list.html", "public/_news_items.html", listing=listing)


@bp.route("/tin-tuc/<slug>")
def news_article(slug: str):
    """One article, in English when it was written in English."""
    if len(slug) > news.SLUG_MAX + 10:
        abort(404)
    article = news.get_article(slug, str(get_locale()), clock().now())
    if article is None:
        abort(404)
    return render_page("public/news_article.html", item=article)
