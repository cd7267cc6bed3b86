"""C7 quá trình tham gia, C8 thông tin hưởng, C9 sổ khám chữa bệnh: what the citizen sees.

Each page is one URL: a scheme tab or a year link swaps only its panel (HTMX) and pushes a URL
that, loaded directly, gives the full page. A citizen only ever sees their own records.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import event

from tests import factories
from webapp.extensions import db
from webapp.services.records import distinct_months, month_index, period_months

NBSP = "\u00a0"
HISTORY = "/ca-nhan/qua-trinh-tham-gia"
BENEFITS = "/ca-nhan/thong-tin-huong"
BOOK = "/ca-nhan/so-kham-chua-benh"


def text_of(node) -> str:
    """What a reader sees in an element: its text with spaces collapsed (no-break spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", node.get_text(" ")).strip()


def rows(soup: BeautifulSoup, within: str = "") -> list[list[str]]:
    return [[text_of(td) for td in tr.find_all("td")] for tr in soup.select(f"{within} tbody tr")]


def facts(node) -> dict[str, str]:
    """A definition list as the reader pairs it: term → value."""
    terms = [text_of(d) for d in node.select("dl dt")]
    values = [text_of(d) for d in node.select("dl dd")]
    return dict(zip(terms, values, strict=True))


def fragment(response) -> BeautifulSoup:
    """An HTMX answer: a fragment, never a page, and marked as varying by HX-Request."""
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    body = response.get_data(as_text=True)
    assert "<html" not in body and "<body" not in body and "<h1" not in body
    return BeautifulSoup(body, "html.parser")


# ---- C7: quá trình tham gia -------------------------------------------------------------------


def test_months_are_inclusive_and_overlaps_count_once():
    jan_2015, dec_2019 = dt.date(2015, 1, 1), dt.date(2019, 12, 1)
    assert period_months(jan_2015, dec_2019, dt.date(2026, 11, 25)) == (
        month_index(jan_2015),
        month_index(dec_2019),
    )
    assert period_months(dt.date(2026, 1, 1), None, dt.date(2026, 11, 25)) == (
        month_index(dt.date(2026, 1, 1)),
        month_index(dt.date(2026, 11, 1)),
    )
    assert period_months(dt.date(2027, 1, 1), None, dt.date(2026, 11, 25)) is None
    assert distinct_months([(0, 59), (53, 62)]) == 63
    assert distinct_months([(10, 20), (0, 100), (50, 60)]) == 101
    assert distinct_months([(0, 0), (2, 2)]) == 2
    assert distinct_months([]) == 0


def test_history_shows_each_period_newest_first_and_the_total(client, citizen):
    company = factories.employer(name="Công ty CP Sông Hồng")
    factories.period(
        citizen,
        start_month=dt.date(2015, 1, 1),
        end_month=dt.date(2019, 12, 1),
        employer_id=company.id,
        occupation="Kế toán viên",
        contribution_base=5_000_000,
    )
    factories.period(
        citizen,
        start_month=dt.date(2020, 1, 1),
        end_month=dt.date(2021, 6, 1),
        unit_label="Tự nguyện",
        occupation=None,
        contribution_base=1_500_000,
    )
    db.session.commit()

    soup = client.page(HISTORY)

    assert text_of(soup.h1) == "Quá trình tham gia BH"
    assert soup.title.get_text().startswith("Quá trình tham gia BH")
    assert rows(soup) == [
        ["01/2020 – 06/2021", "Tự nguyện", "—", f"1.500.000{NBSP}₫", "18"],
        ["01/2015 – 12/2019", "Công ty CP Sông Hồng", "Kế toán viên", f"5.000.000{NBSP}₫", "60"],
    ]
    assert "Tổng thời gian tham gia: 6 năm 6 tháng" in text_of(soup.find("tfoot"))
    assert "chỉ được tính một lần" not in soup.get_text()


def test_overlapping_periods_in_one_scheme_are_not_counted_twice(client, citizen):
    factories.period(citizen, start_month=dt.date(2015, 1, 1), end_month=dt.date(2019, 12, 1))
    factories.period(citizen, start_month=dt.date(2019, 6, 1), end_month=dt.date(2020, 3, 1))
    db.session.commit()

    soup = client.page(HISTORY)

    assert [row[-1] for row in rows(soup)] == ["10", "60"]  # each period keeps its own months
    # 01/2015–03/2020 is 63 distinct months, not 70
    assert "Tổng thời gian tham gia: 5 năm 3 tháng" in text_of(soup)
    assert "Những tháng nằm trong nhiều giai đoạn chồng nhau chỉ được tính một lần." in text_of(
        soup
    )


def test_an_ongoing_period_counts_up_to_this_month(client, citizen, clock):
    factories.period(
        citizen, start_month=dt.date(2026, 1, 1), end_month=None, unit_label="Tự nguyện"
    )
    db.session.commit()

    soup = client.page(HISTORY)
    assert rows(soup)[0][0] == "01/2026 – nay"
    assert rows(soup)[0][-1] == "11"
    assert "Tổng thời gian tham gia: 0 năm 11 tháng" in text_of(soup)

    # 31/12/2026 20:00 UTC is already 1 January 2027 in Hà Nội
    clock.set(dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC))
    assert "Tổng thời gian tham gia: 1 năm 1 tháng" in text_of(client.page(HISTORY))

    clock.set(dt.datetime(2027, 2, 10, 3, 0, tzinfo=dt.UTC))
    assert "Tổng thời gian tham gia: 1 năm 2 tháng" in text_of(client.page(HISTORY))


