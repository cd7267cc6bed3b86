"""Content has a production path (issue point 8): the FAQ and the news live in data files in the
repository (webapp/content/), loaded by the idempotent `flask content load`; admins add, edit and
hide FAQ entries in the back office, and the assistant answers with an edit at once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import check_page
from tests.test_security import csrf
from webapp.extensions import db
from webapp.models import AuditEvent, BhxhOffice, FaqEntry, NewsArticle
from webapp.services import content, faq
from webapp.services.provinces import PROVINCES
from webapp.services.text import search_text

SEED_GUIDE_TOPICS = {
    # every topic of the seed guide (seed/vssid-guide.vi.txt) → the entry that covers it
    "I.1-2 install on Android and iOS": "app-install",
    "II.1.1 sign in": "login-code-or-cccd",
    "II.1.2 change password": "change-password",
    "II.1.3 personal management": "personal-info",
    "II.1.4 card, view, rotate": "card-where",
    "II.1.4 one device at a time": "signed-out-old-phone",
    "II.1.5 participation history": "history-where",
    "II.1.6 benefits received": "benefits-where",
    "II.1.7 medical book": "medical-book",
    "II.2 without an account": "app-without-account",
    "II.2 find BHXH code": "find-code",
    "II.2 news": "news",
    "II.2 online lookups": "online-lookups",
    "II.2 lookup sick-leave facilities": "sick-leave-facility",
    "II.2 lookup BHYT facilities": "card-find-facility",
    "II.2 lookup employers": "lookup-employer",
    "II.2 lookup collection points": "collection-point",
    "II.2 support: chatbot": "assistant",
    "II.2 support: hotline": "hotline",
    "II.2 support: email": "support-email",
    "II.2 support: FAQ": "faq-where",
    "II.2 support: feedback": "feedback-send",
    "II.2 offices with map": "nearest-office",
    "II.2 register steps 1-4": "register-how",
    "II.2 register step 5: print, sign, hand in": "register-print-form",
    "II.2 documents to bring": "register-documents",
    "II.2 approved: account by SMS and email": "register-approved",
    "II.2 rejected": "register-rejected",
    "II.2 change password every 6 months": "password-how-often",
    "II.2 10 days, then deleted": "register-deadline",
    "App. 02 officer review": "officer-review",
    "App. 02 search: Mở rộng, Tra cứu": "officer-search",
    "App. 02 replace the photo": "officer-replace-photo",
    "App. 02 code not in HGĐ": "officer-no-code",
    "App. 02 change of information": "officer-change-info",
}


def test_the_faq_file_covers_the_whole_seed_guide_and_every_page(app):
    records = {r["key"]: r for r in content.faq_records()}
    missing = {topic: key for topic, key in SEED_GUIDE_TOPICS.items() if key not in records}
    assert not missing
    # every page a reader can be sent to has an entry linking to it
    linked = {r.get("link") for r in records.values()}
    assert set(faq.LINKS) - linked <= {"officer_login"}
    for r in records.values():
        assert r["question_vi"] and r["answer_vi"] and r["question_en"] and r["answer_en"]
        assert r.get("link") in faq.LINKS, r["key"]


# Pages no entry sends a reader to: steps inside a flow (reached from its first page), the
# answer to a form, downloads and documents for machines.
NOT_DESTINATIONS = {
    "auth.change_password_otp",
    "auth.other_device",
    "auth.other_device_otp",
    "auth.passkey_create",
    "auth.passkey_otp",
    "auth.recovery_code",
    "auth.recovery_new_password",
    "citizen.delegation_otp",
    "citizen.history_pdf",
    "public.feedback_sent",
    "public.find_code_otp",
    "public.find_code_result",
    "registration.declared",
    "api.openapi_json",
    "public.card_keys",
}


def test_every_page_a_person_opens_has_an_entry_linking_to_it(app):
    """A page of its own (a GET address without a path parameter, beyond a lookup's kind) of the
    public site, the sign-in, the personal area, registration or the API is the link of some
    entry, unless it is a step, a form's answer or a download."""
    linked = {faq.LINKS[r["link"]][0] for r in content.faq_records()}
    pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods
        and not set(rule.arguments) - {"kind"}
        and rule.endpoint.split(".")[0] in {"public", "auth", "citizen", "registration", "api"}
    }
    assert len(pages) > 40
    assert not pages - linked - NOT_DESTINATIONS, sorted(pages - linked - NOT_DESTINATIONS)
    assert NOT_DESTINATIONS <= pages  # no stale name


