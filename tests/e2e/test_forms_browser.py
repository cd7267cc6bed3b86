"""Dates and error summaries in an English Chromium, as a visitor from abroad (or a phone set
to English) meets them.

A native date input would show mm/dd/yyyy there: the app's dates are text boxes read as
dd/mm/yyyy with a visible hint. After a submit with mistakes the focus moves to the error
summary (GOV.UK's pattern), on a full page (form 01, sign-in) and after an HTMX swap (the
officer's search, the assistant), and the summary lists the mistakes in the order of the
fields. A screenshot of form 01 with its errors, 390 × 844, is kept in /tmp/shots-forms/.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PHONE, REPORT_CSP_VIOLATIONS, SCREENS

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-forms")
QUEUE = "/officer/ho-so-dk-gddt/ca-nhan"
VIETNAM = dt.timezone(dt.timedelta(hours=7))

# The page's fields in document order and the targets of the summary's links, in its order.
FIELD_ORDER = """() => [...document.querySelectorAll("input, select, textarea")].map((e) => e.id)"""
SUMMARY_LINKS = """() => [...document.querySelectorAll(".error-summary a")].map(
    (a) => a.getAttribute("href").slice(1))"""
FOCUSED = "() => document.activeElement && document.activeElement.className"


def _browser_context(chromium, live_server, viewport):
    context = chromium.new_context(
        base_url=live_server.url,
        locale="en-US",  # an English browser: a native date input would be mm/dd/yyyy
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=viewport,
    )
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    context.add_cookies([{"name": "device_id", "value": "e2e-phone", "url": live_server.url}])
    return context


@pytest.fixture
def english(chromium, live_server, console_errors):
    """A phone-sized tab in an English Chromium; its console errors are collected."""
    context = _browser_context(chromium, live_server, PHONE)
    page = context.new_page()
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(f"pageerror: {error}"))
    yield page
    context.close()


@pytest.fixture
def english_desk(chromium, live_server, console_errors):
    """An officer's desktop tab in an English Chromium."""
    context = _browser_context(chromium, live_server, {"width": 1366, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(f"pageerror: {error}"))
    yield page
    context.close()


def only_refusals(errors: list[str]) -> list[str]:
    """The console errors other than the browser's note that a page answered 400 (a form sent
    back with its mistakes answers 400 by design)."""
    return [e for e in errors if "the server responded with a status of 400" not in e]


def wait_for_htmx(page) -> None:
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def leave(page) -> None:
    """Leave the field being typed in, and let its own check come back before "Record"."""
    page.keyboard.press("Tab")
    wait_for_htmx(page)


def in_page_order(page) -> list[str]:
    """The summary's targets, after checking they come in the order of the page's fields."""
    fields = page.evaluate(FIELD_ORDER)
    links = page.evaluate(SUMMARY_LINKS)
    assert links, "no link in the error summary"
    assert all(target in fields for target in links), (links, fields)
    assert links == sorted(links, key=fields.index), (links, fields)
    return links


def test_form_01_reads_dd_mm_yyyy_in_an_english_browser_and_focuses_its_errors(
    english, console_errors
):
    page = english
    page.goto("/dang-ky/ca-nhan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Registration form 01")
    birth = page.get_by_label("Date of birth")
    issued = page.get_by_label("Date of issue")
    for box in (birth, issued):
        expect(box).to_have_attribute("type", "text")
        expect(box).to_have_attribute("inputmode", "numeric")
    expect(page.locator("#date_of_birth-hint")).to_have_text("dd/mm/yyyy, e.g. 14/03/1985")
    expect(page.locator("#date_of_birth-hint")).to_be_visible()

    # the day first is read as such, in the field's own check as the person leaves it
    birth.fill("14/03/1985")
    checked = page.expect_response(
        lambda r: r.request.headers.get("hx-trigger-name") == "date_of_birth"
    )
    with checked:
        page.get_by_label("Gender").focus()
    wait_for_htmx(page)
    expect(page.locator("#date_of_birth-error")).to_have_count(0)
    expect(page.get_by_label("Date of birth")).to_have_value("14/03/1985")
    assert page.evaluate("() => document.activeElement.id") == "gender", (
        "a field's own check took the focus"
    )

    # "Record" with impossible and American dates, the rest left empty
    page.get_by_label("Date of birth").fill("31/02/1985")
    issued.fill("04/20/2021")
    leave(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Record").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert page.evaluate(FOCUSED) == "error-summary"
    expect(summary).to_have_attribute("role", "alert")
    expect(page.locator("#date_of_birth-error")).to_contain_text("There is no such date")
    expect(page.locator("#id_issued_on-error")).to_contain_text("There is no such date")
    expect(page.get_by_label("Date of birth")).to_have_value("31/02/1985")
    expect(page.get_by_label("Date of issue")).to_have_value("04/20/2021")
    links = in_page_order(page)
    assert links[:2] == ["full_name", "date_of_birth"]
    assert links.index("photo") < links.index("address")  # as the page shows them

    # a link of the summary puts the focus in its field
    summary.get_by_role("link", name=re.compile("There is no such date")).first.click()
    expect(page.get_by_label("Date of birth")).to_be_focused()

    # a year-first date (what a native date input sends) is not taken either
    page.get_by_label("Date of birth").fill("1985-03-14")
    leave(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Record").click()
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#date_of_birth-error")).to_contain_text("Enter the date as dd/mm/yyyy")

    # last: Playwright's screenshot leaves style="" on the inputs, which an htmx swap would
    # then copy (a CSP violation that only the test makes)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "form01-errors-390.png"))  # what the phone shows first
    page.screenshot(path=str(SHOTS / "form01-errors-390-full.png"), full_page=True)
    SCREENS.mkdir(parents=True, exist_ok=True)
    shutil.copy(SHOTS / "form01-errors-390.png", SCREENS / "form01-errors-390.png")
    assert only_refusals(console_errors) == []
    console_errors.clear()


def test_sign_in_focuses_its_errors(english, console_errors):
    page = english
    page.goto("/login")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.evaluate(FOCUSED) == "error-summary"
    assert in_page_order(page) == ["identifier", "password"]
    page.keyboard.press("Tab")  # the keyboard continues from the summary to its first link
    expect(page.locator(".error-summary a").first).to_be_focused()
    assert only_refusals(console_errors) == []
    console_errors.clear()


def test_the_officer_search_reads_dd_mm_yyyy_and_focuses_its_errors(english_desk, console_errors):
    desk = english_desk
    desk.goto("/officer/")
    desk.get_by_label("Username").fill("canbo.e2e")
    desk.get_by_label("Password").fill(factories.OFFICER_PASSWORD)
    desk.get_by_role("button", name="Sign in").click()
    desk.goto(QUEUE)
    desk.evaluate("() => { window.e2eMarker = 'still here'; }")
    desk.get_by_text("Expand search", exact=True).click()
    search = desk.locator("form.search-form")
    start, end = search.get_by_label("Declared from"), search.get_by_label("Declared until")
    for box in (start, end):
        expect(box).to_have_attribute("type", "text")
        expect(box).to_have_attribute("inputmode", "numeric")
    expect(search.locator("#date_from-hint")).to_have_text("dd/mm/yyyy")

    # month first, then year first: both refused by their fields, in an HTMX swap
    start.fill("10/31/2026")
    end.fill("2026-11-01")
    with desk.expect_response(lambda r: urlsplit(r.url).path == QUEUE) as swap:
        search.get_by_role("button", name="Search").click()
    assert swap.value.status == 400
    assert swap.value.request.headers.get("hx-request") == "true"
    summary = desk.locator(".error-summary")
    expect(summary).to_be_focused()
    assert desk.evaluate(FOCUSED) == "error-summary"
    assert desk.evaluate("window.e2eMarker") == "still here", "the page was reloaded"
    assert in_page_order(desk) == ["date_from", "date_to"]
    expect(desk.locator("#date_from-error")).to_contain_text("There is no such date")
    expect(desk.locator("#date_to-error")).to_contain_text("Enter the date as dd/mm/yyyy")
    expect(desk.locator("form.search-form").get_by_label("Declared from")).to_have_value(
        "10/31/2026"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(SHOTS / "officer-search-errors.png"), caret="initial")

    # dd/mm/yyyy: the two seeded dossiers (declared 30 and 5 hours ago) are found
    today = dt.datetime.now(VIETNAM).date()
    since = today - dt.timedelta(days=3)
    search = desk.locator("form.search-form")
    search.get_by_label("Declared from").fill(f"{since:%d/%m/%Y}")
    search.get_by_label("Declared until").fill(f"{today:%d/%m/%Y}")
    with desk.expect_response(lambda r: urlsplit(r.url).path == QUEUE) as swap:
        search.get_by_role("button", name="Search").click()
    assert swap.value.status == 200
    expect(desk.locator(".error-summary")).to_have_count(0)
    for number in ("HS2026-000101", "HS2026-000102"):
        expect(desk.locator("tr.dossier-row", has_text=number)).to_have_count(1)
    query = parse_qs(urlsplit(desk.url).query)
    assert query["date_from"] == [f"{since:%d/%m/%Y}"], query
    # a day before both: neither
    search = desk.locator("form.search-form")
    search.get_by_label("Declared from").fill("")
    search.get_by_label("Declared until").fill(f"{since:%d/%m/%Y}")
    with desk.expect_response(lambda r: urlsplit(r.url).path == QUEUE):
        search.get_by_role("button", name="Search").click()
    expect(desk.locator("tr.dossier-row", has_text="HS2026-000102")).to_have_count(0)
    # typing while a field is focused never loses the focus to a summary of an earlier search
    assert desk.evaluate("window.e2eMarker") == "still here"
    assert only_refusals(console_errors) == []
    console_errors.clear()


def test_the_assistant_focuses_its_error_then_clears_it(english, console_errors):
    page = english
    page.goto("/ho-tro/tro-ly-ao")
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Ask").click()
    assert sent.value.status == 400
    expect(page.locator("#chat-form .error-summary")).to_be_focused()
    page.get_by_label("Your question").fill("How do I change my password?")
    with page.expect_response(lambda r: r.request.method == "POST") as sent:
        page.get_by_role("button", name="Ask").click()
    assert sent.value.status == 200
    expect(page.locator("#chat-log .chat-user").last).to_contain_text("change my password")
    expect(page.locator("#chat-form .error-summary")).to_have_count(0)
    expect(page.locator("#chat-form .error-message")).to_have_count(0)
    expect(page.get_by_label("Your question")).to_be_focused()
    assert only_refusals(console_errors) == []
    console_errors.clear()