def test_each_scheme_has_its_own_tab_and_periods(client, citizen):
    factories.period(citizen, scheme="bhxh", occupation="Nghề đóng BHXH")
    factories.period(
        citizen, scheme="bhtn", occupation="Nghề đóng BHTN", start_month=dt.date(2018, 1, 1)
    )
    db.session.commit()

    soup = client.page(HISTORY)
    tabs = soup.select("#history-panel .tabs a")
    assert [text_of(a) for a in tabs] == ["BHXH", "BHTN", "BHTNLĐ-BNN", "BHYT"]
    for a, scheme in zip(tabs, ["bhxh", "bhtn", "bhtnld", "bhyt"], strict=True):
        assert a["href"] == a["hx-get"] == f"{HISTORY}?scheme={scheme}"
        assert a["hx-push-url"] == "true"
    assert [a.get("aria-current") for a in tabs] == ["page", None, None, None]
    panel = soup.find(id="history-panel")
    assert panel["hx-target"] == "this" and panel["hx-swap"] == "outerHTML"
    assert "Nghề đóng BHXH" in text_of(soup) and "Nghề đóng BHTN" not in text_of(soup)

    soup = client.page(f"{HISTORY}?scheme=bhtn")
    assert "Nghề đóng BHTN" in text_of(soup) and "Nghề đóng BHXH" not in text_of(soup)
    assert "Tổng thời gian tham gia: 2 năm 0 tháng" in text_of(soup)
    assert soup.select_one(".tabs a[aria-current=page]")["href"] == f"{HISTORY}?scheme=bhtn"


def test_switching_scheme_swaps_only_the_panel_and_the_pushed_url_is_a_full_page(client, citizen):
    factories.period(
        citizen, scheme="bhyt", unit_label="Hộ gia đình", start_month=dt.date(2024, 1, 1)
    )
    db.session.commit()

    part = fragment(client.htmx(f"{HISTORY}?scheme=bhyt"))
    top = [tag for tag in part.contents if tag.name]
    assert len(top) == 1 and top[0]["id"] == "history-panel"
    assert "Hộ gia đình" in text_of(part)
    assert part.select_one(".tabs a[aria-current=page]")["href"] == f"{HISTORY}?scheme=bhyt"

    response = client.get(f"{HISTORY}?scheme=bhyt")
    assert "HX-Request" in response.headers["Vary"]
    soup = client.page(f"{HISTORY}?scheme=bhyt")
    assert text_of(soup.h1) == "Quá trình tham gia BH"
    assert "Hộ gia đình" in text_of(soup.find(id="history-panel"))


