"""P2/P4 back-office: an admin publishes news; officers answer feedback, the citizen reads it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import check_page
from webapp.extensions import db
from webapp.models import NewsArticle, OutboxMessage
from webapp.services import feedback


def token(browser, url):
    return browser.page(url).find("input", attrs={"name": "csrf_token"})["value"]


def publish(browser, **data):
    url = "/officer/tin-tuc/dang"
    return browser.post(url, data={"csrf_token": token(browser, url), **data})


GOOD = {
    "title_vi": "Tra cứu thẻ BHYT trên VssID",
    "summary_vi": "Hướng dẫn xem thẻ khi không có mạng.",
    "body_vi": "Mở mục Xem thẻ một lần khi có mạng; sau đó thẻ mở được cả khi ngoại tuyến.",
}


def test_an_admin_publishes_news_that_the_public_reads(app, officer):
    response = publish(officer.browser, **GOOD)
    assert response.status_code == 302
    article = db.session.scalar(select(NewsArticle))
    assert response.headers["Location"].endswith(article.slug)
    soup = app.test_client().page(response.headers["Location"])
    assert soup.h1.get_text(strip=True) == GOOD["title_vi"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title_vi", "", "Nhập tiêu đề"),
        ("title_vi", "x" * 201, "tối đa 200 ký tự"),
        ("body_vi", "", "Nhập nội dung bài viết"),
        ("summary_vi", "y" * 1001, "tối đa 1000 ký tự"),
    ],
)
def test_publishing_rejects_bad_input(officer, field, value, message):
    response = publish(officer.browser, **{**GOOD, field: value})
    assert response.status_code == 400
    soup = check_page(response)
    assert message in soup.select_one(f"#{field}-error").get_text()
    assert db.session.scalar(select(NewsArticle)) is None


def test_hostile_text_is_shown_as_text(app, officer):
    response = publish(officer.browser, **{**GOOD, "title_vi": "<script>alert(1)</script>"})
    html = app.test_client().get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_a_reviewer_cannot_publish(app, officer_login):
    reviewer = factories.officer(role="reviewer", office_id=factories.office().id)
    db.session.commit()
    browser = app.test_client()
    officer_login(reviewer.username, c=browser)
    assert browser.get("/officer/tin-tuc/dang").status_code == 403


def test_citizens_never_reach_the_back_office_content(client, citizen):
    assert client.get("/officer/phan-anh").status_code == 403
    assert client.get("/officer/tin-tuc/dang").status_code == 403


def _submit(app):
    item = feedback.submit_feedback(
        name="Nguyễn Văn Phản",
        phone="0912300001",
        email=None,
        topic="card",
        body="Thẻ BHYT của tôi chưa cập nhật nơi khám.",
        now=app.extensions["clock"].now(),
        config=app.config,
    )
    db.session.commit()
    return item


def test_officer_answers_feedback_and_the_citizen_is_told(app, officer):
    item = _submit(app)
    soup = officer.browser.page("/officer/phan-anh")
    assert item.tracking_number in soup.get_text()
    url = f"/officer/phan-anh/{item.tracking_number}"
    response = officer.browser.post(
        url,
        data={
            "answer": "Đã cập nhật nơi khám.",
            "csrf_token": token(officer.browser, "/officer/phan-anh"),
        },
    )
    assert response.status_code == 303
    db.session.refresh(item)
    assert item.answer == "Đã cập nhật nơi khám." and item.status != "open"
    inbox = officer.browser.page("/officer/phan-anh")
    assert "Đã gửi câu trả lời cho phản ánh" in inbox.get_text()
    assert not [a for a in inbox.select(".feedback-item") if item.tracking_number in a.get_text()]
    sms = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == "0912300001")
    ).all()
    assert len(sms) == 2  # the tracking number, then the answer notice
    assert (
        feedback.find_feedback(item.tracking_number, "0912300001").answer == "Đã cập nhật nơi khám."
    )


@pytest.mark.parametrize(
    ("answer", "message"), [("", "Nhập câu trả lời"), ("z" * 4001, "tối đa 4000 ký tự")]
)
def test_a_bad_answer_is_refused_next_to_the_field(app, officer, answer, message):
    item = _submit(app)
    response = officer.browser.post(
        f"/officer/phan-anh/{item.tracking_number}",
        data={"answer": answer, "csrf_token": token(officer.browser, "/officer/phan-anh")},
    )
    assert response.status_code == 400
    soup = check_page(response)
    assert message in soup.select_one(f"#answer-{item.tracking_number}-error").get_text()
    db.session.refresh(item)
    assert item.answer is None


def test_answering_an_unknown_number_is_not_found(officer):
    response = officer.browser.post(
        "/officer/phan-anh/PA-NOPE",
        data={"answer": "x", "csrf_token": token(officer.browser, "/officer/phan-anh")},
    )
    assert response.status_code == 404
