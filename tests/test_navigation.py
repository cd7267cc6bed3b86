"""Finding one's way on a phone: the signed-in citizen's bottom menu (and Tiện ích, the account
page), the card about to end on the home screen, registration from the start page, the benefits
summary, the offices map a page at a time, and the lookup hints in plain sight."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from tests import factories
from webapp.extensions import db
from webapp.services import cards, records

NBSP = "\u00a0"
MENU = ["/ca-nhan/", "/ca-nhan/the-bhyt", "/tien-ich", "/ca-nhan/thong-bao", "/ca-nhan/tai-khoan"]


def menu(soup):
    return soup.select_one('nav.bottom-nav[aria-label="Menu chính"]')


def text_of(tag) -> str:
    """The text as read, white space collapsed (the no-break space before ₫ kept)."""
    return re.sub(r"[ \t\r\n]+", " ", tag.get_text(" ")).strip()


# --- 1. the bottom menu, Tiện ích and the account page ------------------------------------------


@pytest.mark.parametrize(
    ("url", "current", "section"),
    [
        ("/ca-nhan/", "/ca-nhan/", None),
        ("/ca-nhan/the-bhyt", "/ca-nhan/the-bhyt", None),
        ("/ca-nhan/the-bhyt/xem", None, "/ca-nhan/the-bhyt"),
        ("/ca-nhan/thong-tin-huong", None, None),
        ("/tien-ich", "/tien-ich", None),
        ("/tin-tuc", None, "/tien-ich"),
        ("/tra-cuu/co-quan-bhxh", None, "/tien-ich"),
        ("/co-quan-bhxh/ban-do", None, "/tien-ich"),
        ("/ho-tro", None, "/tien-ich"),
        ("/ho-tro/tro-ly-ao", None, "/tien-ich"),
        ("/ca-nhan/thong-bao", "/ca-nhan/thong-bao", None),
        ("/ca-nhan/tai-khoan", "/ca-nhan/tai-khoan", None),
        ("/ca-nhan/thay-doi-thong-tin", None, "/ca-nhan/tai-khoan"),
    ],
)
def test_a_signed_in_citizen_has_the_menu_on_personal_and_public_pages(
    client, citizen, url, current, section
):
    nav = menu(client.page(url))
    assert nav is not None, f"no bottom menu on {url}"
    links = nav.select("a")
    assert [a["href"] for a in links] == MENU
    assert [text_of(a) for a in links] == [
        "Trang chủ",
        "Thẻ BHYT",
        "Tiện ích",
        "Thông báo",
        "Tài khoản",
    ]
    assert [a["href"] for a in links if a.get("aria-current") == "page"] == (
        [current] if current else []
    )
    assert [a["href"] for a in links if a.get("aria-current") == "true"] == (
        [section] if section else []
    )


def test_the_menu_shows_the_unread_count_in_words_too(client, citizen):
    from webapp.models import Notification

    db.session.add(
        Notification(
            account_id=citizen.account.id,
            kind="benefit_paid",
            params={},
            created_at=dt.datetime(2026, 11, 24, tzinfo=dt.UTC),
            dedupe_key="nav-test",
        )
    )
    db.session.commit()
    inbox = menu(client.page("/ca-nhan/")).select("a")[3]
    assert inbox.select_one(".count-badge").get_text() == "1"
    assert text_of(inbox) == "1 Thông báo (1 thông báo chưa đọc)"


@pytest.mark.parametrize("url", ["/", "/tien-ich", "/tin-tuc", "/login", "/offline"])
def test_nobody_signed_in_has_no_menu(client, url):
    assert menu(client.page(url)) is None


def test_the_offline_page_never_carries_the_menu(client, citizen):
    """The worker keeps /offline for whoever is offline: nothing of an account on it."""
    assert menu(client.page("/offline")) is None


def test_officers_have_no_citizen_menu(officer):
    assert menu(officer.browser.page("/officer/ho-so-dk-gddt/ca-nhan")) is None


def test_tien_ich_lists_every_public_service_for_a_signed_in_citizen(client, citizen):
    soup = client.page("/tien-ich")
    assert text_of(soup.h1) == "Tiện ích"
    hrefs = {a["href"] for a in soup.select("main nav.tiles a")}
    for url in [
        "/tra-cuu-ma-so-bhxh",
        "/tra-cuu/co-quan-bhxh",
        "/co-quan-bhxh/ban-do",
        "/tra-cuu/cskcb-cap-giay-nghi-viec",
        "/tra-cuu/cskcb-kham-chua-benh-bhyt",
        "/tra-cuu/don-vi-tham-gia",
        "/tra-cuu/diem-thu-dai-ly-thu",
        "/tin-tuc",
        "/ho-tro/tro-ly-ao",
        "/ho-tro",
        "/verify",
    ]:
        assert url in hrefs, url
    # the start page still sends a signed-in citizen home, where the installed app opens
    assert client.get("/").headers["Location"] == "/ca-nhan/"


def test_the_account_page_shows_who_and_signs_out(client, citizen):
    soup = client.page("/ca-nhan/tai-khoan")
    text = text_of(soup.main)
    assert "Trần Văn Bình" in text and citizen.bhxh_code in text
    assert citizen.phone not in text and citizen.cccd not in text
    hrefs = [a["href"] for a in soup.select("main .link-list a")]
    assert "/ca-nhan/thay-doi-thong-tin" in hrefs and "/doi-mat-khau" in hrefs
    assert soup.select_one("main form.logout")["action"] == "/logout"
    assert client.get("/ca-nhan/tai-khoan").headers["Cache-Control"] == "private, no-store"


def test_the_account_page_needs_a_citizen(client):
    assert client.get("/ca-nhan/tai-khoan").status_code == 302


# --- 2. a card about to end, on the home screen -----------------------------------------------


def _card_ending(person, days_left: int, **kw):
    """Replace the person's card with one whose last day is `days_left` days from the fixed
    clock's today (25/11/2026), today included."""
    db.session.execute(db.text("DELETE FROM health_card WHERE person_id = :p"), {"p": person.id})
    card = factories.card(
        person, valid_to=dt.date(2026, 11, 25) + dt.timedelta(days=days_left - 1), **kw
    )
    db.session.commit()
    return card