def test_back_after_a_swap_restores_the_full_page(client, citizen):
    response = client.htmx(HISTORY, headers={"HX-History-Restore-Request": "true"})
    assert "<h1" in response.get_data(as_text=True)


def test_a_scheme_with_no_periods_says_so(client, citizen):
    soup = client.page(f"{HISTORY}?scheme=bhtnld")
    assert "Chưa có thông tin quá trình tham gia loại hình bảo hiểm này." in text_of(soup)
    assert soup.find("table") is None


@pytest.mark.parametrize("scheme", ["xyz", "BHXH", "", "bhxh'--"])
def test_an_unknown_scheme_is_not_found(client, citizen, scheme):
    client.page(f"{HISTORY}?scheme={scheme}", status=404)
    assert client.htmx(f"{HISTORY}?scheme={scheme}").status_code == 404


def test_scheme_names_and_totals_in_english(client, citizen):
    factories.period(citizen, start_month=dt.date(2020, 1, 1), end_month=dt.date(2021, 1, 1))
    db.session.commit()
    client.set_cookie("lang", "en")
    soup = client.page(HISTORY)
    assert "Total participation time: 1 year 1 month" in text_of(soup)
    assert text_of(soup.h1) == "Insurance participation"
    assert [text_of(a) for a in soup.select(".tabs a")] == [
        "Social insurance (BHXH)",
        "Unemployment insurance (BHTN)",
        "Occupational accident and disease insurance (BHTNLĐ-BNN)",
        "Health insurance (BHYT)",
    ]


# ---- C8: thông tin hưởng ----------------------------------------------------------------------


def test_benefits_are_grouped_in_the_seed_order_with_totals(client, citizen):
    factories.benefit(citizen, kind="short_term", regime="sickness", amount=1_500_000, days=5)
    factories.benefit(
        citizen,
        kind="short_term",
        regime="maternity",
        amount=2_345_678,
        days=180,
        decided_on=dt.date(2025, 3, 1),
        period_from=dt.date(2024, 9, 1),
        period_to=dt.date(2025, 2, 28),
        paid_on=dt.date(2025, 3, 15),
    )
    factories.benefit(
        citizen,
        kind="unemployment",
        regime="unemployment",
        amount=12_000_000,
        days=None,
        decided_on=dt.date(2023, 2, 1),
        period_from=dt.date(2023, 2, 1),
        period_to=dt.date(2023, 5, 31),
        paid_on=None,
    )
    db.session.commit()

    soup = client.page(BENEFITS)

    assert text_of(soup.h1) == "Thông tin hưởng"
    assert [text_of(h2) for h2 in soup.select("main h2")] == [
        "Tóm tắt",  # the summary first (its own tests: test_navigation.py)
        "Chế độ BHXH một lần",
        "Chế độ ốm đau, thai sản, dưỡng sức phục hồi sức khỏe",
        "Chế độ BHXH hàng tháng",
        "Chế độ bảo hiểm thất nghiệp",
    ]
    assert "Chưa có thông tin." in text_of(soup.find(id="benefits-one_time"))
    assert "Chưa có thông tin." in text_of(soup.find(id="benefits-monthly"))

    short = soup.find(id="benefits-short_term")
    assert rows(short) == [
        [
            "Thai sản",
            "01/09/2024 – 28/02/2025",
            "180",
            f"2.345.678{NBSP}₫",
            "01/03/2025",
            "15/03/2025",
        ],
        ["Ốm đau", "01/04/2024 – 05/04/2024", "5", f"1.500.000{NBSP}₫", "02/05/2024", "10/05/2024"],
    ]
    assert f"Tổng số tiền đã hưởng: 3.845.678{NBSP}₫" in text_of(short)

    unemployment = soup.find(id="benefits-unemployment")
    assert rows(unemployment) == [
        ["01/02/2023 – 31/05/2023", "—", f"12.000.000{NBSP}₫", "01/02/2023", "Chưa chi trả"],
    ]
    assert f"Tổng số tiền đã hưởng: 12.000.000{NBSP}₫" in text_of(unemployment)


