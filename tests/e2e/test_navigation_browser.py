"""Finding one's way on a 390 × 844 phone, as a new user would:

1. signed in, the public services are one tap away on every page (the bottom menu), and the way
   back too; offline, the menu leads to the offline page, not to a browser error;
2. a card ending in 15 days is announced on the home screen with what to do;
5. "Đăng ký" is on the start page, and form 01's BHXH code field leads to the code finder;
6. the benefits page leads with a summary and opens the details on demand; the offices map
   filters by province (a plain form, without JavaScript too) and lists ten offices a page, the
   map showing every office of the filter; the lookup hints are visible text; the main links
   are at least 44 px high.

Screenshots of home (with the card ending), benefits and the map go to /tmp/shots-nav/ too.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.test_offline import go_offline, go_online, wait_for_worker
from tests.e2e.test_public_browser import TILE

pytestmark = pytest.mark.browser

SHOTS = Path("/tmp/shots-nav")
FITS = "els => els.filter(e => e.scrollWidth > e.clientWidth).map(e => e.textContent)"
MIN_TAP = 44

# A pensioner whose card (group HT) ends in 15 days, today included, with a realistic history
# of benefits: seeded once for this module, in the live server's database.
SEED_EXPIRING = """
import datetime as dt
from zoneinfo import ZoneInfo
from tests import factories
from webapp import create_app
from webapp.extensions import db
from webapp.models import Facility, Person

app = create_app()
with app.app_context():
    if db.session.scalar(db.select(Person.id).where(Person.bhxh_code == "0123400555")) is None:
        today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
        person = factories.person(
            full_name="Lê Thị Sắp Hết Hạn", bhxh_code="0123400555", cccd="001160400555",
            phone="0912000555", gender=2, date_of_birth=dt.date(1965, 4, 2),
        )
        facility_id = db.session.scalar(db.select(Facility.id).order_by(Facility.id).limit(1))
        factories.card(
            person, group_code="HT", benefit_level=2, benefit_percent=95,
            valid_from=today - dt.timedelta(days=350), valid_to=today + dt.timedelta(days=14),
            facility_id=facility_id,
        )
        for year in range(2012, 2021):
            start = dt.date(year, 3 + year % 7, 4)
            factories.benefit(
                person, kind="short_term", regime="sickness", days=3 + year % 5,
                amount=450_000 + 37_000 * (year % 9), decided_on=start + dt.timedelta(days=30),
                period_from=start, period_to=start + dt.timedelta(days=3 + year % 5),
                paid_on=start + dt.timedelta(days=38),
            )
        for year in (2014, 2018):
            start = dt.date(year, 6, 12)
            factories.benefit(
                person, kind="short_term", regime="convalescence", days=5, amount=1_120_000,
                decided_on=start + dt.timedelta(days=20), period_from=start,
                period_to=start + dt.timedelta(days=4), paid_on=start + dt.timedelta(days=27),
            )
        factories.benefit(
            person, kind="unemployment", regime="unemployment", days=None, amount=16_800_000,
            decided_on=dt.date(2016, 2, 20), period_from=dt.date(2016, 2, 21),
            period_to=dt.date(2016, 8, 20), paid_on=dt.date(2016, 3, 1),
        )
        factories.benefit(
            person, kind="monthly", regime="pension", days=None, amount=7_245_000,
            decided_on=dt.date(2020, 4, 15), period_from=dt.date(2020, 5, 1), period_to=None,
            paid_on=today.replace(day=5) if today.day >= 5 else today - dt.timedelta(days=25),
        )
        db.session.commit()
"""

# Fourteen offices in Hồ Chí Minh city, for the pages of the map (removed after the test, so that
# the other tests keep counting the seed's three).
HCM_CODES = [f"799{n:02d}" for n in range(14)]
ADD_OFFICES = f"""
from tests import factories
from webapp import create_app
from webapp.extensions import db

app = create_app()
with app.app_context():
    for n, code in enumerate({HCM_CODES!r}):
        factories.office(
            code=code, name=f"BHXH cơ sở Sài Gòn {{n + 1:02d}}", province_code="79",
            level="province" if n == 0 else "commune", address=f"{{n + 1}} Nguyễn Huệ, TP.HCM",
            phone="028 3932 0000", latitude=10.70 + n * 0.01, longitude=106.62 + n * 0.008,
        )
    db.session.commit()
"""
REMOVE_OFFICES = f"""
from webapp import create_app
from webapp.extensions import db
from webapp.models import BhxhOffice

app = create_app()
with app.app_context():
    db.session.execute(db.delete(BhxhOffice).where(BhxhOffice.code.in_({HCM_CODES!r})))
    db.session.commit()