def test_loading_twice_adds_nothing_and_changes_nothing(app):
    first = content.load()
    db.session.commit()
    assert first.faq.added == len(content.faq_records()) and first.news.added >= 12
    second = content.load()
    db.session.commit()
    assert (second.faq.added, second.faq.updated, second.news.added, second.news.updated) == (
        0,
        0,
        0,
        0,
    )
    assert db.session.scalar(select(func.count(FaqEntry.id))) == first.faq.added
    assert db.session.scalar(select(func.count(NewsArticle.id))) == first.news.added


def test_the_directories_are_loaded_by_code_and_a_hand_added_row_is_left_alone(app):
    factories.office(code="99001", name="Văn phòng thêm tay", province_code="01")
    db.session.commit()
    first = content.load(parts=("directories",))
    db.session.commit()
    assert first.directories["offices"].added >= 34  # one provincial office per province at least
    assert first.directories["facilities"].added > 100
    offices = db.session.scalars(select(BhxhOffice)).all()
    assert {o.province_code for o in offices} >= set(PROVINCES)
    assert all(o.name_folded == search_text(o.name) for o in offices)
    office = db.session.scalar(select(BhxhOffice).where(BhxhOffice.code == "01000"))
    office.name = "Sửa tay"
    db.session.commit()
    again = content.load(parts=("directories",))
    db.session.commit()
    assert again.directories["offices"].updated == 1 and office.name != "Sửa tay"
    assert db.session.scalar(select(BhxhOffice.name).where(BhxhOffice.code == "99001")) == (
        "Văn phòng thêm tay"
    )
    assert content.load(parts=("directories",)).directories["facilities"].added == 0


def test_an_admin_edit_is_kept_by_a_reload_unless_forced(app, clock):
    content.load()
    admin = factories.officer(role="admin")
    entry = db.session.scalar(select(FaqEntry).where(FaqEntry.key == "hotline"))
    text = faq.FaqText(topic="support", question_vi=entry.question_vi, answer_vi="Gọi 1900 0000.")
    faq.edit_entry(admin, clock.now(), entry, text)
    db.session.commit()
    report = content.load()
    db.session.commit()
    assert report.faq.kept == 1 and entry.answer_vi == "Gọi 1900 0000."
    forced = content.load(force=True)
    db.session.commit()
    assert forced.faq.updated == 1 and entry.answer_vi.startswith("Gọi tổng đài 1900 9068")
    assert entry.edited_at is None


def test_the_cli_loads_and_reports(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["content", "load"])
    assert result.exit_code == 0, result.output
    assert re.search(r"FAQ: \d+ added", result.output)
    again = runner.invoke(args=["content", "load"])
    assert "FAQ: 0 added, 0 updated" in again.output


# --- the back office ------------------------------------------------------------------------


URL = "/officer/cau-hoi-thuong-gap"
GOOD = {
    "topic": "support",
    "question_vi": "Giờ làm việc của tổng đài?",
    "answer_vi": "Tổng đài trả lời từ 7 giờ đến 21 giờ mỗi ngày.",
    "question_en": "",
    "answer_en": "",
    "keywords": "gio lam viec",
    "link": "support",
    "visibility": "shown",
}


def post(browser, url, **data):
    return browser.post(url, data={"csrf_token": csrf(browser, url), **data})


def ask(client, question):
    token = csrf(client, "/ho-tro/tro-ly-ao")
    soup = check_page(
        client.post("/ho-tro/tro-ly-ao", data={"question": question, "csrf_token": token})
    )
    return soup.select(".chat-bot")[-1]


def test_an_admin_edits_an_answer_and_the_assistant_uses_it_at_once(app, officer, client):
    content.load()
    db.session.commit()
    entry = db.session.scalar(select(FaqEntry).where(FaqEntry.key == "hotline"))
    assert "1900 9068" in ask(client, "so tong dai ho tro").get_text()
    soup = check_page(officer.browser.get(URL))
    assert soup.select_one(f"a[href='{URL}/{entry.id}']")
    form = check_page(officer.browser.get(f"{URL}/{entry.id}"))
    assert form.select_one("#question_vi")["value"] == entry.question_vi
    response = post(
        officer.browser,
        f"{URL}/{entry.id}",
        **{
            **GOOD,
            "topic": "support",
            "question_vi": entry.question_vi,
            "answer_vi": "Tổng đài mới: 1800 1234, miễn phí.",
        },
    )
    assert response.status_code == 303
    answer = ask(client, "so tong dai ho tro")
    assert "1800 1234" in answer.get_text()
    assert answer.select_one(".chat-go a")["href"] == "/ho-tro"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "faq_edited"))
    assert event.actor_id == officer.record.id and event.subject_id == entry.id


