"""The card-check API for health facilities (issue 16, A1): contract tests (every answer against
the OpenAPI document), keys, the limit per key, the audit and the holder's access log,
mismatches that say nothing of which field, forged QR codes, hostile bodies, and the back office
that creates and revokes keys."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from sqlalchemy import select

from tests import factories
from tests.conftest import check_page
from tests.test_security import csrf
from webapp.api.openapi import ERROR_CODES
from webapp.extensions import db
from webapp.models import AccessLogEntry, AuditEvent, FacilityApiKey
from webapp.services import card_check, cards

URL = "/api/v1/card-checks"
CLERK = {"name": "Lê Thị Tiếp Đón", "id_number": "001190012345"}


class Contract:
    """The API's own document, and every answer checked against it."""

    def __init__(self, client) -> None:
        self.spec = client.get("/api/v1/openapi.json").get_json()
        validate_spec(self.spec)
        self.seen: set[int] = set()

    def check(self, response) -> dict:
        operation = self.spec["paths"]["/card-checks"]["post"]
        status = str(response.status_code)
        assert status in operation["responses"], (status, response.get_data(as_text=True))
        assert response.mimetype == "application/json"
        schema = operation["responses"][status]["content"]["application/json"]["schema"]
        validator = Draft202012Validator(
            {**schema, "components": self.spec["components"]},
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        body = response.get_json()
        errors = sorted(validator.iter_errors(body), key=str)
        assert not errors, [e.message for e in errors]
        self.seen.add(response.status_code)
        return body


@pytest.fixture
def contract(client):
    return Contract(client)


@pytest.fixture
def desk(app):
    """A facility with a key, and a card holder with visits."""
    facility = factories.facility(code="01999", name="Bệnh viện Thử Nghiệm")
    officer = factories.officer(username="canbo.api", full_name="Cán Bộ Khóa")
    holder = factories.person(
        full_name="Nguyễn Văn An", date_of_birth=dt.date(1985, 3, 14), account=True
    )
    card = factories.card(holder, valid_to=dt.date(2026, 12, 31), five_years_on=dt.date(2021, 1, 1))
    visits = [
        factories.visit(holder, admitted_on=dt.date(2026, month, 2), icd10=f"J0{month % 10}")
        for month in range(1, 8)
    ]
    row, key = card_check.create_key(facility, "Quầy tiếp đón", officer, dt.datetime.now(dt.UTC))
    db.session.commit()
    return {
        "facility": facility,
        "holder": holder,
        "card": card,
        "key": key,
        "row": row,
        "visits": visits,
        "officer": officer,
    }


def post(client, key: str | None, body, **kw):
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    headers.update(kw.pop("headers", {}))
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(
        URL,
        data=data,
        headers=headers,
        content_type=kw.pop("content_type", "application/json"),
        **kw,
    )


def test_a_check_by_card_number_answers_with_the_card_and_recent_visits(client, contract, desk):
    card, holder = desk["card"], desk["holder"]
    body = contract.check(
        post(
            client,
            desk["key"],
            {
                "card_number": card.number[:2] + " " + card.number[2:],  # as typed, with a space
                "full_name": "NGUYEN VAN AN",  # without diacritics, in capitals
                "date_of_birth": "1985-03-14",
                "clerk": CLERK,
            },
        )
    )
    assert body["result"] == "valid"
    assert body["card"]["number"] == card.number
    assert body["card"]["benefit_level"] == card.benefit_level
    assert body["card"]["benefit_percent"] == card.benefit_percent
    assert body["card"]["valid_from"] == card.valid_from.isoformat()
    assert body["card"]["valid_to"] == "2026-12-31"
    assert body["card"]["five_years_from"] == "2021-01-01"
    assert body["card"]["primary_care_facility"]["code"] == card.facility.code
    assert body["holder"] == {
        "bhxh_code": holder.bhxh_code,
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "1985-03-14",
        "gender": "female",
    }
    assert [v["admitted_on"] for v in body["recent_visits"]] == [
        f"2026-0{m}-02" for m in (7, 6, 5, 4, 3)
    ]


def test_a_check_by_bhxh_code_answers_the_same(client, contract, desk):
    body = contract.check(
        post(
            client,
            desk["key"],
            {
                "bhxh_code": desk["holder"].bhxh_code,
                "full_name": "Nguyễn Văn An",
                "date_of_birth": "1985-03-14",
                "clerk": CLERK,
            },
        )
    )
    assert body["card"]["number"] == desk["card"].number


def test_an_expired_card_says_so(client, contract, desk, clock):
    clock.set(dt.datetime(2027, 1, 5, 3, 0, tzinfo=dt.UTC))
    body = contract.check(
        post(
            client,
            desk["key"],
            {
                "bhxh_code": desk["holder"].bhxh_code,
                "full_name": "Nguyễn Văn An",
                "date_of_birth": "1985-03-14",
                "clerk": CLERK,
            },
        )
    )
    assert body["result"] == "expired"


def qr_text(app, desk) -> str:
    key = cards.signing_key_from_config(app.config)
    return cards.signed_payload(cards.qr_fields(desk["card"], desk["holder"]), key)


def test_the_qr_text_is_verified_and_answered_the_same(app, client, contract, desk):
    body = contract.check(post(client, desk["key"], {"qr": qr_text(app, desk), "clerk": CLERK}))
    assert body["card"]["number"] == desk["card"].number and body["result"] == "valid"


def test_a_forged_or_altered_qr_is_refused_clearly(app, client, contract, desk):
    genuine = qr_text(app, desk).split("|")
    altered = list(genuine)
    altered[7] = "31/12/2030"  # valid until 2030: not what was signed
    body = contract.check(post(client, desk["key"], {"qr": "|".join(altered), "clerk": CLERK}))
    assert body["error"]["code"] == "qr_forged"
    unsigned = "|".join(genuine[:-1])
    assert (
        contract.check(post(client, desk["key"], {"qr": unsigned, "clerk": CLERK}))["error"]["code"]
        == "qr_forged"
    )
    body = contract.check(post(client, desk["key"], {"qr": "hello", "clerk": CLERK}))
    assert body["error"]["code"] == "qr_unreadable"


@pytest.mark.parametrize(
    "change",
    [
        {"full_name": "Nguyễn Văn Bình"},
        {"date_of_birth": "1985-03-15"},
        {"card_number": "DN4019999999999"},
        {"full_name": "Nguyễn Văn Bình", "date_of_birth": "1990-01-01"},
    ],
)
def test_a_mismatch_answers_does_not_match_without_saying_which(client, contract, desk, change):
    body = {
        "card_number": desk["card"].number,
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "1985-03-14",
        "clerk": CLERK,
        **change,
    }
    response = post(client, desk["key"], body)
    answer = contract.check(response)
    assert response.status_code == 422
    assert answer == {"error": {"code": "does_not_match", "message": answer["error"]["message"]}}
    assert "fields" not in answer["error"]


def test_keys_revoked_wrong_or_missing_get_401(client, contract, desk):
    body = {"qr": "x", "clerk": CLERK}
    for key in (
        None,
        "nonsense",
        desk["key"][:-1] + ("A" if desk["key"][-1] != "A" else "B"),
        "vssid_000000000000_secret",
    ):
        assert contract.check(post(client, key, body))["error"]["code"] == "unauthorized"
    card_check.revoke_key(desk["row"].id, desk["officer"], dt.datetime.now(dt.UTC))
    db.session.commit()
    assert contract.check(post(client, desk["key"], body))["error"]["code"] == "unauthorized"
    # The key also works as X-API-Key.
    other, key = card_check.create_key(
        desk["facility"], "Khác", desk["officer"], dt.datetime.now(dt.UTC)
    )
    db.session.commit()
    response = client.post(URL, json={"qr": "x", "clerk": CLERK}, headers={"X-API-Key": key})
    assert contract.check(response)["error"]["code"] == "qr_unreadable"


@pytest.mark.parametrize(
    "body, fields",
    [
        ({}, ["bhxh_code", "card_number", "clerk", "qr"]),
        ({"qr": "x"}, ["clerk"]),
        ({"qr": "x", "clerk": {"name": "A"}}, ["clerk.id_number"]),
        ({"qr": "x", "clerk": {**CLERK, "id_number": "12"}}, ["clerk.id_number"]),
        (
            {"bhxh_code": "123", "full_name": "A", "date_of_birth": "1985-03-14", "clerk": CLERK},
            ["bhxh_code"],
        ),
        (
            {"card_number": "XX", "full_name": "A", "date_of_birth": "1985-03-14", "clerk": CLERK},
            ["card_number"],
        ),
        (
            {"bhxh_code": "0123456789", "date_of_birth": "1985-02-30", "clerk": CLERK},
            ["date_of_birth", "full_name"],
        ),
        (
            {
                "bhxh_code": "0123456789",
                "full_name": "A" * 500,
                "date_of_birth": "14/03/1985",
                "clerk": CLERK,
            },
            ["date_of_birth", "full_name"],
        ),
        (
            {"bhxh_code": 123, "full_name": ["A"], "date_of_birth": None, "clerk": CLERK},
            ["bhxh_code", "date_of_birth", "full_name"],
        ),
        (
            {"qr": "x", "bhxh_code": "0123456789", "clerk": CLERK},
            ["bhxh_code", "card_number", "qr"],
        ),
        ({"qr": "x", "clerk": CLERK, "admin": True}, ["admin"]),
        ({"qr": "x" * 3000, "clerk": CLERK}, ["qr"]),
    ],
)
def test_wrong_bodies_name_their_fields(client, contract, desk, body, fields):
    answer = contract.check(post(client, desk["key"], body))
    assert answer["error"]["code"] == "invalid_request"
    assert answer["error"]["fields"] == fields


@pytest.mark.parametrize(
    "data, content_type, code, status",
    [
        ("not json", "application/json", "invalid_json", 400),
        ("[1, 2]", "application/json", "invalid_json", 400),
        ("null", "application/json", "invalid_json", 400),
        ("[" * 5000 + "]" * 5000, "application/json", "too_large", 413),
        ("[" * 2000 + "]" * 2000, "application/json", "invalid_json", 400),
        (b"\xff\xfe\x00", "application/json", "invalid_json", 400),
        ("qr=x", "application/x-www-form-urlencoded", "unsupported_media_type", 415),
        (json.dumps({"qr": "x" * 20000}), "application/json", "too_large", 413),
    ],
)
def test_hostile_bodies_get_a_4xx_json_error(
    client, contract, desk, data, content_type, code, status
):
    response = post(client, desk["key"], data, content_type=content_type)
    assert response.status_code == status
    assert contract.check(response)["error"]["code"] == code


def test_every_error_code_of_the_document_has_a_message(app, client):
    from webapp.api.views import MESSAGES

    assert set(MESSAGES) == set(ERROR_CODES)
    response = client.get(URL)
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_the_limit_counts_per_key(app, client, contract, desk):
    app.config["API_LIMIT_PER_KEY"] = "3 per minute"
    body = {"qr": "x", "clerk": CLERK}
    codes = [post(client, desk["key"], body).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    assert contract.check(post(client, desk["key"], body))["error"]["code"] == "rate_limited"
    _row, other = card_check.create_key(
        desk["facility"], "Khác", desk["officer"], dt.datetime.now(dt.UTC)
    )
    db.session.commit()
    assert post(client, other, body).status_code == 400  # another key has its own allowance


def test_every_check_is_audited_and_an_answer_is_in_the_holders_access_log(client, desk):
    post(
        client,
        desk["key"],
        {
            "card_number": desk["card"].number,
            "full_name": "Nguyễn Văn An",
            "date_of_birth": "1985-03-14",
            "clerk": CLERK,
        },
    )
    post(
        client,
        desk["key"],
        {
            "card_number": desk["card"].number,
            "full_name": "Người Khác",
            "date_of_birth": "1985-03-14",
            "clerk": CLERK,
        },
    )
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.event == "card_check").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor_type, e.actor_id, e.detail["outcome"]) for e in events] == [
        ("facility", desk["facility"].id, "answered"),
        ("facility", desk["facility"].id, "does_not_match"),
    ]
    assert (
        events[0].detail["clerk"] == CLERK["name"] and events[0].detail["key"] == desk["row"].prefix
    )
    entries = db.session.scalars(select(AccessLogEntry)).all()
    assert [(e.person_id, e.kind, e.viewer_type) for e in entries] == [
        (desk["holder"].id, "card", "facility")
    ]
    assert "Bệnh viện Thử Nghiệm" in entries[0].viewer_name
    assert db.session.get(FacilityApiKey, desk["row"].id).last_used_at is not None


