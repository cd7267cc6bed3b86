"""Khóa API của cơ sở KCB: an admin creates a facility's card-check API key (shown once, then
kept only as a digest) and revokes it (`services.card_check`)."""

from __future__ import annotations

from flask import abort, flash, g, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Facility, FacilityApiKey
from webapp.officer import bp
from webapp.officer.content import _admin_only
from webapp.officer.forms import ApiKeyForm
from webapp.security import no_store
from webapp.services import card_check
from webapp.web import clock

LISTED = 200  # the newest keys; a facility's own are found by its code


@bp.route("/khoa-api", methods=["GET", "POST"])
def api_keys():
    """The keys (facility, what for, created, last used, revoked) and the form for a new one;
    a new key is shown on the answer to its form only, and never again."""
    _admin_only()
    form = ApiKeyForm()
    status, created = 200, None
    if form.is_submitted():
        status = 400
        if form.validate():
            facility = db.session.scalar(
                select(Facility).where(Facility.code == form.facility_code.data)
            )
            if facility is None:
                form.facility_code.errors.append(_("No health facility has this code."))
            else:
                row, key = card_check.create_key(
                    facility, form.label.data, g.officer, clock().now()
                )
                db.session.commit()
                status, created = 201, {"key": key, "row": row}
                form = ApiKeyForm(formdata=None)
    keys = db.session.scalars(
        select(FacilityApiKey).order_by(FacilityApiKey.id.desc()).limit(LISTED)
    ).all()
    page = render_template("officer/api_keys.html", form=form, keys=keys, created=created)
    return no_store(make_response(page, status))


@bp.route("/khoa-api/<int:key_id>/thu-hoi", methods=["POST"])
def api_key_revoke(key_id: int):
    _admin_only()
    row = card_check.revoke_key(key_id, g.officer, clock().now())
    if row is None:
        abort(404)
    db.session.commit()
    flash(
        _("The key %(prefix)s is revoked: it opens nothing any more.", prefix=row.prefix), "success"
    )
    return redirect(url_for("officer.api_keys"))