def test_home_says_the_card_ends_in_15_days_and_what_to_do(client, citizen):
    _card_ending(citizen, 15)
    alert = client.page("/ca-nhan/").select_one("main #card-alert")
    assert text_of(alert.h2) == "Thẻ BHYT của bạn còn 15 ngày nữa là hết hạn"
    text = text_of(alert)
    assert "Thẻ có giá trị đến ngày 09/12/2026." in text
    assert "Việc cần làm: Đơn vị sử dụng lao động gia hạn thẻ" in text  # DN: the employer
    assert alert.select_one("a.button")["href"] == "/ca-nhan/the-bhyt"
    assert alert.select_one("a[href^='tel:']") is not None
    # the alert comes before the features
    main = str(client.page("/ca-nhan/").main)
    assert main.index('id="card-alert"') < main.index('class="tiles"')


def test_a_household_card_points_to_a_collection_point_of_the_province(client, citizen):
    _card_ending(citizen, 1, group_code="GD")
    alert = client.page("/ca-nhan/").select_one("#card-alert")
    assert text_of(alert.h2) == "Thẻ BHYT của bạn hết hạn hôm nay"
    assert "Đóng BHYT hộ gia đình" in text_of(alert)
    link = alert.find("a", string="Tìm điểm thu")
    assert link["href"] == "/tra-cuu/diem-thu-dai-ly-thu?tinh=01"


def test_an_expired_card_says_so(client, citizen):
    _card_ending(citizen, -3, group_code="HT")
    alert = client.page("/ca-nhan/").select_one("#card-alert")
    assert text_of(alert.h2) == "Thẻ BHYT của bạn đã hết hạn"
    assert "quỹ BHYT không chi trả" in text_of(alert)
    assert "alert-bad" in alert["class"]


def test_no_alert_for_a_card_far_from_its_end_or_already_renewed(client, citizen):
    assert client.page("/ca-nhan/").select_one("#card-alert") is None  # ends 31/12: 37 days
    _card_ending(citizen, 10)
    factories.card(citizen, valid_from=dt.date(2026, 12, 5), valid_to=dt.date(2027, 12, 4))
    db.session.commit()
    assert client.page("/ca-nhan/").select_one("#card-alert") is None


def test_expiry_alert_rules(app, citizen):
    today = dt.date(2026, 11, 25)
    card = _card_ending(citizen, 30)
    alert = cards.expiry_alert(citizen.id, today, 30)
    assert alert is not None and alert.state == "expiring" and alert.days_left == 30
    assert alert.card.id == card.id and alert.renewal == "employer"
    assert cards.expiry_alert(citizen.id, today, 29) is None
    assert [cards.renewal_route(g) for g in ("GD", "HS", "HT", "XX")] == [
        "household",
        "school",
        "automatic",
        "office",
    ]


