"""The officer's pages (seed appendix 02): sign in, "Hồ sơ ĐK GDĐT" → "Cá nhân" (the queue and
its search), a dossier's detail with its photo, assessment, confirmation and audit log."""

from __future__ import annotations

import re

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from webapp import throttling
from webapp.extensions import db
from webapp.labels import STATE_LABELS
from webapp.models import Officer, Person, RegistrationDossier
from webapp.officer import bp
from webapp.officer import passkeys as officer_passkeys
from webapp.officer.auth import OfficerUser
from webapp.officer.forms import (
    AssessForm,
    ConfirmForm,
    OfficerLoginForm,
    PhotoForm,
    QueueFilterForm,
)
from webapp.parsing import parse_int
from webapp.security import CLEAR_SITE_DATA, FILE_POLICY
from webapp.services import access_log, officer_sessions, passkeys, registration, review
from webapp.services.registry import household_registry
from webapp.services.text import mask
from webapp.templating import RememberedFragment, format_datetime, render_page
from webapp.web import clock, safe_next, whole_page_redirect

MAX_PAGE = 5000
FILTER_KEYS = ("number", "bhxh_code", "date_from", "date_to", "assessment", "state", "kind")

EVENT_LABELS = {
    "dossier_declared": _l("Declared: form 01 recorded"),
    "dossier_change_requested": _l("Change of information requested by the citizen"),
    "dossier_photo_replaced": _l("Photo replaced"),
    "dossier_approved": _l("Assessed valid: account issued, SMS sent"),
    "dossier_no_code": _l("Assessed valid: BHXH code not in the HGĐ system, no account"),
    "dossier_rejected": _l("Assessed invalid: refused, SMS sent with the reason"),
    "dossier_change_applied": _l("Change of information confirmed and applied"),
    "dossier_closed_duplicate": _l(
        "Closed: another declaration for this BHXH code was already waiting"
    ),
}
ACTOR_LABELS = {
    "anonymous": _l("Declarant"),
    "citizen": _l("The citizen (signed in)"),
    "system": _l("System"),
}


# --- who may come in ------------------------------------------------------------------------------


def _is_officer() -> bool:
    return bool(getattr(current_user, "is_officer", False))


def _to_login():
    return whole_page_redirect(url_for("officer.login", next=request.full_path.rstrip("?")))


# Why the sign-in page is shown again, when the session ended on the server.
ENDED_MESSAGES = {
    officer_sessions.Ended.EXPIRED: _l("Your session has ended: please sign in again."),
    officer_sessions.Ended.PASSWORD_CHANGED: _l(
        "Your password was changed, so you were signed out: sign in with the new one."
    ),
}


# The pages before a session exists: the password, then (if required) the passkey.
SIGN_IN_STEPS = frozenset(
    {
        "officer.login",
        "officer.second_factor",
        "officer.second_factor_options",
        "officer.second_factor_check",
    }
)


@bp.before_request
def officers_only():
    """Every page but the sign-in needs a signed-in officer; a citizen's session is refused
    everywhere here, the sign-in page included. An officer's session lasts a working day, and
    ends on the server (webapp.services.officer_sessions)."""
    if current_user.is_authenticated and not _is_officer():
        abort(403)
    if request.endpoint in SIGN_IN_STEPS:
        return None
    if not current_user.is_authenticated:
        message = ENDED_MESSAGES.get(g.get("officer_session_ended"))
        flash(str(message) if message else _("Please sign in to continue."), "info")
        return _to_login()
    g.officer = current_user.officer
    return None


@bp.after_app_request
def forget_ended_officer_session(response):
    """A browser whose officer session ended on the server drops the dead session id and
    everything it kept of the back-office."""
    if g.get("officer_session_ended"):
        response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
        session.pop("_user_id", None)
    return response


