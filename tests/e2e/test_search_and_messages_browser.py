"""Search as people type it, and messages in the reader's language, in Chromium.

A server of its own (migrated database, its own seed), so its directory rows and accounts change
nothing another browser test counts: facilities written with and without abbreviations, in
today's provinces and under the code of a former one, dossiers whose numbers share parts, and
two citizens, one whose account is in English.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import PHONE, REPORT_CSP_VIOLATIONS
from tests.live import serve

pytestmark = pytest.mark.browser

ENGLISH = ("0123400091", "0912000091")  # BHXH code, phone: an account in English
VIETNAMESE = ("0123400092", "0912000092")
OFFICER = ("canbo.tim", factories.OFFICER_PASSWORD)

SEED = """
import datetime as dt, json
from tests import factories
from webapp import create_app
from webapp.extensions import db

app = create_app()
with app.app_context():
    for name, code, province in [
        ("Bệnh viện Bạch Mai", "01201", "01"),
        ("BV Đa khoa Xanh Pôn", "01202", "01"),
        ("Bệnh viện Chợ Rẫy", "79201", "79"),
        ("TTYT huyện Củ Chi", "79202", "79"),
        ("Bệnh viện Đa khoa tỉnh Bình Dương", "74201", "74"),  # a former province's code
        ("Bệnh viện Trung ương Huế", "46201", "46"),
    ]:
        factories.facility(name=name, code=code, province_code=province)
    factories.officer(username="canbo.tim", full_name="Cán Bộ Tìm Kiếm", role="admin")
    now = dt.datetime.now(dt.UTC)
    for hours, number in enumerate(["HS2026-000124", "HS2026-001240", "HS2026-000777"], 1):
        factories.dossier(number=number, declared_at=now - dt.timedelta(hours=hours))
    english = factories.person(bhxh_code="0123400091", cccd="001300400091", phone="0912000091")
    english.account.locale = "en"
    factories.person(bhxh_code="0123400092", cccd="001300400092", phone="0912000092")
    db.session.commit()
    print(json.dumps({"ok": True}))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("search-server")
    with serve(folder, "search", kind="gunicorn", workers=1, seed=SEED) as (live, seeded):
        assert json.loads(seeded.splitlines()[-1]) == {"ok": True}
        yield live


