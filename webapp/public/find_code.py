"""P1 Tra cứu mã số BHXH: find one's code without an account, masked until the phone is proven.

The search is throttled per client address (FIND_CODE_LIMIT_PER_IP; only searches that ran
count, not forms sent back for a typo), every search is in the audit log, and an answer needs an
exact match of everything asked. What was found stays in the session for 15 minutes: the result
page, the SMS and the code entry read it there, never from the URL.
"""

from __future__ import annotations

import datetime as dt
import secrets

from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from webapp import throttling, verification
from webapp.extensions import db, limiter
from webapp.models import Person
from webapp.public import bp
from webapp.public.forms import FindCodeByBirthForm, FindCodeByIdForm
from webapp.services import code_finder
from webapp.services.text import mask
from webapp.web import clock

METHODS = {"ngay-sinh": _l("Name and date of birth"), "giay-to": _l("ID number and name")}
FOUND_KEY = "find_code"


def _method() -> str:
    method = request.args.get("cach", "ngay-sinh")
    return method if method in METHODS else "ngay-sinh"


def _form(method: str):
    return FindCodeByBirthForm() if method == "ngay-sinh" else FindCodeByIdForm()


def _search_page(form, method: str, status: int = 200, not_found: bool = False):
    page = render_template(
        "public/find_code.html", form=form, method=method, methods=METHODS, not_found=not_found
    )
    return make_response(page, status)


def _throttled():
    """Too many searches from this address: the form again, saying to wait."""
    method = _method()
    form = _form(method)
    form.form_errors.append(
        _("Too many searches from this connection. Please wait a while, or call the hotline.")
    )
    return _search_page(form, method, 429)


@bp.route("/tra-cuu-ma-so-bhxh", methods=["GET", "POST"])
def find_code():
    """Tra cứu mã số BHXH: by name + date of birth + province, or by ID number + name. Only an
    exact match answers; "not found" never says which part did not match."""
    method = _method()
    form = _form(method)
    if not form.is_submitted():
        return _search_page(form, method)
    if not form.validate():
        return _search_page(form, method, 400)
    if not throttling.spend_per_address("FIND_CODE_LIMIT_PER_IP"):
        return _throttled()
    if method == "ngay-sinh":
        person = code_finder.find_by_birth(
            form.full_name.data, form.date_of_birth.data, form.province.data
        )
    else:
        person = code_finder.find_by_id_number(form.id_number.data, form.full_name.data)
    now = clock().now()
    code_finder.record_search(person, now, method)
    db.session.commit()
    if person is None:
        session.pop(FOUND_KEY, None)
        return _search_page(form, method, not_found=True)
    session[FOUND_KEY] = {
        "person_id": person.id,
        "at": now.isoformat(),
        "proven": False,
        "browser": secrets.token_urlsafe(16),  # binds the phone proof to this search
    }
    return redirect(url_for("public.find_code_result"))


def _found() -> tuple[Person | None, dict]:
    """The person found by this browser's last search, while it is fresh."""
    found = session.get(FOUND_KEY) or {}
    if not found:
        return None, found
    if dt.datetime.fromisoformat(found["at"]) + code_finder.FOUND_VALID_FOR <= clock().now():
        session.pop(FOUND_KEY, None)
        return None, {}
    return db.session.get(Person, found["person_id"]), found


def _start_again():
    flash(_("Your search has ended. Please search again."), "info")
    return redirect(url_for("public.find_code"))


@bp.route("/tra-cuu-ma-so-bhxh/ket-qua")
def find_code_result():
    """The code found: masked ("01******89") until the registered phone is proven, then whole."""
    person, found = _found()
    if person is None:
        return _start_again()
    response = make_response(
        render_template(
            "public/find_code_result.html",
            person=person,
            proven=found.get("proven", False),
            code=person.bhxh_code
            if found.get("proven")
            else code_finder.masked_code(person.bhxh_code),
            masked_phone=mask(person.phone, 3, 3),
        )
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/tra-cuu-ma-so-bhxh/gui-otp", methods=["POST"])
@limiter.limit(lambda: current_app.config["OTP_LIMIT_PER_IP"])
def find_code_send():
    """Send the one-time code to the registered phone (60 s apart, 5 an hour per person)."""
    person, found = _found()
    if person is None:
        return _start_again()
    if not person.phone:
        return redirect(url_for("public.find_code_result"))
    sent = code_finder.send_code(
        person, found["browser"], clock().now(), current_app.config, str(get_locale())
    )
    if sent.challenge is None:
        flash(verification.cooldown_message(sent.retry_after), "info")
    else:
        db.session.commit()
        session[FOUND_KEY] = {**found, "code_sent": True}
    if not session[FOUND_KEY].get("code_sent"):
        return redirect(url_for("public.find_code_result"))
    return redirect(url_for("public.find_code_otp"))


@bp.route("/tra-cuu-ma-so-bhxh/otp", methods=["GET", "POST"])
@throttling.limit_posts("OTP_LIMIT_PER_IP")
def find_code_otp():
    """Enter the code sent by SMS; right, the whole BHXH code is shown."""
    person, found = _found()
    if person is None or not found.get("code_sent"):
        return _start_again()

    def check(code: str):
        verdict = code_finder.check_code(
            person.id, found["browser"], code, clock().now(), current_app.config["SECRET_KEY"]
        )
        db.session.commit()
        return verdict

    step = verification.submit(check)
    if step.ok:
        session[FOUND_KEY] = {**found, "proven": True}
        return redirect(url_for("public.find_code_result"))
    intro = verification.sent_by_sms(person.phone)
    return verification.page(
        step,
        _("Confirm your phone to see the whole code"),
        [intro],
        [(url_for("public.find_code_result"), _("Did not get the code? Ask for a new one"))],
    )