def test_an_admin_adds_and_hides_an_entry(app, officer, client):
    response = post(officer.browser, f"{URL}/them", **GOOD)
    assert response.status_code == 303
    entry = db.session.scalar(select(FaqEntry).where(FaqEntry.question_vi == GOOD["question_vi"]))
    assert entry.key == "gio-lam-viec-cua-tong-dai" and entry.edited_at is not None
    assert "7 giờ đến 21 giờ" in ask(client, "gio lam viec tong dai").get_text()
    faq_page = check_page(client.get("/ho-tro/cau-hoi-thuong-gap"))
    assert GOOD["question_vi"] in faq_page.get_text()
    post(officer.browser, f"{URL}/{entry.id}", **{**GOOD, "visibility": "hidden"})
    assert "Xin lỗi" in ask(client, "gio lam viec tong dai").get_text()
    assert GOOD["question_vi"] not in client.get("/ho-tro/cau-hoi-thuong-gap").get_data(
        as_text=True
    )
    added = select(func.count(AuditEvent.id)).where(AuditEvent.event == "faq_added")
    assert db.session.scalar(added) == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("question_vi", "", "Nhập câu hỏi"),
        ("answer_vi", "   ", "Nhập câu trả lời"),
        ("question_vi", "x" * 501, "tối đa 500 ký tự"),
        ("answer_vi", "y" * 4001, "tối đa 4000 ký tự"),
        ("topic", "weather", "Chọn một chủ đề trong danh sách"),
        ("link", "/evil", "Chọn một trang trong danh sách"),
        ("visibility", "maybe", "Chọn hiện hoặc ẩn"),
        ("question_en", "What?", "Viết cả câu trả lời tiếng Anh"),
        ("answer_en", "Call us.", "Viết cả câu hỏi tiếng Anh"),
    ],
)
def test_bad_input_is_told_next_to_the_field(officer, field, value, message):
    response = post(officer.browser, f"{URL}/them", **{**GOOD, field: value})
    assert response.status_code == 400
    soup = check_page(response)
    told_at = {"question_en": "answer_en", "answer_en": "question_en"}.get(field, field)
    assert message in soup.select_one(f"#{told_at}-error").get_text()
    assert soup.title.get_text().startswith("Lỗi: ")
    assert db.session.scalar(select(func.count(FaqEntry.id))) == 0


def test_hostile_text_is_shown_as_text(officer, client):
    post(officer.browser, f"{URL}/them", **{**GOOD, "answer_vi": "<script>alert(1)</script>"})
    html = client.get("/ho-tro/cau-hoi-thuong-gap").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_a_reviewer_gets_403(app, officer_login):
    content.load()
    reviewer = factories.officer(role="reviewer", office_id=factories.office().id)
    db.session.commit()
    entry_id = db.session.scalar(select(FaqEntry.id).limit(1))
    browser = app.test_client()
    officer_login(reviewer.username, c=browser)
    assert browser.get(URL).status_code == 403
    assert browser.get(f"{URL}/them").status_code == 403
    assert browser.get(f"{URL}/{entry_id}").status_code == 403
    assert browser.post(f"{URL}/{entry_id}", data=GOOD).status_code in (400, 403)


def test_without_csrf_token_refused(officer):
    assert officer.browser.post(f"{URL}/them", data=GOOD).status_code == 400
    assert db.session.scalar(select(func.count(FaqEntry.id))) == 0


def test_citizens_and_strangers_never_reach_it(client, citizen):
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}/them").status_code == 403


def test_an_unknown_entry_is_404(officer):
    assert officer.browser.get(f"{URL}/999999").status_code == 404
    assert officer.browser.get(f"{URL}/99999999999999999999").status_code == 404


def test_the_faq_page_links_each_answer_to_its_page(client):
    content.load(parts=("faq",))
    db.session.commit()
    soup = check_page(client.get("/ho-tro/cau-hoi-thuong-gap"))
    entry = db.session.scalar(select(FaqEntry).where(FaqEntry.key == "medical-book"))
    link = soup.select_one(f"#faq-{entry.id} a")
    assert link["href"] == "/ca-nhan/so-kham-chua-benh"
    assert link.get_text() == "Mở trang: Sổ khám chữa bệnh"
    headings = [h.get_text() for h in soup.select(".faq-topic h2")]
    assert headings[0] == "Cài đặt và sử dụng ứng dụng" and "Dành cho cán bộ BHXH" in headings


def test_the_install_page_explains_android_and_iphone(client):
    soup = check_page(client.get("/cai-dat-ung-dung"))
    assert soup.h1.get_text() == "Cài đặt ứng dụng"
    text = soup.select_one("main").get_text()
    assert "Mở trang này bằng Chrome." in text and "Mở trang này bằng Safari." in text
    client.set_cookie("lang", "en")
    assert "Open this site in Safari." in client.get("/cai-dat-ung-dung").get_data(as_text=True)
