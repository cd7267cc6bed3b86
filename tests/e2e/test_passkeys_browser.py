"""Passkeys in Chromium with its virtual authenticator (issue 14): added after an SMS code,
used to sign in, signing in on a second phone through the OTP takeover, a removed passkey
refused, a replayed answer refused.

The relying party is `localhost` (a passkey cannot belong to an IP address), so these tabs
open the live server as http://localhost:<port>; the server's demo default allows that origin.
Each phone is a browser context of its own with its own authenticator and device cookie.
"""

from __future__ import annotations

import base64
import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, REPORT_CSP_VIOLATIONS
from tests.factories import OFFICER_PASSWORD, PASSWORD

HOME = "QL cá nhân"


# Chromium's virtual authenticator answers the autofill request (conditional mediation) by
# itself as soon as the sign-in page asks, which a person would do by picking the passkey in the
# code field's suggestions: a phone without autofill shows the button path instead.
NO_AUTOFILL = "PublicKeyCredential.isConditionalMediationAvailable = async () => false;"


@pytest.fixture
def phones(chromium, live_server):
    """Open phones: `phones("a")` is a tab on its own context, device cookie and authenticator
    (`autofill=True`: the browser offers passkeys in the code field's suggestions)."""
    url = live_server.url.replace("127.0.0.1", "localhost")
    opened = []

    def open_phone(name: str, autofill: bool = False):
        context = chromium.new_context(base_url=url, locale="vi-VN", viewport=PHONE)
        context.set_default_timeout(10_000)
        context.add_cookies([{"name": "device_id", "value": f"passkey-{name}", "url": url}])
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        if not autofill:
            context.add_init_script(NO_AUTOFILL)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        authenticator = cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                }
            },
        )["authenticatorId"]
        page.credentials = lambda: cdp.send(
            "WebAuthn.getCredentials", {"authenticatorId": authenticator}
        )["credentials"]

        def reset_counter(credential: dict) -> None:
            """The key again with its signature counter back at 0 (a cloned key's)."""
            cdp.send(
                "WebAuthn.removeCredential",
                {"authenticatorId": authenticator, "credentialId": credential["credentialId"]},
            )
            cdp.send(
                "WebAuthn.addCredential",
                {"authenticatorId": authenticator, "credential": {**credential, "signCount": 0}},
            )

        page.reset_counter = reset_counter
        opened.append((context, errors))
        return page

    yield open_phone
    for context, errors in opened:
        context.close()
        assert errors == [], errors


# Each test has a citizen of its own (an OTP's cooldown and hourly cap are per account).
CITIZENS = {
    "takeover": ("0123400002", "0912000002"),
    "replay": ("0123400003", "0912000003"),
    "autofill": ("0123400004", "0912000004"),
    "clone": ("0123400005", "0912000005"),
    "origin": ("0123400006", "0912000006"),
    "recovery": ("0123400007", "0912000007"),
}


def sign_in_with_password(page, who: str) -> None:
    page.goto("/login")
    page.get_by_label("Mã số BHXH hoặc số CCCD").fill(CITIZENS[who][0])
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def sms_code(page, who: str) -> str:
    outbox = page.context.new_page()
    outbox.goto(f"/dev/outbox?to={CITIZENS[who][1]}")
    text = outbox.locator(".outbox-body").first.inner_text()
    outbox.close()
    return re.search(r"OTP (\d{6})", text).group(1)


def add_passkey(page, who: str, name: str) -> None:
    page.goto("/van-tay-khuon-mat")
    page.get_by_label("Tên điện thoại này").fill(name)
    page.locator("form.form").get_by_role("button", name="Tiếp tục").click()
    page.get_by_label("Mã OTP").fill(sms_code(page, who))
    page.get_by_role("button", name="Xác nhận").click()
    page.get_by_role("button", name="Tạo khóa đăng nhập").click()
    expect(page.get_by_text("Đã bật đăng nhập bằng vân tay / khuôn mặt")).to_be_visible()


def sign_out(page) -> None:
    page.goto("/ca-nhan/tai-khoan")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


