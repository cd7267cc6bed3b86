"""Thay đổi thông tin (O9, citizen side): a signed-in citizen asks to change the registered
phone, email or address. Nothing changes until an officer confirms it: the phone is where OTP
codes go, so a stolen session alone must never be able to move it."""

from __future__ import annotations

from flask import current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.citizen import bp
from webapp.citizen.forms import ChangeInfoForm
from webapp.extensions import db
from webapp.services import registration
from webapp.templating import render_page
from webapp.web import clock


@bp.route("/thay-doi-thong-tin", methods=["GET", "POST"])
def change_info():
    """The form, filled with what is registered now; "Gửi yêu cầu" makes a change-of-information
    dossier for the office. While one waits, the page shows it instead of the form; a request
    sent meanwhile (from another tab, or at the same moment) gets that page with 409."""
    person = current_user.person
    now = clock().now()
    pending = registration.pending_change(person, now)
    form = ChangeInfoForm(
        data={"phone": person.phone or "", "email": person.email or "", "address": person.address}
    )
    status = 200
    if pending is not None and form.is_submitted():
        status = 409
    elif form.is_submitted():
        status = 400
        if form.validate():
            email = form.email.data or None
            if not registration.changed_fields(person, form.phone.data, email, form.address.data):
                form.form_errors.append(
                    _("Nothing was changed: edit the phone, email or address you want to change.")
                )
            else:
                try:
                    dossier = registration.request_change(
                        person, form.phone.data, email, form.address.data, now, current_app.config
                    )
                except registration.ChangeAlreadyRequested as refused:
                    page = render_page(
                        "citizen/change_info.html", person=person, pending=refused.pending
                    )
                    return page, 409
                db.session.commit()
                flash(
                    _(
                        "Your request %(number)s was sent to the BHXH office. The change takes "
                        "effect once an officer confirms it.",
                        number=dossier.number,
                    ),
                    "success",
                )
                return redirect(url_for("citizen.change_info"))
    return render_page(
        "citizen/change_info.html", person=person, form=form, pending=pending
    ), status
