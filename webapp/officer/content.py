"""The back-office side of the public services (P2, P4): an admin publishes news and keeps the
FAQ (which the virtual assistant answers from); officers answer citizens' feedback (phản ánh
kiến nghị), which the citizen then reads by tracking number."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.extensions import db
from webapp.labels import FAQ_LINK_LABELS, FAQ_TOPICS, FEEDBACK_TOPICS
from webapp.models import Feedback
from webapp.officer import bp
from webapp.officer.forms import (
    AccountPasskeysForm,
    AnswerFeedbackForm,
    FaqEntryForm,
    PublishNewsForm,
)
from webapp.parsing import parse_int
from webapp.services import faq, feedback, news, notifications, passkeys, sessions
from webapp.web import clock

PAGE_SIZE = 20


def _admin_only():
    if g.officer.role != "admin":
        abort(403)


@bp.route("/tin-tuc/dang", methods=["GET", "POST"])
def publish_news():
    """Đăng tin: officers with role `admin` only; the article is public at once."""
    officer = g.officer
    _admin_only()
    form = PublishNewsForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            article = news.publish_article(
                officer,
                clock().now(),
                title_vi=form.title_vi.data,
                summary_vi=form.summary_vi.data,
                body_vi=form.body_vi.data,
                title_en=form.title_en.data or None,
                body_en=form.body_en.data or None,
            )
            db.session.commit()
            flash(_("The article is published."), "success")
            return redirect(url_for("public.news_article", slug=article.slug))
    return render_template("officer/publish_news.html", form=form), status


def _inbox(form: AnswerFeedbackForm, failed: str | None = None, status: int = 200):
    page = parse_int(request.args.get("page", "1"), minimum=1, maximum=10_000)
    if page is None:
        abort(404)
    inbox = feedback.list_open_feedback(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_template(
        "officer/feedback.html",
        inbox=inbox,
        page=page,
        pages=max(1, -(-inbox.total // PAGE_SIZE)),
        form=form,
        failed=failed,
        topics=FEEDBACK_TOPICS,
    ), status


@bp.route("/phan-anh")
def feedback_inbox():
    """Phản ánh kiến nghị not answered yet, oldest first, each with its answer form."""
    return _inbox(AnswerFeedbackForm())


@bp.route("/phan-anh/<tracking_number>", methods=["POST"])
def answer_feedback(tracking_number: str):
    """Trả lời: the answer is saved, the citizen gets an SMS and reads it by tracking number.
    A bad answer comes back on the inbox, next to that item's field, with nothing saved."""
    item = db.session.scalar(
        select(Feedback).where(Feedback.tracking_number == tracking_number[:20])
    )
    if item is None:
        abort(404)
    form = AnswerFeedbackForm()
    if not form.validate():
        return _inbox(form, failed=item.tracking_number, status=400)
    feedback.answer_feedback(item, g.officer, form.answer.data, clock().now(), current_app.config)
    db.session.commit()
    flash(_("Answer sent for %(number)s.", number=item.tracking_number), "success")
    return redirect(url_for("officer.feedback_inbox"), 303)


@bp.route("/cau-hoi-thuong-gap")
def faq_list():
    """Câu hỏi thường gặp: every entry (hidden ones marked), by topic, each with its edit link;
    admins only."""
    _admin_only()
    return render_template(
        "officer/faq_list.html",
        entries=faq.all_entries(),
        topics=FAQ_TOPICS,
        links=FAQ_LINK_LABELS,
    )


def _faq_form_page(form: FaqEntryForm, entry, status: int):
    return render_template("officer/faq_form.html", form=form, entry=entry), status


@bp.route("/cau-hoi-thuong-gap/them", methods=["GET", "POST"])
def faq_add():
    """Thêm câu hỏi: readable in the FAQ and by the assistant as soon as it is saved."""
    _admin_only()
    form = FaqEntryForm()
    if not form.is_submitted():
        return _faq_form_page(form, None, 200)
    if not form.validate():
        return _faq_form_page(form, None, 400)
    entry = faq.add_entry(g.officer, clock().now(), form.text())
    db.session.commit()
    flash(_("The question is added."), "success")
    return redirect(url_for("officer.faq_list", _anchor=f"faq-{entry.id}"), 303)


@bp.route("/cau-hoi-thuong-gap/<int:entry_id>", methods=["GET", "POST"])
def faq_edit(entry_id: int):
    """Sửa câu hỏi: the assistant answers with the new text from the next question on (it reads
    the FAQ on each question), and `flask content load` no longer overwrites it."""
    _admin_only()
    entry = faq.get(entry_id) if entry_id < 2**31 else None
    if entry is None:
        abort(404)
    if not request.method == "POST":
        form = FaqEntryForm(obj=entry, visibility="hidden" if entry.hidden else "shown")
        form.link.data = entry.link or ""
        return _faq_form_page(form, entry, 200)
    form = FaqEntryForm()
    if not form.validate():
        return _faq_form_page(form, entry, 400)
    faq.edit_entry(g.officer, clock().now(), entry, form.text())
    db.session.commit()
    flash(_("The question is saved."), "success")
    return redirect(url_for("officer.faq_list", _anchor=f"faq-{entry.id}"), 303)


@bp.route("/khoa-dang-nhap", methods=["GET", "POST"])
def account_passkeys():
    """Khóa đăng nhập (admins): the passkeys of a citizen's account, found by BHXH code, and
    revoking them all (a phone lost or stolen, a citizen at the counter); the citizen is told
    in the inbox and the audit names the officer."""
    officer = g.officer
    _admin_only()
    form = AccountPasskeysForm()
    account, found, status = None, [], 200
    if form.is_submitted():
        status = 400
        if form.validate():
            account = sessions.find_account(form.bhxh_code.data)
            if account is None:
                form.bhxh_code.errors.append(_("No account has this BHXH code."))
                status = 404
            else:
                status = 200
                if form.action.data == "revoke":
                    now = clock().now()
                    removed = passkeys.remove_all(
                        account.id, now, "admin", actor_type="officer", actor_id=officer.id
                    )
                    if removed:
                        notifications.notify(account.id, "passkeys_removed", now)
                    db.session.commit()
                    flash(_("%(num)d passkeys were revoked.", num=removed), "success")
                found = passkeys.passkeys_of(passkeys.citizen(account))
    page = render_template(
        "officer/account_passkeys.html", form=form, account=account, passkeys=found
    )
    return page, status
