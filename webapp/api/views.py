"""POST /api/v1/card-checks, the OpenAPI document and its readable page.

Every answer is JSON: a check's result, or an error with a stable `code` (what software reads)
and a `message` in the language of Accept-Language (what a person reads). Errors never reveal
which of name, birth date and card did not match (`services.card_check`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from flask import current_app, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from webapp.api import bp, root
from webapp.api.openapi import document
from webapp.extensions import csrf, db, limiter
from webapp.services import card_check, cards
from webapp.services.clock import as_utc
from webapp.web import clock

csrf.exempt(bp)

MAX_BODY = 8 * 1024  # a check is a few hundred bytes; a QR's text at most 2,000 characters
NAME_MAX = 120
QR_MAX = 2000
_CODE = re.compile(r"[0-9]{10}")
_ID_NUMBER = re.compile(r"[0-9]{9}|[0-9]{12}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

MESSAGES = {
    "unauthorized": _l(
        "Send a valid API key of your facility in the Authorization header, after “Bearer”."
    ),
    "invalid_json": _l("The body must be a JSON object."),
    "invalid_request": _l("Some fields are missing or wrong: see `fields`."),
    "too_large": _l("The request body is too large."),
    "unsupported_media_type": _l("Send the body as application/json."),
    "does_not_match": _l(
        "The card, the full name and the date of birth do not match a card holder."
    ),
    "qr_unreadable": _l("This is not the text of a health insurance card's QR code."),
    "qr_forged": _l(
        "This QR code was not issued by Vietnam Social Security, or it was altered: do not "
        "accept the card; ask for the identity document."
    ),
    "rate_limited": _l("Too many checks with this key: wait a moment and try again."),
    "not_found": _l("There is no such address in the API."),
    "method_not_allowed": _l("This address does not take this method."),
}


def error(code: str, status: int, fields: list[str] | None = None):
    body: dict[str, Any] = {"code": code, "message": str(MESSAGES[code])}
    if fields:
        body["fields"] = fields
    response = jsonify(error=body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(HTTPException)
def http_error(exception: HTTPException):
    """Werkzeug's and the limiter's errors, as this API's JSON errors."""
    code = {
        404: "not_found",
        405: "method_not_allowed",
        413: "too_large",
        429: "rate_limited",
    }.get(exception.code or 400, "invalid_request")
    return error(code, exception.code or 400)


def _key_text() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("X-API-Key") or None


def _api_key():
    """The request's facility key if it is valid, read once per request (the limit and the
    view both ask)."""
    if "api_key" not in g:
        g.api_key = card_check.authenticate(_key_text(), clock().now())
    return g.api_key


def _limit_key() -> str:
    """Each valid key has its own allowance; anything else (no key, a wrong secret behind a
    known prefix) shares one per address, so nobody can spend a facility's allowance."""
    key = _api_key()
    return f"key:{key.prefix}" if key is not None else f"addr:{request.remote_addr}"


def _text(body: dict, name: str, wrong: list[str], cap: int, label: str = "") -> str | None:
    """A text field's value with its spaces single, or None; a value that is not a non-blank
    string within `cap` adds the field's name (`label` + name) to `wrong`."""
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > cap:
        wrong.append(label + name)
        return None
    return " ".join(value.split())


def _clerk(body: dict, wrong: list[str]) -> tuple[str, str]:
    """Who checks: a name, and a CCCD or CMND number."""
    clerk = body.get("clerk")
    if not isinstance(clerk, dict) or set(clerk) - {"name", "id_number"}:
        wrong.append("clerk")
        return "", ""
    name = _text(clerk, "name", wrong, NAME_MAX, "clerk.")
    number = _text(clerk, "id_number", wrong, 12, "clerk.")
    if name is None and "clerk.name" not in wrong:
        wrong.append("clerk.name")
    if number is None or not _ID_NUMBER.fullmatch(number):
        wrong.append("clerk.id_number")
    return name or "", number or ""


