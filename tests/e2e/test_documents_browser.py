"""Records as PDF in Chromium (issue 16): "Tải PDF" on the participation history and on a year
of the medical book downloads a PDF whose text is the page's, and whose QR code opens the check
that says the document is genuine."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.e2e.test_citizen_browser import sign_in

pytestmark = pytest.mark.browser


def download(page, link) -> PdfReader:
    with page.expect_download() as info:
        link.click()
    path = info.value.path()
    assert info.value.suggested_filename.endswith(".pdf")
    with open(path, "rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def test_history_and_medical_book_download_as_pdf(page, live_server, screenshot):
    citizen = live_server.citizen
    sign_in(page, citizen)
    page.goto("/ca-nhan/qua-trinh-tham-gia?scheme=bhxh")
    links = page.locator(".pdf-links a")
    expect(links.first).to_have_text("Tải PDF")
    screenshot(page, "documents-history-links")
    reader = download(page, links.first)
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert citizen.full_name in text and citizen.bhxh_code in text
    assert "Kế toán viên" in text  # the period of the seed, as the page lists it

    page.goto("/ca-nhan/so-kham-chua-benh/2025")
    reader = download(page, page.get_by_role("link", name="Tải PDF năm 2025"))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Sổ khám chữa bệnh năm 2025" in text and citizen.visits["2025"] in text
    image = reader.pages[0].images[0].image.convert("L")
    link = zxingcpp.read_barcodes(image)[0].text
    assert re.match(rf"{re.escape(live_server.url)}/verify/tai-lieu\?t=", link), link
    check = page.context.new_page()
    check.goto(link)
    expect(check.locator(".verify-result")).to_contain_text("Tài liệu thật")
    screenshot(check, "documents-verified")
    check.close()
