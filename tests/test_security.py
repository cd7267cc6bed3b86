"""C3, C6, X5: OTP, password policy and change, one device at a time, throttling, hardening."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import check_page
from webapp import workers
from webapp.extensions import db
from webapp.models import Account, AuditEvent, DeviceSession, Notification, OutboxMessage
from webapp.services import messaging, otp, passwords
from webapp.services.clock import as_utc

SECRET = "test-secret-key"


def sms_to(phone: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == phone, OutboxMessage.channel == "sms")
            .order_by(OutboxMessage.id)
        )
    )


def otp_from_outbox(phone: str) -> str:
    """The code of the last SMS to `phone`, as the citizen reads it on the phone."""
    return re.search(r"\b(\d{6})\b", sms_to(phone)[-1].body).group(1)


def csrf(client, url: str) -> str:
    return client.page(url).find("input", attrs={"name": "csrf_token"})["value"]


def post_form(client, url: str, **data):
    return client.post(url, data={"csrf_token": csrf(client, url), **data})


# --- OTP rules -------------------------------------------------------------------------------


@pytest.fixture
def account(app):
    person = factories.person()
    db.session.commit()
    return person.account


def test_otp_is_six_digits_stored_hashed_and_used_once(account, clock):
    issued = otp.issue(
        "change_password", otp.account_subject(account), "dev-1", clock.now(), SECRET
    )
    assert re.fullmatch(r"\d{6}", issued.code)
    assert issued.code not in issued.challenge.code_hash
    assert (
        otp.check(
            "change_password",
            otp.account_subject(account),
            "dev-1",
            issued.code,
            clock.now(),
            SECRET,
        ).result
        is otp.Check.OK
    )
    again = otp.check(
        "change_password", otp.account_subject(account), "dev-1", issued.code, clock.now(), SECRET
    )
    assert again.result is otp.Check.MISSING


def test_otp_is_bound_to_purpose_and_device(account, clock):
    code = otp.issue(
        "change_password", otp.account_subject(account), "dev-1", clock.now(), SECRET
    ).code
    assert (
        otp.check(
            "new_device", otp.account_subject(account), "dev-1", code, clock.now(), SECRET
        ).result
        is otp.Check.MISSING
    )
    assert (
        otp.check(
            "change_password", otp.account_subject(account), "dev-2", code, clock.now(), SECRET
        ).result
        is otp.Check.MISSING
    )
    assert (
        otp.check(
            "change_password", otp.account_subject(account), "dev-1", code, clock.now(), SECRET
        ).result
        is otp.Check.OK
    )


def test_otp_expires_after_five_minutes(account, clock):
    code = otp.issue("new_device", otp.account_subject(account), "dev-1", clock.now(), SECRET).code
    clock.advance(minutes=5)
    assert (
        otp.check(
            "new_device", otp.account_subject(account), "dev-1", code, clock.now(), SECRET
        ).result
        is otp.Check.EXPIRED
    )


def test_otp_is_void_after_five_wrong_tries(account, clock):
    code = otp.issue("new_device", otp.account_subject(account), "dev-1", clock.now(), SECRET).code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    lefts = [
        otp.check("new_device", otp.account_subject(account), "dev-1", wrong, clock.now(), SECRET)
        for _ in range(5)
    ]
    assert [v.tries_left for v in lefts] == [4, 3, 2, 1, 0]
    assert lefts[-1].result is otp.Check.VOID
    assert (
        otp.check(
            "new_device", otp.account_subject(account), "dev-1", code, clock.now(), SECRET
        ).result
        is otp.Check.VOID
    )


def test_otp_resend_waits_sixty_seconds_and_five_an_hour(account, clock):
    first = otp.issue("new_device", otp.account_subject(account), "dev-1", clock.now(), SECRET)
    refused = otp.issue(
        "new_device",
        otp.account_subject(account),
        "dev-1",
        clock.now() + dt.timedelta(seconds=30),
        SECRET,
    )
    assert refused.challenge is None and refused.retry_after == 31
    for _ in range(4):
        clock.advance(seconds=61)
        assert (
            otp.issue(
                "new_device", otp.account_subject(account), "dev-1", clock.now(), SECRET
            ).challenge
            is not None
        )
    clock.advance(seconds=61)
    capped = otp.issue("new_device", otp.account_subject(account), "dev-1", clock.now(), SECRET)
    assert capped.challenge is None and capped.retry_after > 60
    # a newer code replaces the older one
    assert otp.check(
        "new_device", otp.account_subject(account), "dev-1", first.code, clock.now(), SECRET
    ).result in {
        otp.Check.MISSING,
        otp.Check.WRONG,
    }


def test_otp_sends_and_tries_stay_counted_when_the_request_then_fails(account, clock):
    """The one exception to "the request commits" (`atomic.durable`): a send claimed and a try
    counted hold even when the request rolls back afterwards (a template or a provider fails),
    so a failing request cannot be retried for free."""
    subject = otp.account_subject(account)
    otp.issue("new_device", subject, "dev-1", clock.now(), SECRET)
    db.session.rollback()  # the request that asked for the code failed after the claim
    later = clock.now() + dt.timedelta(seconds=30)
    assert otp.issue("new_device", subject, "dev-1", later, SECRET).retry_after == 31

    clock.advance(seconds=61)
    code = otp.issue("new_device", subject, "dev-1", clock.now(), SECRET).code
    db.session.commit()  # this request succeeded: the code was sent
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert otp.check("new_device", subject, "dev-1", wrong, clock.now(), SECRET).tries_left == 4
    db.session.rollback()  # the request that typed it failed afterwards
    assert otp.check("new_device", subject, "dev-1", wrong, clock.now(), SECRET).tries_left == 3


def test_a_wrong_password_stays_counted_when_the_request_then_fails(app, account, clock):
    """A sign-in attempt is counted and settled (with its audit row) at once: a rollback of
    the request afterwards keeps both."""
    from webapp.services import sessions

    outcome, _account = sessions.authenticate(
        account.person.bhxh_code, "sai-mat-khau", clock.now(), 5, 15
    )
    assert outcome is sessions.Outcome.WRONG
    db.session.rollback()
    assert db.session.get(Account, account.id, populate_existing=True).failed_logins == 1
    failed = (
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.event == "login_failed", AuditEvent.actor_id == account.id)
    )
    assert db.session.scalar(failed) == 1


# --- Password policy -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "violation"),
    [
        ("Ab1!x", passwords.Violation.TOO_SHORT),
        ("x" * 129, passwords.Violation.TOO_LONG),
        ("{code}", passwords.Violation.PERSONAL),
        ("Abc{code}!", passwords.Violation.PERSONAL),
        ("{cccd}", passwords.Violation.PERSONAL),
        ("14031985", passwords.Violation.PERSONAL),
        ("Sinh14/03/1985", passwords.Violation.PERSONAL),
        ("12345678", passwords.Violation.COMMON),
        ("Matkhau@123", passwords.Violation.COMMON),
        ("aaaaaaaaaa", passwords.Violation.COMMON),
        ("98765432", passwords.Violation.COMMON),
        (factories.PASSWORD, passwords.Violation.REUSED),
        ("Hoa-sen-nở-2026", None),
    ],
)
def test_password_policy(account, password, violation):
    password = password.format(code=account.person.bhxh_code, cccd=account.person.cccd)
    assert passwords.check_policy(password, account) is violation


def test_none_of_the_last_five_passwords_may_come_back(account, clock):
    used = [f"Mot-mat-khau-{i}-rieng" for i in range(6)]
    for password in used:
        passwords.set_password_hash(account, passwords.hash_password(password), clock.now())
        clock.advance(minutes=1)
    db.session.commit()
    assert [passwords.check_policy(p, account) for p in used] == [None] + [
        passwords.Violation.REUSED
    ] * 5


# --- Change password (C3) --------------------------------------------------------------------

NEW_PASSWORD = "Hoa-sen-nở-2026"


def ask_for_new_password(client):
    """Đổi mật khẩu, first step: current password, and the new one twice."""
    return post_form(
        client,
        "/doi-mat-khau",
        old_password=factories.PASSWORD,
        new_password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
    )


def browser_with_session(app, account, device_id: str):
    """Another browser holding a session of `account` (one that slipped past one-device, e.g.
    opened in a race): the password change must close it too."""
    token = f"tok-{device_id}"
    now = app.extensions["clock"].now()
    db.session.add(
        DeviceSession(
            account_id=account.id,
            token=token,
            device_id=device_id,
            created_at=now,
            last_seen_at=now,
        )
    )
    db.session.commit()
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = f"c:{token}"
        session["_fresh"] = True
    assert browser.get("/ca-nhan/").status_code == 200
    return browser


def test_change_password_needs_the_otp_then_signs_out_other_devices(app, client, citizen, login):
    other_browser = browser_with_session(app, citizen.account, "tablet")
    response = ask_for_new_password(client)
    assert response.status_code == 302 and response.headers["Location"] == "/doi-mat-khau/otp"
    sms = sms_to(citizen.phone)[-1].body
    assert "DOI MAT KHAU" in sms and NEW_PASSWORD not in sms and factories.PASSWORD not in sms
    db.session.refresh(citizen.account)
    assert passwords.verify_password(citizen.account.password_hash, factories.PASSWORD)

    response = post_form(client, "/doi-mat-khau/otp", code=otp_from_outbox(citizen.phone))
    assert response.status_code == 302
    assert "Mật khẩu của bạn đã được thay đổi." in client.page("/ca-nhan/").get_text()
    db.session.refresh(citizen.account)
    assert passwords.verify_password(citizen.account.password_hash, NEW_PASSWORD)
    response = other_browser.get("/ca-nhan/")
    assert (
        response.status_code == 302 and response.headers["Clear-Site-Data"] == '"cache", "storage"'
    )
    text = other_browser.page("/login").get_text()
    assert "Mật khẩu đã được thay đổi nên bạn đã bị đăng xuất khỏi thiết bị này." in text
    assert "VUA DUOC DOI" in sms_to(citizen.phone)[-1].body.upper()
    kinds = db.session.scalars(
        select(Notification.kind).where(Notification.account_id == citizen.account.id)
    )
    assert "password_changed" in list(kinds)


@pytest.mark.parametrize(
    ("old", "new", "confirm", "field", "message"),
    [
        ("", NEW_PASSWORD, NEW_PASSWORD, "old_password", "Nhập mật khẩu cũ"),
        ("sai-mat-khau", NEW_PASSWORD, NEW_PASSWORD, "old_password", "Mật khẩu cũ không đúng."),
        (factories.PASSWORD, "", "", "new_password", "Nhập mật khẩu mới"),
        (factories.PASSWORD, "ngan", "ngan", "new_password", "Mật khẩu mới cần ít nhất 8 ký tự"),
        (
            factories.PASSWORD,
            "x" * 5000,
            "x" * 5000,
            "new_password",
            "Mật khẩu có tối đa 128 ký tự",
        ),
        (factories.PASSWORD, "12345678", "12345678", "new_password", "quá phổ biến"),
        (
            factories.PASSWORD,
            NEW_PASSWORD,
            "khac-han",
            "confirm",
            "Hai lần nhập mật khẩu mới không giống nhau",
        ),
        (factories.PASSWORD, "<script>alert(1)</script>", "<script>alert(1)</script>", None, None),
    ],
)
def test_change_password_form_rejects_bad_input(client, citizen, old, new, confirm, field, message):
    response = post_form(
        client, "/doi-mat-khau", old_password=old, new_password=new, confirm=confirm
    )
    if field is None:  # hostile but allowed: it goes on to the OTP, and is never echoed
        assert response.status_code == 302
        assert "<script>" not in client.page("/doi-mat-khau/otp").decode()
        return
    assert response.status_code == 400
    soup = check_page(response)
    assert message in soup.select_one(f"#{field}-error").get_text()
    assert sms_to(citizen.phone) == []


def test_wrong_otp_for_the_change_keeps_the_old_password(client, citizen):
    ask_for_new_password(client)
    code = otp_from_outbox(citizen.phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = post_form(client, "/doi-mat-khau/otp", code=wrong)
    assert response.status_code == 400
    assert "Mã OTP không đúng. Bạn còn 4 lần thử." in response.get_data(as_text=True)
    for bad in ["", "12345", "abcdef", "1" * 500, "<b>123456</b>"]:
        response = post_form(client, "/doi-mat-khau/otp", code=bad)
        assert response.status_code == 400
    db.session.refresh(citizen.account)
    assert passwords.verify_password(citizen.account.password_hash, factories.PASSWORD)


# --- Forced change (first login, 180 days) ---------------------------------------------------


def test_first_password_must_be_changed_before_anything_else(app, client, login):
    person = factories.person()
    person.account.must_change_password = True
    person.account.status = "pending"
    db.session.commit()
    login(person.bhxh_code)
    for url in ["/ca-nhan/", "/ca-nhan/the-bhyt", "/ca-nhan/so-kham-chua-benh"]:
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/doi-mat-khau"
    assert client.htmx("/ca-nhan/the-bhyt").headers["HX-Redirect"] == "/doi-mat-khau"
    soup = client.page("/doi-mat-khau")
    assert "mật khẩu do cơ quan BHXH cấp lần đầu" in soup.get_text()
    ask_for_new_password(client)
    post_form(client, "/doi-mat-khau/otp", code=otp_from_outbox(person.phone))
    assert client.get("/ca-nhan/").status_code == 200


def test_password_older_than_180_days_must_be_changed_with_a_warning_before(client, citizen, clock):
    citizen.account.password_changed_at = clock.now() - dt.timedelta(days=170)
    db.session.commit()
    soup = client.page("/ca-nhan/")
    assert "Mật khẩu của bạn sẽ hết hạn sau 10 ngày." in soup.get_text()
    clock.advance(days=10)
    response = client.get("/ca-nhan/")
    assert response.status_code == 302 and response.headers["Location"] == "/doi-mat-khau"
    assert "đã dùng quá 180 ngày" in client.page("/doi-mat-khau").get_text()


def test_no_warning_while_the_password_is_fresh(client, citizen):
    assert "hết hạn sau" not in client.page("/ca-nhan/").get_text()


# --- One device at a time (C6) ---------------------------------------------------------------


def test_second_device_takes_over_with_the_otp_and_first_is_signed_out(app, client, citizen, login):
    phone_b = app.test_client()
    response = login(citizen.bhxh_code, c=phone_b)
    assert response.headers["Location"] == "/login/thiet-bi-khac"
    soup = phone_b.page("/login/thiet-bi-khac")
    assert "chỉ cho phép đăng nhập một tài khoản trên một thiết bị" in soup.get_text()
    assert f"{citizen.phone[:3]}****{citizen.phone[-3:]}" in soup.get_text()
    assert phone_b.get("/ca-nhan/").status_code == 302  # not signed in yet
    response = post_form(phone_b, "/login/thiet-bi-khac", action="continue")
    assert response.headers["Location"] == "/login/otp"
    assert "DANG NHAP" in sms_to(citizen.phone)[-1].body
    response = post_form(phone_b, "/login/otp", code=otp_from_outbox(citizen.phone))
    assert response.status_code == 302 and response.headers["Location"] == "/ca-nhan/"
    assert phone_b.get("/ca-nhan/").status_code == 200

    response = client.get("/ca-nhan/the-bhyt")
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    soup = client.page(response.headers["Location"])
    assert (
        "đã đăng nhập trên thiết bị khác nên đã bị đăng xuất khỏi thiết bị này" in soup.get_text()
    )
    assert client.get("/ca-nhan/").status_code == 302  # and stays out
    events = db.session.scalars(
        select(AuditEvent.event).where(AuditEvent.actor_id == citizen.account.id)
    )
    assert {"login", "otp_sent", "device_replaced"} <= set(events)


def test_signing_in_again_on_the_same_device_needs_no_otp(app, client, citizen, login):
    same_phone = app.test_client()
    same_phone.set_cookie("device_id", client.get_cookie("device_id").value)
    response = login(citizen.bhxh_code, c=same_phone)
    assert response.headers["Location"] == "/ca-nhan/"
    assert sms_to(citizen.phone) == []


def test_the_otp_page_needs_the_device_that_started(app, client, citizen, login):
    phone_b = app.test_client()
    login(citizen.bhxh_code, c=phone_b)
    post_form(phone_b, "/login/thiet-bi-khac", action="continue")
    thief = app.test_client()
    thief.set_cookie(
        "session", phone_b.get_cookie("session").value
    )  # a stolen cookie, other device
    assert thief.get("/login/otp").headers["Location"] == "/login"


def test_cancel_keeps_the_first_device_signed_in(app, client, citizen, login):
    phone_b = app.test_client()
    login(citizen.bhxh_code, c=phone_b)
    post_form(phone_b, "/login/thiet-bi-khac", action="cancel")
    assert client.get("/ca-nhan/").status_code == 200
    active = db.session.scalars(
        select(DeviceSession).where(DeviceSession.revoked_at.is_(None))
    ).all()
    assert len(active) == 1


# --- Throttling and locks (X5) ---------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(client, login, clock, account):
    code = account.person.bhxh_code
    statuses = [login(code, "sai-mat-khau").status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    response = login(code)  # the right password does not open it early
    assert response.status_code == 429
    assert "Đăng nhập tạm khóa 15 phút" in response.get_data(as_text=True)
    clock.advance(minutes=15)  # the lock lives in the database, on the app's clock
    assert login(code).status_code == 302


def test_lock_message_is_the_same_for_an_unknown_code(client, login):
    """An unknown code answers exactly as a known one: four 401s, then the lock, at the same
    attempt and with the same words."""
    known = factories.person().bhxh_code
    db.session.commit()

    def answers(code: str) -> list[tuple[int, str]]:
        responses = [login(code, "sai-mat-khau") for _ in range(6)]
        return [(r.status_code, _visible_text(r)) for r in responses]

    unknown, known = answers("0199999999"), answers(known)
    assert unknown == known
    assert [status for status, _text in unknown] == [401] * 4 + [429] * 2
    assert "Đăng nhập tạm khóa 15 phút" in unknown[4][1]


def _visible_text(response) -> str:
    soup = check_page(response)
    for token in soup.find_all("input", attrs={"name": "csrf_token"}):
        token.decompose()
    return " ".join(soup.main.get_text().split())


def test_login_is_throttled_per_ip(app, client, csrf_disabled):
    app.config["LOGIN_LIMIT_PER_IP"] = "3 per minute"
    codes = [
        client.post("/login", data={"identifier": f"01{i:08d}", "password": "x"}).status_code
        for i in range(4)
    ]
    assert codes == [401, 401, 401, 429]


# --- CSRF, headers, session ------------------------------------------------------------------


def test_state_changes_without_csrf_token_are_refused(client, citizen):
    assert client.post("/logout").status_code == 400
    assert client.post("/doi-mat-khau", data={"old_password": "x"}).status_code == 400
    # htmx requests carry the token in a header; without it, refused too
    assert client.post("/logout", headers={"HX-Request": "true"}).status_code == 400
    token = csrf(client, "/ca-nhan/")
    assert (
        client.post("/logout", headers={"HX-Request": "true", "X-CSRFToken": token}).status_code
        == 302
    )


def test_security_headers_on_fragments_too(client, citizen):
    response = client.htmx("/ca-nhan/qua-trinh-tham-gia?scheme=bhtn")
    assert "<html" not in response.get_data(as_text=True)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_new_at_sign_in_and_httponly_lax(client, login, account):
    client.page("/login")
    before = client.get_cookie("session").value
    response = login(account.person.bhxh_code)
    cookie = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert client.get_cookie("session").value != before


def test_audit_log_keeps_no_secrets(client, citizen, login):
    ask_for_new_password(client)
    code = otp_from_outbox(citizen.phone)
    post_form(client, "/doi-mat-khau/otp", code=code)
    dumped = json.dumps(
        [(e.event, e.detail) for e in db.session.scalars(select(AuditEvent))], ensure_ascii=False
    )
    for secret in (code, NEW_PASSWORD, factories.PASSWORD, citizen.bhxh_code, citizen.phone):
        assert secret not in dumped
    assert "password_changed" in dumped and "otp_sent" in dumped


# --- The gateway -----------------------------------------------------------------------------


class _Provider(BaseHTTPRequestHandler):
    status = 200
    received: list = []

    def do_POST(self):  # noqa: N802
        length = int(self.headers["Content-Length"])
        type(self).received.append(
            (self.headers["Authorization"], json.loads(self.rfile.read(length)))
        )
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def provider():
    _Provider.received = []
    _Provider.status = 200
    server = HTTPServer(("127.0.0.1", 0), _Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_outbox_backend_keeps_the_message_as_sent(app, clock):
    message = messaging.send("sms", "0912345678", "VssID: xin chao", clock.now(), app.config)
    db.session.commit()
    db.session.refresh(message)
    assert message.status == "sent" and as_utc(message.sent_at) == clock.now()


def test_http_sms_backend_delivers_and_retries_with_backoff(app, clock, provider):
    app.config.update(
        SMS_BACKEND="http",
        SMS_HTTP_URL=f"http://127.0.0.1:{provider.server_port}/sms",
        SMS_HTTP_TOKEN="t0k",
    )
    message = messaging.send("sms", "0912345678", "VssID: ma 123", clock.now(), app.config)
    db.session.commit()
    assert message.status == "pending"
    _Provider.status = 500
    assert workers.deliver_outbox(app.config, clock.now()) == 0
    assert message.status == "pending" and message.attempts == 1 and message.last_error
    assert workers.deliver_outbox(app.config, clock.now()) == 0  # not due yet: backoff
    assert message.attempts == 1
    clock.advance(seconds=30)
    _Provider.status = 200
    assert workers.deliver_outbox(app.config, clock.now()) == 1
    assert message.status == "sent"
    assert _Provider.received[-1] == ("Bearer t0k", {"to": "0912345678", "text": "VssID: ma 123"})


def test_each_message_is_its_own_transaction(app, clock, monkeypatch):
    """A message sent stays recorded as sent when a later one of the same round breaks the
    worker (nothing is sent twice on the next round)."""
    app.config.update(SMS_BACKEND="http", SMS_HTTP_URL="http://127.0.0.1:9/", SMS_HTTP_TOKEN="x")
    first = messaging.send("sms", "0912345678", "VssID: mot", clock.now(), app.config)
    messaging.send("sms", "0912345679", "VssID: hai", clock.now(), app.config)
    db.session.commit()
    first_id = first.id
    delivered = []

    def deliver(self, message):
        if delivered:
            raise RuntimeError("the worker broke")
        delivered.append(message.body)

    monkeypatch.setattr(messaging.HttpSmsBackend, "deliver", deliver)
    with pytest.raises(RuntimeError):
        workers.deliver_outbox(app.config, clock.now())
    db.session.rollback()
    assert db.session.get(OutboxMessage, first_id, populate_existing=True).status == "sent"
    assert delivered == ["VssID: mot"]


def test_an_unreachable_provider_never_breaks_the_page(app, client, citizen):
    app.config.update(SMS_BACKEND="http", SMS_HTTP_URL="http://127.0.0.1:9/", SMS_HTTP_TOKEN="x")
    response = ask_for_new_password(client)
    assert response.status_code == 302
    assert sms_to(citizen.phone)[-1].status == "pending"
    for day in range(1, messaging.MAX_ATTEMPTS + 1):  # each try a day later: always due
        workers.deliver_outbox(app.config, app.extensions["clock"].now() + dt.timedelta(days=day))
    assert sms_to(citizen.phone)[-1].attempts == messaging.MAX_ATTEMPTS
    assert sms_to(citizen.phone)[-1].status == "failed"


def test_demo_outbox_shows_the_sms_and_is_absent_outside_demo(client, clock):
    from webapp import create_app
    from webapp.config import TestConfig

    messaging.send(
        "sms", "0912345678", "VssID: Ma OTP 123456", clock.now(), client.application.config
    )
    db.session.commit()
    soup = client.page("/dev/outbox?to=0912345678")
    assert "VssID: Ma OTP 123456" in soup.get_text()

    class Production(TestConfig):
        def __init__(self, instance_path):
            super().__init__(instance_path)
            self.DEMO_MODE = False

    assert create_app(Production).test_client().get("/dev/outbox").status_code == 404


def test_redirects_not_followed_leave_one_message_and_a_cookie_that_does_not_grow(app, client):
    """A script that never follows the sign-in redirect gets the same message each time: the
    session cookie keeps it once, and the login page shows it once."""
    name = app.config["SESSION_COOKIE_NAME"]
    sizes = []
    for _ in range(12):
        assert client.get("/ca-nhan/the-bhyt").status_code == 302
        sizes.append(len(client.get_cookie(name).value))
    assert sizes[-1] == sizes[1]
    page = client.get("/login", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert page.count("Vui lòng đăng nhập để tiếp tục.") == 1
