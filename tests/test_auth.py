"""C2: sign in with the BHXH code or the CCCD, sign out; wrong input is told, but not which part."""

import pytest

from tests import factories
from webapp.extensions import db


@pytest.fixture
def person(app):
    p = factories.person(bhxh_code="0112345678", cccd="001085012345")
    db.session.commit()
    return p


def test_login_page_is_vietnamese_by_default(client):
    soup = client.page("/login")
    assert soup.h1.get_text() == "Đăng nhập"
    assert soup.find("label", attrs={"for": "identifier"}).get_text() == "Mã số BHXH hoặc số CCCD"


@pytest.mark.parametrize("identifier", ["0112345678", "001085012345", " 0112 345 678 "])
def test_login_with_code_or_cccd_reaches_personal_page(client, login, person, identifier):
    response = login(identifier)
    assert response.status_code == 302
    assert response.headers["Location"] == "/ca-nhan/"
    soup = client.page("/ca-nhan/")
    assert "Nguyễn Thị Thử" in soup.get_text()


@pytest.mark.parametrize(
    ("identifier", "password"),
    [("0112345678", "sai-mat-khau"), ("0199999999", factories.PASSWORD), ("001085099999", "x")],
)
def test_wrong_code_or_password_gives_the_same_message(client, login, person, identifier, password):
    response = login(identifier, password)
    assert response.status_code == 401
    text = response.get_data(as_text=True)
    assert "Mã số BHXH/số CCCD hoặc mật khẩu không đúng." in text
    assert "Lỗi: Đăng nhập" in text


@pytest.mark.parametrize(
    ("identifier", "password", "message"),
    [
        ("", "x", "Nhập mã số BHXH (10 chữ số) hoặc số CCCD (12 chữ số)"),
        ("12345", "x", "Mã số BHXH gồm 10 chữ số, số CCCD gồm 12 chữ số"),
        ("1" * 5000, "x", "Mã số BHXH gồm 10 chữ số, số CCCD gồm 12 chữ số"),
        ("<script>alert(1)</script>", "x", "Mã số BHXH gồm 10 chữ số, số CCCD gồm 12 chữ số"),
        ("0112345678' OR '1'='1", "x", "Mã số BHXH gồm 10 chữ số, số CCCD gồm 12 chữ số"),
        ("0112345678", "", "Nhập mật khẩu"),
        ("0112345678", "p" * 129, "Mật khẩu có tối đa 128 ký tự"),
    ],
)
def test_login_form_rejects_bad_input_next_to_the_field(
    client, csrf_disabled, person, identifier, password, message
):
    response = client.post("/login", data={"identifier": identifier, "password": password})
    assert response.status_code == 400
    from tests.conftest import check_page

    soup = check_page(response)
    assert message in soup.select_one(".error-message").get_text()
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert soup.title.get_text().startswith("Lỗi: ")


def test_login_without_csrf_token_is_refused(client, person):
    response = client.post(
        "/login", data={"identifier": "0112345678", "password": factories.PASSWORD}
    )
    assert response.status_code == 400
    assert client.get("/ca-nhan/").status_code == 302


def test_personal_pages_need_sign_in(client):
    response = client.get("/ca-nhan/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logout_ends_the_session_for_good(client, citizen):
    soup = client.page("/ca-nhan/")
    token = soup.select_one("form.logout input[name=csrf_token]")["value"]
    # A copy of the session cookie, as a thief or a shared phone would keep it.
    cookie = client.get_cookie("session").value
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/ca-nhan/").status_code == 302
    client.set_cookie("session", cookie)
    assert client.get("/ca-nhan/").status_code == 302


def test_open_redirect_after_login_is_refused(client, login, person):
    soup = client.page("/login?next=//evil.example/")
    token = soup.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(
        "/login?next=//evil.example/",
        data={"identifier": "0112345678", "password": factories.PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/ca-nhan/"
