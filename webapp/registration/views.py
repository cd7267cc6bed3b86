"""Đăng ký ngay (seed part II.2, steps 1–5): choose *Cá nhân*, fill form 01 (each field is
checked as the person leaves it, and all of them again on "Ghi nhận"), then see the declared
form with its dossier number, ready to print, sign and hand in within 10 days."""

from __future__ import annotations

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from webapp import throttling
from webapp.extensions import db, htmx, limiter
from webapp.models import RegistrationDossier
from webapp.registration import bp
from webapp.registration.forms import DeclarationForm
from webapp.services import registration
from webapp.services.clock import VIETNAM, as_utc
from webapp.services.text import mask
from webapp.templating import format_date, render_page
from webapp.web import clock

SESSION_KEY = "declared_dossier"
# Checked one by one as the person fills the form (the photo is checked on "Ghi nhận").
INLINE_FIELDS = (
    "full_name",
    "date_of_birth",
    "gender",
    "nationality",
    "bhxh_code",
    "id_type",
    "id_number",
    "id_issued_on",
    "id_issued_place",
    "address",
    "phone",
    "email",
    "office_id",
)


@bp.before_request
def people_without_an_account():
    """Registration is for people who cannot sign in yet: a signed-in citizen goes home, an
    officer is refused (officers never use the citizen side)."""
    if current_user.is_authenticated:
        if getattr(current_user, "is_officer", False):
            abort(403)
        return redirect(url_for("citizen.home"))
    return None


@bp.after_request
def personal_cache_headers(response):
    """A declaration is personal data: never kept by a shared cache or the disk cache."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/")
def start():
    """Bước 2: who registers. Individuals register here; organisations through the public
    service portal."""
    return render_template("registration/start.html")


@bp.route("/ca-nhan", methods=["GET", "POST"])
@limiter.limit("120 per minute; 1000 per hour", methods=["POST"])
def individual():
    """Bước 3–4: form 01. An HTMX request from one field gets that field back, checked; the
    province select gets the office select of that province; "Ghi nhận" checks everything,
    refuses a second declaration for the same code, stores the dossier and texts its number."""
    form = DeclarationForm(province=request.args.get("province"))
    if request.method == "GET":
        return render_page(
            "registration/individual.html", "registration/_office_field.html", form=form
        )
    if htmx and htmx.trigger_name in INLINE_FIELDS:
        form.validate()
        return render_template("registration/_field.html", form=form, name=htmx.trigger_name)
    if not form.validate():
        if form.checked_photo is not None:
            # A browser never sends a file twice: say so rather than fail on it next time.
            form.photo.errors.append(
                _("Attach the photo again: a file is kept only once the form is recorded.")
            )
        return render_template("registration/individual.html", form=form), 400
    now = clock().now()
    try:
        registration.refuse_if_declared(form.bhxh_code.data, now)  # before spending a hit
        if not throttling.spend_per_address("REGISTRATION_LIMIT_PER_IP"):
            abort(429)
        dossier = registration.declare(
            form.declaration(), form.checked_photo, now, current_app.config, str(get_locale())
        )
    except registration.AlreadyDeclared as refused:
        return _already_declared(form, refused)
    db.session.commit()
    session[SESSION_KEY] = dossier.id
    flash(_("Your declaration has been recorded."), "success")
    return redirect(url_for("registration.declared"))


def _already_declared(form: DeclarationForm, refused: registration.AlreadyDeclared):
    """409: the code has an account (sign in instead), or a declaration of it waits to be
    handed in (bring that one). The same page whether the other came long before or at the
    same moment."""
    if refused.duplicate is registration.Duplicate.ACCOUNT:
        form.bhxh_code.errors.append(
            _(
                "This BHXH code already has an account: sign in with it. If you no longer know "
                "the password, use “Forgot password” on the sign-in page."
            )
        )
        return render_template("registration/individual.html", form=form, duplicate="account"), 409
    form.bhxh_code.errors.append(
        _(
            "A declaration for this BHXH code is already waiting to be handed in, until "
            "%(date)s. Bring the printed and signed form 01 to the office you chose before "
            "then; after that date it is deleted and you can declare again.",
            date=format_date(as_utc(refused.deadline_at).astimezone(VIETNAM).date()),
        )
    )
    return render_template("registration/individual.html", form=form, duplicate="pending"), 409


@bp.route("/ca-nhan/to-khai")
def declared():
    """Bước 4–5: the declared form 01 with its dossier number, for this browser only (it was
    declared here), ready to print: A4, signature and date lines, the office, the deadline.
    The form itself is printed in Vietnamese, whatever language the screen is in."""
    dossier_id = session.get(SESSION_KEY)
    dossier = db.session.get(RegistrationDossier, dossier_id) if dossier_id else None
    now = clock().now()
    if (
        dossier is None
        or dossier.kind != "register"
        or (dossier.state == "declared" and as_utc(dossier.deadline_at) <= now)
    ):
        abort(404)
    with force_locale("vi"):
        document = Markup(  # noqa: S704 (a rendered, autoescaped template)
            render_template("registration/_form01.html", dossier=dossier, office=dossier.office)
        )
    return render_template(
        "registration/declared.html",
        dossier=dossier,
        document=document,
        masked_phone=mask(dossier.phone, 3, 3),
    )
