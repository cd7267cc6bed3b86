"""C1/X3 in Chromium: installable; the card, "Xem thẻ" and the medical book open with no
network once viewed, with the offline banner; other pages give the offline page; after sign-out
nothing personal is left in Cache Storage or on screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.e2e.test_citizen_browser import qr_code, sign_in

pytestmark = pytest.mark.browser

CARD, CARD_VIEW, BOOK = "/ca-nhan/the-bhyt", "/ca-nhan/the-bhyt/xem", "/ca-nhan/so-kham-chua-benh"

READ_CACHE_STORAGE = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      found.push({cache: name, url: request.url, body: await response.text()});
    }
  }
  return found;
}"""


def wait_for_worker(page) -> None:
    """Until the service worker is active and controls this page (or the default timeout)."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def kept_urls(page) -> set[str]:
    entries = page.evaluate(READ_CACHE_STORAGE)
    return {re.sub(r"^https?://[^/]+", "", e["url"]) for e in entries if "personal" in e["cache"]}


def go_offline(context) -> None:
    """No network for the pages nor for the worker's own fetches (tests/README.md)."""
    context.set_offline(True)
    context.route(
        "**/*",
        lambda route: (
            route.abort("internetdisconnected")
            if route.request.service_worker
            else route.fallback()
        ),
    )


def go_online(context) -> None:
    context.unroute("**/*")
    context.set_offline(False)


def open_offline(page, url: str) -> None:
    page.goto(url)
    expect(page.locator("[data-offline-banner]")).to_be_visible()
    expect(page.locator("[data-offline-banner]")).to_have_text(
        re.compile(r"^Đang ngoại tuyến — cập nhật lúc \d\d/\d\d/\d{4} \d\d:\d\d$")
    )


def test_the_app_is_installable(profile):
    page = profile.new_page()
    page.goto("/login")
    wait_for_worker(page)
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []


def test_card_and_medical_book_work_offline_and_leave_with_sign_out(
    page, context, live_server, screenshot
):
    citizen = live_server.citizen
    sign_in(page, citizen)
    wait_for_worker(page)
    for url in (CARD, CARD_VIEW, BOOK, f"{BOOK}/2024"):
        page.goto(url)
        expect(page.locator("[data-offline-banner]")).to_be_hidden()
    wanted = {CARD, CARD_VIEW, BOOK, f"{BOOK}/2024", f"{BOOK}/2026"}  # 2026: fetched ahead
    page.wait_for_function(
        f"""async () => {{
          const urls = [];
          for (const name of await caches.keys()) {{
            if (!name.includes("personal")) continue;
            const cache = await caches.open(name);
            for (const r of await cache.keys()) urls.push(new URL(r.url).pathname);
          }}
          return {sorted(wanted)!r}.every(u => urls.includes(u));
        }}"""
    )

    go_offline(context)
    page.reload()
    expect(page.locator("main")).to_contain_text(citizen.visits["2024"])
    expect(page.locator("[data-offline-banner]")).to_be_visible()

    open_offline(page, CARD_VIEW)
    qr_code(page)
    expect(page.locator("main")).to_contain_text(citizen.full_name)
    screenshot(page, "offline-card")

    open_offline(page, CARD)
    expect(page.locator("main")).to_contain_text(citizen.card_number[-10:])

    open_offline(page, BOOK)
    expect(page.locator("main")).to_contain_text(citizen.visits["2026"])

    page.goto("/ca-nhan/thong-tin-huong")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bạn đang ngoại tuyến")
    expect(page.locator(".offline-links a")).to_have_count(3)

    # Back online, sign out: nothing of the citizen is left on the phone.
    go_online(context)
    page.goto("/ca-nhan/")
    page.get_by_role("button", name="Đăng xuất").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng nhập")
    wait_for_worker(page)
    leftovers = page.evaluate(READ_CACHE_STORAGE)
    personal = [citizen.bhxh_code, citizen.full_name, citizen.card_number, *citizen.visits.values()]
    for entry in leftovers:
        for value in personal:
            assert value not in entry["body"], f"{value!r} is still kept in {entry['url']}"
    assert not kept_urls(page)

    go_offline(context)
    for url in (CARD_VIEW, CARD, BOOK):
        try:
            page.goto(url)
        except PlaywrightError:
            pass  # the browser's own "no connection" page is fine too
        text = page.content()
        for value in personal:
            assert value not in text, f"{value!r} shown offline at {url} after sign-out"
    go_online(context)
