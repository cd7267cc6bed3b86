"""A citizen on a phone: signs in, shows the BHYT card with its QR, leafs through the medical book.

Runs in headless Chromium against gunicorn (see conftest.py). Any console error, uncaught
exception or CSP violation on any page fails the test.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MEDICAL_BOOK = "/ca-nhan/so-kham-chua-benh"


def sign_in(page, citizen) -> None:
    """Đăng nhập as the citizen would: type the BHXH code and password, press the button."""
    page.goto("/login")
    page.get_by_label("Mã số BHXH hoặc số CCCD").fill(citizen.bhxh_code)
    page.get_by_label("Mật khẩu", exact=True).fill(citizen.password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("QL cá nhân")


def main_text(page) -> str:
    """The visible text of <main> without any white space (numbers may be grouped on screen)."""
    return re.sub(r"\s+", "", page.locator("main").inner_text())


def open_tile(page, label: str) -> None:
    """From QL cá nhân, follow one of the feature tiles."""
    page.goto("/ca-nhan/")
    page.locator("nav.tiles").get_by_role("link", name=label, exact=True).click()
    page.wait_for_load_state()


def qr_code(page):
    """The QR code on the page: an inline <svg> in <main>, square and at least 100 px wide
    (icons are smaller)."""
    sizes = page.locator("main svg").evaluate_all(
        "svgs => svgs.map(svg => svg.getBoundingClientRect()).map(r => [r.width, r.height])"
    )
    squares = [i for i, (w, h) in enumerate(sizes) if min(w, h) >= 100 and abs(w - h) <= 0.05 * w]
    assert squares, f"no square <svg> of 100 px or more in <main> (sizes seen: {sizes})"
    return page.locator("main svg").nth(squares[0])


def test_citizen_shows_card_and_leafs_through_medical_book(
    page, live_server, console_errors, screenshot
):
    citizen = live_server.citizen
    sign_in(page, citizen)
    expect(page.locator("main")).to_contain_text(citizen.full_name)

    # Thẻ BHYT: the card's details, with its 15-character number.
    open_tile(page, "Thẻ BHYT")
    expect(page).to_have_url(re.compile(r"/ca-nhan/the-bhyt$"))
    assert citizen.card_number in main_text(page), "the card page does not show the card number"

    # Xem thẻ: the card as a card, with its QR code drawn as inline SVG.
    view_link = page.locator("main").get_by_role("link", name="Xem thẻ")
    if view_link.count():
        view_link.first.click()
    else:
        open_tile(page, "Xem thẻ")
    expect(page).to_have_url(re.compile(r"/ca-nhan/the-bhyt/xem$"))
    expect(qr_code(page)).to_be_visible()
    assert citizen.card_number in main_text(page), "the card view does not show the card number"
    screenshot(page, "card-view")

    # Sổ khám chữa bệnh: switch to another year; only the year's panel is swapped.
    open_tile(page, "Sổ khám chữa bệnh")
    expect(page).to_have_url(re.compile(rf"{MEDICAL_BOOK}(/\d{{4}})?$"))
    newest, other = "2026", "2024"
    expect(page.locator("main")).to_contain_text(citizen.visits[newest])
    page.evaluate(
        """() => {
            window.e2eMarker = "still here";
            document.querySelector("header").dataset.e2eMarker = "still here";
        }"""
    )
    year_switch = page.locator(
        f"main a[href$='{MEDICAL_BOOK}/{other}'], main [hx-get$='{MEDICAL_BOOK}/{other}']"
    ).first
    with page.expect_response(lambda r: r.url.endswith(f"{MEDICAL_BOOK}/{other}")) as swap:
        year_switch.click()
    response = swap.value
    assert response.status == 200
    assert response.request.headers.get("hx-request") == "true", "the year switch is not htmx"
    assert "<html" not in response.text().lower(), "htmx got a full page instead of the panel"
    expect(page).to_have_url(re.compile(rf"{MEDICAL_BOOK}/{other}$"))  # hx-push-url
    expect(page.locator("main")).to_contain_text(citizen.visits[other])
    expect(page.locator("main")).not_to_contain_text(citizen.visits[newest])
    assert page.evaluate("window.e2eMarker") == "still here", "the page was reloaded"
    assert page.evaluate("document.querySelector('header').dataset.e2eMarker") == "still here"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    screenshot(page, "medical-book")

    # The pushed URL, loaded by itself, is the full page showing the same year.
    page.reload()
    assert page.evaluate("window.e2eMarker") is None, "reload did not reload"
    expect(page).to_have_url(re.compile(rf"{MEDICAL_BOOK}/{other}$"))
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.locator("header")).to_be_visible()
    expect(page.locator("main")).to_contain_text(citizen.visits[other])
    expect(page.locator("main")).not_to_contain_text(citizen.visits[newest])

    assert console_errors == []


@pytest.mark.parametrize("path", ["/", "/login"])
def test_htmx_runs_under_the_content_security_policy(page, console_errors, path):
    # Public pages only: signing the citizen in on a second browser would be a second device.
    response = page.goto(path)
    assert response.status == 200
    script_src = re.search(r"script-src ([^;]+)", response.headers["content-security-policy"])
    assert "'nonce-" in script_src.group(1) and "'unsafe-inline'" not in script_src.group(1)
    page.wait_for_function("() => window.htmx !== undefined")
    assert page.evaluate("htmx.version").startswith("2."), "htmx 2.x expected"
    assert console_errors == []