@bp.after_request
def private_pages(response):
    """Dossiers are personal data: no cache keeps them, no search engine lists them."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.before_app_request
def officers_start_in_the_back_office():
    """The start page (the logo's link) takes a signed-in officer to the queue, not to the
    citizen side (which refuses officers)."""
    if request.endpoint == "public.index" and _is_officer():
        return redirect(url_for("officer.queue"))
    return None


# --- signing in and out ---------------------------------------------------------------------------
def _locked_page(form: OfficerLoginForm | None = None):
    message = _(
        "Too many wrong attempts. Sign-in is locked for %(minutes)d minutes.",
        minutes=current_app.config["LOGIN_LOCK_MINUTES"],
    )
    return throttling.locked_page("officer/login.html", form or OfficerLoginForm(), message)


@bp.route("/", methods=["GET", "POST"])
@throttling.limit_posts("LOGIN_LIMIT_PER_IP")
def login():
    """Đăng nhập for officers: username and password, a user table of their own (O1). A wrong
    pair never says which part was wrong."""
    if _is_officer():
        return redirect(url_for("officer.queue"))
    form = OfficerLoginForm()
    if not form.is_submitted():
        return render_template("officer/login.html", form=form)
    if not form.validate():
        return render_template("officer/login.html", form=form), 400
    config = current_app.config
    now = clock().now()
    outcome, officer = officer_sessions.authenticate(
        form.username.data,
        form.password.data,
        now,
        config["LOGIN_MAX_FAILURES"],
        config["LOGIN_LOCK_MINUTES"],
    )
    if outcome is officer_sessions.Outcome.LOCKED:
        return _locked_page(form)
    if outcome is officer_sessions.Outcome.WRONG:
        form.form_errors.append(_("The username or the password is not correct."))
        return render_template("officer/login.html", form=form), 401
    if officer.passkey_required and passkeys.enabled(config):
        return officer_passkeys.start_second_factor(officer, request.args.get("next"))
    officer_session = officer_sessions.open_session(
        officer, request.user_agent.string, now, config["OFFICER_SESSION_HOURS"]
    )
    db.session.commit()
    next_url = safe_next(request.args.get("next"), "officer.queue", prefix="/officer/")
    session.clear()  # a fresh session cookie: nothing from before sign-in survives
    login_user(OfficerUser(officer_session))
    return redirect(next_url)


@bp.route("/dang-xuat", methods=["POST"])
def logout():
    """Đăng xuất: the session ends on the server (its cookie, replayed, opens nothing), and the
    browser drops what it kept of the back-office."""
    officer_sessions.sign_out(current_user.officer_session, clock().now())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "info")
    response = redirect(url_for("officer.login"))
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


# --- the queue ------------------------------------------------------------------------------------
SEARCH_PANEL = RememberedFragment("officer/_queue_search.html")


def _filter_args() -> dict[str, str]:
    """The search as it is in the URL (known keys with a value only)."""
    return {key: request.args[key][:20] for key in FILTER_KEYS if request.args.get(key)}


@bp.route("/ho-so-dk-gddt/ca-nhan")
def queue():
    """Hồ sơ ĐK GDĐT → Cá nhân: registration and change-of-information dossiers, newest first,
    twenty to a page. "Mở rộng" opens the search; "Tra cứu" swaps the search and the list
    (HTMX) and pushes the URL with the search in it, which loads the same full page. Each row
    opens its dossier by double-click or right-click, and by the link on its number."""
    page = parse_int(request.args.get("page", "1"), minimum=1, maximum=MAX_PAGE)
    if page is None:
        abort(404)
    form = QueueFilterForm(request.args)
    filters = _filter_args()
    result = None
    status = 200
    if form.validate():
        result = review.queue(g.officer, form.search(), clock().now(), page)
    else:
        status = 400
    # A valid search shows as a function of what was typed in it (errors are not remembered).
    typed = None if form.errors else tuple((f.name, tuple(f.raw_data or ())) for f in form)
    response = render_page(
        "officer/queue.html",
        "officer/_queue.html",
        form=form,
        search_panel=SEARCH_PANEL.render(typed, form=form, filters=filters),
        result=result,
        filters=filters,
        here=request.full_path.rstrip("?"),
    )
    return response, status


# --- one dossier ----------------------------------------------------------------------------------


def _back(value: str | None) -> str:
    """Where "Thoát" goes: the list as the officer left it (its search and page)."""
    return safe_next(value and value[:1000], "officer.queue", prefix=url_for("officer.queue"))


def _find(number: str) -> RegistrationDossier:
    if len(number) > 20:
        abort(404)
    dossier = review.find(g.officer, number, clock().now())
    if dossier is None:
        abort(404)
    return dossier


def _log(dossier: RegistrationDossier) -> list[dict]:
    """Nhật ký xử lý as the officer reads it: when, who (an officer by name and username), what
    and why, oldest first (`review.processing_log`)."""
    return [
        {
            "at": entry.at,
            "who": f"{entry.officer.full_name} ({entry.officer.username})"
            if entry.officer
            else str(ACTOR_LABELS.get(entry.actor_type, entry.actor_type)),
            "what": str(EVENT_LABELS.get(entry.event, entry.event)),
            "reason": entry.reason,
            "fields": entry.fields,
        }
        for entry in review.processing_log(dossier)
    ]


def _log_view(dossier: RegistrationDossier) -> None:
    """Opening a dossier shows the declarer's data: it goes into their access log (and their
    inbox, once a day per officer), if the BHXH code is a person's (C13)."""
    person_id = db.session.scalar(select(Person.id).where(Person.bhxh_code == dossier.bhxh_code))
    if person_id is None:
        return
    officer = g.officer
    office = officer.office.name if officer.office else None
    access_log.record(
        person_id,
        "dossier",
        "officer",
        clock().now(),
        viewer_name=f"{officer.full_name} ({office})" if office else officer.full_name,
        viewer_officer_id=officer.id,
    )
    db.session.commit()


