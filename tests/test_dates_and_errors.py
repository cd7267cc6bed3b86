"""Dates typed as dd/mm/yyyy whatever the browser's language, and the error summary of every form.

A native date input shows mm/dd/yyyy in an English browser: every date of the app is a text box
with a visible "dd/mm/yyyy" hint and the numeric keypad, read strictly (an impossible or
month-first date is said to be one, by its field, with a 400), and shown again as typed. The
summary's invariants (announced, focusable, linking to the fields in the page's order) are
checked on every page by `check_page`; the browser side (focus) is in e2e/test_forms_browser.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask_wtf import FlaskForm

from tests.conftest import check_page
from tests.test_hostile_input import _form_classes
from tests.test_registration import declare, office, uploads  # noqa: F401 (fixtures)
from tests.test_security import post_form
from webapp.forms import NoSuchDate, NotADate, VietnameseDateField, parse_day_month_year

QUEUE = "/officer/ho-so-dk-gddt/ca-nhan"
NO_SUCH_DATE = "Không có ngày này: kiểm tra lại ngày (1 đến 31) và tháng (1 đến 12)"
FORMAT = "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 14/03/1985"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/03/1985", dt.date(1985, 3, 14)),
        (" 14/03/1985 ", dt.date(1985, 3, 14)),
        ("1/3/1985", dt.date(1985, 3, 1)),
        ("14-03-1985", dt.date(1985, 3, 14)),
        ("14.03.1985", dt.date(1985, 3, 14)),
        ("14031985", dt.date(1985, 3, 14)),  # all a phone's numeric keypad may offer
        ("29/02/2024", dt.date(2024, 2, 29)),
        ("31/02/2025", NoSuchDate),
        ("29/02/2023", NoSuchDate),
        ("1/13/2025", NoSuchDate),  # month first, as an American browser would have it
        ("00/01/2025", NoSuchDate),
        ("01/01/0000", NoSuchDate),
        ("2025-01-02", NotADate),  # what a native date input sends: not what people write
        ("14/03/85", NotADate),
        ("١٤/٠٣/١٩٨٥", NotADate),  # digits to Python, not to the form
        ("14/03/1985<script>", NotADate),
        ("14//03/1985", NotADate),
        ("", NotADate),
        ("hôm qua", NotADate),
    ],
)
def test_a_date_is_day_month_year(text, expected):
    if isinstance(expected, dt.date):
        assert parse_day_month_year(text) == expected
    else:
        with pytest.raises(expected):
            parse_day_month_year(text)


def test_no_form_of_the_app_renders_a_native_date_input(app):
    """A native date input follows the browser's language (mm/dd/yyyy in English): no field of
    any form renders one, and every date field tells its format."""
    date_fields = []
    with app.test_request_context():
        for form_class in _form_classes():
            form = form_class(formdata=None) if issubclass(form_class, FlaskForm) else form_class()
            for f in form:
                html = str(f())
                assert 'type="date"' not in html, (form_class.__name__, f.name)
                if isinstance(f, VietnameseDateField):
                    date_fields.append(f"{form_class.__name__}.{f.name}")
                    assert 'type="text"' in html and 'inputmode="numeric"' in html, html
                    assert f.description, f"{form_class.__name__}.{f.name} has no hint"
    assert sorted(date_fields) == [
        "DeclarationForm.date_of_birth",
        "DeclarationForm.id_issued_on",
        "FindCodeByBirthForm.date_of_birth",
        "QueueFilterForm.date_from",
        "QueueFilterForm.date_to",
    ]


def test_form_01_shows_its_dates_as_text_with_the_hint(client):
    soup = client.page("/dang-ky/ca-nhan")
    for name in ("date_of_birth", "id_issued_on"):
        box = soup.select_one(f"#{name}")
        assert box["type"] == "text" and box["inputmode"] == "numeric", box
        hint = soup.select_one(f"#{name}-hint")
        assert hint.get_text() == "Ngày/tháng/năm, ví dụ 14/03/1985"
        assert box["aria-describedby"] == f"{name}-hint"
    assert soup.select_one("#date_of_birth")["autocomplete"] == "bday"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2025", NO_SUCH_DATE),
        ("1/13/1990", NO_SUCH_DATE),
        ("1990-01-02", FORMAT),
        ("<b>14/03/1985</b>", FORMAT),
        ("14/03/1985\x00", FORMAT),
    ],
)
def test_form_01_keeps_a_wrong_date_as_typed_with_its_message(client, office, value, message):  # noqa: F811
    response = declare(client, office, date_of_birth=value)
    assert response.status_code == 400
    soup = check_page(response)
    assert message in soup.select_one("#date_of_birth-error").get_text()
    assert soup.select_one("#date_of_birth")["value"] == value.replace("\x00", "")
    assert soup.select_one("#date_of_birth")["aria-describedby"] == (
        "date_of_birth-hint date_of_birth-error"
    )
    assert "<b>14" not in response.get_data(as_text=True)


def test_form_01_takes_a_date_typed_without_separators(client, office):  # noqa: F811
    response = declare(client, office, date_of_birth="17051990", id_issued_on="1-6-2021")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_form_01_lists_its_errors_in_the_order_of_its_fields(client, office):  # noqa: F811
    empty = {
        name: ""
        for name in (
            "full_name",
            "date_of_birth",
            "gender",
            "bhxh_code",
            "id_number",
            "id_issued_on",
            "id_issued_place",
            "address",
            "phone",
            "office_id",
        )
    }
    response = declare(client, office, photo=None, **empty)
    assert response.status_code == 400
    soup = check_page(response)  # which also checks that the order is the page's
    summary = soup.select_one(".error-summary")
    assert summary["role"] == "alert" and summary["tabindex"] == "-1"
    links = [a["href"] for a in summary.select("a")]
    assert links == [
        "#full_name",
        "#date_of_birth",
        "#gender",
        "#bhxh_code",
        "#id_number",
        "#id_issued_on",
        "#id_issued_place",
        "#photo",  # shown with the ID document, before the contact fields
        "#address",
        "#phone",
        "#office_id",
    ]


def test_the_officer_search_takes_dates_as_text_and_keeps_them(officer):
    soup = officer.browser.page(f"{QUEUE}?date_from=01/10/2026&date_to=31%2F10%2F2026")
    assert soup.select_one("#date_from")["value"] == "01/10/2026"
    assert soup.select_one("#date_to")["value"] == "31/10/2026"
    assert soup.select_one("#date_from")["type"] == "text"
    assert soup.select_one("#date_from-hint").get_text() == "Ngày/tháng/năm"
    response = officer.browser.get(f"{QUEUE}?date_from=10/31/2026&date_to=2026-11-01")
    assert response.status_code == 400
    soup = check_page(response)
    assert NO_SUCH_DATE in soup.select_one("#date_from-error").get_text()
    assert FORMAT in soup.select_one("#date_to-error").get_text()
    assert soup.select_one("#date_from")["value"] == "10/31/2026"
    assert [a["href"] for a in soup.select(".error-summary a")] == ["#date_from", "#date_to"]


def test_find_my_code_refuses_a_month_first_date(client):
    response = post_form(
        client,
        "/tra-cuu-ma-so-bhxh?cach=ngay-sinh",
        full_name="Phạm Thị Thu Hà",
        date_of_birth="05/17/1990",
        province="01",
    )
    assert response.status_code == 400
    soup = check_page(response)
    assert NO_SUCH_DATE in soup.select_one("#date_of_birth-error").get_text()
    assert soup.select_one("#date_of_birth")["value"] == "05/17/1990"
    assert soup.select_one(".error-summary a[href='#date_of_birth']") is not None


def test_the_assistant_form_has_its_summary_in_the_swap(client):
    token = client.page("/ho-tro/tro-ly-ao").find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(
        "/ho-tro/tro-ly-ao",
        data={"question": "", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'class="error-summary" role="alert" tabindex="-1"' in body
    assert 'href="#question"' in body
