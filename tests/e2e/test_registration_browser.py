"""From "Đăng ký ngay" to a first sign-in, in Chromium against gunicorn.

A person declares form 01 on a phone and gets it as a PDF ready to print; an officer at a desk
finds the dossier with "Mở rộng" → "Tra cứu" (an HTMX swap that puts the search in the URL),
opens it by double-click, records it valid; the person signs in with the password of the SMS
and is made to change it. The seed (conftest.py) holds the officer and the registry's record
of the person.
"""

from __future__ import annotations

import re
import struct
import urllib.request
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.e2e.conftest import REPORT_CSP_VIOLATIONS, SCREENS

pytestmark = pytest.mark.browser

OFFICER = ("canbo.e2e", factories.OFFICER_PASSWORD)
REGISTRANT = {"full_name": "Ngô Thị Đăng Ký", "bhxh_code": "0123400077", "cccd": "001190000077"}
PHONE = "0961234077"
QUEUE = "/officer/ho-so-dk-gddt/ca-nhan"


def png(width: int = 64, height: int = 40) -> bytes:
    """A real PNG (a blue card shape), so the officer's page shows an image, not a broken one."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + b"\x0b\x53\x94" * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def wait_for_htmx(page) -> None:
    """Until no inline check is still on its way (htmx marks the element while it is)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")


def sms_password(server_url: str) -> str:
    """The first password, read as the person would read the SMS (the demo's /dev/outbox)."""
    with urllib.request.urlopen(f"{server_url}/dev/outbox?to={PHONE}", timeout=5) as response:  # noqa: S310
        text = response.read().decode()
    match = re.search(r"Mat khau: ([A-Za-z0-9]+)", text)
    assert match, "no SMS with a password in the outbox"
    return match.group(1)