def _already_decided_message(dossier: RegistrationDossier | None) -> str:
    if dossier is None:
        return _("This dossier is no longer in the list.")
    officer = db.session.get(Officer, dossier.decided_by_id) if dossier.decided_by_id else None
    return _(
        "This dossier was already decided by %(officer)s at %(when)s (%(state)s). "
        "Your decision was not recorded.",
        officer=officer.full_name if officer else _("another officer"),
        when=format_datetime(dossier.decided_at),
        state=STATE_LABELS.get(dossier.state, dossier.state),
    )


def _detail(
    dossier: RegistrationDossier,
    back: str,
    *,
    assess: AssessForm | None = None,
    photo_form: PhotoForm | None = None,
    confirm: bool = False,
    already: str | None = None,
    status: int = 200,
):
    decided_by = db.session.get(Officer, dossier.decided_by_id) if dossier.decided_by_id else None
    person = review.current_person(dossier) if dossier.kind == "change_info" else None
    changes = (
        registration.changed_fields(
            person, dossier.phone or "", dossier.email, dossier.address or ""
        )
        if person is not None and dossier.state == "declared"
        else []
    )
    page = render_template(
        "officer/dossier.html",
        dossier=dossier,
        person=person,
        changes=changes,
        decided_by=decided_by,
        back=back,
        form=assess or AssessForm(back=back),
        photo_form=photo_form or PhotoForm(back=back),
        confirm_form=ConfirmForm(back=back),
        confirm=confirm,
        already=already,
        has_photo=registration.photo_file(dossier, current_app.config["DOSSIER_UPLOAD_FOLDER"])
        is not None,
        log=_log(dossier),
    )
    return page, status


@bp.route("/ho-so/<number>", methods=["GET", "POST"])
def dossier(number: str):
    """Chi tiết hồ sơ: what was declared, the ID photo, the assessment ("Hồ sơ hợp lệ" /
    "Hồ sơ không hợp lệ" with its reason), "Ghi nhận" and "Thoát", and the audit log.

    "Ghi nhận" on a valid registration checks the HGĐ registry and issues the account, or
    shows the guidance for a person without a BHXH code; on an invalid one it sends the reason.
    A valid change of information asks for "Xác nhận" first. A dossier another officer decided
    in the meantime answers 409 with who decided it, and nothing is recorded twice."""
    found = _find(number)
    back = _back(request.values.get("back"))
    if request.method == "GET":
        _log_view(found)
        return _detail(found, back)
    form = AssessForm()
    if not form.validate():
        return _detail(found, back, assess=form, status=400)
    if found.state != "declared":
        return _detail(found, back, already=_already_decided_message(found), status=409)
    if found.kind == "change_info" and form.assessment.data == "valid":
        return _detail(found, back, assess=form, confirm=True)
    now, config = clock().now(), current_app.config
    if form.assessment.data == "valid":
        return _decide(
            found,
            back,
            lambda: review.approve(found.id, g.officer, household_registry(), now, config),
        )
    return _decide(
        found, back, lambda: review.reject(found.id, g.officer, form.reason.data, now, config)
    )


