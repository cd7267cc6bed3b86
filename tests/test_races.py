"""Rules that must hold when many requests arrive at once, against a real server.

A race shows only when requests really overlap: each test releases a burst of requests together
(real threads, a `threading.Barrier`, one `requests.Session` each) against a server of its own:
Flask's threaded development server on SQLite (as `make run` serves the demo), gunicorn with three
workers on PostgreSQL when TEST_DATABASE_URL is set (as production runs), with the limiter's
counts in Redis when one answers on 127.0.0.1:6379. Then it reads what the database holds.

The per-address throttles are lifted for this server: every request here comes from 127.0.0.1,
whereas a real attack comes from many addresses, so the rules under test (the sign-in lock, the
OTP tries, one open declaration, one decision) must hold in the database by themselves.

The server (`race_server`) and an app context on its database (`race_data`) are fixtures of
tests/conftest.py, shared with the other tests of parallel requests.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid

import pytest
import requests
from sqlalchemy import func, select

from tests import factories
from tests.live import LiveServer, burst, csrf_token, postgres_url, redis_answers, serve
from webapp.extensions import db
from webapp.models import (
    Account,
    AuditEvent,
    DeviceSession,
    Feedback,
    OutboxMessage,
    PushSubscription,
)

BURST = 24


def login_client(server: LiveServer, device: str) -> tuple[requests.Session, str]:
    browser = requests.Session()
    browser.cookies.set("device_id", device, domain="127.0.0.1")
    token = csrf_token(browser.get(server.url + "/login", timeout=30).text)
    return browser, token


def test_parallel_wrong_passwords_lock_after_five(race_server, race_data):
    """24 wrong passwords at once: five are weighed, the account locks, the rest are refused;
    the right password afterwards meets the lock too."""
    person = factories.person()
    race_data.commit()
    code = person.bhxh_code

    def prepare(i: int):
        browser, token = login_client(race_server, f"race-wrong-{i}")
        form = {"identifier": code, "password": f"sai-mat-khau-{i}", "csrf_token": token}
        return lambda: browser.post(race_server.url + "/login", data=form, timeout=60).status_code

    statuses = burst(BURST, prepare)
    assert set(statuses) <= {401, 429}, statuses
    race_data.expire_all()
    account = race_data.scalar(select(Account).where(Account.person_id == person.id))
    failed = race_data.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.event == "login_failed", AuditEvent.actor_id == account.id)
    )
    assert failed == 5, f"{failed} wrong passwords were weighed ({statuses})"
    assert statuses.count(401) == 4 and statuses.count(429) == BURST - 4, statuses
    assert account.locked_until is not None
    now = dt.datetime.now(dt.UTC)
    assert account.locked_until.replace(tzinfo=dt.UTC) > now + dt.timedelta(minutes=14)

    browser, token = login_client(race_server, "race-owner")
    right = {"identifier": code, "password": factories.PASSWORD, "csrf_token": token}
    response = browser.post(race_server.url + "/login", data=right, timeout=60)
    assert response.status_code == 429
    assert "khóa" in response.text


def recovery_client(server: LiveServer, device: str, code: str, phone: str):
    """A browser that asked for a recovery code for `code` and `phone`."""
    browser = requests.Session()
    browser.cookies.set("device_id", device, domain="127.0.0.1")
    token = csrf_token(browser.get(server.url + "/quen-mat-khau", timeout=30).text)
    form = {"identifier": code, "channel": "sms", "contact": phone, "csrf_token": token}
    return browser, form


def sms_bodies(session, phone: str) -> list[str]:
    session.expire_all()
    return list(
        session.scalars(
            select(OutboxMessage.body)
            .where(OutboxMessage.recipient == phone)
            .order_by(OutboxMessage.id)
        )
    )


def test_parallel_wrong_codes_count_every_try(race_server, race_data):
    """24 wrong OTP codes at once: five are weighed (each "tries left" said once), then the code
    is void, and the right code afterwards is refused."""
    person = factories.person(phone="0912555001")
    race_data.commit()
    browser, form = recovery_client(race_server, "race-otp", person.bhxh_code, person.phone)
    assert browser.post(race_server.url + "/quen-mat-khau", data=form, timeout=60).ok
    (sms,) = sms_bodies(race_data, person.phone)
    code = re.search(r"\b(\d{6})\b", sms).group(1)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page = browser.get(race_server.url + "/quen-mat-khau/ma-otp", timeout=30).text
    token = csrf_token(page)

    def prepare(i: int):
        thread_browser = requests.Session()
        thread_browser.cookies.update(browser.cookies)
        data = {"code": wrong, "csrf_token": token}
        url = race_server.url + "/quen-mat-khau/ma-otp"
        return lambda: thread_browser.post(url, data=data, timeout=60).text

    pages = burst(BURST, prepare)
    said = [re.search(r"Bạn còn (\d) lần thử", page) for page in pages]
    lefts = sorted(int(match.group(1)) for match in said if match)
    assert lefts == [1, 2, 3, 4], lefts
    assert sum("không còn hiệu lực" in page for page in pages) == BURST - 4
    right = browser.post(
        race_server.url + "/quen-mat-khau/ma-otp", data={"code": code, "csrf_token": token}
    )
    assert right.status_code == 400 and "không còn hiệu lực" in right.text


def test_parallel_requests_send_one_code(race_server, race_data):
    """Twelve recovery requests for one phone at once: one SMS, the others told to wait."""
    person = factories.person(phone="0912555002")
    race_data.commit()
    code, phone, url = person.bhxh_code, person.phone, race_server.url + "/quen-mat-khau"

    def prepare(i: int):
        browser, form = recovery_client(race_server, f"race-send-{i}", code, phone)
        return lambda: browser.post(url, data=form, timeout=60, allow_redirects=False).status_code

    statuses = burst(12, prepare)
    assert set(statuses) == {302}, statuses
    assert len(sms_bodies(race_data, phone)) == 1


@pytest.fixture(scope="module")
def throttled_server(tmp_path_factory):
    """A server whose per-address throttles are small and in force, shared by every worker
    (Redis when one answers; else one process, whose memory every thread shares)."""
    env = {
        "FIND_CODE_LIMIT_PER_IP": "3 per minute",
        "FEEDBACK_LIMIT_PER_IP": "3 per minute",
        "REGISTRATION_LIMIT_PER_IP": "3 per minute",
        "API_LIMIT_PER_KEY": "3 per minute",
    }
    kind, workers = "threaded", 1
    if postgres_url():
        kind, workers = "gunicorn", 1
        if redis_answers():
            workers = 3
            env["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379"
            env["RATELIMIT_KEY_PREFIX"] = f"throttled-{uuid.uuid4().hex}"
    folder = tmp_path_factory.mktemp("throttled")
    with serve(folder, "throttled", kind=kind, workers=workers, env=env) as (server, _seeded):
        yield server


def form_burst(server: LiveServer, path: str, fields: dict[str, str], count: int = 12) -> list[int]:
    """`count` browsers send the form at `path` at once; their statuses."""

    def prepare(i: int):
        browser = requests.Session()
        token = csrf_token(browser.get(server.url + path, timeout=30).text)
        data = {**fields, "csrf_token": token}
        return lambda: (
            browser.post(
                server.url + path, data=data, timeout=60, allow_redirects=False
            ).status_code
        )

    return burst(count, prepare)


def test_parallel_searches_for_a_code_are_throttled(throttled_server):
    """Twelve searches at once from one address, three a minute allowed: three run."""
    fields = {"full_name": "Không Có Ai", "date_of_birth": "01/01/1990", "province": "01"}
    statuses = form_burst(throttled_server, "/tra-cuu-ma-so-bhxh?cach=ngay-sinh", fields)
    assert sorted(statuses) == [200] * 3 + [429] * 9, statuses


def test_parallel_feedback_is_throttled(throttled_server):
    """Twelve messages at once from one address, three a minute allowed: three recorded."""
    fields = {
        "name": "Nguyễn Văn Gửi",
        "phone": "0912555003",
        "topic": "app",
        "body": "Ứng dụng chạy chậm khi mở thẻ BHYT.",
    }
    statuses = form_burst(throttled_server, "/ho-tro/phan-anh", fields)
    assert sorted(statuses) == [302] * 3 + [429] * 9, statuses
    app = throttled_server.app()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Feedback)) == 3


def test_parallel_card_checks_are_limited_per_key(throttled_server):
    """Twelve card checks at once with one facility's key, three a minute allowed: three are
    answered (and audited), nine get the API's JSON 429; another key has its own three."""
    from webapp.services import card_check

    app = throttled_server.app()
    with app.app_context():
        facility = factories.facility()
        officer = factories.officer(username=f"canbo.{uuid.uuid4().hex[:8]}")
        keys = [
            card_check.create_key(facility, label, officer, dt.datetime.now(dt.UTC))[1]
            for label in ("Quầy 1", "Quầy 2")
        ]
        db.session.commit()
    body = {"qr": "not a card", "clerk": {"name": "Lê Thị Đón", "id_number": "001190012345"}}

    def check(key: str):
        def prepare(i: int):
            session = requests.Session()
            headers = {"Authorization": f"Bearer {key}"}
            url = throttled_server.url + "/api/v1/card-checks"
            return lambda: session.post(url, json=body, headers=headers, timeout=60)

        return prepare

    answers = burst(12, check(keys[0]))
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [400] * 3 + [429] * 9, statuses
    assert {a.json()["error"]["code"] for a in answers if a.status_code == 429} == {"rate_limited"}
    assert sorted(a.status_code for a in burst(4, check(keys[1]))) == [400] * 3 + [429]
    with app.app_context():
        audited = db.session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.event == "card_check")
        )
        assert audited == 6