def test_one_time_benefit_total(client, citizen):
    factories.benefit(citizen, kind="one_time", regime="lump_sum", amount=98_765_432, days=None)
    db.session.commit()
    group = client.page(BENEFITS).find(id="benefits-one_time")
    assert f"98.765.432{NBSP}₫" in rows(group)[0]
    assert f"Tổng số tiền đã hưởng: 98.765.432{NBSP}₫" in text_of(group)


def test_a_pension_shows_the_monthly_amount_in_force(client, citizen, clock):
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
    factories.benefit(
        citizen,
        kind="monthly",
        regime="pension",
        amount=5_500_000,
        days=None,
        decided_on=dt.date(2023, 12, 1),
        period_from=dt.date(2024, 1, 1),
        period_to=dt.date(2024, 12, 31),
    )
    db.session.commit()

    group = client.page(BENEFITS).find(id="benefits-monthly")
    assert [row[:2] for row in rows(group)] == [
        ["Lương hưu", "01/01/2025 – nay"],
        ["Lương hưu", "01/01/2024 – 31/12/2024"],
    ]
    assert f"Mức hưởng hằng tháng hiện tại: 6.000.000{NBSP}₫" in text_of(group)

    clock.set(dt.datetime(2024, 6, 1, 3, 0, tzinfo=dt.UTC))
    group = client.page(BENEFITS).find(id="benefits-monthly")
    assert f"Mức hưởng hằng tháng hiện tại: 5.500.000{NBSP}₫" in text_of(group)


# ---- C9: sổ khám chữa bệnh --------------------------------------------------------------------


@pytest.fixture
def book(citizen):
    """Two visits in 2025 and one in 2024."""
    hospital = factories.facility(name="Bệnh viện Bạch Mai")
    clinic = factories.facility(name="Trạm Y tế phường Ba Đình")
    stay = factories.visit(
        citizen,
        facility_id=hospital.id,
        admitted_on=dt.date(2025, 3, 2),
        discharged_on=dt.date(2025, 3, 9),
        inpatient=True,
        icd10="K35.8",
        diagnosis="Viêm ruột thừa cấp",
        total_cost=12_500_000,
        bhyt_paid=10_000_000,
        patient_paid=2_500_000,
    )
    factories.visit(
        citizen,
        facility_id=clinic.id,
        admitted_on=dt.date(2025, 10, 20),
        icd10="J06.9",
        diagnosis="Viêm họng cấp",
        total_cost=350_000,
        bhyt_paid=280_000,
        patient_paid=70_000,
    )
    factories.visit(
        citizen,
        facility_id=clinic.id,
        admitted_on=dt.date(2024, 12, 31),
        icd10="I10",
        diagnosis="Tăng huyết áp vô căn",
        total_cost=200_000,
        bhyt_paid=160_000,
        patient_paid=40_000,
    )
    db.session.commit()
    return stay


def test_the_book_opens_at_the_latest_year_with_its_totals_and_visits(client, book):
    soup = client.page(BOOK)

    assert text_of(soup.h1) == "Sổ khám chữa bệnh"
    panel = soup.find(id="medical-book-year")
    assert text_of(panel.h2) == "Năm 2025"
    assert facts(panel) == {
        "Số lượt khám": "2",
        "Tổng chi phí": f"12.850.000{NBSP}₫",
        "BHYT chi trả": f"10.280.000{NBSP}₫",
        "Người bệnh chi trả": f"2.570.000{NBSP}₫",
    }
    assert rows(panel) == [
        [
            "20/10/2025 Ngoại trú",
            "Trạm Y tế phường Ba Đình",
            "J06.9 Viêm họng cấp",
            f"350.000{NBSP}₫",
            f"280.000{NBSP}₫",
            f"70.000{NBSP}₫",
        ],
        [
            "02/03/2025 – 09/03/2025 Nội trú",
            "Bệnh viện Bạch Mai",
            "K35.8 Viêm ruột thừa cấp",
            f"12.500.000{NBSP}₫",
            f"10.000.000{NBSP}₫",
            f"2.500.000{NBSP}₫",
        ],
    ]
    assert "Tăng huyết áp vô căn" not in text_of(soup)
    assert soup.select_one("tbody tr:nth-of-type(2) a")["href"] == f"{BOOK}/luot/{book.id}"


