"""Whose data a citizen page shows: the signed-in citizen's own (the usual URLs), or, under
/ca-nhan/nguoi-than/<person>/…, a child's card or a delegation's parts (`services.family` says
who may see what). Anything not granted is "not found", like a page that does not exist; every
view of someone else's data is written to their access log (`services.access_log`)."""

from __future__ import annotations

import datetime as dt

from flask import abort, g, request
from flask_login import current_user

from webapp.citizen import bp
from webapp.extensions import db
from webapp.models import Person
from webapp.services import access_log, family
from webapp.services.clock import as_utc
from webapp.web import clock

# Pages whose answer tells the service worker whose pages it may keep (X-Vssid-Shared): the
# home screen (where the app opens), the family page, and any page of someone else's data.
SHARED_LIST_ENDPOINTS = frozenset({"citizen.home", "citizen.family"})


def shared_with_me() -> list[family.Access]:
    """Whom the signed-in account may see now: read once per request, whoever asks (the page,
    the access check, the list for the service worker)."""
    if "shared_with" not in g:
        g.shared_with = family.shared_with(current_user.account, clock().now(), clock().today())
    return g.shared_with


def subject(part: str, person_id: int | None) -> Person:
    """The person the page is about: the citizen, or someone who shared `part` with them (the
    view is then logged, the part being the log's kind); 404 otherwise."""
    if person_id is None:
        return current_user.person
    found = family.access(shared_with_me(), person_id, part)
    if found is None:
        abort(404)
    account = current_user.account
    access_log.record(
        found.person.id,
        part,
        found.kind,
        clock().now(),
        viewer_name=account.person.full_name,
        viewer_account_id=account.id,
    )
    db.session.commit()  # the view is logged even if the page then fails
    g.viewing = found
    return found.person


@bp.app_template_global()
def subject_args() -> dict:
    """The URL values that keep a page's links on the same person (none for one's own data)."""
    viewing = g.get("viewing")
    return {"person_id": viewing.person.id} if viewing is not None else {}


@bp.context_processor
def inject_viewing() -> dict:
    return {"viewing": g.get("viewing")}


@bp.after_request
def shared_list(response):
    """Tell the service worker which persons' pages this phone may still keep: it forgets the
    kept copies of anyone else (a delegation ended, a child turned 18)."""
    account = getattr(current_user, "account", None)
    if account is not None and (
        request.endpoint in SHARED_LIST_ENDPOINTS
        or (request.view_args or {}).get("person_id") is not None
    ):
        ids = sorted({access.person.id for access in shared_with_me()})
        response.headers["X-Vssid-Shared"] = ",".join(str(i) for i in ids)
    viewing = g.get("viewing")
    if viewing is not None:
        # A kept copy is not shown past the end of the access, even with no network.
        until = as_utc(viewing.until).astimezone(dt.UTC)
        response.headers["X-Vssid-Until"] = until.isoformat()
    return response