def test_an_unknown_code_locks_like_a_known_one_under_a_burst(race_server, race_data):
    """The same burst against a code that has an account and one that has none gets the same
    answers, in the same numbers: a burst cannot tell which codes exist."""
    person = factories.person()
    race_data.commit()
    known = person.bhxh_code
    unknown = "0199" + known[4:]

    def answers(code: str) -> list[int]:
        def prepare(i: int):
            browser, token = login_client(race_server, f"race-{code}-{i}")
            form = {"identifier": code, "password": f"doan-sai-{i}", "csrf_token": token}
            url = race_server.url + "/login"
            return lambda: browser.post(url, data=form, timeout=60).status_code

        return sorted(burst(BURST, prepare))

    assert answers(known) == answers(unknown) == [401] * 4 + [429] * (BURST - 4)


def test_parallel_sign_ins_on_several_phones_open_one_session(race_server, race_data):
    """Five phones (as many attempts as may be weighed at once) sign in to one account at once
    with the right password: one is signed in, the four others are asked for the OTP that takes
    the account over (one device at a time)."""
    person = factories.person()
    race_data.commit()
    code, url = person.bhxh_code, race_server.url + "/login"

    def prepare(i: int):
        browser, token = login_client(race_server, f"race-phone-{i}")
        form = {"identifier": code, "password": factories.PASSWORD, "csrf_token": token}

        def send() -> str:
            response = browser.post(url, data=form, timeout=60, allow_redirects=False)
            return response.headers.get("Location") or str(response.status_code)

        return send

    places = burst(5, prepare)
    assert sorted(places) == ["/ca-nhan/"] + ["/login/thiet-bi-khac"] * 4, places
    race_data.expire_all()
    open_sessions = race_data.scalar(
        select(func.count())
        .select_from(DeviceSession)
        .join(Account)
        .where(Account.person_id == person.id, DeviceSession.revoked_at.is_(None))
    )
    assert open_sessions == 1


