"""The family's cards on one phone in Chromium (issue 15): a parent shows a child's card with no
network; a delegation granted with an SMS code, accepted, used, logged and ended, after which
the delegate's phone keeps nothing of it; the access log lists each view."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_citizen_browser import qr_code, sign_in
from tests.e2e.test_offline import go_offline, go_online, kept_urls, open_offline, wait_for_worker

pytestmark = pytest.mark.browser


@dataclass
class Someone:
    bhxh_code: str
    password: str


def someone(live_server, code: str) -> Someone:
    """A citizen of the seed (tests/e2e/conftest.py), with the seed's password."""
    return Someone(code, live_server.citizen.password)


# True once the personal caches hold every path of `wanted` (or, with `gone`, none of them).
KEPT = """async ([wanted, gone]) => {
  const urls = [];
  for (const name of await caches.keys()) {
    if (!name.includes("personal")) continue;
    const cache = await caches.open(name);
    for (const r of await cache.keys()) urls.push(new URL(r.url).pathname);
  }
  return gone ? wanted.every(u => !urls.includes(u)) : wanted.every(u => urls.includes(u));
}"""


def path_of(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def sms_code(page, phone: str) -> str:
    outbox = page.context.new_page()
    outbox.goto(f"/dev/outbox?to={phone}")
    text = outbox.locator(".outbox-body").first.inner_text()
    outbox.close()
    return re.search(r"OTP (\d{6})", text).group(1)


def test_a_parent_shows_a_childs_card_with_no_network(page, context, live_server, screenshot):
    sign_in(page, someone(live_server, "0123400011"))
    wait_for_worker(page)
    page.get_by_role("link", name="Gia đình").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gia đình và ủy quyền")
    expect(page.locator("main")).to_contain_text("Hồ Văn Con")
    page.get_by_role("link", name="Xem thẻ").first.click()
    expect(page.locator(".bhyt-card-name")).to_have_text("Hồ Văn Con")
    expect(page.locator(".shared-banner")).to_contain_text("thẻ của con bạn")
    qr_code(page)
    url = path_of(page)
    assert re.fullmatch(r"/ca-nhan/nguoi-than/\d+/the-bhyt/xem", url), url
    page.wait_for_function(KEPT, arg=[[url], False])
    go_offline(context)
    open_offline(page, url)
    expect(page.locator(".bhyt-card-name")).to_have_text("Hồ Văn Con")
    qr_code(page)
    screenshot(page, "family-child-card-offline")
    go_online(context)
    # Signed out, the phone keeps nothing of the child.
    page.goto("/ca-nhan/tai-khoan")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    page.wait_for_function(KEPT, arg=[[url], True])
    assert not kept_urls(page)


def test_a_delegation_granted_used_logged_and_revoked(chromium, live_server, screenshot):
    grantor_phone = "0912000013"
    phones = []
    for device in ("grantor-phone", "delegate-phone"):
        context = chromium.new_context(
            base_url=live_server.url,
            locale="vi-VN",
            timezone_id="Asia/Ho_Chi_Minh",
            service_workers="allow",
            viewport=PHONE,
            is_mobile=True,
            has_touch=True,
        )
        context.set_default_timeout(10_000)
        context.add_cookies([{"name": "device_id", "value": device, "url": live_server.url}])
        phones.append(context)
    grantor_context, delegate_context = phones
    try:
        grantor = grantor_context.new_page()
        sign_in(grantor, someone(live_server, "0123400013"))
        grantor.goto("/ca-nhan/gia-dinh")
        grantor.get_by_role("link", name="Ủy quyền cho người khác").click()
        grantor.get_by_label("Mã số BHXH của người được ủy quyền").fill("0123400014")
        grantor.get_by_label("Họ và tên người được ủy quyền").fill("vu thi con")
        grantor.get_by_label("Thẻ BHYT").check()
        grantor.get_by_label("Sổ khám chữa bệnh").check()
        grantor.get_by_label("30 ngày").check()
        screenshot(grantor, "family-delegation-form")
        grantor.get_by_role("button", name="Tiếp tục").click()
        grantor.get_by_label("Mã OTP").fill(sms_code(grantor, grantor_phone))
        grantor.get_by_role("button", name="Xác nhận").click()
        expect(grantor.locator(".flash")).to_contain_text("Vũ Thị Con")

        delegate = delegate_context.new_page()
        sign_in(delegate, someone(live_server, "0123400014"))
        wait_for_worker(delegate)
        delegate.goto("/ca-nhan/gia-dinh")
        expect(delegate.locator("main")).to_contain_text("Vũ Văn Ông")
        delegate.get_by_role("button", name="Chấp nhận").click()
        expect(delegate.locator(".flash")).to_contain_text("Bạn đã chấp nhận")
        delegate.get_by_role("link", name="Sổ khám chữa bệnh").click()
        expect(delegate.locator("main")).to_contain_text("Đau khớp gối")
        book = path_of(delegate)
        delegate.goto("/ca-nhan/gia-dinh")
        delegate.get_by_role("link", name="Xem thẻ").click()
        qr_code(delegate)
        card = path_of(delegate)
        screenshot(delegate, "family-delegate-card")
        delegate.wait_for_function(KEPT, arg=[[card, book], False])

        # The grantor reads who looked, filters by kind, then ends the access.
        grantor.goto("/ca-nhan/nhat-ky-truy-cap")
        entries = grantor.locator(".access-entry")
        expect(entries).to_have_count(2)
        expect(entries.first).to_contain_text("Vũ Thị Con")
        expect(entries.first).to_contain_text("Thẻ BHYT")
        expect(entries.nth(1)).to_contain_text("Sổ khám chữa bệnh")
        grantor.get_by_role("link", name="Sổ khám chữa bệnh").click()
        expect(grantor.locator(".access-entry")).to_have_count(1)
        screenshot(grantor, "family-access-log")
        grantor.goto("/ca-nhan/gia-dinh")
        grantor.get_by_role("button", name="Kết thúc ủy quyền cho Vũ Thị Con").click()
        expect(grantor.locator(".flash")).to_contain_text("Ủy quyền đã kết thúc")

        # The delegate's next online visit forgets the kept copies; offline shows nothing.
        delegate.goto("/ca-nhan/")
        delegate.wait_for_function(KEPT, arg=[[card, book], True])
        assert not {card, book} & kept_urls(delegate)
        go_offline(delegate_context)
        for url in (card, book):
            try:
                delegate.goto(url)
            except Exception:  # noqa: BLE001 - the browser's own offline page is fine too
                pass
            assert "Đau khớp gối" not in delegate.content()
            assert "Vũ Văn Ông" not in delegate.content()
        go_online(delegate_context)
        delegate.goto(card)
        expect(delegate.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    finally:
        for context in phones:
            context.close()
