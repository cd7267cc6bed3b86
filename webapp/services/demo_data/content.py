"""News articles and the FAQ (texts written for this app, in `data/news.json` and
`data/faq.json`)."""

from __future__ import annotations

import datetime as dt

from webapp.services.text import fold

from .common import slug
from .state import Run
from .tables import FAQ, NEWS

# how many days ago each article was published, newest first
_NEWS_AGE_DAYS = (2, 9, 16, 23, 31, 40, 52, 63, 77, 91, 108, 126, 150)


def make_content(run: Run) -> None:
    _news(run)
    _faq(run)


def _news(run: Run) -> None:
    """The articles, published by the first officer over the last five months."""
    sink = run.sinks["news_article"]
    for (title_vi, summary_vi, body_vi, en), days in zip(NEWS, _NEWS_AGE_DAYS, strict=True):
        title_en, summary_en, body_en = en if en else (None, None, None)
        sink.add(
            {
                "id": sink.new_id(),
                "slug": slug(title_vi),
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


def _faq(run: Run) -> None:
    """The FAQ in the order shown; the keywords add the folded question for the search."""
    sink = run.sinks["faq_entry"]
    for position, (topic, q_vi, a_vi, q_en, a_en, keywords) in enumerate(FAQ, start=1):
        sink.add(
            {
                "id": sink.new_id(),
                "topic": topic,
                "question_vi": q_vi,
                "answer_vi": a_vi,
                "question_en": q_en,
                "answer_en": a_en,
                "keywords": f"{keywords} {fold(q_vi)}"[:500],
                "position": position,
            }
        )