# --- 5. registration from the start page; the code finder from form 01 -------------------------


def test_the_start_page_offers_registration(client):
    soup = client.page("/")
    register = soup.select_one("main a.button[href='/dang-ky/']")
    assert register is not None and text_of(register) == "Đăng ký"


def test_form_01_links_the_bhxh_code_field_to_the_code_finder(client):
    soup = client.page("/dang-ky/ca-nhan")
    link = soup.select_one("#bhxh_code-field a[href='/tra-cuu-ma-so-bhxh']")
    assert link is not None and text_of(link) == "Quên mã số BHXH? Tra cứu tại đây"
    # the field as the inline check sends it back keeps the link
    token = soup.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(
        "/dang-ky/ca-nhan",
        data={"bhxh_code": "12", "csrf_token": token},
        headers={"HX-Request": "true", "HX-Trigger-Name": "bhxh_code"},
    )
    assert "/tra-cuu-ma-so-bhxh" in response.get_data(as_text=True)
    assert client.page("/dang-ky/").select_one("main a[href='/tra-cuu-ma-so-bhxh']") is not None


# --- 6. benefits: the summary first ------------------------------------------------------------


def test_benefits_lead_with_a_summary_and_fold_the_details(client, citizen):
    factories.benefit(citizen, kind="short_term", regime="sickness", amount=1_500_000)
    factories.benefit(
        citizen,
        kind="short_term",
        regime="maternity",
        amount=2_000_000,
        decided_on=dt.date(2025, 3, 1),
        paid_on=dt.date(2025, 3, 15),
    )
    factories.benefit(
        citizen,
        kind="unemployment",
        regime="unemployment",
        amount=12_000_000,
        days=None,
        decided_on=dt.date(2026, 9, 1),
        period_from=dt.date(2026, 9, 2),
        period_to=dt.date(2027, 1, 1),
    )
    factories.benefit(
        citizen,
        kind="monthly",
        regime="pension",
        amount=6_000_000,
        days=None,
        decided_on=dt.date(2024, 12, 1),
        period_from=dt.date(2025, 1, 1),
        period_to=None,
    )
    db.session.commit()
    soup = client.page("/ca-nhan/thong-tin-huong")
    summary = soup.select_one("main .benefit-summary")
    facts = dict(
        zip(
            [text_of(dt_) for dt_ in summary.select("dt")],
            [text_of(dd) for dd in summary.select("dd")],
            strict=True,
        )
    )
    assert facts["Lương hưu hằng tháng hiện tại"] == f"6.000.000{NBSP}₫"
    assert facts["Trợ cấp thất nghiệp đang hưởng"].startswith(f"12.000.000{NBSP}₫")
    assert "02/09/2026 – 01/01/2027" in facts["Trợ cấp thất nghiệp đang hưởng"]
    assert facts["Chế độ ốm đau, thai sản, dưỡng sức phục hồi sức khỏe"] == f"3.500.000{NBSP}₫"
    years = [[text_of(c) for c in row.select("th, td")] for row in summary.select("tbody tr")]
    assert years == [
        ["2026", "1", f"12.000.000{NBSP}₫"],
        ["2025", "1", f"2.000.000{NBSP}₫"],
        ["2024", "1", f"1.500.000{NBSP}₫"],
    ]
    # details on demand: each group with benefits is a closed <details> whose summary counts
    groups = soup.select("main details.records-group")
    assert [g["id"] for g in groups] == [
        "benefits-short_term",
        "benefits-monthly",
        "benefits-unemployment",
    ]
    assert not any(g.has_attr("open") for g in groups)
    assert text_of(groups[0].summary).endswith(f"2 lần hưởng · 3.500.000{NBSP}₫")
    assert text_of(groups[1].summary).endswith(f"hiện 6.000.000{NBSP}₫ mỗi tháng")
    # the summary comes first
    main = str(soup.main)
    assert main.index("benefit-summary") < main.index("benefits-short_term")


def test_benefit_summary_of_nothing(app, citizen):
    summary = records.benefit_summary(
        records.benefits(citizen.id, dt.date(2026, 11, 25)), dt.date(2026, 11, 25)
    )
    assert summary.empty and summary.years == [] and summary.totals == {}


# --- 6. the offices map: a province, ten a page -----------------------------------------------