def test_year_links_swap_the_year_panel_and_push_a_loadable_url(client, book):
    soup = client.page(BOOK)
    links = soup.select("#medical-book-year .tabs a")
    assert [text_of(a) for a in links] == ["2025", "2024"]
    assert [(a["href"], a["hx-get"], a["hx-push-url"]) for a in links] == [
        (f"{BOOK}/2025", f"{BOOK}/2025", "true"),
        (f"{BOOK}/2024", f"{BOOK}/2024", "true"),
    ]
    panel = soup.find(id="medical-book-year")
    assert panel["hx-target"] == "this" and panel["hx-swap"] == "outerHTML"

    part = fragment(client.htmx(f"{BOOK}/2024"))
    top = [tag for tag in part.contents if tag.name]
    assert len(top) == 1 and top[0]["id"] == "medical-book-year"
    assert text_of(part.h2) == "Năm 2024"
    assert "Tăng huyết áp vô căn" in text_of(part) and "Viêm họng cấp" not in text_of(part)
    assert f"Tổng chi phí 200.000{NBSP}₫" in text_of(part)
    assert part.select_one(".tabs a[aria-current=page]")["href"] == f"{BOOK}/2024"

    assert "HX-Request" in client.get(f"{BOOK}/2024").headers["Vary"]
    soup = client.page(f"{BOOK}/2024")
    assert text_of(soup.h1) == "Sổ khám chữa bệnh"
    assert "Tăng huyết áp vô căn" in text_of(soup.find(id="medical-book-year"))


def test_a_year_without_visits_shows_an_empty_book(client, book):
    soup = client.page(f"{BOOK}/2023")
    panel = soup.find(id="medical-book-year")
    assert text_of(panel.h2) == "Năm 2023"
    assert "Không có lượt khám chữa bệnh nào được BHYT chi trả trong năm 2023." in text_of(panel)
    assert panel.find("table") is None
    assert [text_of(a) for a in panel.select(".tabs a")] == ["2025", "2024", "2023"]


@pytest.mark.parametrize("year", [0, 1800, 1991, 2027, 9999, 123456789012345678901234567890])
def test_a_year_the_book_cannot_have_is_not_found(client, citizen, year):
    client.page(f"{BOOK}/{year}", status=404)
    assert client.htmx(f"{BOOK}/{year}").status_code == 404


@pytest.mark.parametrize("path", ["-1", "abc", "2025.0"])
def test_a_year_that_is_not_a_number_is_not_found(client, citizen, path):
    assert client.get(f"{BOOK}/{path}").status_code == 404


def test_a_book_without_visits_opens_at_this_year(client, citizen):
    soup = client.page(BOOK)
    panel = soup.find(id="medical-book-year")
    assert text_of(panel.h2) == "Năm 2026"
    assert "Chưa có lượt khám chữa bệnh BHYT nào." in text_of(panel)
    assert panel.find("nav") is None