def test_a_passkey_is_added_used_taken_over_with_and_refused_once_removed(phones, screenshot):
    a = phones("a")
    sign_in_with_password(a, "takeover")
    expect(a.get_by_role("heading", level=1)).to_have_text(HOME)
    add_passkey(a, "takeover", "Điện thoại thử A")
    item = a.locator(".passkey-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Điện thoại thử A")
    expect(item).to_contain_text("Chưa dùng lần nào")
    assert len(a.credentials()) == 1  # the key lives in the phone's authenticator
    screenshot(a, "passkeys-list")

    # Signed out, the passkey replaces code and password.
    sign_out(a)
    a.get_by_role("button", name="Đăng nhập bằng vân tay / khuôn mặt").click()
    expect(a.get_by_role("heading", level=1)).to_have_text(HOME)
    a.goto("/van-tay-khuon-mat")
    expect(a.locator(".passkey-item")).to_contain_text("Dùng lần cuối lúc")
    sign_out(a)

    # Another phone is now the one signed in. Signing in here with the passkey goes through
    # the same OTP takeover as a password sign-in would, and signs the other phone out.
    b = phones("b")
    sign_in_with_password(b, "takeover")
    expect(b.get_by_role("heading", level=1)).to_have_text(HOME)
    a.get_by_role("button", name="Đăng nhập bằng vân tay / khuôn mặt").click()
    expect(a.get_by_text("Tài khoản đang đăng nhập trên thiết bị khác")).to_be_visible()
    a.get_by_role("button", name="Tiếp tục và gửi mã OTP").click()
    a.get_by_label("Mã OTP").fill(sms_code(a, "takeover"))
    a.get_by_role("button", name="Xác nhận").click()
    expect(a.get_by_role("heading", level=1)).to_have_text(HOME)
    b.goto("/ca-nhan/")
    expect(b.get_by_role("heading", level=1)).to_have_text("Đăng nhập")  # B was signed out

    # Removed, the passkey still on the phone signs nobody in.
    a.goto("/van-tay-khuon-mat")
    a.get_by_role("button", name="Xóa Điện thoại thử A").click()
    expect(a.get_by_text("Chưa có khóa đăng nhập nào.")).to_be_visible()
    sign_out(a)
    a.get_by_role("button", name="Đăng nhập bằng vân tay / khuôn mặt").click()
    expect(a.get_by_role("alert")).to_have_text(
        "Khóa đăng nhập này không còn hiệu lực. Vui lòng đăng nhập bằng mật khẩu."
    )
    expect(a.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    assert len(a.credentials()) == 1


def test_a_replayed_answer_signs_nobody_in(phones):
    a = phones("replay")
    sign_in_with_password(a, "replay")
    add_passkey(a, "replay", "Điện thoại thử phát lại")
    sign_out(a)
    answers = []
    a.on(
        "request",
        lambda request: (
            answers.append(request.post_data)
            if request.url.endswith("/login/passkey") and request.method == "POST"
            else None
        ),
    )
    a.get_by_role("button", name="Đăng nhập bằng vân tay / khuôn mặt").click()
    expect(a.get_by_role("heading", level=1)).to_have_text(HOME)
    sign_out(a)
    # The same answer again, with a fresh challenge in the session and without one.
    token = json.loads(a.locator("body").get_attribute("hx-headers"))["X-CSRFToken"]
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    replayed = a.request.post("/login/passkey", data=answers[0], headers=headers)
    assert replayed.status == 400  # no ceremony under way
    a.request.post("/login/passkey/tuy-chon", data="{}", headers=headers)
    replayed = a.request.post("/login/passkey", data=answers[0], headers=headers)
    assert replayed.status == 401 and "error" in replayed.json()
    a.goto("/ca-nhan/")
    expect(a.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


def test_the_sign_in_page_offers_the_passkey_in_the_code_fields_autofill(phones):
    a = phones("autofill", autofill=True)
    sign_in_with_password(a, "autofill")
    expect(a.get_by_role("heading", level=1)).to_have_text(HOME)
    add_passkey(a, "autofill", "Điện thoại gợi ý")
    a.goto("/ca-nhan/tai-khoan")
    # Signed out, the browser lands on the sign-in page, whose code field asks the phone for a
    # passkey as a suggestion: picked (here by the virtual authenticator), it signs in.
    a.get_by_role("button", name="Đăng xuất").click()
    expect(a.get_by_role("heading", level=1)).to_have_text(HOME)


REFUSED = "Không xác minh được phản hồi của điện thoại. Vui lòng thử lại."
UNKNOWN = "Khóa đăng nhập này không còn hiệu lực. Vui lòng đăng nhập bằng mật khẩu."


def test_a_counter_that_goes_back_is_refused_as_a_cloned_passkey(phones):
    a = phones("clone")
    sign_in_with_password(a, "clone")
    add_passkey(a, "clone", "Điện thoại bị sao chép")
    sign_out(a)
    a.get_by_role("button", name="Đăng nhập bằng vân tay / khuôn mặt").click()
    expect(a.get_by_role("heading", level=1)).to_have_text(HOME)
    sign_out(a)
    # The same key with its counter set back, as a copy of the phone's key would answer.
    credential = a.credentials()[0]
    a.reset_counter(credential)
    a.get_by_role("button", name="Đăng nhập bằng vân tay / khuôn mặt").click()
    expect(a.get_by_role("alert")).to_have_text(REFUSED)
    expect(a.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


def test_an_answer_for_another_site_is_refused(phones):
    a = phones("origin")
    sign_in_with_password(a, "origin")
    add_passkey(a, "origin", "Điện thoại bị lừa")
    sign_out(a)

    def as_if_from_a_fake_site(route):
        answer = json.loads(route.request.post_data)
        data = answer["response"]["clientDataJSON"]
        client_data = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
        client_data["origin"] = "https://vssid-gia-mao.example"
        encoded = base64.urlsafe_b64encode(json.dumps(client_data).encode()).rstrip(b"=")
        answer["response"]["clientDataJSON"] = encoded.decode()
        route.continue_(post_data=json.dumps(answer))

    a.route("**/login/passkey", as_if_from_a_fake_site)
    a.get_by_role("button", name="Đăng nhập bằng vân tay / khuôn mặt").click()
    expect(a.get_by_role("alert")).to_have_text(REFUSED)
    expect(a.get_by_role("heading", level=1)).to_have_text("Đăng nhập")


def test_a_forgotten_password_recovered_removes_the_passkeys(phones):
    a = phones("recovery")
    sign_in_with_password(a, "recovery")
    add_passkey(a, "recovery", "Điện thoại cũ")
    sign_out(a)
    code, phone = CITIZENS["recovery"]
    a.get_by_role("link", name="Quên mật khẩu?").click()
    a.get_by_label("Mã số BHXH hoặc số CCCD").fill(code)
    a.get_by_label("Số điện thoại đã đăng ký (SMS)").check()
    a.get_by_label("Số điện thoại hoặc email đã đăng ký").fill(phone)
    a.get_by_role("button", name="Gửi mã").click()
    a.get_by_label("Mã OTP").fill(sms_code(a, "recovery"))
    a.get_by_role("button", name="Xác nhận").click()
    a.get_by_label("Mật khẩu mới", exact=True).fill("Cay-phuong-do-2026")
    a.get_by_label("Nhập lại mật khẩu mới").fill("Cay-phuong-do-2026")
    a.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(a.locator("main")).to_contain_text("Mật khẩu đã được đặt lại")
    outbox = a.context.new_page()
    outbox.goto(f"/dev/outbox?to={phone}")
    expect(outbox.locator(".outbox-body").first).to_contain_text("van tay/khuon mat da bi go")
    outbox.close()
    a.goto("/login")
    a.get_by_role("button", name="Đăng nhập bằng vân tay / khuôn mặt").click()
    expect(a.get_by_role("alert")).to_have_text(UNKNOWN)


def officer_sign_in(page, username: str) -> None:
    page.goto("/officer/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(OFFICER_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_an_admin_requires_an_officers_passkey_and_the_sign_in_asks_for_it(phones, screenshot):
    desk = phones("officer-desk")
    officer_sign_in(desk, "canbo.khoa")
    expect(desk.get_by_role("heading", level=1)).to_have_text(
        "Hồ sơ đăng ký giao dịch điện tử cá nhân"
    )
    desk.get_by_role("link", name="Khóa đăng nhập của tôi").click()
    desk.get_by_label("Tên thiết bị này").fill("Máy tính bàn làm việc")
    desk.get_by_label("Mật khẩu cũ").fill(OFFICER_PASSWORD)
    desk.locator("form.form").get_by_role("button", name="Tiếp tục").click()
    desk.get_by_role("button", name="Tạo khóa đăng nhập").click()
    expect(desk.locator(".passkey-item")).to_contain_text("Máy tính bàn làm việc")

    admin = phones("officer-admin")
    officer_sign_in(admin, "canbo.e2e")
    admin.get_by_role("link", name="Cán bộ", exact=True).click()
    admin.get_by_role("button", name="Bắt buộc khóa đăng nhập cho canbo.khoa").click()
    expect(
        admin.get_by_role("button", name="Đang bắt buộc: bỏ yêu cầu cho canbo.khoa")
    ).to_be_visible()
    screenshot(admin, "officers-passkey-required")

    desk.get_by_role("button", name="Đăng xuất").click()
    officer_sign_in(desk, "canbo.khoa")
    expect(desk.get_by_role("heading", level=1)).to_have_text("Xác nhận bằng khóa đăng nhập")
    desk.goto("/officer/ho-so-dk-gddt/ca-nhan")  # the password alone opened nothing
    expect(desk.get_by_role("heading", level=1)).to_have_text("Đăng nhập cán bộ")
    officer_sign_in(desk, "canbo.khoa")
    desk.get_by_role("button", name="Xác nhận bằng khóa đăng nhập").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(
        "Hồ sơ đăng ký giao dịch điện tử cá nhân"
    )
