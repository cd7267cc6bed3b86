"""Quá trình tham gia (C7), thông tin hưởng (C8), sổ khám chữa bệnh (C9): the citizen's own records,
and under /nguoi-than/<person> those a delegation shares.

Every query is filtered by the id of the person the page is about (`shared.subject`: the
signed-in citizen, or a grantor who shared that part); anything else answers 404, like a missing
page (a visit of someone else too), so one citizen can never reach another's records.
"""

from __future__ import annotations

from flask import abort, request
from flask_babel import lazy_gettext as _l

from webapp.citizen import bp
from webapp.citizen.shared import subject
from webapp.labels import SCHEME_LABELS
from webapp.models.history import SCHEMES
from webapp.services import records
from webapp.templating import render_page
from webapp.web import clock

# Group headings of the benefits page, in the seed's order (BENEFIT_KINDS).
BENEFIT_KIND_LABELS = {
    "one_time": _l("One-time social insurance benefit"),
    "short_term": _l("Sickness, maternity and convalescence benefits"),
    "monthly": _l("Monthly social insurance benefits (pension)"),
    "unemployment": _l("Unemployment benefits (BHTN)"),
}

REGIME_LABELS = {
    "sickness": _l("Sickness"),
    "maternity": _l("Maternity"),
    "convalescence": _l("Convalescence"),
    "pension": _l("Pension"),
    "lump_sum": _l("One-time social insurance"),
    "unemployment": _l("Unemployment allowance"),
}


@bp.route("/qua-trinh-tham-gia", defaults={"person_id": None})
@bp.route("/nguoi-than/<int:person_id>/qua-trinh-tham-gia")
def history(person_id: int | None):
    """Quá trình tham gia of one scheme (?scheme=bhxh|bhtn|bhtnld|bhyt): the periods with their
    unit, occupation, contribution level and months, and the total time contributed.

    The scheme tabs swap only the panel (HTMX) and push the URL, which loads the full page."""
    scheme = request.args.get("scheme", "bhxh")
    if scheme not in SCHEMES:
        abort(404)
    return render_page(
        "citizen/history.html",
        "citizen/_history_panel.html",
        history=records.participation(subject("history", person_id).id, scheme, clock().today()),
        scheme_labels=SCHEME_LABELS,
    )


@bp.route("/thong-tin-huong", defaults={"person_id": None})
@bp.route("/nguoi-than/<int:person_id>/thong-tin-huong")
def benefits(person_id: int | None):
    """Thông tin hưởng: a summary first (the pension in force, the unemployment benefit, the
    money of each group and of each year), then the seed's four groups, each folded away with
    its count and total and opened on demand (<details>: no script needed)."""
    today = clock().today()
    groups = records.benefits(subject("benefits", person_id).id, today)
    return render_page(
        "citizen/benefits.html",
        groups=groups,
        summary=records.benefit_summary(groups, today),
        kind_labels=BENEFIT_KIND_LABELS,
        regime_labels=REGIME_LABELS,
    )


@bp.route("/so-kham-chua-benh", defaults={"year": None, "person_id": None})
@bp.route("/so-kham-chua-benh/<int:year>", defaults={"person_id": None})
@bp.route("/nguoi-than/<int:person_id>/so-kham-chua-benh", defaults={"year": None})
@bp.route("/nguoi-than/<int:person_id>/so-kham-chua-benh/<int:year>")
def medical_book(year: int | None, person_id: int | None):
    """Sổ khám chữa bệnh of one year (by default the latest year with visits, else this year):
    the year's totals and its visits, each linking to its detail.

    The year links swap only the year panel (HTMX) and push /so-kham-chua-benh/<year>; a year
    with no visits shows an empty book, a year the book cannot have (1800, 9999) is not found."""
    person_id = subject("book", person_id).id
    today = clock().today()
    years = records.book_years(person_id)
    if year is None:
        year = years[0].year if years else today.year
    elif not records.is_book_year(year, today, years):
        abort(404)
    totals = next((t for t in years if t.year == year), records.YearTotals(year))
    nav_years = sorted({t.year for t in years} | {year}, reverse=True)
    return render_page(
        "citizen/medical_book.html",
        "citizen/_medical_book_year.html",
        year=year,
        totals=totals,
        nav_years=nav_years,
        has_visits=bool(years),
        visits=records.visits_of_year(person_id, year) if totals.visits else [],
    )


@bp.route("/so-kham-chua-benh/luot/<int:visit_id>", defaults={"person_id": None})
@bp.route("/nguoi-than/<int:person_id>/so-kham-chua-benh/luot/<int:visit_id>")
def visit(visit_id: int, person_id: int | None):
    """One visit of the medical book in full. Another person's visit is "not found", never
    "forbidden", so that its existence is not revealed."""
    found = records.visit(subject("book", person_id).id, visit_id)
    if found is None:
        abort(404)
    return render_page("citizen/visit.html", visit=found)