def test_a_visit_has_a_page_of_its_own(client, book):
    soup = client.page(f"{BOOK}/luot/{book.id}")
    assert text_of(soup.h1) == "Lượt khám chữa bệnh 02/03/2025"
    shown = facts(soup)
    assert shown["Hình thức"] == "Nội trú"
    assert shown["Ngày vào"] == "02/03/2025"
    assert shown["Ngày ra"] == "09/03/2025"
    assert shown["Mã bệnh (ICD-10)"] == "K35.8"
    assert shown["Chẩn đoán"] == "Viêm ruột thừa cấp"
    assert shown["Tổng chi phí"] == f"12.500.000{NBSP}₫"
    assert shown["BHYT chi trả"] == f"10.000.000{NBSP}₫"
    assert shown["Người bệnh chi trả"] == f"2.500.000{NBSP}₫"
    assert text_of(soup.find(id="visit-facility")) == "Bệnh viện Bạch Mai"
    assert soup.select_one(".records-back a")["href"] == f"{BOOK}/2025"


def test_another_persons_visit_is_not_found_not_forbidden(client, citizen, other_citizen):
    from webapp.models import MedicalVisit

    theirs = db.session.scalars(
        db.select(MedicalVisit.id).where(MedicalVisit.person_id == other_citizen.id)
    ).one()
    response = client.get(f"{BOOK}/luot/{theirs}")
    assert response.status_code == 404
    assert "Bệnh riêng của người khác" not in response.get_data(as_text=True)
    assert client.get(f"{BOOK}/luot/{theirs + 1000}").status_code == 404


def test_the_book_costs_the_same_few_queries_for_5_or_50_visits(app, client, citizen):
    hospital = factories.facility()

    def add_visits(n: int) -> None:
        for i in range(n):
            factories.visit(
                citizen,
                facility_id=factories.facility().id if i % 2 else hospital.id,
                admitted_on=dt.date(2025 - i % 3, 1 + i % 12, 1 + i % 28),
            )
        db.session.commit()

    def count_queries(url: str) -> int:
        statements: list[str] = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
        return len(statements)

    add_visits(5)
    few = count_queries(BOOK), count_queries(f"{BOOK}/2024")
    add_visits(45)
    many = count_queries(BOOK), count_queries(f"{BOOK}/2024")
    assert few == many
    assert max(many) <= 8


# ---- One citizen never sees another's records -------------------------------------------------


OTHERS = ("Nghề riêng của người khác", "Bệnh riêng của người khác", "7.777.777", "Lê Thị Hoa")


@pytest.mark.parametrize(
    "url",
    [
        HISTORY,
        f"{HISTORY}?scheme=bhxh&person_id=1",
        f"{HISTORY}?person_id=2",
        BENEFITS,
        f"{BENEFITS}?person_id=2",
        BOOK,
        f"{BOOK}/2025",
        f"{BOOK}/2025?person_id=2",
    ],
)
def test_another_citizens_records_never_appear(client, citizen, other_citizen, url):
    for get in (client.get, client.htmx):
        body = get(url).get_data(as_text=True)
        for theirs in OTHERS:
            assert theirs not in body, (url, theirs)


def test_a_citizen_with_no_records_sees_empty_states(client, citizen, other_citizen):
    soup = client.page(HISTORY)
    assert "Chưa có thông tin quá trình tham gia loại hình bảo hiểm này." in text_of(soup)
    assert "Tổng thời gian tham gia" not in text_of(soup)

    soup = client.page(BENEFITS)
    assert [text_of(p) for p in soup.select(".records-empty")] == [
        "Chưa có chế độ nào được ghi nhận.",  # the summary
        *["Chưa có thông tin."] * 4,
    ]
    assert "Tổng số tiền đã hưởng" not in text_of(soup)

    soup = client.page(f"{BOOK}/2025")  # the year the other citizen has a visit in
    assert "Chưa có lượt khám chữa bệnh BHYT nào." in text_of(soup)


@pytest.mark.parametrize("url", [HISTORY, BENEFITS, BOOK, f"{BOOK}/2025", f"{BOOK}/luot/1"])
def test_records_need_a_signed_in_citizen(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", [HISTORY, BENEFITS, BOOK])
def test_records_are_private_and_vary_by_htmx(client, citizen, url):
    response = client.get(url)
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "HX-Request" in response.headers["Vary"]
