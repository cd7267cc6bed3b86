"""P3, P4, P5 in a real browser: a live lookup as the citizen types, a conversation with the
virtual assistant, and the offices on the Leaflet map.

Runs in headless Chromium against gunicorn (see conftest.py). Any console error, uncaught
exception or CSP violation on any page fails the test.
"""

from __future__ import annotations

import base64
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# A 1×1 transparent PNG: what the stand-in tile server answers (the real one is not reachable).
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def test_live_lookup_as_the_citizen_types(page, live_server, screenshot):
    page.goto("/")
    page.get_by_role("link", name="Cơ quan BHXH", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cơ quan BHXH")
    page.evaluate("document.querySelector('h1').dataset.marker = 'kept'")
    results = page.locator("#lookup-results")
    expect(results.locator(".lookup-name")).to_have_count(3)

    box = page.get_by_role("searchbox", name="Tên hoặc mã")
    with page.expect_response(
        re.compile(r"/tra-cuu/co-quan-bhxh\?q=ha(\+|%20)noi(&tinh=)?$")
    ) as answer:
        box.press_sequentially("ha noi", delay=40)  # no request per key: one after a pause
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(results.locator(".lookup-name")).to_have_text(
        ["BHXH cơ sở Ba Đình", "BHXH thành phố Hà Nội"]
    )
    expect(results).to_contain_text("2 kết quả")
    # only the results were swapped: the heading keeps its mark, the box its text and focus
    assert page.evaluate("document.querySelector('h1').dataset.marker") == "kept"
    expect(box).to_have_value("ha noi")
    assert page.evaluate("document.activeElement.name") == "q"
    expect(page).to_have_url(re.compile(r"/tra-cuu/co-quan-bhxh\?q=ha(\+|%20)noi(&tinh=)?$"))

    # the province list narrows the search too
    box.fill("")
    page.get_by_label("Tỉnh/thành phố").select_option(label="Đà Nẵng")
    expect(results.locator(".lookup-name")).to_have_text(["BHXH thành phố Đà Nẵng"])
    screenshot(page, "public-lookup")

    # the pushed URL, opened directly, is the whole page with the same results
    page.goto(f"{live_server.url}/tra-cuu/co-quan-bhxh?q=ha+noi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cơ quan BHXH")
    expect(page.locator(".lookup-name")).to_have_count(2)


def test_a_conversation_with_the_virtual_assistant(page, live_server, screenshot):
    page.goto("/")
    page.get_by_role("link", name="Trợ lý ảo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trợ lý ảo")
    log = page.locator("#chat-log")
    box = page.get_by_label("Câu hỏi của bạn")

    box.fill("quen mk thi lam sao")
    box.press("Enter")
    expect(log.locator(".chat-user")).to_have_count(1)
    answer = log.locator(".chat-bot").nth(1)  # after the greeting
    expect(answer).to_contain_text("Quên mật khẩu")
    expect(answer.locator(".chat-sources a").first).to_have_text("Quên mật khẩu thì làm thế nào?")
    expect(box).to_have_value("")
    # ready for the next question (checked in the document: the tab itself may not have focus)
    # (a function, not an expression: Playwright evaluates a bare expression with eval, which
    # the page's CSP refuses once it has to poll)
    page.wait_for_function("() => document.activeElement?.id === 'question'")
    expect(page).to_have_url(re.compile(r"/ho-tro/tro-ly-ao$"))

    # a question the FAQ does not answer: said plainly, with the hotline and the feedback form
    box.fill("gia vang hom nay bao nhieu")
    page.get_by_role("button", name="Hỏi").click()
    expect(log.locator(".chat-user")).to_have_count(2)
    unknown = log.locator(".chat-bot").last
    expect(unknown).to_contain_text("Xin lỗi, tôi chưa biết câu trả lời")
    expect(unknown.get_by_role("link", name="1900 9068")).to_have_attribute("href", "tel:19009068")
    expect(unknown.get_by_role("link", name=re.compile("phản ánh"))).to_have_attribute(
        "href", "/ho-tro/phan-anh"
    )
    # the conversation is kept: the first answer is still there
    expect(log.locator(".chat-bot")).to_have_count(3)  # greeting + two answers
    expect(log).to_contain_text("quen mk thi lam sao")
    screenshot(page, "public-chatbot")

    # a source opens the FAQ at its entry
    answer.locator(".chat-sources a").first.click()
    expect(page).to_have_url(re.compile(r"/ho-tro/cau-hoi-thuong-gap#faq-\d+$"))
    expect(page.locator("details:target")).to_have_attribute("open", "")


def test_offices_on_the_map_with_markers_and_directions(page, live_server, screenshot):
    tiles = []

    def tile_server(route):
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=TILE)

    page.route("https://tile.openstreetmap.org/**", tile_server)
    page.goto("/co-quan-bhxh/ban-do")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bản đồ cơ quan BHXH")
    expect(page.locator("#office-map")).to_be_visible()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(3)
    expect(page.locator("img.leaflet-tile-loaded").first).to_be_attached()
    assert tiles and all(re.search(r"/\d+/\d+/\d+\.png$", url) for url in tiles)
    page.locator(".leaflet-marker-icon").first.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.get_by_role("link", name="Chỉ đường")).to_have_attribute(
        "href", re.compile(r"^geo:")
    )
    directions = page.locator(".office-list a.directions")
    expect(directions).to_have_count(3)
    screenshot(page, "public-map")


def test_the_map_page_without_tiles_still_lists_the_offices(page, live_server, console_errors):
    refused = []

    def unreachable(route):
        refused.append(route.request.url)
        route.abort("internetdisconnected")

    page.route("https://tile.openstreetmap.org/**", unreachable)
    page.goto("/co-quan-bhxh/ban-do")
    expect(page.locator(".leaflet-marker-icon")).to_have_count(3)
    expect(page.locator(".office-list li")).to_have_count(3)
    expect(page.locator(".office-list a.directions").first).to_have_attribute(
        "href", re.compile(r"^geo:21\.024500,105\.841200\?q=")
    )
    # Each refused tile is reported on the console (by the browser, a little later): wait for
    # those reports, then check they are the only errors (no script error, no CSP violation).
    for _ in range(100):
        if refused and len(console_errors) >= len(refused):
            break
        page.wait_for_timeout(50)  # lets Playwright deliver the browser's console events
    others = [e for e in console_errors if "tile.openstreetmap.org" not in e]
    assert refused and others == []
    console_errors.clear()
