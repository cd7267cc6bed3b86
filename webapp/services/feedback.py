"""Phản ánh kiến nghị: a citizen's feedback or complaint, its tracking number, the officer's
answer, and the citizen reading that answer with the tracking number and the phone number.

The tracking number alone does not open a feedback: it is printed on screen and sent by SMS, so
others may see it; the phone number given with the feedback must match too, and a wrong pair
says nothing about which half was wrong.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Feedback, Officer
from webapp.services import audit, messaging, outgoing
from webapp.services.clock import VIETNAM

TOPICS = ("account", "card", "history", "benefits", "registration", "app", "other")
STATUSES = ("open", "answered")
BODY_MAX = 2000
ANSWER_MAX = 4000
NUMBER_DRAWS = 5


def normalize_tracking_number(value: str) -> str:
    """What a citizen types ("pa 261125-483920") as stored ("PA261125483920")."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def new_tracking_number(now: dt.datetime) -> str:
    """PA + the day in Vietnam (yymmdd) + 6 random digits: short enough to read over the phone,
    unguessable enough that only its holder finds it."""
    day = now.astimezone(VIETNAM).strftime("%y%m%d")
    while True:
        number = f"PA{day}{secrets.randbelow(10**6):06d}"
        if db.session.scalar(select(Feedback.id).where(Feedback.tracking_number == number)) is None:
            return number


def submit_feedback(
    *,
    name: str,
    phone: str,
    email: str | None,
    topic: str,
    body: str,
    now: dt.datetime,
    config,
    locale: str | None = None,
) -> Feedback:
    """Record a feedback, open, in the officers' inbox; the citizen gets its tracking number on
    screen and by SMS. The caller commits."""
    assert topic in TOPICS, topic
    feedback = Feedback(
        name=name,
        phone=phone,
        email=email or None,
        locale=outgoing.recipient_locale(None, locale),
        topic=topic,
        body=body,
        status="open",
        created_at=now,
    )
    # Two feedbacks sent at the same moment may draw the same free number: the second insert
    # fails on the unique index, in a savepoint, and draws again.
    for attempt in range(NUMBER_DRAWS):
        feedback.tracking_number = new_tracking_number(now)
        try:
            with db.session.begin_nested():
                db.session.add(feedback)
        except IntegrityError:
            if attempt == NUMBER_DRAWS - 1:
                raise
        else:
            break
    text = outgoing.sms("feedback_received", feedback.locale, number=feedback.tracking_number)
    messaging.send("sms", phone, text, now, config)
    audit.record(
        "feedback_received", now, subject_type="feedback", subject_id=feedback.id, topic=topic
    )
    return feedback


def find_feedback(tracking_number: str, phone: str) -> Feedback | None:
    """The feedback with this number, only if it was sent with this phone number."""
    feedback = db.session.scalar(
        select(Feedback).where(
            Feedback.tracking_number == normalize_tracking_number(tracking_number)
        )
    )
    if feedback is None or not secrets.compare_digest(feedback.phone, phone):
        return None
    return feedback


@dataclass(frozen=True)
class Inbox:
    items: list[Feedback]
    total: int


def list_open_feedback(limit: int = 50, offset: int = 0, topic: str | None = None) -> Inbox:
    """The officers' inbox: feedback not answered yet, oldest first (first come, first served),
    optionally of one topic."""
    conditions = [Feedback.status == "open"]
    if topic:
        conditions.append(Feedback.topic == topic)
    total = db.session.scalar(select(func.count(Feedback.id)).where(*conditions)) or 0
    items = db.session.scalars(
        select(Feedback)
        .where(*conditions)
        .order_by(Feedback.created_at, Feedback.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return Inbox(list(items), total)


def answer_feedback(
    feedback: Feedback, officer: Officer, answer: str, now: dt.datetime, config
) -> Feedback:
    """Trả lời phản ánh: an active officer answers; the citizen is told by SMS and reads the
    answer with the tracking number and phone. A second answer replaces the first (a correction)
    and is recorded too. The caller commits."""
    if not officer.active:
        raise PermissionError("an inactive officer cannot answer")
    answer = answer.strip()
    if not answer or len(answer) > ANSWER_MAX:
        raise ValueError(f"an answer has 1 to {ANSWER_MAX} characters")
    # Of two officers answering at once, one only is the first answer (and sends the SMS).
    first_answer = (
        db.session.execute(
            update(Feedback)
            .where(Feedback.id == feedback.id, Feedback.status == "open")
            .values(status="answered")
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )
    feedback.answer = answer
    feedback.answered_at = now
    feedback.answered_by_id = officer.id
    feedback.status = "answered"
    if first_answer:
        language = outgoing.recipient_locale(None, feedback.locale)  # as the feedback was written
        text = outgoing.sms("feedback_answered", language, number=feedback.tracking_number)
        messaging.send("sms", feedback.phone, text, now, config)
    audit.record(
        "feedback_answered" if first_answer else "feedback_answer_corrected",
        now,
        actor_type="officer",
        actor_id=officer.id,
        subject_type="feedback",
        subject_id=feedback.id,
    )
    return feedback