def _inquiry(body: dict) -> tuple[card_check.Inquiry | None, list[str]]:
    """The check asked for, or the names of the fields that are missing or wrong."""
    known = {"card_number", "bhxh_code", "full_name", "date_of_birth", "qr", "clerk"}
    wrong: list[str] = sorted(name for name in body if name not in known)
    clerk_name, clerk_id = _clerk(body, wrong)
    qr = _text(body, "qr", wrong, QR_MAX)
    number = _text(body, "card_number", wrong, 30)
    code = _text(body, "bhxh_code", wrong, 10)
    ways = [name for name in ("card_number", "bhxh_code", "qr") if name in body]
    if len(ways) != 1:
        wrong.extend(name for name in ("card_number", "bhxh_code", "qr") if name not in wrong)
        return None, sorted(set(wrong))
    if number is not None:
        try:
            number = str(cards.parse_card_number(number))
        except ValueError:
            wrong.append("card_number")
    if code is not None and not _CODE.fullmatch(code):
        wrong.append("bhxh_code")
    full_name = birth = None
    if ways[0] != "qr":
        full_name = _text(body, "full_name", wrong, NAME_MAX)
        if full_name is None and "full_name" not in wrong:
            wrong.append("full_name")
        raw = body.get("date_of_birth")
        if isinstance(raw, str) and _DATE.fullmatch(raw):
            try:
                birth = dt.date.fromisoformat(raw)
            except ValueError:
                wrong.append("date_of_birth")
        else:
            wrong.append("date_of_birth")
    elif "full_name" in body or "date_of_birth" in body:
        wrong += [name for name in ("full_name", "date_of_birth") if name in body]
    if wrong:
        return None, sorted(set(wrong))
    return (
        card_check.Inquiry(
            clerk_name=clerk_name,
            clerk_id_number=clerk_id,
            card_number=number,
            bhxh_code=code,
            full_name=full_name,
            date_of_birth=birth,
            qr=qr,
        ),
        [],
    )


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _answer_json(answer: card_check.Answer, now: dt.datetime) -> dict:
    card, person = answer.card, answer.person
    result = "valid" if answer.state in ("valid", "expiring") else answer.state
    return {
        "result": result,
        "checked_at": as_utc(now).isoformat(timespec="seconds"),
        "holder": {
            "bhxh_code": person.bhxh_code,
            "full_name": person.full_name,
            "date_of_birth": person.date_of_birth.isoformat(),
            "gender": "male" if person.gender == 1 else "female",
        },
        "card": {
            "number": card.number,
            "group_code": card.group_code,
            "benefit_level": card.benefit_level,
            "benefit_percent": card.benefit_percent,
            "valid_from": card.valid_from.isoformat(),
            "valid_to": card.valid_to.isoformat(),
            "expiring_soon": answer.state == "expiring",
            "five_years_from": _date(card.five_years_on),
            "primary_care_facility": {"code": card.facility.code, "name": card.facility.name},
        },
        "recent_visits": [
            {
                "admitted_on": visit.admitted_on.isoformat(),
                "discharged_on": visit.discharged_on.isoformat(),
                "inpatient": visit.inpatient,
                "icd10": visit.icd10,
                "facility": {"code": visit.facility.code, "name": visit.facility.name},
            }
            for visit in answer.visits
        ],
    }


@bp.route("/card-checks", methods=["POST"])
@limiter.limit(lambda: current_app.config["API_LIMIT_PER_KEY"], key_func=_limit_key)
def card_checks():
    """Check a card at the desk: see the OpenAPI document (/api/v1/openapi.json)."""
    now = clock().now()
    key = _api_key()
    if key is None:
        return error("unauthorized", 401)
    if request.content_length is not None and request.content_length > MAX_BODY:
        return error("too_large", 413)
    if not request.is_json:
        return error("unsupported_media_type", 415)
    raw = request.stream.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        return error("too_large", 413)
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested beyond reason
        body = None
    if not isinstance(body, dict):
        return error("invalid_json", 400)
    inquiry, wrong = _inquiry(body)
    if inquiry is None:
        db.session.commit()  # the key's last use
        return error("invalid_request", 400, wrong)
    public_keys = cards.public_key_set(cards.signing_key_from_config(current_app.config))
    try:
        answer = card_check.check(
            inquiry, clock().today(), public_keys, current_app.config["CARD_EXPIRING_DAYS"]
        )
    except card_check.Refused as refused:
        card_check.record(key, inquiry, None, refused.refusal.value, now)
        db.session.commit()
        status = 400 if refused.refusal is card_check.Refusal.QR_UNREADABLE else 422
        return error(refused.refusal.value, status)
    card_check.record(key, inquiry, answer, "answered", now)
    db.session.commit()
    response = jsonify(_answer_json(answer, now))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/openapi.json")
@root.route("/openapi.json")
def openapi_json():
    response = jsonify(document(url_for("api.card_checks", _external=True).rsplit("/", 1)[0]))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/docs")
def docs():
    """The OpenAPI document as a page people read (no script: the document itself, laid out)."""
    base = url_for("api.card_checks", _external=True).rsplit("/", 1)[0]
    spec = document(base)
    examples = spec["paths"]["/card-checks"]["post"]["requestBody"]["content"]
    example = examples["application/json"]["examples"]["by card number"]["value"]
    return render_template(
        "api/docs.html",
        spec=spec,
        example=json.dumps(example, ensure_ascii=False),
        messages=MESSAGES,
        title=_("Card-check API"),
    )
