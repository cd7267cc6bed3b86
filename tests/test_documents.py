"""Records as PDF (issue 16, C14): the participation history (one scheme or all) and a year of
the medical book, read back with a PDF reader and compared with the pages; the QR code on every
page, read back with a barcode reader, opens the verify page, which accepts a genuine document,
says when the records changed since, and refuses an altered one."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
import zxingcpp
from pypdf import PdfReader

from tests import factories
from webapp.extensions import db

HISTORY_PDF = "/ca-nhan/qua-trinh-tham-gia/pdf"


def pdf_text(response) -> tuple[str, PdfReader]:
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


def flat(text: str) -> str:
    return " ".join(text.split())


def qr_links(reader: PdfReader) -> list[str]:
    """The text of the QR code on each page, as a phone's camera reads it."""
    links = []
    for page in reader.pages:
        found = [
            result.text
            for image in page.images
            for result in zxingcpp.read_barcodes(image.image.convert("L"))
        ]
        assert len(found) == 1, found
        links.append(found[0])
    return links


@pytest.fixture
def records(citizen):
    for n, scheme in enumerate(("bhxh", "bhxh", "bhtn", "bhyt")):
        factories.period(
            citizen,
            scheme=scheme,
            start_month=dt.date(2010 + 3 * n, 1, 1),
            end_month=dt.date(2012 + 3 * n, 6, 1),
            occupation=f"Kỹ sư cầu đường bậc {n + 1}",
            contribution_base=4_250_000 + n * 1_000_000,
        )
    for month, cost in ((2, 1_250_000), (5, 333_000), (9, 7_654_321)):
        factories.visit(
            citizen,
            admitted_on=dt.date(2025, month, 3),
            total_cost=cost,
            diagnosis="Viêm phế quản cấp",
            icd10="J20.9",
        )
    db.session.commit()
    return citizen


def test_the_history_pdf_says_what_the_page_says(client, records):
    page = client.page("/ca-nhan/qua-trinh-tham-gia?scheme=bhxh")
    cells = [
        [" ".join(td.get_text().split()) for td in row.select("td")]
        for row in page.select(".records-table tbody tr")
    ]
    total = " ".join(page.select_one(".records-total").get_text().split())
    text, reader = pdf_text(client.get(f"{HISTORY_PDF}?scheme=bhxh"))
    text = flat(text)
    assert "BẢO HIỂM XÃ HỘI VIỆT NAM" in text and "Trần Văn Bình" in text  # diacritics kept
    assert records.bhxh_code in text and "Ngày lập: 25/11/2026 10:00" in text
    assert total in text
    assert len(cells) == 2
    for _period, _unit, occupation, level, months in cells:
        assert occupation in text and level in text, (occupation, level)
        assert re.search(rf"{re.escape(level)} {months}\b", text)
    assert "BHTN" not in text.split("Kiểm tra tài liệu")[0]  # one scheme only


def test_the_history_pdf_of_all_schemes_has_every_scheme(client, records):
    text, _reader = pdf_text(client.get(f"{HISTORY_PDF}?scheme=all"))
    text = flat(text)
    for occupation in ("bậc 1", "bậc 2", "bậc 3", "bậc 4"):  # two BHXH, one BHTN, one BHYT
        assert f"Kỹ sư cầu đường {occupation}" in text
    assert "BHXH Tổng thời gian" in text and "BHTN Tổng thời gian" in text
    assert "BHYT Tổng thời gian" in text
    assert "Chưa có thông tin quá trình tham gia" in text  # BHTNLĐ-BNN: nothing recorded


def test_the_medical_book_pdf_has_the_years_figures_as_the_page(client, records):
    page = client.page("/ca-nhan/so-kham-chua-benh/2025")
    totals = [" ".join(dd.get_text().split()) for dd in page.select(".book-totals dd")]
    text, _reader = pdf_text(client.get("/ca-nhan/so-kham-chua-benh/2025/pdf"))
    text = flat(text)
    assert "Sổ khám chữa bệnh năm 2025" in text
    for value in totals:
        assert value in text, value
    for cost in ("1.250.000 ₫", "333.000 ₫", "7.654.321 ₫"):
        assert cost in text
    assert text.count("J20.9 Viêm phế quản cấp") == 3


def test_in_english_when_the_interface_is_english(client, records):
    client.set_cookie("lang", "en")
    response = client.get("/ca-nhan/so-kham-chua-benh/2025/pdf", headers={"Accept-Language": "en"})
    text = flat(pdf_text(response)[0])
    assert "Medical book 2025" in text and "Paid by BHYT" in text and "Made on" in text
    assert "VIETNAM SOCIAL SECURITY" in text


