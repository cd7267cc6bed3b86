"""Issue 10, finding 1: no value can keep a request busy.

Every text field of every form is sent 100 kB of pathological text through its real route, as the
route's user, and each request must end within a few seconds (a guard against catastrophic
backtracking, not a speed measurement: a request runs in a worker thread and a stalled one fails
the test instead of hanging it), answer 4xx with the field's "at most" message by the field, and
write nothing. A second test checks the table names every form of the app and every field that
takes text; the normalisers, the assistant and the directory search are also fed 100 kB directly.
"""

from __future__ import annotations

import concurrent.futures
import importlib
import inspect
import pkgutil
import time
import unicodedata
from dataclasses import dataclass, field

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import Form
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields import (
    DateField,
    FileField,
    HiddenField,
    IntegerField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length

import webapp
from tests import factories
from tests.conftest import check_page
from tests.test_security import otp_from_outbox
from webapp.extensions import db
from webapp.forms import BoundedFields, MaxLength, field_cap
from webapp.models import Feedback
from webapp.services import chatbot, lookups, recovery, registration, text

TIMEOUT = 5.0  # seconds: far above what any request here needs, far below a stalled regex
SIZE = 100_000

# Inputs that make backtracking engines and naive scans blow up: runs of separators between
# letters (nested quantifiers such as `(\w+\s?)+`), "a@" then "a." repeated (an email pattern
# whose parts overlap), a long run that fails at its very end, Vietnamese letters written with
# combining marks (the normalisers' NFC/NFD work), digits and hyphens (phone and code patterns).
PATTERNS = {
    "words and spaces": ("a " * SIZE)[:SIZE],
    "email bait": "a@" + ("a." * SIZE)[: SIZE - 3] + "@",
    "fails at the end": "a" * (SIZE - 1) + "!",
    "combining marks": ("Nguye\u0302\u0303n " * SIZE)[:SIZE],
    "digits and hyphens": ("09-" * SIZE)[:SIZE],
}

NEW_PASSWORD = "Mua-xuan-Ha-Noi-27"
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="hostile")


def within_timeout(call, *args, **kwargs):
    """`call(*args, **kwargs)` in a worker thread; a test failure if it runs past TIMEOUT."""
    started = time.perf_counter()
    future = _pool.submit(call, *args, **kwargs)
    try:
        result = future.result(timeout=TIMEOUT)
    except concurrent.futures.TimeoutError:
        pytest.fail(f"{getattr(call, '__name__', call)} still busy after {TIMEOUT} s")
    return result, time.perf_counter() - started


def row_counts() -> dict[str, int]:
    """Rows of every table: what "nothing written" is checked against."""
    db.session.rollback()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


# --- the routes: who sends which form where ----------------------------------------------------


@dataclass(frozen=True)
class Route:
    """A form as a user sends it: the form class, where, as whom (`setup` prepares the browser
    and returns the URL), the other fields' values, and each text field's message beyond its cap
    (None for a hidden field: it has no place on the page to show one)."""

    form: str  # "module:Class"
    setup: str
    messages: dict[str, str | None]
    base: dict[str, str] = field(default_factory=dict)
    method: str = "POST"


