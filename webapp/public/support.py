"""P4 Hỗ trợ: hotline and email, the FAQ by topic, feedback with a tracking number and its
answer, and the virtual assistant that answers from the FAQ."""

from __future__ import annotations

from flask import abort, current_app, make_response, redirect, render_template, session, url_for
from flask_babel import get_locale

from webapp import throttling
from webapp.extensions import db, htmx
from webapp.labels import FAQ_LINK_LABELS, FAQ_TOPICS, FEEDBACK_TOPICS
from webapp.models import FaqEntry
from webapp.public import bp
from webapp.public.forms import ChatForm, FeedbackForm, FeedbackLookupForm
from webapp.services import chatbot, feedback
from webapp.services import faq as faq_service
from webapp.templating import render_page
from webapp.web import clock

SENT_KEY = "feedback_sent"


@bp.app_context_processor
def support_globals() -> dict:
    return {
        "support_email": current_app.config["SUPPORT_EMAIL"],
        "localized_faq": faq_service.localized,
        "faq_link": faq_link,
    }


def faq_link(entry: FaqEntry) -> tuple[str, str] | None:
    """(URL, name) of the page an FAQ entry sends the reader to, if it names one."""
    target = faq_service.link_target(entry)
    if target is None:
        return None
    endpoint, values = target
    return url_for(endpoint, **values), str(FAQ_LINK_LABELS.get(entry.link, entry.link))


@bp.route("/ho-tro")
def support():
    """Hỗ trợ: call the hotline, write an email, read the FAQ, ask the assistant, send feedback
    or read the answer to one."""
    return render_template("public/support.html")


@bp.route("/ho-tro/cau-hoi-thuong-gap")
def faq():
    """Câu hỏi thường gặp, grouped by topic (in the order of FAQ_TOPICS, then any other)."""
    groups: dict[str, list[FaqEntry]] = {topic: [] for topic in FAQ_TOPICS}
    for entry in faq_service.entries():
        groups.setdefault(entry.topic, []).append(entry)
    groups = {topic: entries for topic, entries in groups.items() if entries}
    return render_template("public/faq.html", groups=groups, topics=FAQ_TOPICS)


@bp.route("/ho-tro/phan-anh", methods=["GET", "POST"])
def feedback_form():
    """Gửi phản ánh, kiến nghị: recorded for the officers' inbox, with a tracking number on
    screen and by SMS."""
    form = FeedbackForm()
    if not form.is_submitted():
        return render_template("public/feedback_form.html", form=form, topics=FEEDBACK_TOPICS)
    if not form.validate():
        page = render_template("public/feedback_form.html", form=form, topics=FEEDBACK_TOPICS)
        return page, 400
    if not throttling.spend_per_address("FEEDBACK_LIMIT_PER_IP"):
        abort(429)
    item = feedback.submit_feedback(
        name=form.name.data,
        phone=form.phone.data,
        email=form.email.data,
        topic=form.topic.data,
        body=form.body.data,
        now=clock().now(),
        config=current_app.config,
        locale=str(get_locale()),
    )
    db.session.commit()
    session[SENT_KEY] = item.tracking_number
    return redirect(url_for("public.feedback_sent"))


@bp.route("/ho-tro/phan-anh/da-gui")
def feedback_sent():
    """The tracking number, to note down (it also comes by SMS)."""
    number = session.get(SENT_KEY)
    if not number:
        return redirect(url_for("public.feedback_form"))
    response = make_response(render_template("public/feedback_sent.html", number=number))
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/ho-tro/phan-anh/tra-cuu", methods=["GET", "POST"])
@throttling.limit_posts("FEEDBACK_LOOKUP_LIMIT_PER_IP")
def feedback_status():
    """Tra cứu phản ánh: its status and the officer's answer, with the tracking number and the
    phone number it was sent with (posted, so neither ends up in a URL or a log)."""
    form = FeedbackLookupForm()
    item, status, not_found = None, 200, False
    if form.is_submitted():
        if not form.validate():
            status = 400
        else:
            item = feedback.find_feedback(form.tracking_number.data, form.phone.data)
            if item is None:
                not_found, status = True, 404
    response = make_response(
        render_template(
            "public/feedback_status.html",
            form=form,
            item=item,
            not_found=not_found,
            topics=FEEDBACK_TOPICS,
        ),
        status,
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _chat_form_error(form: ChatForm):
    """An unusable question: the form again with the error by the field (HTMX puts it in place
    of the form, so the conversation stays as it is)."""
    response = render_page(
        "public/chatbot.html", "public/_chat_form.html", form=form, exchange=None
    )
    if htmx:
        response.headers["HX-Retarget"] = "#chat-form"
        response.headers["HX-Reswap"] = "outerHTML"
    return response, 400


@bp.route("/ho-tro/tro-ly-ao", methods=["GET", "POST"])
@throttling.limit_posts("CHATBOT_LIMIT_PER_IP")
def chatbot_page():
    """Trợ lý ảo: a question typed in Vietnamese (or English) is answered from the FAQ, with the
    entries used as sources, or the assistant says it does not know and offers the hotline and the
    feedback form. With HTMX each exchange is appended to the conversation on the page."""
    form = ChatForm()
    if not form.is_submitted():
        return render_template("public/chatbot.html", form=form, exchange=None)
    if not form.validate():
        return _chat_form_error(form)
    entries = faq_service.entries()
    reply, by_id = chatbot.answer(form.question.data, entries)
    exchange = {
        "question": form.question.data,
        "confident": reply.confident,
        "entries": [by_id[i] for i in reply.entry_ids],
    }
    answered = ChatForm(formdata=None)
    return render_page(
        "public/chatbot.html", "public/_chat_exchange.html", form=answered, exchange=exchange
    )
