"""Tải PDF (C14): the participation history (one scheme or all) and a year of the medical book
as a PDF made here, with an embedded font that has every Vietnamese letter, the citizen's name
and code, the time it was made, and on every page a QR code (and its address in words) that
opens the verify page, which confirms the paper says what the database holds
(`services.record_documents`).

Written in the language of the interface: Vietnamese, or English (the font has no Korean,
Japanese or Chinese letters, so those readers get English, as they do for FAQ and SMS).
"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from flask import abort, current_app, request, send_file, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from fpdf import FPDF
from fpdf.fonts import FontFace

from webapp.citizen import bp
from webapp.labels import SCHEME_LABELS
from webapp.models.history import SCHEMES
from webapp.services import record_documents, records
from webapp.templating import format_date, format_datetime, format_money, format_number
from webapp.web import clock

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts"
PDF_LOCALES = ("vi", "en")
FONT = "DejaVu"


class RecordPdf(FPDF):
    """A4, the font embedded, and on every page's foot the QR code of the document's check."""

    def __init__(self, check_url: str, foot: str) -> None:
        super().__init__(format="A4")
        self.check_url = check_url
        self.foot = foot
        qr = segno.make(check_url, error="m")
        self.qr_png = io.BytesIO()
        qr.save(self.qr_png, kind="png", scale=4, border=2)
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=42)
        self.set_margins(15, 15, 15)

    def footer(self) -> None:
        top = self.h - 38
        self.qr_png.seek(0)
        self.image(self.qr_png, x=self.l_margin, y=top, w=30, h=30)
        self.set_xy(self.l_margin + 34, top)
        self.set_font(FONT, size=7.5)
        self.multi_cell(
            self.epw - 34,
            3.6,
            f"{self.foot}\n{self.check_url}\n"
            + _("Page %(num)d of %(total)s", num=self.page_no(), total="{nb}"),
        )


def _document_pdf(document: record_documents.Document, title: str) -> bytes:
    token = record_documents.token(document, current_app.config["SECRET_KEY"])
    check_url = url_for("public.verify_document", t=token, _external=True)
    foot = _("Check this document: scan the QR code, or open the address below.")
    pdf = RecordPdf(check_url, foot)
    pdf.set_title(title)
    pdf.set_author(_("Vietnam Social Security"))
    pdf.add_page()
    pdf.set_font(FONT, "B", 9)
    pdf.cell(0, 5, _("VIETNAM SOCIAL SECURITY"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    person = document.person
    for label, value in (
        (_("Full name"), person.full_name),
        (_("BHXH code"), person.bhxh_code),
        (_("Date of birth"), format_date(person.date_of_birth)),
        (_("Made on"), format_datetime(document.made_at)),
    ):
        pdf.cell(40, 6, f"{label}:")
        pdf.set_font(FONT, "B", 10)
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 10)
    pdf.ln(3)
    if document.kind == "history":
        _history_pages(pdf, document)
    else:
        _book_pages(pdf, document)
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)


def _table(pdf: FPDF, widths: tuple, heads: list[str], rows: list[list[str]], aligns: tuple):
    heading = FontFace(emphasis="BOLD", fill_color=(230, 236, 244))
    with pdf.table(
        col_widths=widths, text_align=aligns, headings_style=heading, line_height=5
    ) as table:
        row = table.row()
        for head in heads:
            row.cell(head)
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(value)
    pdf.ln(4)


def _duration(duration: records.Duration) -> str:
    return _("%(years)d years %(months)d months", years=duration.years, months=duration.months)


def _history_pages(pdf: FPDF, document: record_documents.Document) -> None:
    for history in document.histories or []:
        _heading(pdf, str(SCHEME_LABELS[history.scheme]))
        if not history.periods:
            pdf.multi_cell(0, 6, _("No participation in this scheme has been recorded yet."))
            pdf.ln(3)
            continue
        pdf.cell(0, 6, f"{_('Total participation time')}: {_duration(history.total)}")
        pdf.ln(7)
        rows = [
            [
                f"{line.start:%m/%Y} – {line.end:%m/%Y}"
                if line.end
                else f"{line.start:%m/%Y} – " + _("present"),
                line.unit or "—",
                line.occupation or "—",
                format_money(line.contribution_base),
                format_number(line.months),
            ]
            for line in history.periods
        ]
        heads = [_("Period"), _("Unit"), _("Occupation, position"), _("Contribution level")]
        _table(
            pdf,
            (30, 55, 45, 35, 15),
            [*heads, _("Months")],
            rows,
            ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT"),
        )


def _book_pages(pdf: FPDF, document: record_documents.Document) -> None:
    totals = document.totals
    _heading(pdf, _("Year %(year)s", year=totals.year))
    for label, value in (
        (_("Visits"), format_number(totals.visits)),
        (_("Total cost"), format_money(totals.total_cost)),
        (_("Paid by BHYT"), format_money(totals.bhyt_paid)),
        (_("Paid by the patient"), format_money(totals.patient_paid)),
    ):
        pdf.cell(45, 6, f"{label}:")
        pdf.cell(0, 6, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    if not document.visits:
        pdf.multi_cell(0, 6, _("No visit in this year."))
        return
    rows = [
        [
            format_date(v.admitted_on)
            + (f" – {format_date(v.discharged_on)}" if v.discharged_on != v.admitted_on else ""),
            f"{v.facility.code} – {v.facility.name}",
            f"{v.icd10} {v.diagnosis}",
            format_money(v.total_cost),
            format_money(v.bhyt_paid),
            format_money(v.patient_paid),
        ]
        for v in document.visits
    ]
    heads = [_("Dates"), _("Health facility"), _("Diagnosis (ICD-10)"), _("Total cost")]
    _table(
        pdf,
        (24, 44, 46, 22, 22, 22),
        [*heads, _("Paid by BHYT"), _("Paid by the patient")],
        rows,
        ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
    )


def _send(data: bytes, name: str):
    response = send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=name
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _pdf_locale() -> str:
    locale = str(get_locale() or "vi")
    return locale if locale in PDF_LOCALES else "en"


@bp.route("/qua-trinh-tham-gia/pdf")
def history_pdf():
    """The participation history as a PDF: one scheme (?scheme=bhxh…) or all (?scheme=all)."""
    scope = request.args.get("scheme", record_documents.ALL)
    if scope != record_documents.ALL and scope not in SCHEMES:
        abort(404)
    person = current_user.person
    document = record_documents.history(person, scope, clock().now())
    with force_locale(_pdf_locale()):
        if scope == record_documents.ALL:
            title = _("Insurance participation history")
        else:
            title = _("Participation in %(scheme)s", scheme=SCHEME_LABELS[scope])
        data = _document_pdf(document, title)
    return _send(data, f"qua-trinh-tham-gia-{person.bhxh_code}-{scope}.pdf")


@bp.route("/so-kham-chua-benh/<int:year>/pdf")
def medical_book_pdf(year: int):
    """One year of the medical book as a PDF."""
    if not records.FIRST_BOOK_YEAR <= year <= clock().today().year:
        abort(404)
    person = current_user.person
    document = record_documents.book(person, year, clock().now())
    with force_locale(_pdf_locale()):
        data = _document_pdf(document, _("Medical book %(year)s", year=year))
    return _send(data, f"so-kham-chua-benh-{person.bhxh_code}-{year}.pdf")