ROUTES = [
    Route(
        "webapp.auth.forms:LoginForm",
        "login",
        {
            "identifier": "Mã số BHXH gồm 10 chữ số, số CCCD gồm 12 chữ số",
            "password": "Mật khẩu có tối đa 128 ký tự",
        },
        {"identifier": "0112345678", "password": "sai-mat-khau"},
    ),
    Route(
        "webapp.auth.forms:RecoveryForm",
        "forgot_password",
        {
            "identifier": "Mã số BHXH gồm 10 chữ số, số CCCD gồm 12 chữ số",
            "channel": "Mục “Gửi mã đến” có tối đa 1000 ký tự",
            "contact": "Nội dung quá dài so với một số điện thoại hoặc email",
        },
        {"identifier": "0188877766", "channel": "email", "contact": "an@vidu.vn"},
    ),
    Route(
        "webapp.verification:OtpForm",
        "recovery_code",
        {"code": "Mã OTP gồm đúng 6 chữ số"},
    ),
    Route(
        "webapp.auth.forms:NewPasswordForm",
        "recovery_new_password",
        {
            "new_password": "Mật khẩu có tối đa 128 ký tự",
            "confirm": "Mật khẩu có tối đa 128 ký tự",
        },
        {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    ),
    Route(
        "webapp.auth.forms:ChangePasswordForm",
        "change_password",
        {
            "old_password": "Mật khẩu có tối đa 128 ký tự",
            "new_password": "Mật khẩu có tối đa 128 ký tự",
            "confirm": "Mật khẩu có tối đa 128 ký tự",
            "remove_passkeys": None,  # shown only to an account that has passkeys
        },
        {"old_password": factories.PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    ),
    Route(
        "webapp.auth.forms:PasskeyForm",
        "passkeys",
        {"device_name": "Tối đa 60 ký tự"},
        {"device_name": "Điện thoại của tôi"},
    ),
    Route(
        "webapp.citizen.forms:DelegationForm",
        "delegation",
        {
            "bhxh_code": "Mã số BHXH gồm 10 chữ số",
            "full_name": "Họ và tên có tối đa 120 ký tự",
            "parts": "Mục “Được xem những gì” có tối đa 1000 ký tự",
            "period": "Mục “Trong bao lâu” có tối đa 1000 ký tự",
        },
        {"bhxh_code": "0199999999", "full_name": "Người Nhận Thử", "parts": "card", "period": "30"},
    ),
    Route(
        "webapp.officer.forms:ApiKeyForm",
        "api_keys",
        {
            "facility_code": "Mã cơ sở KCB gồm 5 chữ số",
            "label": "Tối đa 60 ký tự",
        },
        {"facility_code": "99999", "label": "Quầy tiếp đón"},
    ),
    Route(
        "webapp.public.forms:VerifyCardForm",
        "verify",
        {"payload": "Nội dung mã QR của thẻ có tối đa 2000 ký tự"},
    ),
    Route(
        "webapp.public.forms:FindCodeByBirthForm",
        "find_code_by_birth",
        {
            "full_name": "Họ và tên có tối đa 120 ký tự",
            "date_of_birth": "Nhập ngày sinh theo dạng ngày/tháng/năm",
            "province": "Mục “Tỉnh/thành phố” có tối đa 1000 ký tự",
        },
        {"full_name": "Nguyễn Văn An", "date_of_birth": "14/03/1985", "province": "01"},
    ),
    Route(
        "webapp.public.forms:FindCodeByIdForm",
        "find_code_by_id",
        {
            "id_number": "Số CCCD có 12 chữ số, số CMND có 9 chữ số",
            "full_name": "Họ và tên có tối đa 120 ký tự",
        },
        {"id_number": "001088877766", "full_name": "Nguyễn Văn An"},
    ),
    Route(
        "webapp.public.forms:LookupForm",
        "lookup",
        {
            "q": "Nhập tối đa 100 ký tự",
            "tinh": "Mục “Tỉnh/thành phố” có tối đa 1000 ký tự",
            "page": None,  # a page number is part of a link: too long is no such page (404)
        },
        {"q": "benh vien", "tinh": "01"},
        method="GET",
    ),
    Route(
        "webapp.public.forms:FeedbackForm",
        "feedback",
        {
            "name": "Họ và tên có tối đa 120 ký tự",
            "phone": "Nhập số di động Việt Nam gồm 10 chữ số",
            "email": "Địa chỉ email có tối đa 254 ký tự",
            "topic": "Mục “Chủ đề” có tối đa 1000 ký tự",
            "body": "Nhập tối đa 2000 ký tự",
        },
        {
            "name": "Nguyễn Văn An",
            "phone": "0912345678",
            "email": "an@vidu.vn",
            "topic": "card",
            "body": "Tôi chưa nhận được thẻ BHYT mới.",
        },
    ),
    Route(
        "webapp.public.forms:FeedbackLookupForm",
        "feedback_status",
        {
            "tracking_number": "Số phản ánh gồm PA và 12 chữ số",
            "phone": "Nhập số di động Việt Nam gồm 10 chữ số",
        },
        {"tracking_number": "PA261125123456", "phone": "0912345678"},
    ),
    Route(
        "webapp.public.forms:ChatForm",
        "chatbot",
        {"question": "Câu hỏi có tối đa 500 ký tự"},
    ),
    Route(
        "webapp.registration.forms:DeclarationForm",
        "declaration",
        {
            "full_name": "Tối đa 120 ký tự",
            "date_of_birth": "Nhập ngày theo dạng dd/mm/yyyy",
            "gender": "Mục “Giới tính” có tối đa 1000 ký tự",
            "nationality": "Mục “Quốc tịch” có tối đa 1000 ký tự",
            "bhxh_code": "Mã số BHXH gồm đúng 10 chữ số",
            "id_type": "Mục “Giấy tờ tùy thân” có tối đa 1000 ký tự",
            "id_number": "Số CCCD gồm đúng 12 chữ số",
            "id_issued_on": "Nhập ngày theo dạng dd/mm/yyyy",
            "id_issued_place": "Tối đa 120 ký tự",
            "address": "Tối đa 255 ký tự",
            "phone": "Nhập số di động Việt Nam",
            "email": "Tối đa 254 ký tự",
            "province": "Mục “Tỉnh/thành phố của cơ quan BHXH” có tối đa 1000 ký tự",
            "office_id": "Mục “Cơ quan BHXH nơi nộp tờ khai” có tối đa 1000 ký tự",
        },
        {
            "full_name": "Phạm Văn Khai",
            "date_of_birth": "17/05/1990",
            "gender": "1",
            "nationality": "VN",
            "bhxh_code": "7912345678",
            "id_type": "cccd",
            "id_number": "079090012345",
            "id_issued_on": "01/06/2021",
            "id_issued_place": "Cục Cảnh sát QLHC về TTXH",
            "address": "12 Đường Thử, TP Hồ Chí Minh",
            "phone": "0987654321",
            "email": "khai@vidu.vn",
        },
    ),
    Route(
        "webapp.citizen.forms:ChangeInfoForm",
        "change_info",
        {
            "phone": "Nhập số di động Việt Nam",
            "email": "Tối đa 254 ký tự",
            "address": "Tối đa 255 ký tự",
        },
        {"phone": "0987654321", "email": "binh@vidu.vn", "address": "Số 7, phố Mới, Hà Nội"},
    ),
    Route(
        "webapp.officer.forms:OfficerLoginForm",
        "officer_login",
        {
            "username": "Tên đăng nhập có tối đa 40 ký tự",
            "password": "Mật khẩu có tối đa 128 ký tự",
        },
        {"username": "canbo.duyet", "password": "sai-mat-khau"},
    ),
    Route(
        "webapp.officer.forms:QueueFilterForm",
        "queue",
        {
            "number": "Số hồ sơ có dạng HS2026-000124",
            "bhxh_code": "Mã số BHXH gồm đúng 10 chữ số",
            "date_from": "Nhập ngày theo dạng dd/mm/yyyy",
            "date_to": "Nhập ngày theo dạng dd/mm/yyyy",
            "assessment": "Mục “Tình trạng” có tối đa 1000 ký tự",
            "state": "Mục “Trạng thái” có tối đa 1000 ký tự",
            "kind": "Mục “Loại hồ sơ” có tối đa 1000 ký tự",
        },
        method="GET",
    ),
    Route(
        "webapp.officer.forms:AssessForm",
        "assess",
        {
            "assessment": "Mục “Đánh giá hồ sơ” có tối đa 1000 ký tự",
            "reason": "Tối đa 500 ký tự",
            "back": None,
        },
        {"assessment": "invalid", "reason": "Ảnh mờ, không đọc được số CCCD"},
    ),
    Route("webapp.officer.forms:PhotoForm", "photo", {"back": None}),
    Route("webapp.officer.forms:ConfirmForm", "confirm", {"back": None}),
    Route(
        "webapp.officer.forms:OfficerPasskeyForm",
        "my_passkeys",
        {"device_name": "Tối đa 60 ký tự", "password": "Mật khẩu có tối đa 128 ký tự"},
        {"device_name": "Máy cơ quan", "password": factories.OFFICER_PASSWORD},
    ),
    Route(
        "webapp.officer.forms:AccountPasskeysForm",
        "account_passkeys",
        {"bhxh_code": "Mã số BHXH gồm đúng 10 chữ số", "action": None},
        {"bhxh_code": "0123456789"},
    ),
    Route(
        "webapp.officer.forms:PublishNewsForm",
        "publish_news",
        {
            "title_vi": "Tiêu đề có tối đa 200 ký tự",
            "summary_vi": "Tóm tắt có tối đa 1000 ký tự",
            "body_vi": "Bài viết có tối đa 20000 ký tự",
            "title_en": "Tiêu đề có tối đa 200 ký tự",
            "body_en": "Bài viết có tối đa 20000 ký tự",
        },
        {"title_vi": "Tin mới", "summary_vi": "Tóm tắt", "body_vi": "Nội dung bài viết."},
    ),
    Route(
        "webapp.officer.forms:FaqEntryForm",
        "faq_add",
        {
            "topic": "Mục “Chủ đề” có tối đa 1000 ký tự",
            "question_vi": "Câu hỏi có tối đa 500 ký tự",
            "answer_vi": "Câu trả lời có tối đa 4000 ký tự",
            "question_en": "Câu hỏi có tối đa 500 ký tự",
            "answer_en": "Câu trả lời có tối đa 4000 ký tự",
            "keywords": "Tối đa 500 ký tự",
            "link": "Mục “Trang của ứng dụng được liên kết” có tối đa 1000 ký tự",
            "visibility": "Mục “Hiển thị cho người đọc” có tối đa 1000 ký tự",
        },
        {
            "topic": "support",
            "question_vi": "Giờ làm việc?",
            "answer_vi": "Từ 7 giờ.",
            "visibility": "shown",
        },
    ),
    Route(
        "webapp.officer.forms:AnswerFeedbackForm",
        "answer_feedback",
        {"answer": "Câu trả lời có tối đa 4000 ký tự"},
    ),
]


# --- getting each browser where its form is -----------------------------------------------------


@pytest.fixture
def at(app, client, login, officer_login, clock):
    """`at(setup)` → (browser, URL, data): a browser in the state the form's page needs, and the
    CSRF token its page gave (the steps before are taken without one, as they are tested
    elsewhere)."""

    def citizen_browser():
        person = factories.person(full_name="Trần Văn Bình")
        factories.card(person)
        db.session.commit()
        assert login(person.bhxh_code).status_code == 302
        return client

    def officer_browser():
        record = factories.officer(username="canbo.duyet", full_name="Đỗ Văn Duyệt")
        db.session.commit()
        browser = app.test_client()
        assert officer_login(record.username, c=browser).status_code == 302
        return browser

    def recovering(verified: bool):
        person = factories.person(bhxh_code="0188877766", phone="0987654321")
        db.session.commit()
        data = {"identifier": person.bhxh_code, "channel": "sms", "contact": person.phone}
        assert client.post("/quen-mat-khau", data=data).status_code == 302
        if verified:
            code = otp_from_outbox(person.phone)
            assert client.post("/quen-mat-khau/ma-otp", data={"code": code}).status_code == 302
        return client

    def dossier_url(suffix: str = "", **kw):
        browser = officer_browser()
        found = factories.dossier(**kw)
        db.session.commit()
        page = f"/officer/ho-so/{found.number}"
        return browser, page + suffix, page

    def answer_feedback():
        browser = officer_browser()
        item = _feedback(app, clock)
        return browser, f"/officer/phan-anh/{item.tracking_number}", "/officer/phan-anh"

    setups = {
        "login": lambda: (client, "/login"),
        "forgot_password": lambda: (client, "/quen-mat-khau"),
        "recovery_code": lambda: (recovering(False), "/quen-mat-khau/ma-otp"),
        "recovery_new_password": lambda: (recovering(True), "/quen-mat-khau/mat-khau-moi"),
        "change_password": lambda: (citizen_browser(), "/doi-mat-khau"),
        "verify": lambda: (client, "/verify"),
        "find_code_by_birth": lambda: (client, "/tra-cuu-ma-so-bhxh?cach=ngay-sinh"),
        "find_code_by_id": lambda: (client, "/tra-cuu-ma-so-bhxh?cach=giay-to"),
        "lookup": lambda: (client, "/tra-cuu/co-quan-bhxh"),
        "feedback": lambda: (client, "/ho-tro/phan-anh"),
        "feedback_status": lambda: (client, "/ho-tro/phan-anh/tra-cuu"),
        "chatbot": lambda: (client, "/ho-tro/tro-ly-ao"),
        "declaration": lambda: (client, "/dang-ky/ca-nhan"),
        "change_info": lambda: (citizen_browser(), "/ca-nhan/thay-doi-thong-tin"),
        "officer_login": lambda: (client, "/officer/"),
        "queue": lambda: (officer_browser(), "/officer/ho-so-dk-gddt/ca-nhan"),
        "assess": lambda: dossier_url(),
        "photo": lambda: dossier_url("/anh"),
        "confirm": lambda: dossier_url("/xac-nhan", kind="change_info"),
        "publish_news": lambda: (officer_browser(), "/officer/tin-tuc/dang"),
        "faq_add": lambda: (officer_browser(), "/officer/cau-hoi-thuong-gap/them"),
        "passkeys": lambda: (citizen_browser(), "/van-tay-khuon-mat"),
        "delegation": lambda: (citizen_browser(), "/ca-nhan/gia-dinh/uy-quyen"),
        "account_passkeys": lambda: (officer_browser(), "/officer/khoa-dang-nhap"),
        "my_passkeys": lambda: (officer_browser(), "/officer/khoa-cua-toi"),
        "api_keys": lambda: (officer_browser(), "/officer/khoa-api"),
        "answer_feedback": answer_feedback,
    }

    def prepare(setup: str, method: str):
        app.config["WTF_CSRF_ENABLED"] = False
        browser, url, *page = setups[setup]()
        app.config["WTF_CSRF_ENABLED"] = True
        if method == "GET":
            return browser, url, {}
        token = browser.page(page[0] if page else url).find("input", attrs={"name": "csrf_token"})
        return browser, url, {"csrf_token": token["value"]}

    return prepare


def _feedback(app, clock) -> Feedback:
    from webapp.services import feedback

    item = feedback.submit_feedback(
        name="Nguyễn Văn An",
        phone="0912345678",
        email=None,
        topic="card",
        body="Tôi chưa nhận được thẻ BHYT mới.",
        now=clock.now(),
        config=app.config,
    )
    db.session.commit()
    return item


def _send(browser, route: Route, url: str, data: dict):
    if route.method == "GET":
        return browser.get(url, query_string=data)
    return browser.post(url, data=data)


CASES = [(route, name) for route in ROUTES for name in route.messages]


@pytest.mark.parametrize(
    ("route", "name"), CASES, ids=[f"{r.form.split(':')[1]}.{n}" for r, n in CASES]
)
def test_every_text_field_refuses_100_kb_quickly_and_writes_nothing(at, route, name):
    browser, url, token = at(route.setup, route.method)
    for pattern, value in PATTERNS.items():
        before = row_counts()
        data = {**route.base, **token, name: value}
        response, took = within_timeout(_send, browser, route, url, data)
        assert 400 <= response.status_code < 500, (pattern, response.status_code)
        assert row_counts() == before, pattern
        if route.method == "POST":  # (a GET page may show its own URL, in a link to itself)
            assert value not in response.get_data(as_text=True), pattern  # not echoed back
        message = route.messages[name]
        if message is None:
            continue
        soup = check_page(response)
        # the field's error, by the field (the inbox numbers each item's field)
        error = soup.select_one(f'[id="{name}-error"], [id^="{name}-"][id$="-error"]')
        assert error is not None, (pattern, name)
        assert message in error.get_text(), (pattern, error.get_text())
        assert soup.title.get_text().startswith("Lỗi: ")


def test_a_value_a_little_too_long_comes_back_with_the_message_to_shorten_it(app, client):
    """Beyond its cap, but not far: the text is shown again, so the person can cut it."""
    app.config["WTF_CSRF_ENABLED"] = False
    body = "Thẻ BHYT của tôi bị sai ngày sinh, xin hướng dẫn. " * 41  # 2,050 characters
    response = client.post(
        "/ho-tro/phan-anh",
        data={"name": "Nguyễn Văn An", "phone": "0912345678", "topic": "card", "body": body},
    )
    assert response.status_code == 400
    soup = check_page(response)
    assert "Nhập tối đa 2000 ký tự" in soup.select_one("#body-error").get_text()
    assert soup.select_one("#body").get_text().strip() == body.strip()
    assert db.session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_a_name_in_combining_marks_counts_as_its_letters(app, client):
    """A name typed with combining accents (as some Vietnamese keyboards send it) is measured as
    the letters it shows: form 01 stores it composed, so it fits when its letters do."""
    app.config["WTF_CSRF_ENABLED"] = False
    composed = ("Nguyễn Thị Minh Khai " * 6).strip()[:119]
    decomposed = unicodedata.normalize("NFD", composed)
    assert len(decomposed) > 120
    for name, expected in ((decomposed, None), (decomposed + "ạ" * 2, "Tối đa 120 ký tự")):
        response = client.post("/dang-ky/ca-nhan", data={"full_name": name})
        assert response.status_code == 400  # the other fields are empty
        error = check_page(response).select_one("#full_name-error")
        if expected is None:
            assert error is None, error.get_text()
        else:
            assert expected in error.get_text()


# --- the table covers the app -------------------------------------------------------------------


def _form_classes() -> set[type]:
    """Every form class defined under webapp/."""
    found = set()
    for module in pkgutil.walk_packages(webapp.__path__, "webapp."):
        loaded = importlib.import_module(module.name)
        for _name, obj in inspect.getmembers(loaded, inspect.isclass):
            if (
                issubclass(obj, Form)
                and obj.__module__ == loaded.__name__
                and obj.__module__ != "webapp.forms"
            ):
                found.add(obj)
    return found


def _load(path: str) -> type:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def _instance(form_class):
    """A form of `form_class` with nothing submitted (built in a request, as the views do)."""
    return form_class(formdata=None) if issubclass(form_class, FlaskForm) else form_class()


TYPED = (StringField, TextAreaField, PasswordField, DateField, IntegerField)


def test_the_table_names_every_form_and_every_field_that_takes_text(app):
    forms = _form_classes()
    assert len(forms) >= 20  # the walk found the app's forms
    tabled = {_load(route.form): route for route in ROUTES}
    assert forms == set(tabled), sorted(f.__name__ for f in forms ^ set(tabled))
    with app.test_request_context():
        for form_class, route in tabled.items():
            form = _instance(form_class)
            fields = {f.name for f in form if not isinstance(f, FileField | CSRFTokenField)}
            assert fields == set(route.messages), (form_class.__name__, fields)


def test_every_form_measures_every_value_before_it_reads_it(app):
    """Each form is a bounded one, and each field a person types in declares its own cap (a
    choice or hidden field may take the common one)."""
    with app.test_request_context():
        for form_class in _form_classes():
            assert issubclass(form_class, BoundedFields), form_class.__name__
            for f in _instance(form_class):
                if isinstance(f, FileField):
                    continue
                cap = field_cap(f)
                assert cap is not None, (form_class.__name__, f.name)
                if isinstance(f, TYPED) and not isinstance(f, HiddenField):
                    declared = [v for v in f.validators if isinstance(v, MaxLength | Length)]
                    assert declared, f"{form_class.__name__}.{f.name} declares no cap"
                    assert cap[0] <= 20_000, (form_class.__name__, f.name)


# --- the services, fed directly -------------------------------------------------------------------


def _faq():
    from tests.assistant_eval import faq_rows

    return faq_rows()


SERVICES = {
    "text.fold": text.fold,
    "registration.clean_text": registration.clean_text,
    "registration.normalize_phone": registration.normalize_phone,
    "registration.check_name": registration.check_name,
    "registration.check_email": registration.check_email,
    "registration.check_free_text": lambda v: registration.check_free_text(v, 255),
    "registration.check_mobile": registration.check_mobile,
    "registration.check_id_number": lambda v: registration.check_id_number("passport", v),
    "recovery._normal_phone": recovery._normal_phone,
    "chatbot.words": chatbot.words,
    "chatbot.answer": lambda v: chatbot.answer(v, _faq()),
    "public.forms.normalize_mobile": lambda v: importlib.import_module(
        "webapp.public.forms"
    ).normalize_mobile(v),
    "public.forms.is_plausible_email": lambda v: importlib.import_module(
        "webapp.public.forms"
    ).is_plausible_email(v),
}


@pytest.mark.parametrize("service", list(SERVICES))
def test_normalisers_and_the_assistant_take_100_kb_in_linear_time(service):
    for pattern, value in PATTERNS.items():
        _result, took = within_timeout(SERVICES[service], value)
        assert took < TIMEOUT, (service, pattern)


def test_the_directory_search_takes_100_kb_and_reads_only_its_cap(app):
    factories.office(name="BHXH thành phố Hà Nội", province_code="01")
    db.session.commit()
    directory = lookups.DIRECTORIES["co-quan-bhxh"]
    for value in PATTERNS.values():
        within_timeout(_search_in_context, app, directory, value)
    found, _took = within_timeout(_search_in_context, app, directory, "ha noi " + "x" * SIZE)
    assert found.total == 0  # the words past the cap are not dropped into a broader search


def _search_in_context(app, directory, query):
    with app.app_context():
        return lookups.search(directory, query)


def test_the_assistant_reads_a_bounded_question():
    index = chatbot.Index.build(_faq())
    asked, _meanings = index.normalize("quen mat khau " * 10_000)
    assert len(asked) <= chatbot.QUESTION_MAX_WORDS
    reply = index.ask("quen mat khau " * 10_000)
    assert reply.entry_ids  # still answered from its first words
