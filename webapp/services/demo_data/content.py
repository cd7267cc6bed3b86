"""The demo's news: the articles of the content file (`webapp/content/news.json`), dated over the
last five months before the demo's day and published by the first officer. The FAQ is not made
here: `demo_data.generate` loads it from the content files as production does
(`services.content.load`)."""

from __future__ import annotations

import datetime as dt

from .state import Run
from .tables import NEWS

# how many days ago each article was published, newest first
_NEWS_AGE_DAYS = (2, 9, 16, 23, 31, 40, 52, 63, 77, 91, 108, 126, 150)


def make_content(run: Run) -> None:
    _news(run)


def _news(run: Run) -> None:
    """The articles, published by the first officer over the last five months."""
    sink = run.sinks["news_article"]
    for (article_slug, title_vi, summary_vi, body_vi, en), days in zip(
        NEWS, _NEWS_AGE_DAYS, strict=True
    ):
        title_en, summary_en, body_en = en if en else (None, None, None)
        sink.add(
            {
                "id": sink.new_id(),
                "slug": article_slug,
                "title_vi": title_vi,
                "title_en": title_en,
                "summary_vi": summary_vi,
                "summary_en": summary_en,
                "body_vi": body_vi,
                "body_en": body_en,
                "published_at": run.moment(run.today - dt.timedelta(days=days)),
                "author_id": run.officer_ids[0],
            }
        )