def test_parallel_subscriptions_of_one_phone_keep_one_row(race_server, race_data):
    """The push switch pressed on one phone, its request sent 24 times at once: every
    answer is "on", and the phone has one subscription (the last), never a server error."""
    from tests.test_notifications import FCM, Device

    person = factories.person()
    race_data.commit()
    code, person_id = person.bhxh_code, person.id
    browser, token = login_client(race_server, "race-push-phone")
    form = {"identifier": code, "password": factories.PASSWORD, "csrf_token": token}
    assert browser.post(race_server.url + "/login", data=form, timeout=60).ok
    token = csrf_token(browser.get(race_server.url + "/ca-nhan/", timeout=30).text)
    url = race_server.url + "/ca-nhan/thong-bao/push"

    def prepare(i: int):
        body = Device(f"{FCM}race-{person_id}-{i}").json()
        headers = {"X-CSRFToken": token}
        return lambda: browser.post(url, json=body, headers=headers, timeout=60).status_code

    assert burst(BURST, prepare) == [201] * BURST
    race_data.expire_all()
    rows = race_data.scalars(
        select(PushSubscription).join(Account).where(Account.person_id == person_id)
    ).all()
    assert len(rows) == 1 and rows[0].device_id == "race-push-phone"


def test_one_passkey_answer_sent_at_once_signs_in_once(race_server, race_data):
    """The same passkey answer, posted 24 times at once with the session it was made for: the
    challenge is claimed by one request; the others find it used and sign nobody in."""
    from tests.soft_authenticator import SoftAuthenticator
    from webapp.models import Passkey

    person = factories.person()
    race_data.commit()
    port = race_server.url.rsplit(":", 1)[1]
    authenticator = SoftAuthenticator(origin=f"http://localhost:{port}")
    race_data.add(
        Passkey(
            account_id=person.account.id,
            credential_id=authenticator.credential_id,
            public_key=authenticator._public_key(),
            sign_count=0,
            device_name="Điện thoại đua",
            created_at=dt.datetime.now(dt.UTC),
        )
    )
    race_data.commit()
    browser, token = login_client(race_server, "race-passkey")
    headers = {"X-CSRFToken": token, "Content-Type": "application/json"}
    options = browser.post(
        race_server.url + "/login/passkey/tuy-chon", data="{}", headers=headers, timeout=30
    ).json()
    answer = json.dumps(authenticator.get(options))

    def prepare(i: int):
        copy = requests.Session()
        copy.cookies.update(browser.cookies)
        url = race_server.url + "/login/passkey"
        return lambda: copy.post(url, data=answer, headers=headers, timeout=60).status_code

    statuses = burst(BURST, prepare)
    assert statuses.count(200) == 1, statuses
    assert set(statuses) <= {200, 400, 401}, statuses
    race_data.expire_all()
    opened = race_data.scalar(
        select(func.count())
        .select_from(DeviceSession)
        .where(DeviceSession.account_id == person.account.id)
    )
    assert opened == 1