@pytest.fixture
def offices(app):
    for n in range(23):
        factories.office(
            name=f"BHXH cơ sở Thử {n:02d}",
            province_code="01",
            latitude=21.0 + n / 100,
            longitude=105.8,
        )
    factories.office(
        name="BHXH thành phố Đà Nẵng",
        province_code="48",
        level="province",
        code="48000",
        latitude=16.05,
        longitude=108.2,
    )
    db.session.commit()


def markers(soup) -> list[dict]:
    return json.loads(soup.select_one("#office-map")["data-offices"])


def test_the_map_lists_ten_offices_a_page_and_shows_them_all(client, offices):
    soup = client.page("/co-quan-bhxh/ban-do")
    assert len(soup.select("li.office")) == 10
    assert text_of(soup.select_one("#office-list-heading")) == "24 cơ quan BHXH"
    assert len(markers(soup)) == 24
    pager = soup.select_one("nav.pager")
    assert "1" in text_of(pager) and "3" in text_of(pager)
    assert pager.select_one("a[rel=next]")["href"] == "/co-quan-bhxh/ban-do?page=2"
    assert pager.select_one("a[rel=prev]") is None


def test_the_map_of_one_province_pages_its_own_offices(client, offices):
    soup = client.page("/co-quan-bhxh/ban-do?tinh=01&page=3")
    assert [i["data-name"] for i in soup.select("li.office")] == [
        "BHXH cơ sở Thử 20",
        "BHXH cơ sở Thử 21",
        "BHXH cơ sở Thử 22",
    ]
    assert soup.select_one("ol.office-list")["start"] == "21"
    assert len(markers(soup)) == 23 and all(
        m["name"] != "BHXH thành phố Đà Nẵng" for m in markers(soup)
    )
    assert all(m["directions"].startswith("geo:") for m in markers(soup))
    pager = soup.select_one("nav.pager")
    assert pager.select_one("a[rel=prev]")["href"] == "/co-quan-bhxh/ban-do?tinh=01&page=2"
    assert pager.select_one("a[rel=next]") is None
    # the filter is a plain GET form that keeps the choice
    form = soup.select_one("form.map-filter")
    assert form["method"] == "get" and form["action"] == "/co-quan-bhxh/ban-do"
    assert form.select_one("select[name=tinh] option[selected]")["value"] == "01"
    soup = client.page("/co-quan-bhxh/ban-do?tinh=48")
    assert [m["name"] for m in markers(soup)] == ["BHXH thành phố Đà Nẵng"]
    assert soup.select_one("nav.pager") is None


@pytest.mark.parametrize("page", ["0", "abc", "%C2%B2", "1" * 5000])
def test_a_map_page_that_is_no_page_is_not_found(client, offices, page):
    assert client.get(f"/co-quan-bhxh/ban-do?page={page}").status_code == 404


def test_a_page_past_the_last_shows_the_last(client, offices):
    soup = client.page("/co-quan-bhxh/ban-do?page=99")
    assert len(soup.select("li.office")) == 4


def test_page_of():
    from webapp.services.lookups import page_of

    page = page_of(list(range(23)), 3, 10)
    assert (page.rows, page.total, page.page, page.pages) == ([20, 21, 22], 23, 3, 3)
    assert page_of([], 5, 10).pages == 1


# --- 6. lookup hints as text ------------------------------------------------------------------


def test_lookup_hints_are_visible_text_tied_to_the_box(client):
    soup = client.page("/tra-cuu/co-quan-bhxh")
    box = soup.select_one("input[name=q]")
    assert not box.has_attr("placeholder")
    hint = soup.select_one("#q-hint")
    assert text_of(hint) == "Tên hoặc mã cơ quan, ví dụ “ha noi” hoặc “TP.HCM”"
    assert "q-hint" in box["aria-describedby"].split()


def test_lookup_hints_in_english(client):
    soup = client.page("/tra-cuu/don-vi-tham-gia")
    token = soup.select_one("form.lang-switch input[name=csrf_token]")["value"]
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": token})
    soup = client.page("/tra-cuu/don-vi-tham-gia")
    assert (
        text_of(soup.select_one("#q-hint"))
        == "Employer name, tax code or unit code, e.g. “Cty TNHH”"
    )


@pytest.mark.parametrize("url", ["/tien-ich", "/tin-tuc", "/co-quan-bhxh/ban-do"])
def test_a_public_page_with_the_menu_is_kept_by_no_shared_cache(client, citizen, url):
    assert client.get(url).headers["Cache-Control"] in ("private, no-cache", "private, no-store")