"""


def run_in_server(live_server, script: str, what: str) -> None:
    live_server.server.run([sys.executable, "-c", script], what)


@pytest.fixture(scope="module")
def expiring(live_server):
    """The pensioner whose card ends in 15 days (seeded once)."""
    run_in_server(live_server, SEED_EXPIRING, "seeding the citizen whose card is ending")
    return {"bhxh_code": "0123400555", "password": live_server.citizen.password}


def shoot(page, name: str, screenshot) -> Path:
    """A full-page screenshot (pytest's and the shared copy), and one in /tmp/shots-nav/."""
    path = screenshot(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(path, SHOTS / path.name)
    return path


def sign_in_as(page, bhxh_code: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Mã số BHXH hoặc số CCCD").fill(bhxh_code)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("QL cá nhân")


def menu(page):
    return page.get_by_role("navigation", name="Menu chính")


def heights(locator) -> list[tuple[str, float]]:
    """Each element's text and rendered height."""
    return locator.evaluate_all(
        "els => els.map(e => [e.textContent.trim().slice(0, 40), e.getBoundingClientRect().height])"
    )


def assert_tap_targets(locator, where: str) -> None:
    small = [(text, h) for text, h in heights(locator) if h < MIN_TAP]
    assert not small, f"links under {MIN_TAP} px high on {where}: {small}"


# --- 1 ------------------------------------------------------------------------------------------


def stub_tiles(page) -> None:
    """The tile server answers with a blank tile (the real one is not reachable here)."""
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )


def test_signed_in_the_public_services_are_one_tap_away_and_back(page, context, live_server):
    stub_tiles(page)
    sign_in_as(page, live_server.citizen.bhxh_code, live_server.citizen.password)
    nav = menu(page)
    expect(nav).to_be_visible()
    # fixed at the bottom of the screen, the full width, five items of 44 px or more
    box = nav.bounding_box()
    assert abs(box["y"] + box["height"] - PHONE["height"]) <= 1 and box["width"] == PHONE["width"]
    expect(nav.get_by_role("link")).to_have_text(
        ["Trang chủ", "Thẻ BHYT", "Tiện ích", re.compile("Thông báo"), "Tài khoản"]
    )
    assert_tap_targets(nav.get_by_role("link"), "the bottom menu")
    expect(nav.get_by_role("link", name="Trang chủ")).to_have_attribute("aria-current", "page")

    # Tiện ích → news → the way back home, the menu there all along
    nav.get_by_role("link", name="Tiện ích").click()
    expect(page).to_have_url(re.compile(r"/tien-ich$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tiện ích")
    page.locator("main nav.tiles").get_by_role("link", name="Tin tức").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tin tức")
    expect(menu(page).get_by_role("link", name="Tiện ích")).to_have_attribute(
        "aria-current", "true"
    )
    for label, heading in [
        ("Trợ lý ảo", "Trợ lý ảo"),
        ("Bản đồ cơ quan BHXH", "Bản đồ cơ quan BHXH"),
        ("Hỗ trợ", "Hỗ trợ"),
    ]:
        menu(page).get_by_role("link", name="Tiện ích").click()
        page.locator("main nav.tiles").get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(heading))
        expect(menu(page)).to_be_visible()
    menu(page).get_by_role("link", name="Trang chủ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("QL cá nhân")

    # the account tab: who is signed in, and signing out
    menu(page).get_by_role("link", name="Tài khoản").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài khoản")
    expect(page.locator("main")).to_contain_text(live_server.citizen.full_name)

    # the menu never hides the end of a page: scrolled to the bottom, the footer is above it
    page.goto("/tien-ich")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    footer = page.locator("footer").bounding_box()
    assert footer["y"] + footer["height"] <= menu(page).bounding_box()["y"] + 1

    # offline: the kept card shows the menu, whose other tabs lead to the offline page
    wait_for_worker(page)
    page.goto("/ca-nhan/the-bhyt")
    page.wait_for_function(
        """async () => {
          for (const name of await caches.keys()) {
            if (!name.includes("personal")) continue;
            const cache = await caches.open(name);
            for (const r of await cache.keys()) {
              if (new URL(r.url).pathname === "/ca-nhan/the-bhyt") return true;
            }
          }
          return false;
        }"""
    )
    go_offline(context)
    try:
        page.reload()
        expect(page.locator("[data-offline-banner]")).to_be_visible()
        expect(menu(page).get_by_role("link", name="Thẻ BHYT")).to_have_attribute(
            "aria-current", "page"
        )
        menu(page).get_by_role("link", name="Tiện ích").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Bạn đang ngoại tuyến")
        expect(page.get_by_role("navigation", name="Menu chính")).to_have_count(0)
    finally:
        go_online(context)


def choose_language(page, name: str) -> None:
    """Open the language menu of the top bar and pick `name` (each language named in itself)."""
    page.locator("details.lang-menu > summary").click()
    page.locator("form.lang-switch").get_by_role("button", name=name).click()


def _translated(lang: str, msgid: str) -> str:
    if lang == "en":
        return msgid
    path = Path(__file__).parents[2] / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        return read_po(f, locale=lang)[msgid].string


def test_the_menu_labels_fit_in_vietnamese(page, expiring):
    sign_in_as(page, expiring["bhxh_code"], expiring["password"])
    labels = page.locator("nav.bottom-nav .bottom-nav-label")
    assert labels.evaluate_all(FITS) == [], "a menu label is cut off in Vietnamese"


@pytest.mark.parametrize(
    ("lang", "name"),
    [("en", "English"), ("ko", "한국어"), ("ja", "日本語"), ("zh_Hans", "简体中文")],
)
def test_the_menu_labels_fit_in_every_other_language(page, expiring, lang, name):
    sign_in_as(page, expiring["bhxh_code"], expiring["password"])
    labels = page.locator("nav.bottom-nav .bottom-nav-label")
    choose_language(page, name)
    try:
        expect(page.locator("html")).to_have_attribute("lang", lang.replace("_", "-"))
        heading = _translated(lang, "Personal management")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(menu(page)).to_have_count(0)  # its name is in the other language now
        nav = page.get_by_role("navigation", name=_translated(lang, "Main menu"))
        expect(nav.get_by_role("link")).to_have_count(5)
        assert labels.evaluate_all(FITS) == [], f"a menu label is cut off in {name}"
        page.screenshot(path=str(SHOTS / f"home-{lang}-first-screen.png"))
    finally:
        choose_language(page, "Tiếng Việt")
        expect(page.get_by_role("heading", level=1)).to_have_text("QL cá nhân")


def test_the_language_menu_closes_on_escape_and_keeps_the_focus(page):
    page.goto("/login")
    summary = page.locator("details.lang-menu > summary")
    summary.click()
    expect(page.locator("form.lang-switch")).to_be_visible()
    page.screenshot(path=str(SHOTS / "language-menu.png"))
    page.keyboard.press("Escape")
    expect(page.locator("form.lang-switch")).to_be_hidden()
    expect(summary).to_be_focused()


# --- 2 ------------------------------------------------------------------------------------------


def test_home_announces_the_card_ending_in_15_days_with_what_to_do(page, expiring, screenshot):
    sign_in_as(page, expiring["bhxh_code"], expiring["password"])
    alert = page.locator("#card-alert")
    expect(alert).to_be_visible()
    expect(alert.get_by_role("heading", level=2)).to_have_text(
        "Thẻ BHYT của bạn còn 15 ngày nữa là hết hạn"
    )
    expect(alert).to_contain_text("Việc cần làm:")
    expect(alert).to_contain_text("Cơ quan BHXH tự cấp thẻ mới")  # HT: no request needed
    # on the first screen, above the features
    assert alert.bounding_box()["y"] < PHONE["height"] / 2
    assert alert.bounding_box()["y"] < page.locator("nav.tiles").bounding_box()["y"]
    assert_tap_targets(alert.get_by_role("link"), "the card alert")
    shoot(page, "home-card-ending", screenshot)
    page.screenshot(path=str(SHOTS / "home-first-screen.png"))  # as the phone shows it
    alert.get_by_role("link", name="Xem thông tin thẻ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thẻ BHYT")
    expect(page.locator(".card-state .badge")).to_have_text("Sắp hết hạn (còn 15 ngày)")


# --- 5 ------------------------------------------------------------------------------------------


def test_registration_starts_on_the_start_page_and_form_01_finds_the_code(page):
    page.goto("/")
    register = page.locator("main").get_by_role("link", name="Đăng ký", exact=True)
    expect(register).to_be_visible()
    assert register.bounding_box()["y"] < PHONE["height"], "Đăng ký is not on the first screen"
    register.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký sử dụng VssID")
    page.get_by_role("button", name="Tiếp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tờ khai mẫu 01")
    finder = page.locator("#bhxh_code-field").get_by_role(
        "link", name="Quên mã số BHXH? Tra cứu tại đây"
    )
    expect(finder).to_be_visible()
    assert finder.bounding_box()["height"] >= MIN_TAP
    finder.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu mã số BHXH")


# --- 6 ------------------------------------------------------------------------------------------


def test_benefits_lead_with_the_summary_and_open_on_demand(page, expiring, screenshot):
    sign_in_as(page, expiring["bhxh_code"], expiring["password"])
    page.goto("/ca-nhan/thong-tin-huong")
    summary = page.locator(".benefit-summary")
    expect(summary).to_contain_text("Lương hưu hằng tháng hiện tại")
    expect(summary).to_contain_text("7.245.000\u00a0₫")
    expect(summary).to_contain_text("Trợ cấp thất nghiệp gần nhất")
    expect(summary.locator("tbody tr")).to_have_count(9)  # 2012–2020
    assert summary.bounding_box()["y"] < 300
    short = page.locator("#benefits-short_term")
    expect(short.locator("table")).to_be_hidden()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2600, f"the benefits page is {height} px long with every group closed"
    shoot(page, "benefits", screenshot)
    page.screenshot(path=str(SHOTS / "benefits-first-screen.png"))
    short.locator("summary").click()
    expect(short.locator("tbody tr")).to_have_count(11)
    expect(short.locator("tbody tr").first).to_be_visible()


def test_the_map_filters_by_province_and_pages_the_list(page, live_server, screenshot):
    run_in_server(live_server, ADD_OFFICES, "adding offices in Hồ Chí Minh city")
    try:
        stub_tiles(page)
        page.goto("/co-quan-bhxh/ban-do")
        expect(page.locator(".leaflet-marker-icon")).to_have_count(17)
        expect(page.locator(".office-list li")).to_have_count(10)
        page.get_by_label("Tỉnh/thành phố").select_option(label="Hồ Chí Minh")
        page.get_by_role("button", name="Xem").click()
        expect(page).to_have_url(re.compile(r"/co-quan-bhxh/ban-do\?tinh=79$"))
        expect(page.get_by_role("heading", name="14 cơ quan BHXH")).to_be_visible()
        expect(page.locator(".office-list li")).to_have_count(10)
        expect(page.locator(".leaflet-marker-icon")).to_have_count(14)  # the whole filter
        shoot(page, "map", screenshot)
        page.screenshot(path=str(SHOTS / "map-first-screen.png"))
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < 4000, f"the map page is {height} px long"
        pager = page.get_by_role("navigation", name="Các trang danh sách cơ quan")
        assert_tap_targets(pager.get_by_role("link"), "the map's pager")
        pager.get_by_role("link", name="Trang sau").click()
        expect(page).to_have_url(re.compile(r"\?tinh=79&page=2$"))
        expect(page.locator(".office-list li")).to_have_count(4)
        expect(page.locator(".office-list li").first).to_contain_text("BHXH cơ sở Sài Gòn 11")
        expect(page.locator(".leaflet-marker-icon")).to_have_count(14)
        expect(page.get_by_label("Tỉnh/thành phố")).to_have_value("79")
    finally:
        run_in_server(live_server, REMOVE_OFFICES, "removing the offices added")


def test_the_map_filter_works_without_javascript(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, locale="vi-VN", viewport=PHONE, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/co-quan-bhxh/ban-do")
        page.get_by_label("Tỉnh/thành phố").select_option(label="Đà Nẵng")
        page.get_by_role("button", name="Xem").click()
        expect(page).to_have_url(re.compile(r"\?tinh=48$"))
        expect(page.locator(".office-list li")).to_have_text([re.compile("BHXH thành phố Đà Nẵng")])
    finally:
        context.close()


def test_lookup_hints_are_visible_and_main_links_are_big_enough(page, live_server):
    stub_tiles(page)
    page.goto("/tra-cuu/co-quan-bhxh")
    hint = page.locator("#q-hint")
    expect(hint).to_be_visible()
    expect(hint).to_have_text("Tên hoặc mã cơ quan, ví dụ “ha noi” hoặc “TP.HCM”")
    assert hint.evaluate("e => e.scrollWidth <= e.clientWidth"), "the hint is cut off"
    expect(page.get_by_role("searchbox", name="Tên hoặc mã")).not_to_have_attribute(
        "placeholder", re.compile(".")
    )
    checks = {
        "/": "main a",
        "/tra-cuu/co-quan-bhxh": "main .back-link a, main .lookup-kinds a, main a.directions",
        "/co-quan-bhxh/ban-do": "main .back-link a, main .map-links a, main a.directions",
        "/dang-ky/": "main a",
        "/ho-tro": "main .back-link a, main .support-contacts a, main .support-links a",
    }
    for url, selector in checks.items():
        page.goto(url)
        assert_tap_targets(page.locator(selector), url)
    sign_in_as(page, live_server.citizen.bhxh_code, live_server.citizen.password)
    for url in ("/ca-nhan/", "/ca-nhan/tai-khoan", "/ca-nhan/thong-tin-huong", "/tien-ich"):
        page.goto(url)
        assert_tap_targets(
            page.locator("main a:not(.tile):not(.hint-link *), nav.bottom-nav a, main summary"), url
        )