def signed_in(server: LiveServer, person, device: str) -> tuple[requests.Session, str]:
    browser, token = login_client(server, device)
    response = browser.post(
        server.url + "/login",
        data={"identifier": person.bhxh_code, "password": factories.PASSWORD, "csrf_token": token},
        timeout=30,
    )
    assert response.url.endswith("/ca-nhan/"), response.url
    return browser, csrf_token(browser.get(server.url + "/ca-nhan/gia-dinh", timeout=30).text)


def test_one_delegation_per_code_and_one_answer_per_offer(race_server, race_data):
    """The grantor's SMS code sent 24 times at once offers one delegation (one open per pair);
    the delegate's "accept" pressed 24 times at once accepts it once, and "end" pressed 24
    times at once by both sides ends it once: one notification each."""
    from webapp.models import Delegation, Notification

    grantor = factories.person(
        full_name="Đinh Văn Trao", phone=f"0913{uuid.uuid4().int % 10**6:06d}"
    )
    delegate = factories.person(full_name="Đinh Thị Nhận")
    race_data.commit()
    browser, token = signed_in(race_server, grantor, "race-grantor")
    form = browser.post(
        race_server.url + "/ca-nhan/gia-dinh/uy-quyen",
        data={
            "csrf_token": token,
            "bhxh_code": delegate.bhxh_code,
            "full_name": delegate.full_name,
            "parts": ["card", "book"],
            "period": "30",
        },
        timeout=30,
    )
    assert form.url.endswith("/uy-quyen/otp"), form.url
    race_data.expire_all()
    body = race_data.scalars(
        select(OutboxMessage.body).where(OutboxMessage.recipient == grantor.phone)
    ).all()[-1]
    code = re.search(r"\b(\d{6})\b", body).group(1)

    def confirm(i: int):
        copy = requests.Session()
        copy.cookies.update(browser.cookies)
        url = race_server.url + "/ca-nhan/gia-dinh/uy-quyen/otp"
        data = {"csrf_token": token, "code": code}
        return lambda: copy.post(url, data=data, timeout=60, allow_redirects=False).status_code

    statuses = burst(BURST, confirm)
    assert set(statuses) <= {302, 400}, statuses
    race_data.expire_all()
    delegations = race_data.scalars(
        select(Delegation).where(Delegation.grantor_id == grantor.account.id)
    ).all()
    assert len(delegations) == 1, delegations
    delegation = delegations[0]

    other, other_token = signed_in(race_server, delegate, "race-delegate")

    def press(session, csrf, action: str):
        url = f"{race_server.url}/ca-nhan/gia-dinh/uy-quyen/{delegation.id}/{action}"

        def prepare(i: int):
            copy = requests.Session()
            copy.cookies.update(session.cookies)
            data = {"csrf_token": csrf}
            return lambda: copy.post(url, data=data, timeout=60, allow_redirects=False)

        return prepare

    accepts = burst(BURST, press(other, other_token, "chap-nhan"))
    assert [r.status_code for r in accepts].count(302) == 1, [r.status_code for r in accepts]
    both = [press(browser, token, "ket-thuc"), press(other, other_token, "ket-thuc")]
    ends = burst(BURST, lambda i: both[i % 2](i))
    assert [r.status_code for r in ends].count(302) == 1, [r.status_code for r in ends]
    race_data.expire_all()
    assert race_data.get(Delegation, delegation.id).state == "ended"

    def notified(account_id: int, kind: str) -> int:
        return race_data.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.account_id == account_id, Notification.kind == kind)
        )

    assert notified(grantor.account.id, "delegation_accepted") == 1
    ended = notified(grantor.account.id, "delegation_ended") + notified(
        delegate.account.id, "delegation_ended"
    )
    assert ended == 1