def _decide(found: RegistrationDossier, back: str, decision):
    """Record a decision; another officer's earlier one answers 409 with who made it, and so
    does the approval of a person who already has an account (never issued twice)."""
    try:
        result = decision()
    except review.AlreadyDecided as decided:
        return _detail(
            decided.dossier or found,
            back,
            already=_already_decided_message(decided.dossier),
            status=409,
        )
    except review.AccountExists as exists:
        return _detail(
            exists.dossier or found,
            back,
            already=_(
                "BHXH code %(code)s already has an account, so none was issued again and no "
                "password was sent. Refuse this dossier with the reason, or guide the person to "
                "“Forgot password” on the sign-in page.",
                code=found.bhxh_code,
            ),
            status=409,
        )
    except review.NotFound:
        abort(404)
    db.session.commit()
    _flash_result(result)
    return redirect(url_for("officer.dossier", number=found.number, back=back))


def _flash_result(result: review.Result) -> None:
    dossier = result.dossier
    phone = mask(dossier.phone, 3, 3)
    if result.outcome is review.Outcome.APPROVED:
        message = _(
            "Updated successfully: the dossier is valid and account %(account)s has been "
            "issued. An SMS with the account and its first password was sent to %(phone)s.",
            account=dossier.bhxh_code,
            phone=phone,
        )
        if "email" in result.messages:
            message += " " + _("A notice was also sent by email.")
        flash(message, "success")
    elif result.outcome is review.Outcome.NO_CODE:
        flash(
            _(
                "Recorded: the dossier is valid, but BHXH code %(code)s with this name does not "
                "exist in the HGĐ system, so no account was issued. Guide the person through "
                "applying for a BHXH code.",
                code=dossier.bhxh_code,
            ),
            "warning",
        )
    elif result.outcome is review.Outcome.REJECTED:
        flash(
            _(
                "Refusal recorded successfully. An SMS with the reason was sent to %(phone)s.",
                phone=phone,
            ),
            "success",
        )
    else:
        flash(_("The registered information was updated successfully."), "success")


@bp.route("/ho-so/<number>/xac-nhan", methods=["POST"])
def confirm_change(number: str):
    """Xác nhận: the officer agrees to update the person's registered phone, email and
    address (O9); then the success message."""
    found = _find(number)
    back = _back(request.values.get("back"))
    form = ConfirmForm()
    if not form.validate():
        return _detail(found, back, status=400)
    if found.kind != "change_info":
        abort(404)
    return _decide(
        found,
        back,
        lambda: review.apply_change(found.id, g.officer, clock().now(), current_app.config),
    )


# The files a dossier may hold (by their first bytes), and those a browser may show inline as
# the detail page's <img>; anything else is only ever downloaded.
DOSSIER_FILE_SUFFIXES = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
INLINE_IMAGES = frozenset({"image/jpeg", "image/png"})


def _dossier_file(dossier: RegistrationDossier, path):
    """The uploaded file as a file, never as a page of this site: a PDF (which may carry
    JavaScript) or anything unexpected is an attachment; a JPEG or PNG stays inline for the
    <img>. The browser may not sniff another type, and should the file be opened directly its
    own policy allows no script, no subresource and no access to this origin (`sandbox`)."""
    known = dossier.photo_type in DOSSIER_FILE_SUFFIXES
    mimetype = dossier.photo_type if known else "application/octet-stream"
    name = re.sub(r"[^A-Za-z0-9-]", "", dossier.number) or "ho-so"
    response = send_file(
        path,
        mimetype=mimetype,
        as_attachment=mimetype not in INLINE_IMAGES,
        download_name=name + DOSSIER_FILE_SUFFIXES.get(mimetype, ""),
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    return response


@bp.route("/ho-so/<number>/anh", methods=["GET", "POST"])
def photo(number: str):
    """The photo of the ID document: served to officers only, from outside the web root (GET);
    replaced by a new scan or photo, checked by its content (POST, O5)."""
    found = _find(number)
    folder = current_app.config["DOSSIER_UPLOAD_FOLDER"]
    if request.method == "GET":
        path = registration.photo_file(found, folder)
        if path is None:
            abort(404)
        return _dossier_file(found, path)
    back = _back(request.values.get("back"))
    form = PhotoForm()
    if not form.validate():
        return _detail(found, back, photo_form=form, status=400)
    try:
        review.replace_photo(
            found.id, g.officer, form.checked_photo, clock().now(), current_app.config
        )
    except review.AlreadyDecided as decided:
        return _detail(
            decided.dossier or found,
            back,
            already=_already_decided_message(decided.dossier),
            status=409,
        )
    except review.NotFound:
        abort(404)
    db.session.commit()
    flash(_("The photo was replaced."), "success")
    return redirect(url_for("officer.dossier", number=found.number, back=back))