@pytest.fixture
def tab(chromium, server):
    """A phone in Vietnamese; any console error or CSP violation fails the test."""
    context = chromium.new_context(
        base_url=server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    errors: list[str] = []
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    # htmx reports a search it abandoned for a newer keystroke (hx-sync replace): not a fault
    assert [e for e in errors if "htmx:afterRequest" not in e and "sendAbort" not in e] == []


def type_search(page, text: str) -> None:
    """Type `text` into the empty search box, key by key, until the results for all of it
    have arrived (HTMX asks once the typing pauses)."""
    box = page.get_by_role("searchbox")
    box.fill("")

    def answers_all_of_it(response) -> bool:
        query = parse_qs(urlsplit(response.url).query)
        return query.get("q") == [text] and response.request.headers.get("hx-request") == "true"

    with page.expect_response(answers_all_of_it):
        box.press_sequentially(text, delay=30)


def test_lookup_finds_what_people_type(tab, screenshot):
    """Abbreviations, no diacritics, stray dots, former province names: typed in the search
    box, each finds the facilities meant (HTMX swaps the results as the citizen types)."""
    tab.goto("/tra-cuu/cskcb-kham-chua-benh-bhyt")
    results = tab.locator("#lookup-results .lookup-name")

    type_search(tab, "BV Bach Mai")
    expect(results).to_have_text(["Bệnh viện Bạch Mai"])
    type_search(tab, "benh vien xanh pon")  # the row says "BV": expanded on both sides
    expect(results).to_have_text(["BV Đa khoa Xanh Pôn"])
    type_search(tab, "ttyt  cu chi.")
    expect(results).to_have_text(["TTYT huyện Củ Chi"])

    # today's provinces as people write them, and the former ones
    type_search(tab, "TP.HCM")
    expect(results).to_contain_text(["Bệnh viện Chợ Rẫy"])
    expect(results.filter(has_text="Bạch Mai")).to_have_count(0)
    type_search(tab, "Sài Gòn")
    expect(results).to_contain_text(["Bệnh viện Chợ Rẫy"])
    type_search(tab, "bv binh duong")
    # the former province's own code first, then the rest of Hồ Chí Minh it is part of now
    expect(results).to_have_text(["Bệnh viện Đa khoa tỉnh Bình Dương", "Bệnh viện Chợ Rẫy"])
    expect(results.filter(has_text="Củ Chi")).to_have_count(0)  # not a bệnh viện
    type_search(tab, "Thừa Thiên Huế")
    expect(results).to_have_text(["Bệnh viện Trung ương Huế"])
    type_search(tab, "HN")
    expect(results).to_contain_text(["Bệnh viện Bạch Mai", "BV Đa khoa Xanh Pôn"])
    expect(results.filter(has_text="Chợ Rẫy")).to_have_count(0)
    expect(tab).to_have_url(re.compile(r"q=HN"))
    screenshot(tab, "lookup-abbreviations")


def test_officer_finds_a_dossier_by_part_of_its_number(chromium, server, screenshot):
    context = chromium.new_context(base_url=server.url, locale="vi-VN", viewport=PHONE)
    context.set_default_timeout(10_000)
    desk = context.new_page()
    desk.goto("/officer/")
    desk.get_by_label("Tên đăng nhập").fill(OFFICER[0])
    desk.get_by_label("Mật khẩu").fill(OFFICER[1])
    desk.get_by_role("button", name="Đăng nhập").click()
    desk.get_by_role("navigation", name="Menu nghiệp vụ").get_by_role(
        "link", name="Cá nhân"
    ).click()
    rows = desk.locator("tr.dossier-row")
    expect(rows).to_have_count(3)
    search = desk.locator("form.search-form")
    desk.get_by_text("Mở rộng", exact=True).click()
    for typed, expected in (
        ("124", ["HS2026-000124", "HS2026-001240"]),  # newest first
        ("hs2026-0001", ["HS2026-000124"]),
        ("777", ["HS2026-000777"]),
    ):
        search.get_by_label("Số hồ sơ").fill(typed)
        search.get_by_role("button", name="Tra cứu").click()
        expect(desk).to_have_url(re.compile(rf"number={typed}(&|$)"))
        expect(rows).to_have_count(len(expected))
        for row, number in zip(rows.all(), expected, strict=True):
            expect(row).to_contain_text(number)
    search.get_by_label("Số hồ sơ").fill("HX1")
    search.get_by_role("button", name="Tra cứu").click()
    expect(desk.locator("#number-error")).to_contain_text("Nhập số hồ sơ hoặc một phần của số")
    screenshot(desk, "officer-partial-number")
    context.close()


def ask_for_a_code(page, code: str, phone: str) -> None:
    page.goto("/quen-mat-khau")
    page.get_by_label("Mã số BHXH hoặc số CCCD").fill(code)
    page.get_by_label("Số điện thoại đã đăng ký (SMS)").check()
    page.get_by_label("Số điện thoại hoặc email đã đăng ký").fill(phone)
    page.get_by_role("button", name="Gửi mã").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập mã xác thực")


def test_the_sms_is_in_the_language_of_the_account_not_of_the_page(tab, screenshot):
    """Both citizens ask on a page in Vietnamese; the one whose account is in English gets the
    SMS in English (GSM-7 letters), the other in Vietnamese without diacritics."""
    ask_for_a_code(tab, *ENGLISH)
    ask_for_a_code(tab, *VIETNAMESE)
    tab.goto(f"/dev/outbox?to={ENGLISH[1]}")
    body = tab.locator(".outbox-body").first
    expect(body).to_have_text(
        re.compile(r"^VssID: OTP \d{6} to RESET THE PASSWORD of your VssID account, valid for 5 ")
    )
    screenshot(tab, "outbox-english-sms")
    tab.goto(f"/dev/outbox?to={VIETNAMESE[1]}")
    expect(tab.locator(".outbox-body").first).to_have_text(
        re.compile(r"^VssID: Ma OTP \d{6} dung de LAY LAI MAT KHAU tai khoan VssID")
    )