def test_the_qr_on_every_page_opens_the_check_that_accepts_it(app, client, records):
    for n in range(60):  # enough periods for several pages
        factories.period(
            records,
            start_month=dt.date(1990 + n % 30, 1 + n % 12, 1),
            end_month=dt.date(1990 + n % 30, 1 + n % 12, 1),
            occupation=f"Việc số {n}",
        )
    db.session.commit()
    text, reader = pdf_text(client.get(f"{HISTORY_PDF}?scheme=all"))
    assert len(reader.pages) >= 3
    links = qr_links(reader)
    assert len(set(links)) == 1
    link = links[0]
    assert link.startswith("http://localhost/verify/tai-lieu?t=")
    assert link in flat(text).replace(" ", "") or link.replace(
        "http://localhost", ""
    ) in text.replace("\n", "")
    anonymous = app.test_client()  # a bank clerk's phone: nobody signed in
    soup = anonymous.page(link.replace("http://localhost", ""))
    result = soup.select_one(".verify-result").get_text(" ")
    assert "Tài liệu thật" in result and "Trần Văn Bình" in result
    assert records.bhxh_code not in result  # the code partly hidden
    # A visit added since: still ours, but no longer what the database holds.
    book = pdf_text(client.get("/ca-nhan/so-kham-chua-benh/2025/pdf"))[1]
    book_link = qr_links(book)[0].replace("http://localhost", "")
    assert "Tài liệu thật" in anonymous.page(book_link).get_text()
    factories.visit(records, admitted_on=dt.date(2025, 11, 1))
    db.session.commit()
    assert "dữ liệu đã thay đổi" in anonymous.page(book_link).get_text()


def test_an_altered_qr_is_refused(app, client, records):
    reader = pdf_text(client.get("/ca-nhan/so-kham-chua-benh/2025/pdf"))[1]
    link = qr_links(reader)[0].replace("http://localhost", "")
    token = link.split("t=", 1)[1]
    # The same claims, another year, signed with a key that is not ours.
    from itsdangerous import URLSafeSerializer

    from webapp.services import record_documents

    ours = URLSafeSerializer(
        app.config["SECRET_KEY"],
        salt=record_documents.SALT,
        signer_kwargs={"digest_method": hashlib.sha256},
    )
    claims = ours.loads(token)
    claims["s"] = "2024"
    forged = URLSafeSerializer(
        "a forger's key",
        salt=record_documents.SALT,
        signer_kwargs={"digest_method": hashlib.sha256},
    ).dumps(claims)
    flipped = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    for bad in (forged, flipped, token[:-2] + "xx", "", "x" * 5000, "%00"):
        response = app.test_client().get("/verify/tai-lieu", query_string={"t": bad})
        assert response.status_code == 400
        assert "Không phải tài liệu thật" in response.get_data(as_text=True)


def test_pdfs_are_the_citizens_own_and_refuse_what_does_not_exist(app, client, records, officer):
    assert client.get(f"{HISTORY_PDF}?scheme=passwords").status_code == 404
    assert client.get("/ca-nhan/so-kham-chua-benh/1800/pdf").status_code == 404
    assert client.get("/ca-nhan/so-kham-chua-benh/2999/pdf").status_code == 404
    assert officer.browser.get(f"{HISTORY_PDF}?scheme=all").status_code == 403
    anonymous = app.test_client().get("/ca-nhan/so-kham-chua-benh/2025/pdf")
    assert anonymous.status_code == 302
    other = factories.person(full_name="Lê Thị Khác")
    db.session.commit()
    text = flat(pdf_text(client.get(f"{HISTORY_PDF}?scheme=all"))[0])
    assert "Lê Thị Khác" not in text and other.bhxh_code not in text


def test_the_pages_offer_the_downloads(client, records):
    page = client.page("/ca-nhan/qua-trinh-tham-gia?scheme=bhtn")
    hrefs = [a["href"] for a in page.select(".pdf-links a")]
    assert hrefs == [f"{HISTORY_PDF}?scheme=bhtn", f"{HISTORY_PDF}?scheme=all"]
    assert page.select_one(".pdf-links a").get_text(strip=True) == "Tải PDF"
    book = client.page("/ca-nhan/so-kham-chua-benh/2025")
    assert book.select_one(".pdf-links a")["href"] == "/ca-nhan/so-kham-chua-benh/2025/pdf"
