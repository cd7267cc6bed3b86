"""The virtual assistant in the browser (issue points 7 and 8): it answers a question about
installing the app with a link that opens the page that does it; an admin edits an FAQ answer in
the back office and the assistant answers with the edit at once."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import REPORT_CSP_VIOLATIONS

SHOTS = Path("/tmp/shots-assistant")


def ask(page, question: str):
    """Type a question as on a phone and return the assistant's answer to it."""
    log = page.locator("#chat-log")
    before = log.locator(".chat-user").count()
    box = page.get_by_label("Câu hỏi của bạn")
    box.fill(question)
    box.press("Enter")
    expect(log.locator(".chat-user")).to_have_count(before + 1)
    return log.locator(".chat-bot").last


def test_the_assistant_answers_how_to_install_with_a_link_to_the_page(page, screenshot):
    page.goto("/ho-tro/tro-ly-ao")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trợ lý ảo")
    answer = ask(page, "lam the nao de cai vssid tren dien thoai")
    expect(answer).to_contain_text("Thêm vào MH chính")
    expect(answer.locator(".chat-sources a").first).to_have_text("Cài đặt ứng dụng VssID thế nào?")
    go = answer.get_by_role("link", name="Mở trang: Cài đặt ứng dụng")
    expect(go).to_have_attribute("href", "/cai-dat-ung-dung")
    # a 390 × 844 phone screen of the assistant, as a citizen sees it
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert page.viewport_size == {"width": 390, "height": 844}
    go.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "assistant-390.png"))
    shutil.copy(screenshot(page, "assistant-install"), SHOTS / "assistant-390-full.png")
    box = go.bounding_box()
    assert box["height"] >= 44  # a tap target

    go.click()
    expect(page).to_have_url(re.compile(r"/cai-dat-ung-dung$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cài đặt ứng dụng")
    expect(page.get_by_role("heading", name="iPhone và iPad")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Mở trang này bằng Chrome.")


@pytest.fixture
def desk(chromium, live_server, console_errors):
    """The admin's desktop browser, a context of its own."""
    context = chromium.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("pageerror", lambda error: console_errors.append(f"desk pageerror: {error}"))
    yield page
    context.close()


def test_an_admin_edits_an_faq_answer_and_the_assistant_uses_it_at_once(page, desk, screenshot):
    page.goto("/ho-tro/tro-ly-ao")
    before = ask(page, "so dien thoai tong dai bao nhieu")
    expect(before).to_contain_text("1900 9068")

    desk.goto("/officer/")
    desk.get_by_label("Tên đăng nhập").fill("canbo.e2e")
    desk.get_by_label("Mật khẩu").fill(factories.OFFICER_PASSWORD)
    desk.get_by_role("button", name="Đăng nhập").click()
    desk.get_by_role("navigation", name="Menu nghiệp vụ").get_by_role(
        "link", name="Câu hỏi thường gặp"
    ).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Câu hỏi thường gặp")
    desk.get_by_role("link", name="Số tổng đài hỗ trợ là gì?").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text("Sửa câu hỏi")
    answer = desk.get_by_label("Câu trả lời (tiếng Việt)")
    # an empty answer is refused next to the field, nothing saved
    answer.fill("")
    desk.get_by_role("button", name="Lưu").click()
    expect(desk.locator("#answer_vi-error")).to_contain_text("Nhập câu trả lời")
    expect(desk).to_have_title(re.compile(r"^Lỗi: "))
    screenshot(desk, "officer-faq-edit-error")
    answer.fill("Gọi tổng đài mới 1800 6868 (miễn phí), từ 7 giờ đến 21 giờ.")
    desk.get_by_role("button", name="Lưu").click()
    expect(desk.locator(".flash")).to_contain_text("Đã lưu câu hỏi")
    expect(desk.locator("tr", has_text="Số tổng đài hỗ trợ là gì?")).to_contain_text("đã sửa")

    # the citizen's next question gets the new answer: no cache, no restart
    after = ask(page, "so dien thoai tong dai bao nhieu")
    expect(after).to_contain_text("1800 6868")
    expect(after.get_by_role("link", name="Mở trang: Hỗ trợ")).to_have_attribute("href", "/ho-tro")
