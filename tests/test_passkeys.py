"""Passkeys (issue 14) through the test client, with a software authenticator
(tests/soft_authenticator.py) that can do what a phone would not: answer for another origin,
repeat its counter, skip user verification. The browser's side is in
tests/e2e/test_passkeys_browser.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from tests import factories
from tests.soft_authenticator import SoftAuthenticator
from tests.test_security import csrf, otp_from_outbox, post_form, sms_to
from webapp.extensions import db
from webapp.models import Account, AuditEvent, Notification, Passkey
from webapp.services import recovery

PAGE = "/van-tay-khuon-mat"


def post_json(client, url: str, body, token: str, raw: bool = False):
    data = body if raw else json.dumps(body)
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    return client.post(url, data=data, headers=headers)


def confirm_with_sms(client, person, name: str = "Điện thoại Android") -> str:
    """Ask to add a passkey and type the SMS code: returns a CSRF token of the session."""
    response = post_form(client, PAGE, device_name=name)
    assert response.status_code == 302 and response.headers["Location"] == f"{PAGE}/otp"
    response = post_form(client, f"{PAGE}/otp", code=otp_from_outbox(person.phone))
    assert response.headers["Location"] == f"{PAGE}/tao"
    return csrf(client, f"{PAGE}/tao")


def add_passkey(client, person, authenticator=None, name: str = "Điện thoại Android"):
    authenticator = authenticator or SoftAuthenticator()
    token = confirm_with_sms(client, person, name)
    options = post_json(client, f"{PAGE}/tuy-chon", {}, token).get_json()
    response = post_json(client, f"{PAGE}/luu", authenticator.create(options), token)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"next": PAGE}
    return authenticator


def sign_out(client) -> None:
    token = csrf(client, "/ca-nhan/tai-khoan")
    client.post("/logout", data={"csrf_token": token})


def sign_in_with(client, authenticator, **answer):
    token = csrf(client, "/login")
    options = post_json(client, "/login/passkey/tuy-chon", {}, token).get_json()
    return post_json(client, "/login/passkey", authenticator.get(options, **answer), token)


def signed_in(client) -> bool:
    return client.get("/ca-nhan/").status_code == 200


def events() -> list[str]:
    db.session.expire_all()
    return [e.event for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_a_passkey_added_after_the_sms_code_signs_in_instead_of_the_password(client, citizen):
    authenticator = add_passkey(client, citizen, name="Điện thoại của Bình")
    soup = client.page(PAGE)
    assert "Điện thoại của Bình" in soup.select_one(".passkey-item").get_text()
    assert "Chưa dùng lần nào" in soup.select_one(".passkey-item").get_text()
    assert "BAT DANG NHAP BANG VAN TAY" in sms_to(citizen.phone)[-1].body
    sign_out(client)
    assert not signed_in(client)
    response = sign_in_with(client, authenticator)
    assert response.status_code == 200 and response.get_json() == {"next": "/ca-nhan/"}
    assert signed_in(client)
    assert "Dùng lần cuối lúc" in client.page(PAGE).select_one(".passkey-item").get_text()
    assert {"passkey_added", "login"} <= set(events())


def test_the_account_page_and_the_sign_in_page_offer_passkeys(client, citizen):
    assert client.page("/ca-nhan/tai-khoan").find("a", href=PAGE)
    sign_out(client)
    soup = client.page("/login")
    assert soup.select_one("[data-passkey-sign-in]")
    assert soup.select_one("input[name=identifier]")["autocomplete"] == "username webauthn"


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"origin": "https://vssid-gia-mao.example"}, "another site's page asked"),
        ({"count_up": False}, "the counter did not move forward: a clone"),
    ],
)
def test_a_wrong_answer_signs_nobody_in_and_counts_as_a_failure(client, citizen, change, why):
    authenticator = add_passkey(client, citizen)
    sign_out(client)
    assert sign_in_with(client, authenticator).status_code == 200  # the counter is at 1 now
    sign_out(client)
    if "count_up" not in change:
        change["count_up"] = True
    response = sign_in_with(client, authenticator, **change)
    assert response.status_code == 401, why
    assert not signed_in(client)
    account = db.session.get(Account, citizen.account.id, populate_existing=True)
    assert account.failed_logins == 1
    assert events()[-1] == "login_failed"


def test_a_passkey_from_another_origin_or_without_user_verification_is_not_added(client, citizen):
    token = confirm_with_sms(client, citizen)
    for authenticator, origin in (
        (SoftAuthenticator(), "https://vssid-gia-mao.example"),
        (SoftAuthenticator(user_verified=False), None),
    ):
        options = post_json(client, f"{PAGE}/tuy-chon", {}, token).get_json()
        response = post_json(client, f"{PAGE}/luu", authenticator.create(options, origin), token)
        assert response.status_code == 400
    assert db.session.scalars(select(Passkey)).all() == []


def test_a_challenge_is_used_once_and_only_within_five_minutes(client, citizen, clock):
    authenticator = add_passkey(client, citizen)
    sign_out(client)
    token = csrf(client, "/login")
    options = post_json(client, "/login/passkey/tuy-chon", {}, token).get_json()
    answer = authenticator.get(options)
    assert post_json(client, "/login/passkey", answer, token).status_code == 200
    sign_out(client)
    token = csrf(client, "/login")
    # The same answer again: without a ceremony, then with a new one under way.
    assert post_json(client, "/login/passkey", answer, token).status_code == 400
    post_json(client, "/login/passkey/tuy-chon", {}, token)
    assert post_json(client, "/login/passkey", answer, token).status_code == 401
    # A challenge answered after its five minutes.
    options = post_json(client, "/login/passkey/tuy-chon", {}, token).get_json()
    clock.advance(minutes=5, seconds=1)
    late = post_json(client, "/login/passkey", authenticator.get(options), token)
    assert late.status_code == 400 and not signed_in(client)


def test_a_locked_account_stays_locked_for_its_passkey(app, client, citizen, clock):
    authenticator = add_passkey(client, citizen)
    sign_out(client)
    account = db.session.get(Account, citizen.account.id)
    account.failed_logins = app.config["LOGIN_MAX_FAILURES"]
    account.locked_until = clock.now() + dt.timedelta(minutes=10)
    db.session.commit()
    response = sign_in_with(client, authenticator)
    assert response.status_code == 429 and "Đăng nhập tạm khóa" in response.get_json()["error"]
    assert not signed_in(client)


def test_adding_needs_the_sms_code_first(client, citizen):
    token = csrf(client, PAGE)
    assert post_json(client, f"{PAGE}/tuy-chon", {}, token).status_code == 403
    answer = SoftAuthenticator().create(
        {"rp": {"id": "localhost"}, "user": {"id": "dQ"}, "challenge": "eA"}
    )
    assert post_json(client, f"{PAGE}/luu", answer, token).status_code == 400
    assert client.get(f"{PAGE}/tao").headers["Location"] == PAGE
    assert db.session.scalars(select(Passkey)).all() == []


def test_one_citizen_cannot_remove_anothers_passkey(app, client, citizen, login):
    add_passkey(client, citizen)
    mine = db.session.scalar(select(Passkey))
    other = app.test_client()
    intruder = factories.person(full_name="Người Khác")
    db.session.commit()
    login(intruder.bhxh_code, c=other)
    token = csrf(other, PAGE)
    assert other.post(f"{PAGE}/{mine.id}/xoa", data={"csrf_token": token}).status_code == 404
    assert "Điện thoại Android" not in other.page(PAGE).get_text()
    assert db.session.get(Passkey, mine.id) is not None
    token = csrf(client, PAGE)
    assert client.post(f"{PAGE}/{mine.id}/xoa", data={"csrf_token": token}).status_code == 302
    assert db.session.scalars(select(Passkey)).all() == []


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "{}",
        '{"id": 5, "rawId": [], "response": null}',
        '{"id": "AA", "rawId": "AA", "type": "public-key", "response": {"clientDataJSON": "@@"}}',
        "[" * 5000,
        '{"id": "' + "A" * 40_000 + '"}',
        '{"id": "\\u0000", "rawId": "\\ud800"}',
    ],
)
def test_hostile_answers_get_a_4xx(client, citizen, clock, body):
    add_passkey(client, citizen)
    clock.advance(minutes=2)  # past the SMS code's cooldown
    token = confirm_with_sms(client, citizen, "Thứ hai")
    post_json(client, f"{PAGE}/tuy-chon", {}, token)
    assert 400 <= post_json(client, f"{PAGE}/luu", body, token, raw=True).status_code < 500
    sign_out(client)
    token = csrf(client, "/login")
    post_json(client, "/login/passkey/tuy-chon", {}, token)
    assert 400 <= post_json(client, "/login/passkey", body, token, raw=True).status_code < 500


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Đặt tên cho điện thoại này"),
        ("x" * 61, "Tối đa 60 ký tự"),
        ("<script>alert(1)</script>", "Bỏ các ký tự < > { }"),
    ],
)
def test_a_bad_device_name_is_refused_by_its_field(client, citizen, name, message):
    response = post_form(client, PAGE, device_name=name)
    assert response.status_code == 400
    assert sms_to(citizen.phone) == []
    error = client_page(response).select_one("#device_name-field .error-message").get_text()
    assert message in error


def client_page(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def test_a_password_reset_removes_every_passkey_and_says_so(app, client, citizen, clock):
    add_passkey(client, citizen)
    clock.advance(minutes=2)  # past the SMS code's cooldown
    add_passkey(client, citizen, name="Máy tính bảng")
    account = db.session.get(Account, citizen.account.id)
    recovery.reset(account, "Mot-mat-khau-moi-2026", clock.now(), app.config, "25/11/2026 12:00")
    db.session.commit()
    assert db.session.scalars(select(Passkey)).all() == []
    assert "dang nhap bang van tay/khuon mat da bi go" in sms_to(citizen.phone)[-1].body.lower()
    kinds = db.session.scalars(select(Notification.kind).order_by(Notification.id)).all()
    assert "passkeys_removed" in kinds
    assert "passkeys_removed" in events()


def test_passkeys_are_off_without_a_relying_party(app, client, citizen):
    app.config["WEBAUTHN_RP_ID"] = ""
    assert client.get(PAGE).status_code == 404
    assert not client.page("/ca-nhan/tai-khoan").find("a", href=PAGE)
    sign_out(client)
    assert client.page("/login").select_one("[data-passkey-sign-in]") is None
    token = csrf(client, "/login")
    assert post_json(client, "/login/passkey/tuy-chon", {}, token).status_code == 404


@pytest.mark.parametrize("remove", [True, False])
def test_a_password_change_offers_to_keep_or_remove_the_passkeys(client, citizen, clock, remove):
    add_passkey(client, citizen)
    clock.advance(minutes=2)
    soup = client.page("/doi-mat-khau")
    assert soup.select_one("input[name=remove_passkeys][type=checkbox]")
    form = {
        "old_password": factories.PASSWORD,
        "new_password": "Mot-mat-khau-moi-2026",
        "confirm": "Mot-mat-khau-moi-2026",
    }
    if remove:
        form["remove_passkeys"] = "y"
    assert post_form(client, "/doi-mat-khau", **form).status_code == 302
    code = otp_from_outbox(citizen.phone)
    assert post_form(client, "/doi-mat-khau/otp", code=code).status_code == 302
    left = db.session.scalars(select(Passkey)).all()
    assert (left == []) is remove


def test_an_admin_revokes_an_accounts_passkeys_and_the_citizen_is_told(
    client, citizen, officer, officer_login
):
    add_passkey(client, citizen)
    page = "/officer/khoa-dang-nhap"
    found = post_form(officer.browser, page, bhxh_code=citizen.bhxh_code)
    assert found.status_code == 200
    assert "Điện thoại Android" in client_page(found).get_text()
    revoked = post_form(officer.browser, page, bhxh_code=citizen.bhxh_code, action="revoke")
    assert revoked.status_code == 200
    assert db.session.scalars(select(Passkey)).all() == []
    kinds = db.session.scalars(select(Notification.kind)).all()
    assert "passkeys_removed" in kinds
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "passkeys_removed"))
    assert (event.actor_type, event.actor_id) == ("officer", officer.record.id)
    # Unknown and malformed codes get their message by the field; a reviewer may not come in.
    unknown = post_form(officer.browser, page, bhxh_code="0999999999")
    assert unknown.status_code == 404 and "Không có tài khoản" in unknown.get_data(as_text=True)
    assert post_form(officer.browser, page, bhxh_code="12ab").status_code == 400
    reviewer = factories.officer(username="canbo.xem", role="reviewer")
    db.session.commit()
    browser = officer.browser.application.test_client()
    officer_login(reviewer.username, c=browser)
    assert browser.get(page).status_code == 403
    # A citizen never reaches it.
    assert client.get(page).status_code in (302, 403)


# --- officers -------------------------------------------------------------------------------------


def officer_adds_passkey(browser, authenticator=None, name: str = "Máy tính cơ quan"):
    authenticator = authenticator or SoftAuthenticator()
    page = "/officer/khoa-cua-toi"
    response = post_form(browser, page, device_name=name, password=factories.OFFICER_PASSWORD)
    assert response.headers["Location"] == f"{page}/tao", response.status_code
    token = csrf(browser, f"{page}/tao")
    options = post_json(browser, f"{page}/tuy-chon", {}, token).get_json()
    assert options["user"]["name"]  # the username, not a citizen's code
    response = post_json(browser, f"{page}/luu", authenticator.create(options), token)
    assert response.status_code == 200 and response.get_json() == {"next": page}
    return authenticator


def second_factor(browser, authenticator, **answer):
    token = csrf(browser, "/officer/khoa-xac-thuc")
    response = post_json(browser, "/officer/khoa-xac-thuc/tuy-chon", {}, token)
    assert response.status_code == 200, client_page(response).select_one("main").get_text(" ")[:300]
    options = response.get_json()
    return post_json(browser, "/officer/khoa-xac-thuc", authenticator.get(options, **answer), token)


QUEUE = "/officer/ho-so-dk-gddt/ca-nhan"


def test_an_admin_requires_an_officers_passkey_after_the_password(app, officer, officer_login):
    reviewer = factories.officer(username="canbo.khoa", role="reviewer")
    db.session.commit()
    own = app.test_client()
    officer_login(reviewer.username, c=own)
    authenticator = officer_adds_passkey(own)
    assert "Máy tính cơ quan" in own.page("/officer/khoa-cua-toi").get_text()
    # The admin requires it.
    token = csrf(officer.browser, "/officer/can-bo")
    form = {"csrf_token": token, "officer_id": str(reviewer.id), "require": "1"}
    assert officer.browser.post("/officer/can-bo", data=form).status_code == 302
    db.session.refresh(reviewer)
    assert reviewer.passkey_required
    # The password alone opens nothing now.
    browser = app.test_client()
    response = officer_login(reviewer.username, c=browser)
    assert response.headers["Location"] == "/officer/khoa-xac-thuc"
    assert browser.get(QUEUE).status_code == 302
    # Another passkey (a citizen's, another officer's, unknown) does not either.
    assert second_factor(browser, SoftAuthenticator()).status_code == 401
    assert browser.get(QUEUE).status_code == 302
    response = second_factor(browser, authenticator)
    assert response.status_code == 200 and response.get_json() == {"next": QUEUE}
    assert browser.get(QUEUE).status_code == 200
    assert "officer_second_factor_failed" in events()


def test_officer_passkey_rules(app, client, citizen, officer, officer_login, clock):
    reviewer = factories.officer(username="canbo.quytac", role="reviewer")
    db.session.commit()
    own = app.test_client()
    officer_login(reviewer.username, c=own)
    # A name, and the password again, or nothing is added.
    empty = post_form(own, "/officer/khoa-cua-toi", device_name="  ", password="")
    assert empty.status_code == 400
    assert "Đặt tên cho thiết bị này" in empty.get_data(as_text=True)
    wrong = post_form(own, "/officer/khoa-cua-toi", device_name="Máy", password="sai-mat-khau")
    assert wrong.status_code == 400 and "Mật khẩu cũ không đúng." in wrong.get_data(as_text=True)
    # No passkey yet: it cannot be required.
    token = csrf(officer.browser, "/officer/can-bo")
    form = {"csrf_token": token, "officer_id": str(reviewer.id), "require": "1"}
    assert officer.browser.post("/officer/can-bo", data=form).status_code == 409
    authenticator = officer_adds_passkey(own)
    assert officer.browser.post("/officer/can-bo", data=form).status_code == 302
    # The last passkey stays while it is required.
    mine = db.session.scalar(select(Passkey).where(Passkey.officer_id == reviewer.id))
    token = csrf(own, "/officer/khoa-cua-toi")
    own.post(f"/officer/khoa-cua-toi/{mine.id}/xoa", data={"csrf_token": token})
    assert db.session.get(Passkey, mine.id) is not None
    # An officer's passkey signs no citizen in; a reviewer never reaches the officers' page.
    sign_out(client)
    assert sign_in_with(client, authenticator).status_code == 401
    assert own.get("/officer/can-bo").status_code == 403
    # Nor does a citizen reach an officer's passkeys.
    assert client.get("/officer/khoa-cua-toi").status_code in (302, 403)
