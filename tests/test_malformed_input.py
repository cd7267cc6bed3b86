"""Malformed input fails cleanly (issue 10, finding 6): one row per class of server error the
route fuzzer found, each answered now with a translated 4xx page (or the form's own message by
the field) and nothing written."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DataError

from tests import factories
from tests.conftest import check_page
from webapp.extensions import db
from webapp.models import Feedback, NewsArticle, RegistrationDossier
from webapp.parsing import parse_int

NOT_FOUND = "Không tìm thấy trang"
FORBIDDEN = "Bạn không thể mở trang này"
UNREADABLE = "Không đọc được yêu cầu"
NUL_MESSAGE = "Bỏ ký tự điều khiển ẩn (NUL) khỏi ô này"


def token(browser, url: str) -> str:
    return browser.page(url).find("input", attrs={"name": "csrf_token"})["value"]


def heading(response) -> str:
    return check_page(response).h1.get_text(strip=True)


def field_error(response, field: str) -> str:
    return (
        check_page(response).select_one(f"#{field}-field .error-message").get_text(" ", strip=True)
    )


# --- numbers in URLs: beyond 64 bits, Unicode digits, 5,000 digits -----------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"/ca-nhan/thong-bao/{2**70}",  # was OverflowError: too large for SQLite INTEGER
        f"/ca-nhan/so-kham-chua-benh/luot/{10**30}",
        f"/ca-nhan/so-kham-chua-benh/{2**64}",
        "/ca-nhan/thong-bao/%D9%A3",  # "٣" was read as 3
        "/ca-nhan/thong-bao/%EF%BC%91",  # "１" was read as 1
        f"/ca-nhan/thong-bao?page={10**30}",  # was OverflowError in the OFFSET
        "/ca-nhan/thong-bao?page=%C2%B2",  # "²": was read as page 1
        "/tin-tuc?page=" + "1" * 5000,  # was ValueError: int() refuses 5,000 digits
        "/tra-cuu/co-quan-bhxh?page=" + "1" * 5000,
    ],
)
def test_a_number_in_the_url_the_app_cannot_hold_is_not_found(client, citizen, url):
    response = client.get(url)
    assert response.status_code == 404
    assert heading(response) == NOT_FOUND


@pytest.mark.parametrize("page", ["%C2%B2", "%D9%A3", str(2**70), "1" * 5000])
def test_the_officers_inbox_page_number_in_other_digits_is_not_found(officer, page):
    # "²".isdigit() is true and int("²") raised ValueError
    response = officer.browser.get(f"/officer/phan-anh?page={page}")
    assert response.status_code == 404
    assert heading(response) == NOT_FOUND


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        ("²", None),
        ("٣", None),
        ("１", None),
        ("-1", None),
        (str(2**31), None),
        ("9" * 5000, None),
        ("", None),
        (None, None),
        (" 4", None),
    ],
)
def test_parse_int_reads_ascii_digits_within_bounds_only(text, expected):
    assert parse_int(text) == expected


def test_a_path_segment_with_nul_is_not_found(client):
    # PostgreSQL refused the NUL in the slug's query: a DataError, a 500
    response = client.get("/tin-tuc/tin%00thu")
    assert response.status_code == 404
    assert heading(response) == NOT_FOUND


# --- bodies that are not the form: JSON, files for text fields, NUL ----------------------------


@pytest.mark.parametrize(
    "document",
    [
        {"identifier": 1180591620717411303424, "password": {"a": [1]}},
        [1, 2, 3],
        5,
        "text",
    ],
)
def test_json_where_the_login_form_is_expected_is_the_forms_own_400(client, document):
    # Flask-WTF read JSON as the form: numbers and lists reached the validators (TypeError)
    response = client.post(
        "/login",
        data=json.dumps(document),
        content_type="application/json",
        headers={"X-CSRFToken": token(client, "/login")},
    )
    assert response.status_code == 400
    assert field_error(response, "identifier").endswith(
        "Nhập mã số BHXH (10 chữ số) hoặc số CCCD (12 chữ số)"
    )


def test_a_text_field_sent_as_a_file_is_missing(client, citizen):
    # the FileStorage reached Length(): "object of type 'FileStorage' has no len()"
    response = client.post(
        "/doi-mat-khau",
        data={
            "csrf_token": token(client, "/doi-mat-khau"),
            "old_password": (BytesIO(factories.PASSWORD.encode()), "old.txt", "text/plain"),
            "new_password": "Mat-khau-moi-2027",
            "confirm": "Mat-khau-moi-2027",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert field_error(response, "old_password").endswith("Nhập mật khẩu cũ")


@pytest.mark.parametrize(
    ("url", "data", "field", "model"),
    [
        (
            "/officer/tin-tuc/dang",
            {"title_vi": "Tin\x00", "summary_vi": "Tóm tắt", "body_vi": "Nội dung"},
            "title_vi",
            NewsArticle,
        ),
    ],
)
def test_nul_in_a_form_field_is_refused_by_the_field_and_nothing_is_written(
    officer, url, data, field, model
):
    # PostgreSQL refuses NUL in text (a DataError, a 500); SQLite stored it
    response = officer.browser.post(url, data={"csrf_token": token(officer.browser, url), **data})
    assert response.status_code == 400
    assert field_error(response, field).endswith(NUL_MESSAGE)
    assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_nul_in_an_answer_to_feedback_is_refused(app, officer, clock):
    from webapp.services import feedback

    item = feedback.submit_feedback(
        name="Nguyễn Văn An",
        phone="0912345678",
        email=None,
        topic="card",
        body="Thẻ BHYT chưa cập nhật.",
        now=clock.now(),
        config=app.config,
    )
    db.session.commit()
    url = f"/officer/phan-anh/{item.tracking_number}"
    response = officer.browser.post(
        url, data={"csrf_token": token(officer.browser, "/officer/phan-anh"), "answer": "Đã\x00"}
    )
    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Feedback, item.id).answer is None


def test_an_office_id_in_other_digits_is_the_fields_error(client):
    # "²²".isdigit() passed and int() raised ValueError
    url = "/dang-ky/ca-nhan"
    response = client.post(url, data={"csrf_token": token(client, url), "office_id": "²²"})
    assert response.status_code == 400
    assert field_error(response, "office_id").endswith("Chọn cơ quan BHXH nơi bạn sẽ nộp tờ khai")
    assert db.session.scalar(select(func.count()).select_from(RegistrationDossier)) == 0


def test_a_new_password_of_superscript_digits_is_checked_not_crashed(client, citizen):
    # the "digits counting up" check called int("²")
    url = "/doi-mat-khau"
    response = client.post(
        url,
        data={
            "csrf_token": token(client, url),
            "old_password": factories.PASSWORD,
            "new_password": "²³¹⁴⁵⁶⁷⁸⁹",
            "confirm": "²³¹⁴⁵⁶⁷⁸⁹",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/doi-mat-khau/otp"


# --- an officer's session on the citizen side ------------------------------------------------


@pytest.mark.parametrize(
    ("method", "url"),
    [("GET", "/doi-mat-khau"), ("GET", "/doi-mat-khau/otp"), ("POST", "/logout")],
)
def test_an_officer_on_the_citizens_account_pages_is_forbidden(officer, method, url):
    # AttributeError: 'OfficerUser' object has no attribute 'account'
    browser = officer.browser
    response = browser.open(
        url, method=method, data={"csrf_token": token(browser, "/officer/phan-anh")}
    )
    assert response.status_code == 403
    assert heading(response) == FORBIDDEN


# --- the last resort ---------------------------------------------------------------------------


def test_a_value_the_database_refuses_is_a_400_and_nothing_is_kept(app, client):
    """Should input ever slip past the forms and URL rules (PostgreSQL refusing it), the visitor
    gets the translated 400 page and the request's writes are rolled back."""

    def refused():
        factories.office(name="Ghi dở")
        raise DataError("INSERT …", {}, ValueError("PostgreSQL text fields cannot contain NUL"))

    app.add_url_rule("/_refused", "refused", refused)
    response = client.get("/_refused")
    assert response.status_code == 400
    assert heading(response) == UNREADABLE
    from webapp.models import BhxhOffice

    assert db.session.scalar(select(func.count()).select_from(BhxhOffice)) == 0


def test_two_writes_of_one_unique_row_at_once_are_a_409_and_nothing_is_kept(app, client):
    """Should a rule not yet be one atomic statement, the later of two requests writing the same
    unique row gets the translated 409 page ("try again") and its writes are rolled back."""
    from sqlalchemy.exc import IntegrityError

    from webapp.models import BhxhOffice

    def collided():
        factories.office(name="Ghi dở")
        raise IntegrityError("INSERT …", {}, ValueError("duplicate key value"))

    app.add_url_rule("/_collided", "collided", collided)
    response = client.get("/_collided")
    assert response.status_code == 409
    assert heading(response) == "Thay đổi cùng lúc"
    assert db.session.scalar(select(func.count()).select_from(BhxhOffice)) == 0
