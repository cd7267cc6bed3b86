"""P1–P5: what anyone can use without an account — find my code, news, lookups, the offices
map, support (FAQ, feedback with its answer)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests import factories
from tests.conftest import check_page
from tests.test_security import csrf, post_form, sms_to
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    BhxhOffice,
    CollectionPoint,
    Employer,
    FaqEntry,
    Feedback,
    NewsArticle,
    Officer,
)
from webapp.security import tile_image_source
from webapp.services import code_finder, feedback, news
from webapp.services.otp import Check
from webapp.services.text import fold

SECRET = "test-secret-key"

# --- Start page ------------------------------------------------------------------------------


def test_start_page_links_every_public_service(client):
    soup = client.page("/")
    hrefs = {a["href"] for a in soup.select("a[href]")}
    for url in [
        "/tra-cuu-ma-so-bhxh",
        "/tra-cuu/co-quan-bhxh",
        "/co-quan-bhxh/ban-do",
        "/tra-cuu/cskcb-cap-giay-nghi-viec",
        "/tra-cuu/cskcb-kham-chua-benh-bhyt",
        "/tra-cuu/don-vi-tham-gia",
        "/tra-cuu/diem-thu-dai-ly-thu",
        "/tin-tuc",
        "/ho-tro",
        "/ho-tro/tro-ly-ao",
        "/ho-tro/cau-hoi-thuong-gap",
        "/ho-tro/phan-anh",
        "/verify",
        "tel:19009068",
        "mailto:hotro@vssid.example.vn",
    ]:
        assert url in hrefs, url
    tiles = [a.get_text(strip=True) for a in soup.select("nav.public-tiles a")]
    assert tiles[0] == "Tra cứu mã số BHXH" and "Trợ lý ảo" in tiles and "Tin tức" in tiles


# --- P3 lookups ------------------------------------------------------------------------------


def office(name: str, province: str = "01", **kw) -> BhxhOffice:
    n = db.session.scalar(select(db.func.count(BhxhOffice.id))) + 1
    row = BhxhOffice(
        code=kw.pop("code", f"{province}{n:03d}"),
        name=name,
        name_folded=fold(name),
        level=kw.pop("level", "commune"),
        province_code=province,
        address=kw.pop("address", "Số 1, phố Thử, Hà Nội"),
        phone=kw.pop("phone", "024 3333 4444"),
        latitude=kw.pop("latitude", 21.03),
        longitude=kw.pop("longitude", 105.85),
        **kw,
    )
    db.session.add(row)
    db.session.flush()
    return row


def point(name: str, province: str = "01", kind: str = "point") -> CollectionPoint:
    n = db.session.scalar(select(db.func.count(CollectionPoint.id))) + 1
    row = CollectionPoint(
        code=f"DT{province}{n:04d}",
        name=name,
        name_folded=fold(name),
        kind=kind,
        province_code=province,
        address="Thôn 1, xã Thử",
        phone="0912000111",
    )
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture
def directory(app):
    """A few rows of every directory, in Hà Nội (01) and Đà Nẵng (48)."""
    office("BHXH thành phố Hà Nội", level="province", code="01000")
    office("BHXH cơ sở Ba Đình", code="01001")
    office("BHXH thành phố Đà Nẵng", "48", level="province", code="48000", latitude=16.05)
    factories.facility(name="Bệnh viện Đa khoa Xanh Pôn", code="01101", issues_sick_leave=True)
    factories.facility(name="Trạm Y tế phường Kim Mã", code="01102", issues_sick_leave=False)
    factories.facility(
        name="Phòng khám Đa khoa Hòa Bình",
        code="01103",
        has_bhyt_contract=False,
        issues_sick_leave=True,
    )
    factories.facility(name="Bệnh viện Đà Nẵng", code="48101", province_code="48")
    factories.employer(name="Công ty Cổ phần Sữa Ánh Dương")
    factories.employer(name="Công ty TNHH Cơ khí Đông Á")
    factories.employer(name="Công ty Cũ Đã Ngừng", active=False)
    point("Bưu điện văn hóa xã Đông Anh")
    point("Đại lý thu Hội Nông dân xã Hòa Vang", "48", "agent")
    db.session.commit()


def names(soup) -> list[str]:
    return [h.get_text(strip=True) for h in soup.select(".lookup-name")]


@pytest.mark.parametrize(
    ("kind", "query", "expected"),
    [
        ("co-quan-bhxh", "Ba Đình", ["BHXH cơ sở Ba Đình"]),
        ("co-quan-bhxh", "01000", ["BHXH thành phố Hà Nội"]),
        (
            "cskcb-cap-giay-nghi-viec",
            "đa khoa",
            ["Bệnh viện Đa khoa Xanh Pôn", "Phòng khám Đa khoa Hòa Bình"],
        ),
        ("cskcb-kham-chua-benh-bhyt", "Kim Mã", ["Trạm Y tế phường Kim Mã"]),
        ("don-vi-tham-gia", "Ánh Dương", ["Công ty Cổ phần Sữa Ánh Dương"]),
        ("diem-thu-dai-ly-thu", "Hòa Vang", ["Đại lý thu Hội Nông dân xã Hòa Vang"]),
    ],
)
def test_lookup_finds_by_name_or_code(client, directory, kind, query, expected):
    soup = client.page(f"/tra-cuu/{kind}?q={query}")
    assert names(soup) == expected


@pytest.mark.parametrize(
    ("kind", "query", "expected"),
    [
        ("co-quan-bhxh", "ba dinh", ["BHXH cơ sở Ba Đình"]),
        ("co-quan-bhxh", "DA NANG", ["BHXH thành phố Đà Nẵng"]),
        ("cskcb-cap-giay-nghi-viec", "xanh pon", ["Bệnh viện Đa khoa Xanh Pôn"]),
        ("cskcb-kham-chua-benh-bhyt", "tram y te kim ma", ["Trạm Y tế phường Kim Mã"]),
        ("don-vi-tham-gia", "co khi dong a", ["Công ty TNHH Cơ khí Đông Á"]),
        ("diem-thu-dai-ly-thu", "buu dien dong anh", ["Bưu điện văn hóa xã Đông Anh"]),
    ],
)
def test_lookup_without_diacritics(client, directory, kind, query, expected):
    assert names(client.page(f"/tra-cuu/{kind}?q={query}")) == expected


def test_ha_noi_finds_ha_noi_by_name_and_by_province(client, directory):
    """ "ha noi" finds the offices named Hà Nội and those in Hà Nội whose name lacks it."""
    assert names(client.page("/tra-cuu/co-quan-bhxh?q=ha+noi")) == [
        "BHXH cơ sở Ba Đình",
        "BHXH thành phố Hà Nội",
    ]
    assert names(client.page("/tra-cuu/co-quan-bhxh?q=bhxh+ha+noi")) == [
        "BHXH cơ sở Ba Đình",
        "BHXH thành phố Hà Nội",
    ]


def test_lookup_by_province(client, directory):
    assert names(client.page("/tra-cuu/co-quan-bhxh?tinh=48")) == ["BHXH thành phố Đà Nẵng"]
    assert names(client.page("/tra-cuu/cskcb-kham-chua-benh-bhyt?tinh=48&q=benh+vien")) == [
        "Bệnh viện Đà Nẵng"
    ]


def test_facility_lookups_keep_to_their_kind(client, directory):
    sick_leave = names(client.page("/tra-cuu/cskcb-cap-giay-nghi-viec?tinh=01"))
    assert "Trạm Y tế phường Kim Mã" not in sick_leave
    assert "Phòng khám Đa khoa Hòa Bình" in sick_leave
    contract = names(client.page("/tra-cuu/cskcb-kham-chua-benh-bhyt?tinh=01"))
    assert "Phòng khám Đa khoa Hòa Bình" not in contract
    assert "Trạm Y tế phường Kim Mã" in contract


def test_employers_by_tax_code_or_unit_code_and_only_active_ones(client, directory):
    employer = db.session.scalar(select(Employer).where(Employer.name.like("%Ánh Dương")))
    assert names(client.page(f"/tra-cuu/don-vi-tham-gia?q={employer.tax_code}")) == [employer.name]
    assert names(client.page(f"/tra-cuu/don-vi-tham-gia?q={employer.unit_code.lower()}")) == [
        employer.name
    ]
    assert "Công ty Cũ Đã Ngừng" not in names(client.page("/tra-cuu/don-vi-tham-gia"))


@pytest.mark.parametrize(
    "kind",
    [
        "co-quan-bhxh",
        "cskcb-cap-giay-nghi-viec",
        "cskcb-kham-chua-benh-bhyt",
        "don-vi-tham-gia",
        "diem-thu-dai-ly-thu",
    ],
)
def test_lookup_not_found_says_so(client, directory, kind):
    soup = client.page(f"/tra-cuu/{kind}?q=khong+co+dau+ca")
    assert names(soup) == []
    assert "Không tìm thấy" in soup.select_one(".lookup-count").get_text()


def test_lookup_paginates_twenty_a_page_with_plain_links(client, app):
    for n in range(45):
        office(f"BHXH cơ sở Thử Nghiệm {n:02d}", code=f"01{n + 100:03d}")
    db.session.commit()
    first = client.page("/tra-cuu/co-quan-bhxh?q=thu+nghiem")
    assert len(names(first)) == 20 and "45 kết quả" in first.get_text()
    assert "Trang 1/3" in first.select_one(".pager").get_text(" ", strip=True)
    next_link = first.select_one(".pager a[rel=next]")
    assert next_link["href"] == next_link["hx-get"] == "/tra-cuu/co-quan-bhxh?q=thu+nghiem&page=2"
    third = client.page("/tra-cuu/co-quan-bhxh?q=thu+nghiem&page=3")
    assert names(third) == [f"BHXH cơ sở Thử Nghiệm {n:02d}" for n in range(40, 45)]
    assert third.select_one(".pager a[rel=next]") is None
    assert third.select_one("ol.lookup-list")["start"] == "41"
    # past the last page: the last one
    assert names(client.page("/tra-cuu/co-quan-bhxh?q=thu+nghiem&page=99")) == names(third)


def test_live_results_are_a_fragment_of_the_same_url(client, directory):
    response = client.htmx("/tra-cuu/co-quan-bhxh?q=ba+dinh")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body and "BHXH cơ sở Ba Đình" in body
    assert "HX-Request" in response.headers["Vary"]
    full = client.page("/tra-cuu/co-quan-bhxh?q=ba+dinh")
    box = full.select_one("input[name=q]")
    assert box["hx-trigger"] == "input changed delay:400ms, search"
    assert box["hx-get"] == "/tra-cuu/co-quan-bhxh" and box["hx-include"] == "closest form"
    assert box["value"] == "ba dinh" and box["type"] == "search"
    assert full.select_one("form.lookup-form")["hx-push-url"] == "true"
    assert full.select_one("#lookup-results")["aria-live"] == "polite"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("q=" + "a" * 101, "q", "Nhập tối đa 100 ký tự"),
        ("tinh=99", "tinh", "Chọn tỉnh/thành phố trong danh sách"),
        ("tinh=<script>", "tinh", "Chọn tỉnh/thành phố trong danh sách"),
    ],
)
def test_lookup_bad_input_is_a_400_with_the_message(client, directory, query, field, message):
    soup = client.page(f"/tra-cuu/co-quan-bhxh?{query}", status=400)
    assert soup.title.get_text().startswith("Lỗi: ")
    assert message in soup.select_one(".error-summary").get_text()
    assert message in soup.select_one(f"#{field}-field .error-message").get_text()
    fragment = client.htmx(f"/tra-cuu/co-quan-bhxh?{query}")
    assert fragment.status_code == 400 and message in fragment.get_data(as_text=True)


@pytest.mark.parametrize(
    "query",
    ["%", "_", "%25%25", "\\", "' OR 1=1 --", "<script>alert(1)</script>", "ba\x00dinh", "\x00zz"],
)
def test_lookup_hostile_text_finds_nothing_and_breaks_nothing(client, directory, query):
    response = client.get("/tra-cuu/co-quan-bhxh", query_string={"q": query})
    assert response.status_code == 200
    soup = check_page(response)
    assert names(soup) == []
    assert "<script>alert" not in response.get_data(as_text=True)


def test_control_characters_are_dropped_from_the_search(client, directory):
    everything = names(client.page("/tra-cuu/co-quan-bhxh"))
    assert names(client.page("/tra-cuu/co-quan-bhxh?q=%00%01")) == everything


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999999999999999999", "1.5"])
def test_a_page_number_that_is_no_page_is_404(client, directory, page):
    client.page(f"/tra-cuu/co-quan-bhxh?page={page}", status=404)


def test_unknown_directory_is_404(client):
    client.page("/tra-cuu/khong-co", status=404)


# --- P5 the offices map ----------------------------------------------------------------------


def test_map_lists_offices_with_markers_and_directions(client, directory):
    response = client.get("/co-quan-bhxh/ban-do")
    soup = check_page(response)
    items = soup.select("li.office")
    assert [i["data-name"] for i in items][:2] == ["BHXH thành phố Hà Nội", "BHXH cơ sở Ba Đình"]
    assert items[0]["data-lat"] == "21.03" and items[0]["data-lng"] == "105.85"
    assert items[0].select_one("a.directions")["href"].startswith("geo:21.030000,105.850000?q=")
    box = soup.select_one("#office-map")
    assert box["data-tiles"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert box.has_attr("hidden")  # shown by the script once Leaflet runs
    scripts = [s["src"] for s in soup.select("script[src]")]
    assert "/static/vendor/leaflet/leaflet.js" in scripts and "/static/js/office-map.js" in scripts
    csp = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://tile.openstreetmap.org;" in csp
    # only the map page may load tiles
    assert "img-src 'self' data:;" in client.get("/").headers["Content-Security-Policy"]
    assert "leaflet" not in client.get("/tra-cuu/co-quan-bhxh").get_data(as_text=True)


def test_map_of_one_province(client, directory):
    soup = client.page("/co-quan-bhxh/ban-do?tinh=48")
    assert [i["data-name"] for i in soup.select("li.office")] == ["BHXH thành phố Đà Nẵng"]
    client.page("/co-quan-bhxh/ban-do?tinh=xx", status=400)


def test_without_a_tile_server_the_list_still_works(app, client, directory):
    app.extensions["csp_tile_source"] = None  # as MAP_TILE_URL="" gives at start-up
    response = client.get("/co-quan-bhxh/ban-do")
    soup = check_page(response)
    assert soup.select_one("#office-map") is None and not soup.select("script[src*=leaflet]")
    assert len(soup.select("li.office a.directions")) == 3
    assert "img-src 'self' data:;" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.vn/{z}/{x}/{y}.png", "https://*.tile.example.vn"),
        ("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8080"),
        ("", None),
        ("javascript:alert(1)", None),
        ("data:image/png;base64,AAAA", None),
        ("https://evil.example; script-src *", None),
        ("https://user:pw@tiles.example/{z}", None),
        ("https://'unsafe-inline'/{z}", None),
        ("//tiles.example/{z}/{x}/{y}.png", None),
        ("https://*/{z}", None),
    ],
)
def test_tile_source_for_the_csp_is_a_plain_host_or_nothing(url, source):
    assert tile_image_source(url) == source


# --- P2 news ---------------------------------------------------------------------------------


def article(title: str, days_ago: float, now: dt.datetime, english: bool = False) -> NewsArticle:
    row = NewsArticle(
        slug=news.slugify(title),
        title_vi=title,
        summary_vi=f"Tóm tắt: {title}",
        body_vi=f"Đoạn một của {title}.\n\nĐoạn hai.",
        title_en=f"EN {title}" if english else None,
        summary_en="English summary" if english else None,
        body_en="First paragraph.\n\nSecond paragraph." if english else None,
        published_at=now - dt.timedelta(days=days_ago),
    )
    db.session.add(row)
    db.session.flush()
    return row


def test_news_newest_first_ten_a_page(client, clock):
    for n in range(12):
        article(f"Tin số {n}", n + 1, clock.now())
    article("Tin ngày mai", -1, clock.now())  # not published yet
    db.session.commit()
    first = client.page("/tin-tuc")
    titles = [a.get_text(strip=True) for a in first.select(".news-item h2 a")]
    assert titles == [f"Tin số {n}" for n in range(10)]
    assert "Tin ngày mai" not in first.get_text()
    older = first.select_one(".pager a[rel=next]")
    assert older["href"] == "/tin-tuc?page=2" and older["hx-target"] == "#news-items"
    second = client.page("/tin-tuc?page=2")
    assert [a.get_text(strip=True) for a in second.select(".news-item h2 a")] == [
        "Tin số 10",
        "Tin số 11",
    ]
    fragment = client.htmx("/tin-tuc?page=2").get_data(as_text=True)
    assert "<html" not in fragment and "Tin số 11" in fragment
    for bad in ["abc", "0", "-2", "1e3"]:
        client.page(f"/tin-tuc?page={bad}", status=404)


def test_article_in_english_where_written_else_vietnamese_marked(client, clock):
    both = article("Đăng nhập bằng CCCD", 1, clock.now(), english=True)
    only_vi = article("Chi trả lương hưu tháng 12", 2, clock.now())
    db.session.commit()
    soup = client.page(f"/tin-tuc/{both.slug}")
    assert soup.h1.get_text() == "Đăng nhập bằng CCCD"
    assert [p.get_text() for p in soup.select("article p")][-2:] == [
        "Đoạn một của Đăng nhập bằng CCCD.",
        "Đoạn hai.",
    ]
    client.set_cookie("lang", "en")
    soup = client.page(f"/tin-tuc/{both.slug}")
    assert soup.h1.get_text() == "EN Đăng nhập bằng CCCD" and "Second paragraph." in soup.get_text()
    soup = client.page(f"/tin-tuc/{only_vi.slug}")
    assert soup.select_one("article")["lang"] == "vi"
    assert "only available in Vietnamese" in soup.get_text()
    listing = client.page("/tin-tuc")
    assert [li.get("lang") for li in listing.select(".news-item")] == [None, "vi"]


def test_unknown_or_future_article_is_404(client, clock):
    future = article("Tin tương lai", -2, clock.now())
    db.session.commit()
    client.page("/tin-tuc/khong-co-tin-nay", status=404)
    client.page(f"/tin-tuc/{future.slug}", status=404)
    client.page("/tin-tuc/" + "a" * 300, status=404)


def make_officer(role: str = "admin", active: bool = True) -> Officer:
    row = Officer(
        username=f"canbo-{role}-{active}",
        password_hash="x",
        full_name="Cán bộ Thử",
        role=role,
        active=active,
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    db.session.add(row)
    db.session.flush()
    return row


def test_admin_publishes_news_that_comes_first(client, clock):
    article("Tin cũ", 3, clock.now())
    admin = make_officer("admin")
    kwargs = {"title_vi": "Tin mới: đổi thẻ", "summary_vi": "Tóm tắt", "body_vi": "Nội dung."}
    first = news.publish_article(admin, clock.now(), **kwargs)
    second = news.publish_article(admin, clock.now(), **kwargs, title_en="New", body_en="Body")
    db.session.commit()
    assert (first.slug, second.slug) == ("tin-moi-doi-the", "tin-moi-doi-the-2")
    assert first.title_en is None and second.title_en == "New"
    soup = client.page("/tin-tuc")
    assert soup.select_one(".news-item h2 a").get_text() == "Tin mới: đổi thẻ"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "news_published"))
    assert event.actor_id == admin.id
    with pytest.raises(PermissionError):
        news.publish_article(make_officer("reviewer"), clock.now(), **kwargs)
    with pytest.raises(PermissionError):
        news.publish_article(make_officer("admin", active=False), clock.now(), **kwargs)
    with pytest.raises(ValueError):
        news.publish_article(admin, clock.now(), title_vi=" ", summary_vi="x", body_vi="y")


# --- P1 find my BHXH code --------------------------------------------------------------------


@pytest.fixture
def registered(app):
    """A person of the registry with no account, and a namesake born elsewhere."""
    person = factories.person(
        account=False,
        full_name="Phạm Thị Thu Hà",
        bhxh_code="0198765432",
        cccd="001301234567",
        cmnd="012345678",
        date_of_birth=dt.date(1990, 5, 17),
        province_code="01",
        phone="0987654321",
    )
    factories.person(
        account=False,
        full_name="Phạm Thị Thu Hà",
        bhxh_code="4898765432",
        cccd="048301234567",
        date_of_birth=dt.date(1990, 5, 17),
        province_code="48",
    )
    db.session.commit()
    return person


def find_by_birth(client, name="pham thi thu ha", dob="17/05/1990", province="01"):
    url = "/tra-cuu-ma-so-bhxh?cach=ngay-sinh"
    return post_form(client, url, full_name=name, date_of_birth=dob, province=province)


def test_find_by_name_birth_and_province_shows_the_code_masked(client, registered):
    response = find_by_birth(client, name="PHAM THI THU HA")
    assert response.status_code == 302
    soup = client.page(response.headers["Location"])
    assert soup.select_one("#found-code").get_text() == "01******32"
    assert "0198765432" not in str(soup)
    assert "098****321" in soup.get_text()
    assert client.get("/tra-cuu-ma-so-bhxh/ket-qua").headers["Cache-Control"] == (
        "private, no-store"
    )


def test_find_by_id_number_and_name(client, registered):
    url = "/tra-cuu-ma-so-bhxh?cach=giay-to"
    for id_number in ["001301234567", "0013 0123 4567", "012345678"]:
        response = post_form(client, url, id_number=id_number, full_name="Phạm Thị Thu Hà")
        assert response.status_code == 302, id_number
        assert client.page("/tra-cuu-ma-so-bhxh/ket-qua").select_one("#found-code").get_text() == (
            "01******32"
        )


@pytest.mark.parametrize(
    "change",
    [
        {"name": "pham thi thu"},  # part of the name
        {"name": "pham thi thu hai"},
        {"dob": "18/05/1990"},
        {"province": "79"},
    ],
)
def test_no_exact_match_no_answer(client, registered, change):
    response = find_by_birth(client, **change)
    assert response.status_code == 200
    soup = check_page(response)
    assert "Không tìm thấy" in soup.select_one(".warning-panel").get_text()
    assert "01******32" not in soup.get_text()
    assert client.get("/tra-cuu-ma-so-bhxh/ket-qua").status_code == 302


def test_wrong_name_with_a_right_id_number_finds_nothing(client, registered):
    url = "/tra-cuu-ma-so-bhxh?cach=giay-to"
    response = post_form(client, url, id_number="001301234567", full_name="Nguyễn Văn An")
    assert "Không tìm thấy" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Nhập họ và tên"),
        ({"full_name": "x" * 121}, "full_name", "Họ và tên có tối đa 120 ký tự"),
        ({"full_name": "<script>alert(1)</script>"}, "full_name", "Họ và tên chỉ gồm chữ cái"),
        ({"full_name": "Robert'); DROP TABLE person;--"}, "full_name", "Họ và tên chỉ gồm chữ cái"),
        ({"date_of_birth": ""}, "date_of_birth", "Nhập ngày sinh"),
        ({"date_of_birth": "31/02/1990"}, "date_of_birth", "ngày/tháng/năm"),
        ({"date_of_birth": "hôm qua"}, "date_of_birth", "ngày/tháng/năm"),
        ({"date_of_birth": "01/01/2030"}, "date_of_birth", "từ năm 1900 đến hôm nay"),
        ({"province": ""}, "province", "Chọn tỉnh/thành phố"),
        ({"province": "99"}, "province", "Chọn tỉnh/thành phố trong danh sách"),
    ],
)
def test_find_by_birth_bad_input(client, registered, data, field, message):
    form = {"full_name": "Phạm Thị Thu Hà", "date_of_birth": "17/05/1990", "province": "01"}
    response = post_form(client, "/tra-cuu-ma-so-bhxh?cach=ngay-sinh", **{**form, **data})
    assert response.status_code == 400
    soup = check_page(response)
    assert soup.title.get_text().startswith("Lỗi: ")
    assert message in soup.select_one(f"#{field}-field .error-message").get_text()


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("", "Nhập số CCCD hoặc CMND"),
        ("0123456789", "Số CCCD có 12 chữ số"),
        ("00130123456a", "Số CCCD có 12 chữ số"),
        ("1" * 500, "Số CCCD có 12 chữ số"),
    ],
)
def test_find_by_id_bad_input(client, registered, id_number, message):
    url = "/tra-cuu-ma-so-bhxh?cach=giay-to"
    response = post_form(client, url, id_number=id_number, full_name="Phạm Thị Thu Hà")
    assert response.status_code == 400
    assert message in check_page(response).select_one("#id_number-field").get_text()


def test_find_code_needs_the_csrf_token(client, registered):
    response = client.post(
        "/tra-cuu-ma-so-bhxh",
        data={"full_name": "Phạm Thị Thu Hà", "date_of_birth": "17/05/1990", "province": "01"},
    )
    assert response.status_code == 400


def test_the_whole_code_after_the_otp_sent_to_the_registered_phone(client, registered):
    find_by_birth(client)
    token = csrf(client, "/tra-cuu-ma-so-bhxh/ket-qua")
    response = client.post("/tra-cuu-ma-so-bhxh/gui-otp", data={"csrf_token": token})
    assert response.headers["Location"] == "/tra-cuu-ma-so-bhxh/otp"
    sms = sms_to("0987654321")
    assert len(sms) == 1 and "0198765432" not in sms[0].body
    code = re.search(r"\b(\d{6})\b", sms[0].body).group(1)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = post_form(client, "/tra-cuu-ma-so-bhxh/otp", code=wrong)
    assert response.status_code == 400 and "còn 4 lần thử" in response.get_data(as_text=True)
    response = post_form(client, "/tra-cuu-ma-so-bhxh/otp", code=code)
    assert response.headers["Location"] == "/tra-cuu-ma-so-bhxh/ket-qua"
    soup = client.page("/tra-cuu-ma-so-bhxh/ket-qua")
    assert soup.select_one("#found-code").get_text() == "0198765432"
    events = [e.event for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert events == [
        "find_code_found",
        "find_code_otp_sent",
        "find_code_otp_failed",
        "find_code_otp_ok",
    ]
    assert code not in str([e.detail for e in db.session.scalars(select(AuditEvent))])


def test_a_person_without_phone_keeps_the_code_masked(client, app):
    factories.person(
        account=False, full_name="Lò Văn Páo", date_of_birth=dt.date(1970, 1, 1), phone=None
    )
    db.session.commit()
    find_by_birth(client, name="lo van pao", dob="01/01/1970")
    soup = client.page("/tra-cuu-ma-so-bhxh/ket-qua")
    assert "Không có số điện thoại" in soup.get_text()
    assert soup.select("form[action='/tra-cuu-ma-so-bhxh/gui-otp']") == []


def test_the_found_result_ends_after_fifteen_minutes(client, registered, clock):
    find_by_birth(client)
    clock.advance(minutes=15)
    response = client.get("/tra-cuu-ma-so-bhxh/ket-qua")
    assert response.headers["Location"] == "/tra-cuu-ma-so-bhxh"


def test_find_code_is_throttled_per_ip_but_typos_do_not_count(app, client, registered):
    app.config["FIND_CODE_LIMIT_PER_IP"] = "3 per minute"
    statuses = [find_by_birth(client, dob="bad").status_code for _ in range(4)]
    assert statuses == [400] * 4
    statuses = [find_by_birth(client, name=f"nguoi thu {letter}").status_code for letter in "abcd"]
    assert statuses == [200, 200, 200, 429]
    response = find_by_birth(client)  # even the right answer waits
    assert response.status_code == 429
    soup = check_page(response)
    assert "Bạn đã tra cứu quá nhiều lần" in soup.select_one(".error-summary").get_text()


# The phone proof's rules, on the service: the counts live in the database, not in the cookie.


def test_code_is_void_after_five_wrong_tries(app, registered, clock):
    code_finder.send_code(registered, "browser-1", clock.now(), app.config)
    db.session.commit()
    lefts = [
        code_finder.check_code(registered.id, "browser-1", "000000", clock.now(), SECRET)
        for _ in range(5)
    ]
    assert [v.tries_left for v in lefts] == [4, 3, 2, 1, 0] or lefts[0].result is Check.OK
    assert lefts[-1].result is Check.VOID
    again = code_finder.check_code(registered.id, "browser-1", "000000", clock.now(), SECRET)
    assert again.result is Check.VOID


def test_code_expires_waits_and_is_replaced(app, registered, clock):
    def check(code: str, browser: str = "browser-1"):
        return code_finder.check_code(registered.id, browser, code, clock.now(), SECRET).result

    code_finder.send_code(registered, "browser-1", clock.now(), app.config)
    assert code_finder.send_code(registered, "browser-1", clock.now(), app.config).retry_after == 61
    clock.advance(minutes=5)
    code = re.search(r"\b(\d{6})\b", sms_to(registered.phone)[-1].body).group(1)
    assert check(code) is Check.EXPIRED
    code_finder.send_code(registered, "browser-1", clock.now(), app.config)
    new_code = re.search(r"\b(\d{6})\b", sms_to(registered.phone)[-1].body).group(1)
    assert check(new_code, "browser-2") is Check.MISSING  # another browser's search
    if new_code != code:
        assert check(code) is Check.WRONG
    assert check(new_code) is Check.OK
    assert check(new_code) is Check.MISSING
    for _ in range(3):
        clock.advance(seconds=61)
        assert code_finder.send_code(registered, "browser-1", clock.now(), app.config).challenge
    clock.advance(seconds=61)
    assert code_finder.send_code(registered, "browser-1", clock.now(), app.config).retry_after > 60


# --- P4 support, FAQ, feedback ---------------------------------------------------------------


def test_support_page_has_hotline_and_email_from_config(app, client):
    app.config.update(HOTLINE="1900 1234", SUPPORT_EMAIL="hoi@bhxh.example.vn")
    soup = client.page("/ho-tro")
    hrefs = [a["href"] for a in soup.select(".support-contacts a")]
    assert hrefs == ["tel:19001234", "mailto:hoi@bhxh.example.vn"]


def test_faq_is_grouped_by_topic_in_the_readers_language(client):
    for position, (topic, question) in enumerate(
        [("password", "Quên mật khẩu?"), ("account", "Tài khoản là gì?"), ("card", "Thẻ ở đâu?")]
    ):
        db.session.add(
            FaqEntry(
                topic=topic,
                question_vi=question,
                answer_vi="Trả lời.",
                question_en="In English?" if topic == "card" else None,
                answer_en="Answer." if topic == "card" else None,
                position=position,
            )
        )
    db.session.commit()
    soup = client.page("/ho-tro/cau-hoi-thuong-gap")
    assert [h.get_text() for h in soup.select(".faq-topic h2")] == [
        "Tài khoản và đăng nhập",
        "Mật khẩu",
        "Thẻ BHYT",
    ]
    assert soup.select_one("#topic-password + details summary").get_text() == "Quên mật khẩu?"
    for reader in ("en", "ko", "ja", "zh_Hans"):  # FAQ text is written in vi and en only
        client.set_cookie("lang", reader)
        soup = client.page("/ho-tro/cau-hoi-thuong-gap")
        summaries = [s.get_text() for s in soup.select("main summary")]
        assert summaries == ["Tài khoản là gì?", "Quên mật khẩu?", "In English?"], reader
        entries = soup.select("main details")
        assert entries[0]["lang"] == "vi"
        assert entries[2].get("lang") == (None if reader == "en" else "en")  # not the page's


FEEDBACK = {
    "name": "Nguyễn Văn Phản",
    "phone": "0912 345 678",
    "email": "",
    "topic": "card",
    "body": "Thẻ BHYT của tôi không hiện trên ứng dụng từ hôm qua.",
}


def send_feedback(client, **change):
    return post_form(client, "/ho-tro/phan-anh", **{**FEEDBACK, **change})


def test_feedback_round_trip_with_the_officers_answer(app, client, clock):
    response = send_feedback(client)
    assert response.headers["Location"] == "/ho-tro/phan-anh/da-gui"
    number = client.page("/ho-tro/phan-anh/da-gui").select_one("#tracking-number").get_text()
    assert re.fullmatch(r"PA261125\d{6}", number)
    assert number in sms_to("0912345678")[0].body
    # the citizen looks it up: open
    lookup = post_form(
        client, "/ho-tro/phan-anh/tra-cuu", tracking_number=number, phone="0912345678"
    )
    soup = check_page(lookup)
    assert "Đang chờ trả lời" in soup.select_one(".feedback-status").get_text()
    # the officers' inbox has it; an officer answers
    inbox = feedback.list_open_feedback()
    assert [f.tracking_number for f in inbox.items] == [number] and inbox.total == 1
    officer = make_officer("reviewer")
    clock.advance(hours=2)
    feedback.answer_feedback(
        inbox.items[0], officer, "Thẻ đã được cập nhật.", clock.now(), app.config
    )
    db.session.commit()
    assert feedback.list_open_feedback().total == 0
    assert number in sms_to("0912345678")[-1].body and len(sms_to("0912345678")) == 2
    # the citizen reads the answer, with the number typed loosely
    loose = f"pa {number[2:8]}-{number[8:]}"
    soup = check_page(
        post_form(client, "/ho-tro/phan-anh/tra-cuu", tracking_number=loose, phone="+84912345678")
    )
    status = soup.select_one(".feedback-status").get_text()
    assert "Đã trả lời" in status and "Thẻ đã được cập nhật." in status
    assert "25/11/2026 12:00" in status  # answered at 05:00 UTC
    events = [e.event for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert events == ["feedback_received", "feedback_answered"]


def test_two_feedbacks_drawing_the_same_number_both_get_one(client, monkeypatch):
    """Two feedbacks sent at once may draw the same free number (each checks before either
    inserts): the second draws again instead of failing."""
    send_feedback(client)
    taken = db.session.scalar(select(Feedback.tracking_number))
    draws = iter([taken, taken, "PA261125000777"])  # as if drawn before the first was saved
    monkeypatch.setattr(feedback, "new_tracking_number", lambda now: next(draws))
    response = send_feedback(client, name="Trần Thị Hai")
    assert response.headers["Location"] == "/ho-tro/phan-anh/da-gui"
    number = client.page("/ho-tro/phan-anh/da-gui").select_one("#tracking-number").get_text()
    assert number == "PA261125000777"
    rows = db.session.execute(select(Feedback.name, Feedback.tracking_number)).all()
    assert sorted(rows) == [("Nguyễn Văn Phản", taken), ("Trần Thị Hai", "PA261125000777")]


def test_feedback_answer_needs_the_right_phone(client):
    send_feedback(client)
    number = db.session.scalar(select(Feedback.tracking_number))
    response = post_form(
        client, "/ho-tro/phan-anh/tra-cuu", tracking_number=number, phone="0912345679"
    )
    assert response.status_code == 404
    soup = check_page(response)
    assert "Không tìm thấy phản ánh" in soup.get_text() and FEEDBACK["body"] not in soup.get_text()
    response = post_form(
        client, "/ho-tro/phan-anh/tra-cuu", tracking_number="PA261125000000", phone="0912345678"
    )
    assert response.status_code == 404


def test_officer_inbox_is_oldest_first_and_by_topic(app, clock):
    for topic in ["card", "account", "card"]:
        feedback.submit_feedback(
            name="A",
            phone="0912345678",
            email=None,
            topic=topic,
            body="x" * 20,
            now=clock.now(),
            config=app.config,
        )
        clock.advance(minutes=1)
    db.session.commit()
    inbox = feedback.list_open_feedback()
    assert [f.topic for f in inbox.items] == ["card", "account", "card"]
    assert feedback.list_open_feedback(topic="card").total == 2
    assert len(feedback.list_open_feedback(limit=1, offset=1).items) == 1
    item = inbox.items[0]
    with pytest.raises(ValueError):
        feedback.answer_feedback(item, make_officer(), "   ", clock.now(), app.config)
    with pytest.raises(PermissionError):
        feedback.answer_feedback(item, make_officer(active=False), "Ok", clock.now(), app.config)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "Nhập họ và tên"),
        ({"name": "<b>x</b>"}, "name", "Họ và tên chỉ gồm chữ cái"),
        ({"phone": ""}, "phone", "Nhập số điện thoại di động"),
        ({"phone": "12345"}, "phone", "số di động Việt Nam gồm 10 chữ số"),
        ({"phone": "0212345678"}, "phone", "số di động Việt Nam gồm 10 chữ số"),
        ({"email": "khong-phai-email"}, "email", "Nhập địa chỉ email dạng"),
        ({"email": "a@" + "b" * 260 + ".vn"}, "email", "tối đa 254 ký tự"),
        ({"topic": ""}, "topic", "Chọn chủ đề"),
        ({"topic": "hack"}, "topic", "Chọn chủ đề trong danh sách"),
        ({"body": ""}, "body", "Nhập nội dung phản ánh"),
        ({"body": "ngắn"}, "body", "ít nhất 10 ký tự"),
        ({"body": "x" * 2001}, "body", "tối đa 2000 ký tự"),
        ({"body": "\x00\x01\x02"}, "body", "Nhập nội dung phản ánh"),
    ],
)
def test_feedback_bad_input(client, change, field, message):
    response = send_feedback(client, **change)
    assert response.status_code == 400
    soup = check_page(response)
    assert message in soup.select_one(f"#{field}-field .error-message").get_text()
    assert db.session.scalar(select(db.func.count(Feedback.id))) == 0


def test_feedback_keeps_hostile_text_as_text(client):
    body = "<script>alert('x')</script> và dấu ' \" ; -- cuối"
    send_feedback(client, body=body)
    number = db.session.scalar(select(Feedback.tracking_number))
    response = post_form(
        client, "/ho-tro/phan-anh/tra-cuu", tracking_number=number, phone="0912345678"
    )
    assert "<script>alert" not in response.get_data(as_text=True)
    assert body in check_page(response).select_one(".feedback-body").get_text()


@pytest.mark.parametrize(
    ("number", "phone", "field", "message"),
    [
        ("", "0912345678", "tracking_number", "Nhập số phản ánh"),
        ("XX123", "0912345678", "tracking_number", "Số phản ánh gồm PA và 12 chữ số"),
        ("PA" + "1" * 300, "0912345678", "tracking_number", "Số phản ánh gồm PA và 12 chữ số"),
        ("PA261125000000", "", "phone", "Nhập số điện thoại di động"),
    ],
)
def test_feedback_lookup_bad_input(client, number, phone, field, message):
    response = post_form(client, "/ho-tro/phan-anh/tra-cuu", tracking_number=number, phone=phone)
    assert response.status_code == 400
    assert message in check_page(response).select_one(f"#{field}-field").get_text()


def test_feedback_is_throttled_per_ip(app, client):
    app.config["FEEDBACK_LIMIT_PER_IP"] = "2 per hour"
    assert send_feedback(client, body="").status_code == 400  # a form sent back does not count
    assert [send_feedback(client).status_code for _ in range(3)] == [302, 302, 429]
