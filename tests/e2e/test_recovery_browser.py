"""C3b in Chromium: a citizen who forgot the password gets it back with the OTP read from the
outbox (as from the phone's SMS) and signs in; a browser signed in before is signed out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser

CODE, PHONE = "0123400001", "0912000001"  # seeded in conftest.py for this test only
NEW_PASSWORD = "Cay-phuong-do-2026"


def sign_in(page, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Mã số BHXH hoặc số CCCD").fill(CODE)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_forgotten_password_is_recovered_with_the_sms_code(
    page, context, chromium, live_server, screenshot
):
    # A browser signed in before (same device cookie: one-device-at-a-time is not tested here).
    before = chromium.new_context(base_url=live_server.url, locale="vi-VN")
    before.add_cookies([{"name": "device_id", "value": "e2e-phone", "url": live_server.url}])
    old_tab = before.new_page()
    sign_in(old_tab, factories.PASSWORD)
    expect(old_tab.get_by_role("heading", level=1)).to_have_text("QL cá nhân")

    page.goto("/login")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quên mật khẩu")
    page.get_by_label("Mã số BHXH hoặc số CCCD").fill(CODE)
    page.get_by_label("Số điện thoại đã đăng ký (SMS)").check()
    page.get_by_label("Số điện thoại hoặc email đã đăng ký").fill(PHONE)
    page.get_by_role("button", name="Gửi mã").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập mã xác thực")

    sms = context.new_page()  # the citizen reads the SMS: in the demo, the outbox
    sms.goto(f"/dev/outbox?to={PHONE}")
    code = re.search(r"Ma OTP (\d{6})", sms.locator(".outbox-body").first.inner_text()).group(1)
    sms.close()

    page.get_by_label("Mã OTP").fill(code)
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đặt mật khẩu mới")
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Lưu mật khẩu mới").click()
    expect(page.locator("main")).to_contain_text("Mật khẩu đã được đặt lại")
    screenshot(page, "recovered")

    sign_in(page, NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("QL cá nhân")

    old_tab.goto("/ca-nhan/")
    expect(old_tab.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    expect(old_tab.locator("main")).to_contain_text(
        "Mật khẩu đã được đặt lại nên bạn đã bị đăng xuất"
    )
    before.close()