def test_the_document_is_served_at_both_addresses_and_as_a_page(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    validate_spec(spec)
    assert client.get("/openapi.json").get_json() == spec
    soup = client.page("/api/v1/docs")
    assert "/card-checks" in soup.get_text() and "does_not_match" in soup.get_text()
    assert "Authorization: Bearer" in soup.select_one("pre").get_text()


# --- The back office -------------------------------------------------------------------------


def test_an_admin_creates_a_key_shown_once_and_revokes_it(app, client, contract, officer):
    facility = factories.facility(code="01888", name="Trạm Y tế Thử")
    db.session.commit()
    browser = officer.browser
    url = "/officer/khoa-api"
    response = browser.post(
        url,
        data={
            "csrf_token": csrf(browser, url),
            "facility_code": "01888",
            "label": "Quầy tiếp đón",
        },
    )
    assert response.status_code == 201
    soup = check_page(response)
    key = soup.select_one("#new-key").get_text()
    assert key.startswith("vssid_")
    assert "no-store" in response.headers["Cache-Control"]
    listing = browser.get(url).get_data(as_text=True)
    assert key not in listing and key.split("_")[1] in listing  # the prefix only, never again
    row = db.session.scalar(select(FacilityApiKey).where(FacilityApiKey.facility_id == facility.id))
    assert row.secret_hash not in listing and key.rsplit("_", 1)[-1] not in row.secret_hash
    assert (
        contract.check(post(client, key, {"qr": "x", "clerk": CLERK})).get("error")["code"]
        == "qr_unreadable"
    )
    response = browser.post(f"{url}/{row.id}/thu-hoi", data={"csrf_token": csrf(browser, url)})
    assert response.status_code == 302
    assert (
        contract.check(post(client, key, {"qr": "x", "clerk": CLERK}))["error"]["code"]
        == "unauthorized"
    )
    assert (
        browser.post(f"{url}/{row.id}/thu-hoi", data={"csrf_token": csrf(browser, url)}).status_code
        == 404
    )


def test_the_key_form_refuses_wrong_values_by_their_field(client, officer):
    browser = officer.browser
    url = "/officer/khoa-api"
    for values, field, message in (
        ({}, "facility_code", "Nhập mã cơ sở KCB"),
        ({"facility_code": "12"}, "facility_code", "Mã cơ sở KCB gồm 5 chữ số"),
        (
            {"facility_code": "99999", "label": "Quầy"},
            "facility_code",
            "Không có cơ sở KCB nào có mã này",
        ),
        ({"facility_code": "01101", "label": "<script>"}, "label", "Bỏ các ký tự"),
    ):
        response = browser.post(url, data={"csrf_token": csrf(browser, url), **values})
        assert response.status_code == 400
        error = check_page(response).select_one(f"#{field}-error")
        assert error is not None and message in error.get_text(), (values, error)
    assert db.session.scalar(select(FacilityApiKey.id)) is None


def test_only_admins_reach_the_keys(app, officer_login, citizen, client):
    reviewer = factories.officer(username="canbo.xem", role="reviewer")
    db.session.commit()
    browser = app.test_client()
    officer_login(reviewer.username, c=browser)
    assert browser.get("/officer/khoa-api").status_code == 403
    assert client.get("/officer/khoa-api").status_code in (302, 403)


def test_wrong_secrets_behind_a_facilitys_prefix_do_not_spend_its_allowance(app, client, desk):
    """The prefix of a key is not secret (the back office lists it): requests that carry it
    with a wrong secret count against their own address, not against the facility's key."""
    app.config["API_LIMIT_PER_KEY"] = "3 per minute"
    forged = f"vssid_{desk['row'].prefix}_not-the-secret"
    body = {"qr": "x", "clerk": CLERK}
    other = {"REMOTE_ADDR": "203.0.113.9"}
    assert [post(client, forged, body, environ_base=other).status_code for _ in range(4)] == [
        401,
        401,
        401,
        429,
    ]
    assert post(client, desk["key"], body).status_code == 400  # the facility still checks