@pytest.fixture
def desk(chromium, live_server, console_errors):
    """The officer's desktop browser (a context of its own: nothing shared with the phone)."""
    context = chromium.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1366, "height": 900},
    )
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on(
        "console",
        lambda m: console_errors.append(f"desk console: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda error: console_errors.append(f"desk pageerror: {error}"))
    yield page
    context.close()


def test_declare_find_with_mo_rong_open_by_double_click_approve_and_first_sign_in(
    page, desk, live_server, console_errors, screenshot, tmp_path
):
    # --- the person, on a phone: Đăng ký ngay → Cá nhân → form 01 → Ghi nhận ---------------
    page.goto("/login")
    page.get_by_role("link", name="Đăng ký ngay").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký sử dụng VssID")
    expect(page.get_by_label("Cá nhân")).to_be_checked()
    page.get_by_role("button", name="Tiếp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tờ khai mẫu 01")

    # a wrong code is told as soon as the person leaves the field (HTMX), before any submit
    page.get_by_label("Mã số BHXH").fill("01234")
    page.get_by_label("Họ và tên").focus()
    expect(page.locator("#bhxh_code-error")).to_contain_text("Mã số BHXH gồm đúng 10 chữ số")

    page.get_by_label("Họ và tên").fill(REGISTRANT["full_name"])
    page.get_by_label("Ngày sinh").fill("12/07/1990")
    page.get_by_label("Giới tính").select_option("2")
    page.get_by_label("Mã số BHXH").fill(REGISTRANT["bhxh_code"])
    page.get_by_label("Số giấy tờ tùy thân").fill(REGISTRANT["cccd"])
    page.get_by_label("Ngày cấp").fill("20/04/2021")
    page.get_by_label("Nơi cấp").fill("Cục Cảnh sát QLHC về TTXH")
    page.set_input_files(
        "#photo", files=[{"name": "cccd.png", "mimeType": "image/png", "buffer": png()}]
    )
    page.get_by_label("Địa chỉ liên hệ").fill("Số 7 phố Thử, phường Ba Đình, Hà Nội")
    page.get_by_label("Số điện thoại di động").fill(PHONE)
    # the province narrows the offices: the office select is swapped in by HTMX
    with page.expect_response(lambda r: "province=01" in r.url) as offices:
        page.get_by_label("Tỉnh/thành phố của cơ quan BHXH").select_option("01")
    assert offices.value.request.headers.get("hx-request") == "true"
    office = page.get_by_label("Cơ quan BHXH nơi nộp tờ khai")
    expect(office.locator("option", has_text="BHXH cơ sở Ba Đình")).to_have_count(1)
    expect(office.locator("option", has_text="Đà Nẵng")).to_have_count(0)
    office.select_option(label="BHXH cơ sở Ba Đình")
    wait_for_htmx(page)
    expect(page.locator("#bhxh_code-error")).to_have_count(0)
    page.get_by_role("button", name="Ghi nhận").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đã ghi nhận tờ khai")
    number = page.locator(".dossier-number").inner_text()
    assert re.fullmatch(r"HS\d{4}-\d{6}", number), number
    expect(page.locator("article.form01")).to_contain_text("Kính gửi: BHXH cơ sở Ba Đình")
    expect(page.get_by_role("button", name="In tờ khai mẫu 01")).to_be_visible()
    screenshot(page, "registration-declared")
    # form 01 as Chromium prints it: A4, only the form (the screen's panel and bars hidden)
    page.emulate_media(media="print")
    expect(page.locator(".screen-only")).to_be_hidden()
    expect(page.locator("header.topbar")).to_be_hidden()
    pdf = tmp_path / "form01.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 5_000
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    SCREENS.mkdir(parents=True, exist_ok=True)
    (SCREENS / "form01.pdf").write_bytes(data)
    screenshot(page, "form01-print")
    assert pages == 1, "form 01 should fit on one A4 page"
    page.emulate_media(media="screen")

    # --- the officer, at a desk: sign in, Hồ sơ ĐK GDĐT → Cá nhân, Mở rộng, Tra cứu ---------
    desk.goto("/officer/")
    desk.get_by_label("Tên đăng nhập").fill(OFFICER[0])
    desk.get_by_label("Mật khẩu").fill(OFFICER[1])
    desk.get_by_role("button", name="Đăng nhập").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(
        "Hồ sơ đăng ký giao dịch điện tử cá nhân"
    )
    desk.get_by_role("navigation", name="Menu nghiệp vụ").get_by_role(
        "link", name="Cá nhân"
    ).click()
    expect(desk.locator("tr.dossier-row", has_text=number)).to_have_count(1)
    assert desk.locator("tr.dossier-row").count() >= 3  # two seeded, one just declared
    desk.evaluate("() => { window.e2eMarker = 'still here'; }")
    search = desk.locator("form.search-form")
    expect(search).to_be_hidden()
    desk.get_by_text("Mở rộng", exact=True).click()
    expect(search).to_be_visible()
    search.get_by_label("Mã số BHXH").fill(REGISTRANT["bhxh_code"])
    search.get_by_label("Tình trạng").select_option("pending")
    with desk.expect_response(lambda r: urlsplit(r.url).path == QUEUE) as swap:
        search.get_by_role("button", name="Tra cứu").click()
    response = swap.value
    assert response.status == 200
    assert response.request.headers.get("hx-request") == "true", "Tra cứu is not an HTMX swap"
    assert "<html" not in response.text().lower(), "htmx got the whole page"
    expect(desk).to_have_url(re.compile(r"bhxh_code=" + REGISTRANT["bhxh_code"]))
    query = parse_qs(urlsplit(desk.url).query)
    assert query == {"bhxh_code": [REGISTRANT["bhxh_code"]], "assessment": ["pending"]}
    assert desk.evaluate("window.e2eMarker") == "still here", "the page was reloaded"
    rows = desk.locator("tr.dossier-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(number)
    expect(desk.get_by_role("heading", level=1)).to_have_count(1)
    screenshot(desk, "officer-queue")
    filtered = desk.url

    # the pushed URL, loaded by itself, is the full page with the same search and result
    desk.reload()
    assert desk.evaluate("window.e2eMarker") is None
    expect(desk.locator("tr.dossier-row")).to_have_count(1)
    expect(desk.locator("form.search-form").get_by_label("Mã số BHXH")).to_have_value(
        REGISTRANT["bhxh_code"]
    )

    # --- double-click on the row opens the detail; "Hồ sơ hợp lệ" + "Ghi nhận" ---------------
    desk.locator("tr.dossier-row").first.locator("td").nth(3).dblclick()
    expect(desk.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {number}")
    expect(desk.locator("img.id-photo")).to_be_visible()
    # visible is not loaded: wait until the browser is done with it (a broken image is too)
    desk.wait_for_function("() => document.querySelector('img.id-photo').complete")
    assert desk.locator("img.id-photo").evaluate("img => img.naturalWidth") == 64
    desk.get_by_label("Hồ sơ hợp lệ", exact=True).check()
    desk.get_by_role("button", name="Ghi nhận").click()
    expect(desk.locator(".flash-success")).to_contain_text("Cập nhật thành công")
    expect(desk.locator("table.log-table")).to_contain_text("Cán Bộ Kiểm Thử (canbo.e2e)")
    screenshot(desk, "officer-dossier-approved")

    # "Thoát" returns to the list with its search (no longer "not yet assessed": empty);
    # searching "Hợp lệ" finds it approved, and a right-click opens the dossier too
    desk.get_by_role("link", name="Thoát", exact=True).click()
    expect(desk).to_have_url(filtered)
    expect(desk.locator("main")).to_contain_text("Không có hồ sơ nào phù hợp")
    desk.locator("form.search-form").get_by_label("Tình trạng").select_option("valid")
    desk.locator("form.search-form").get_by_role("button", name="Tra cứu").click()
    expect(desk).to_have_url(re.compile(r"assessment=valid"))
    expect(desk.locator("tr.dossier-row")).to_have_count(1)
    expect(desk.locator("tr.dossier-row").first).to_contain_text("Đã duyệt")
    desk.locator("tr.dossier-row").first.locator("td").nth(2).click(button="right")
    expect(desk.get_by_role("heading", level=1)).to_have_text(f"Hồ sơ {number}")

    # --- the person signs in with the SMS password and must change it first -------------------
    password = sms_password(live_server.url)
    page.goto("/login")
    page.get_by_label("Mã số BHXH hoặc số CCCD").fill(REGISTRANT["bhxh_code"])
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/doi-mat-khau$"))
    expect(page.locator("main")).to_contain_text("cấp lần đầu")
    page.goto("/ca-nhan/the-bhyt")
    expect(page).to_have_url(re.compile(r"/doi-mat-khau$"))  # nothing else until it is changed
    screenshot(page, "first-sign-in-change-password")

    # the officer's session never opens the citizen side
    assert desk.request.get("/ca-nhan/", max_redirects=0).status == 403
    assert console_errors == []
