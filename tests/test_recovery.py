"""C3b: forgotten password, recovery by OTP to the registered phone or email, safely."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import check_page
from tests.test_security import csrf, otp_from_outbox, sms_to
from webapp.extensions import db
from webapp.models import AuditEvent, BhxhOffice, DeviceSession, Notification, OutboxMessage
from webapp.services import passwords
from webapp.services.text import fold

NEW_PASSWORD = "Mua-xuan-Ha-Noi-27"


@pytest.fixture
def person(app):
    p = factories.person(
        bhxh_code="0188877766", cccd="001088877766", phone="0987654321", email="an@vidu.vn"
    )
    db.session.commit()
    return p


def ask(client, identifier, contact, channel="sms"):
    token = csrf(client, "/quen-mat-khau")
    return client.post(
        "/quen-mat-khau",
        data={
            "identifier": identifier,
            "contact": contact,
            "channel": channel,
            "csrf_token": token,
        },
    )


def enter_code(client, code):
    return client.post(
        "/quen-mat-khau/ma-otp",
        data={"code": code, "csrf_token": csrf(client, "/quen-mat-khau/ma-otp")},
    )


def choose(client, password, confirm=None):
    url = "/quen-mat-khau/mat-khau-moi"
    return client.post(
        url,
        data={
            "new_password": password,
            "confirm": confirm or password,
            "csrf_token": csrf(client, url),
        },
    )


def test_login_page_offers_recovery(client):
    link = client.page("/login").find("a", string="Quên mật khẩu?")
    assert link["href"] == "/quen-mat-khau"


def test_recovery_by_sms_sets_a_new_password_and_signs_out_every_device(app, client, person, login):
    other_phone = app.test_client()
    assert login(person.bhxh_code, c=other_phone).status_code == 302
    response = ask(client, person.bhxh_code, "098 765 4321")
    assert response.headers["Location"] == "/quen-mat-khau/ma-otp"
    sms = sms_to(person.phone)[-1].body
    assert "LAY LAI MAT KHAU" in sms
    assert (
        enter_code(client, otp_from_outbox(person.phone)).headers["Location"]
        == "/quen-mat-khau/mat-khau-moi"
    )
    assert choose(client, NEW_PASSWORD).headers["Location"] == "/login"
    assert "Mật khẩu đã được đặt lại" in client.page("/login").get_text()

    db.session.refresh(person.account)
    assert passwords.verify_password(person.account.password_hash, NEW_PASSWORD)
    response = other_phone.get("/ca-nhan/")
    assert (
        response.status_code == 302 and response.headers["Clear-Site-Data"] == '"cache", "storage"'
    )
    assert (
        "Mật khẩu đã được đặt lại nên bạn đã bị đăng xuất" in other_phone.page("/login").get_text()
    )
    assert (
        db.session.scalars(select(DeviceSession).where(DeviceSession.revoked_at.is_(None))).all()
        == []
    )
    assert "vua duoc dat lai" in sms_to(person.phone)[-1].body
    assert (
        db.session.scalar(
            select(Notification.kind).where(Notification.account_id == person.account.id)
        )
        == "password_changed"
    )
    assert login(person.bhxh_code, NEW_PASSWORD).status_code == 302


def test_recovery_by_email(client, person):
    ask(client, person.cccd, "AN@vidu.vn", channel="email")
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == "an@vidu.vn")
    ).one()
    assert mail.channel == "email" and mail.subject == "VssID: mã OTP lấy lại mật khẩu"
    code = re.search(r"\b(\d{6})\b", mail.body).group(1)
    assert enter_code(client, code).status_code == 302
    assert sms_to(person.phone) == []


def _visible(response) -> str:
    soup = check_page(response)
    for token in soup.find_all("input", attrs={"name": "csrf_token"}):
        token.decompose()
    return str(soup.main)


@pytest.mark.parametrize(
    ("identifier", "contact", "channel"),
    [
        ("0199999999", "0987654321", "sms"),  # no such code
        ("0188877766", "0911111111", "sms"),  # code right, phone not the registered one
        ("0188877766", "khac@vidu.vn", "email"),  # email not the registered one
    ],
)
def test_a_non_match_looks_exactly_like_a_match(
    app, person, identifier, contact, channel, monkeypatch, clock
):
    """Each flow in a browser of its own, an hour apart (the contact's sends are throttled
    whether it matched or not, which is tested below): every page and answer is the same."""
    hashes = []
    real_hash = passwords.hash_password
    monkeypatch.setattr(passwords, "hash_password", lambda p: hashes.append(p) or real_hash(p))

    def observe(identifier: str, contact: str, channel: str) -> list:
        browser = app.test_client()
        browser.set_cookie("device_id", "same-kind-of-phone")
        asked = ask(browser, identifier, contact, channel)
        seen = [asked.status_code, asked.headers["Location"]]
        seen.append(_visible(browser.get("/quen-mat-khau/ma-otp")))
        for _ in range(6):  # wrong codes count down the same way, to the void code
            wrong = enter_code(browser, "000000")
            seen += [
                wrong.status_code,
                _visible(wrong),
                [cookie.split("=")[0] for cookie in wrong.headers.getlist("Set-Cookie")],
            ]
        again = ask(browser, identifier, contact, channel)  # at once: the same cooldown
        seen += [again.status_code, _visible(browser.get("/quen-mat-khau/ma-otp"))]
        seen.append(_visible(enter_code(browser, "000000")))  # the same code, still void
        clock.advance(hours=1)
        return seen

    matched = observe("0188877766", "0987654321", "sms")
    unmatched = observe(identifier, contact, channel)
    assert matched == unmatched
    assert "Bạn còn 4 lần thử" in matched[4]
    assert "không còn hiệu lực" in matched[-5] and "không còn hiệu lực" in matched[-1]
    assert "Bạn có thể yêu cầu mã mới sau 61 giây" in matched[-2]
    assert len(hashes) == 4  # the same (slow) work on both paths
    assert len(sms_to("0911111111")) == 0


def test_the_contacts_sends_are_throttled_matched_or_not(app, person):
    """Two requests for the same phone at once: the second waits, whichever code was given."""
    for identifier in ("0188877766", "0199999999"):
        browser = app.test_client()
        ask(browser, identifier, "0987654321")
        page = browser.get("/quen-mat-khau/ma-otp").get_data(as_text=True)
    assert "Bạn có thể yêu cầu mã mới sau 61 giây" in page
    assert len(sms_to("0987654321")) == 1


def test_the_code_expires_and_five_wrong_tries_void_it(client, person, clock):
    ask(client, person.bhxh_code, person.phone)
    code = otp_from_outbox(person.phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    texts = [enter_code(client, wrong).get_data(as_text=True) for _ in range(5)]
    assert "Bạn còn 1 lần thử" in texts[3]
    assert "mã OTP này không còn hiệu lực" in texts[4]
    assert enter_code(client, code).status_code == 400  # void now, even the right code

    clock.advance(minutes=2)
    ask(client, person.bhxh_code, person.phone)
    code = otp_from_outbox(person.phone)
    clock.advance(minutes=5)
    assert "Mã OTP đã hết hạn" in enter_code(client, code).get_data(as_text=True)


def test_the_new_password_obeys_the_policy(client, person):
    ask(client, person.bhxh_code, person.phone)
    enter_code(client, otp_from_outbox(person.phone))
    for bad, message in [
        ("ngan", "Mật khẩu mới cần ít nhất 8 ký tự"),
        ("12345678", "quá phổ biến"),
        (person.bhxh_code, "không được là hoặc chứa mã số BHXH"),
        (factories.PASSWORD, "5 mật khẩu gần nhất"),
    ]:
        response = choose(client, bad)
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    response = choose(client, NEW_PASSWORD, "khac")
    assert "Hai lần nhập mật khẩu mới không giống nhau" in response.get_data(as_text=True)


def test_the_new_password_step_needs_the_code(client, person):
    ask(client, person.bhxh_code, person.phone)
    assert client.get("/quen-mat-khau/mat-khau-moi").headers["Location"] == "/quen-mat-khau"
    assert (
        client.post(
            "/quen-mat-khau/mat-khau-moi",
            data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        ).status_code
        == 400
    )


def test_an_unused_first_password_is_sent_again_once(client, person, clock):
    person.account.must_change_password = True
    person.account.status = "pending"
    db.session.commit()
    ask(client, person.bhxh_code, person.phone)
    sms = sms_to(person.phone)[-1].body
    temporary = re.search(r"Mat khau tam thoi moi: ([A-Za-z0-9]+)$", sms).group(1)
    db.session.refresh(person.account)
    assert passwords.verify_password(person.account.password_hash, temporary)
    assert person.account.must_change_password
    # a second request (after the minute between two sends) gets an OTP, not another password
    clock.advance(seconds=61)
    ask(client, person.bhxh_code, person.phone)
    assert "LAY LAI MAT KHAU" in sms_to(person.phone)[-1].body


@pytest.mark.parametrize(
    ("identifier", "contact", "channel", "field", "message"),
    [
        (
            "",
            "0987654321",
            "sms",
            "identifier",
            "Nhập mã số BHXH (10 chữ số) hoặc số CCCD (12 chữ số)",
        ),
        ("123", "0987654321", "sms", "identifier", "Mã số BHXH gồm 10 chữ số"),
        ("0188877766", "", "sms", "contact", "Nhập số điện thoại hoặc email đã đăng ký"),
        ("0188877766", "12345", "sms", "contact", "Nhập số di động Việt Nam gồm 10 chữ số"),
        (
            "0188877766",
            "khong-phai-email",
            "email",
            "contact",
            "Nhập địa chỉ email dạng ten@vidu.vn",
        ),
        ("0188877766", "x" * 300, "sms", "contact", "Nội dung quá dài"),
        ("0188877766", "<script>alert(1)</script>", "sms", "contact", "Nhập số di động Việt Nam"),
        ("0188877766", "0987654321", "fax", "channel", "Not a valid choice"),
    ],
)
def test_recovery_form_rejects_bad_input(
    client, csrf_disabled, person, identifier, contact, channel, field, message
):
    response = client.post(
        "/quen-mat-khau", data={"identifier": identifier, "contact": contact, "channel": channel}
    )
    assert response.status_code == 400
    soup = check_page(response)
    assert soup.title.get_text().startswith("Lỗi: ")
    if field != "channel":
        assert message in soup.select_one(f"#{field}-error").get_text()
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert sms_to(person.phone) == []


def test_requests_for_one_code_are_throttled(client, person):
    statuses = [ask(client, person.bhxh_code, "0900000000").status_code for _ in range(6)]
    assert statuses[:5] == [302] * 5 and statuses[5] == 429
    assert "tạm khóa" in ask(client, person.bhxh_code, person.phone).get_data(as_text=True)


def test_recovery_is_throttled_per_ip(app, client, csrf_disabled):
    app.config["RECOVERY_LIMIT_PER_IP"] = "3 per minute"
    codes = [
        client.post(
            "/quen-mat-khau",
            data={"identifier": f"01{i:08d}", "contact": "0900000000", "channel": "sms"},
        ).status_code
        for i in range(4)
    ]
    assert codes == [302, 302, 302, 429]


def test_unreachable_phone_page_explains_the_change_and_lists_offices(client):
    name = "BHXH thành phố Hà Nội"
    db.session.add(
        BhxhOffice(
            code="01000",
            name=name,
            name_folded=fold(name),
            level="province",
            province_code="01",
            address="86 Trần Thái Tông, Hà Nội",
            phone="024 3555 1234",
        )
    )
    db.session.commit()
    soup = client.page("/quen-mat-khau/khong-nhan-duoc?province=01")
    text = soup.get_text(" ")
    assert "thay đổi thông tin" in text and name in text
    assert soup.find("a", href="tel:19009068") is not None
    assert soup.find("a", href="tel:02435551234") is not None
    assert (
        "86 Trần Thái Tông"
        not in client.page("/quen-mat-khau/khong-nhan-duoc?province=<b>").get_text()
    )


def test_every_step_is_audited_without_secrets(client, person):
    ask(client, person.bhxh_code, person.phone)
    code = otp_from_outbox(person.phone)
    enter_code(client, "000000")
    enter_code(client, code)
    choose(client, NEW_PASSWORD)
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    names = [e.event for e in events]
    for expected in ["recovery_requested", "otp_sent", "otp_failed", "password_reset"]:
        assert expected in names
    dumped = repr([(e.event, e.detail) for e in events])
    for secret in (code, NEW_PASSWORD, person.phone, person.bhxh_code, "an@vidu.vn"):
        assert secret not in dumped
