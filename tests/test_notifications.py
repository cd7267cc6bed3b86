"""X4 notifications: the inbox fed by events, and Web Push to the citizen's devices.

Pushes are sent for real, with pywebpush, to a small push service on 127.0.0.1 run by the test:
the request is decrypted with the device's private key to prove what a push carries (a title
and a link, nothing personal), and the service's answers (201, 410, 500) drive what happens to
the subscription.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import event, func, select

from tests import factories
from webapp import workers
from webapp.extensions import db
from webapp.models import Notification, NotificationScan, PushSubscription
from webapp.services import cards, notifications, push
from webapp.services.clock import as_utc
from webapp.services.push import generate_vapid_keys

INBOX = "/ca-nhan/thong-bao"
PUSH_URL = "/ca-nhan/thong-bao/push"
FCM = "https://fcm.googleapis.com/fcm/send/"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Device:
    """A browser's push subscription: its own P-256 key pair and 16-byte auth secret."""

    def __init__(self, endpoint: str) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.endpoint = endpoint
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = b64url(public)

    def json(self) -> dict:
        """What `PushSubscription.toJSON()` gives the page."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": b64url(self.auth)},
        }

    def decrypt(self, body: bytes) -> dict:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth, version="aes128gcm"
        )
        return json.loads(plain)


@pytest.fixture
def vapid(app):
    private, public = generate_vapid_keys()
    app.config.update(VAPID_PRIVATE_KEY=private, VAPID_PUBLIC_KEY=public)
    return public


def today(clock) -> dt.date:
    return clock.today()


def account_id(person) -> int:
    return person.account.id


def titles(soup) -> list[str]:
    return [" ".join(a.get_text(" ").split()) for a in soup.select(".inbox-item a")]


# ---- notify ---------------------------------------------------------------------------------


def test_the_same_event_never_notifies_twice(app, clock):
    person = factories.person()
    first = notifications.notify(
        account_id(person), "password_changed", clock.now(), dedupe_key="password:1"
    )
    again = notifications.notify(
        account_id(person), "password_changed", clock.now(), dedupe_key="password:1"
    )
    assert first is not None and again is None
    assert first.link == "/ca-nhan/" and first.read_at is None and first.pushed_at is None
    # Without a key every call is a new event; another account may use the same key.
    notifications.notify(account_id(person), "new_device", clock.now())
    notifications.notify(account_id(person), "new_device", clock.now())
    other = factories.person()
    assert notifications.notify(
        account_id(other), "password_changed", clock.now(), dedupe_key="password:1"
    )
    assert notifications.unread_count(account_id(person)) == 3
    with pytest.raises(ValueError):
        notifications.notify(account_id(person), "lottery_won", clock.now())
    for link in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "/a b"):
        with pytest.raises(ValueError):
            notifications.notify(account_id(person), "new_device", clock.now(), link=link)


# ---- scan_events ------------------------------------------------------------------------------


def _scan(clock):
    created = notifications.scan_events(clock.now(), clock.today())
    db.session.commit()
    return created


def _kinds(person) -> list[tuple[str, str | None]]:
    return [
        (n.kind, n.dedupe_key)
        for n in db.session.scalars(
            select(Notification)
            .where(Notification.account_id == account_id(person))
            .order_by(Notification.id)
        )
    ]


def test_scan_warns_of_a_card_in_its_last_30_days_exactly_as_the_card_page_does(app, clock):
    day = today(clock)
    last_day = factories.person()
    last_day_card = factories.card(last_day, valid_to=day)
    thirty_left = factories.person()
    thirty_card = factories.card(thirty_left, valid_to=day + dt.timedelta(days=29))
    thirty_one_left = factories.person()
    thirty_one_card = factories.card(thirty_one_left, valid_to=day + dt.timedelta(days=30))
    expired = factories.person()
    factories.card(expired, valid_to=day - dt.timedelta(days=1))
    renewed = factories.person()
    factories.card(renewed, valid_to=day + dt.timedelta(days=10))
    factories.card(
        renewed, valid_from=day + dt.timedelta(days=11), valid_to=day + dt.timedelta(days=376)
    )
    no_account = factories.person(account=False)
    factories.card(no_account, valid_to=day + dt.timedelta(days=5))
    db.session.commit()

    assert cards.card_state(thirty_card, day) == "expiring"
    assert cards.card_state(thirty_one_card, day) == "valid"
    created = _scan(clock)

    assert _kinds(last_day) == [("card_expiring", f"card_expiring:{last_day_card.id}")]
    assert _kinds(thirty_left) == [("card_expiring", f"card_expiring:{thirty_card.id}")]
    assert _kinds(thirty_one_left) == []
    assert _kinds(expired) == []
    # Already renewed: nothing to warn about (but the renewal itself is news).
    assert [kind for kind, _key in _kinds(renewed)] == ["card_renewed"]
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 3
    assert created == {"card_expiring": 2, "card_renewed": 1}
    thirty = db.session.scalar(
        select(Notification).where(Notification.account_id == account_id(thirty_left))
    )
    assert thirty.params == {"valid_to": thirty_card.valid_to.isoformat()}
    assert thirty.link == "/ca-nhan/the-bhyt"

    # Running again creates nothing; a day later, the 31-day card enters its last 30 days.
    assert _scan(clock) == {}
    clock.advance(days=1)
    assert _scan(clock) == {"card_expiring": 1}
    assert _kinds(thirty_one_left) == [("card_expiring", f"card_expiring:{thirty_one_card.id}")]


def test_scan_announces_a_renewed_card_but_not_a_first_or_old_one(app, clock):
    day = today(clock)
    renewed = factories.person()
    factories.card(renewed, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 12, 31))
    new_card = factories.card(
        renewed, valid_from=dt.date(2027, 1, 1), valid_to=dt.date(2027, 12, 31)
    )
    first_card_only = factories.person()
    factories.card(first_card_only, valid_from=day - dt.timedelta(days=3))
    long_ago = factories.person()
    factories.card(long_ago, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 12, 31))
    factories.card(long_ago, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 12, 31))
    no_account = factories.person(account=False)
    factories.card(no_account, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 12, 31))
    factories.card(no_account, valid_from=dt.date(2027, 1, 1), valid_to=dt.date(2027, 12, 31))
    db.session.commit()

    assert _scan(clock) == {"card_renewed": 1}
    (row,) = db.session.scalars(select(Notification)).all()
    assert row.account_id == account_id(renewed)
    assert row.dedupe_key == f"card_renewed:{new_card.id}"
    assert row.params == {"valid_from": "2027-01-01", "valid_to": "2027-12-31"}
    assert _scan(clock) == {}


def test_scan_announces_visits_recorded_since_the_last_scan(app, clock):
    patient = factories.person()
    old_visit = factories.visit(patient, admitted_on=dt.date(2024, 3, 9))
    recent = factories.visit(patient, admitted_on=today(clock) - dt.timedelta(days=2))
    no_account = factories.person(account=False)
    factories.visit(no_account, admitted_on=today(clock) - dt.timedelta(days=1))
    db.session.commit()

    # The first scan: recent visits only (a new deployment does not announce years of them).
    assert _scan(clock) == {"medical_visit": 1}
    assert _kinds(patient) == [("medical_visit", f"visit:{recent.id}")]
    assert db.session.get(NotificationScan, "visit").last_id > old_visit.id
    assert _scan(clock) == {}

    clock.advance(hours=3)
    facility = factories.facility(name="Bệnh viện Bạch Mai")
    arrived = factories.visit(
        patient,
        admitted_on=today(clock) - dt.timedelta(days=5),
        facility_id=facility.id,
        diagnosis="Chẩn đoán riêng tư",
    )
    db.session.commit()
    assert _scan(clock) == {"medical_visit": 1}
    row = db.session.scalar(
        select(Notification).where(Notification.dedupe_key == f"visit:{arrived.id}")
    )
    assert row.link == f"/ca-nhan/so-kham-chua-benh/luot/{arrived.id}"
    assert row.params == {"date": arrived.admitted_on.isoformat(), "facility": "Bệnh viện Bạch Mai"}
    assert "Chẩn đoán" not in json.dumps(row.params, ensure_ascii=False)
    assert _scan(clock) == {}


@pytest.mark.parametrize("scans_before", [0, 1], ids=["first scan", "later scan"])
def test_scan_reads_and_inserts_its_events_a_chunk_at_a_time(app, clock, monkeypatch, scans_before):
    """More events than a chunk, on a first scan (streamed from a cursor) and a later one: each
    is notified once, in account order, and a second scan finds nothing."""
    monkeypatch.setattr(notifications, "INSERT_CHUNK", 2)
    for _ in range(scans_before):
        _scan(clock)
    clock.advance(hours=1)
    patients = [factories.person() for _ in range(3)]
    visits = [
        factories.visit(patient, admitted_on=today(clock) - dt.timedelta(days=days))
        for patient in patients
        for days in (1, 2)
    ]
    db.session.commit()

    assert _scan(clock) == {"medical_visit": 6}
    rows = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    assert sorted(row.dedupe_key for row in rows) == sorted(f"visit:{v.id}" for v in visits)
    assert [row.account_id for row in rows] == sorted(row.account_id for row in rows)
    assert _scan(clock) == {}


def test_scan_announces_a_benefit_once_it_is_paid(app, clock):
    person = factories.person()
    decided = factories.benefit(
        person, decided_on=today(clock) - dt.timedelta(days=3), paid_on=None
    )
    factories.benefit(person, paid_on=dt.date(2024, 5, 10))  # long paid: history, not news
    no_account = factories.person(account=False)
    factories.benefit(no_account, paid_on=today(clock))
    db.session.commit()
    assert _scan(clock) == {}

    # The back office fills in the payment date later, on the same row.
    decided.paid_on = today(clock)
    db.session.commit()
    assert _scan(clock) == {"benefit_paid": 1}
    (row,) = db.session.scalars(select(Notification)).all()
    assert row.account_id == account_id(person)
    assert row.params == {"date": today(clock).isoformat(), "regime": "sickness"}
    assert row.link == "/ca-nhan/thong-tin-huong"
    assert _scan(clock) == {}


# ---- the inbox --------------------------------------------------------------------------------


@pytest.fixture
def inbox_of_citizen(citizen, clock):
    """Three notifications for the signed-in citizen, oldest first."""
    account = account_id(citizen)
    made = [
        notifications.notify(
            account,
            "card_expiring",
            clock.now() - dt.timedelta(days=2),
            params={"valid_to": "2026-12-24"},
            dedupe_key="card_expiring:1",
        ),
        notifications.notify(
            account,
            "medical_visit",
            clock.now() - dt.timedelta(days=1),
            link="/ca-nhan/so-kham-chua-benh",
            params={"date": "2026-11-20", "facility": "Bệnh viện Đa khoa Đức Giang"},
        ),
        notifications.notify(account, "password_changed", clock.now()),
    ]
    db.session.commit()
    return made


def test_inbox_lists_newest_first_in_vietnamese_with_unread_marked(client, inbox_of_citizen):
    soup = client.page(INBOX)
    assert soup.h1.get_text() == "Thông báo"
    assert titles(soup) == [
        "Mới Mật khẩu của bạn đã được thay đổi",
        "Mới Sổ khám chữa bệnh có lượt khám mới: Bệnh viện Đa khoa Đức Giang, ngày 20/11/2026",
        "Mới Thẻ BHYT của bạn sẽ hết hạn vào ngày 24/12/2026",
    ]
    assert len(soup.select(".inbox-unread")) == 3
    assert "Nếu không phải bạn thực hiện, hãy gọi ngay tổng đài 1900 9068." in soup.get_text()
    assert soup.select_one(".inbox-time time").get_text() == "25/11/2026 10:00"
    badge = soup.select_one("a.topbar-inbox")
    assert badge["href"] == INBOX
    assert " ".join(badge.get_text(" ").split()) == "3 3 thông báo chưa đọc"
    assert soup.select_one(".topbar-count")["aria-hidden"] == "true"


def test_inbox_in_english_renders_the_same_rows_in_english(client, inbox_of_citizen):
    soup = client.page(INBOX)
    token = soup.select_one("form.lang-switch input[name=csrf_token]")["value"]
    client.post("/language", data={"lang": "en", "next": INBOX, "csrf_token": token})
    soup = client.page(INBOX)
    assert titles(soup)[2] == "New Your health insurance card expires on 24/12/2026"
    assert soup.select_one("a.topbar-inbox .visually-hidden").get_text() == "3 unread notifications"


def test_opening_an_entry_marks_it_read_and_leads_to_its_page(client, inbox_of_citizen):
    expiring = inbox_of_citizen[0]
    response = client.get(f"{INBOX}/{expiring.id}")
    assert response.status_code == 303
    assert response.headers["Location"] == "/ca-nhan/the-bhyt"
    db.session.refresh(expiring)
    assert expiring.read_at is not None
    soup = client.page("/ca-nhan/")
    assert soup.select_one(".topbar-count").get_text() == "2"
    tile = soup.find("a", href=INBOX, class_="tile")
    assert " ".join(tile.get_text(" ").split()) == "2 Thông báo (2 thông báo chưa đọc)"
    assert len(client.page(INBOX).select(".inbox-unread")) == 2


def test_mark_all_as_read_needs_the_form_token(client, inbox_of_citizen):
    soup = client.page(INBOX)
    form = soup.select_one("form.inbox-actions")
    assert client.post(form["action"]).status_code == 400
    token = form.select_one("input[name=csrf_token]")["value"]
    response = client.post(form["action"], data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == INBOX
    soup = client.page(INBOX)
    assert soup.select(".inbox-unread") == [] and soup.select_one(".topbar-count") is None
    assert soup.select_one("a.topbar-inbox .visually-hidden").get_text() == "Thông báo"
    assert soup.select_one("form.inbox-actions") is None


def test_unread_count_is_counted_with_the_session_once_per_page(app, client, inbox_of_citizen):
    counts = []

    def record(conn, cursor, statement, params, context, executemany):
        if "count(" in statement.lower() and "notification" in statement.lower():
            counts.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        client.page("/ca-nhan/")  # top bar and home tile
        client.page(INBOX)  # top bar and the lead
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(counts) == 2
    assert all("from device_session" in statement.lower() for statement in counts)


def test_inbox_pages_by_twenty_and_swaps_only_the_list(client, citizen, clock):
    for n in range(25):
        notifications.notify(
            account_id(citizen), "new_device", clock.now() + dt.timedelta(minutes=n)
        )
    db.session.commit()
    soup = client.page(INBOX)
    assert len(soup.select(".inbox-item")) == 20
    older = soup.select_one(".pager a")
    assert older["href"] == f"{INBOX}?page=2" and older["hx-get"] == older["href"]
    response = client.htmx(older["href"])
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert "<h1" not in body and body.count('class="inbox-item') == 5
    assert len(client.page(f"{INBOX}?page=2").select(".inbox-item")) == 5
    client.page(f"{INBOX}?page=3", status=404)
    client.page(f"{INBOX}?page=0", status=404)


def test_an_empty_inbox_says_so(client, citizen):
    soup = client.page(INBOX)
    assert "Chưa có thông báo nào." in soup.get_text()
    assert soup.select_one(".topbar-count") is None


def test_a_citizen_never_sees_another_citizens_notifications(client, citizen, other_citizen, clock):
    theirs = notifications.notify(
        account_id(other_citizen),
        "medical_visit",
        clock.now(),
        params={"date": "2026-11-20", "facility": "Bệnh viện riêng của người khác"},
    )
    db.session.commit()
    assert client.get(f"{INBOX}/{theirs.id}").status_code == 404
    db.session.refresh(theirs)
    assert theirs.read_at is None
    soup = client.page(INBOX)
    assert "người khác" not in soup.get_text()
    assert soup.select_one(".topbar-count") is None


def test_signed_out_visitors_are_sent_to_login(client):
    for url in (INBOX, f"{INBOX}/1"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_kept_offline_page_shows_nothing_of_the_account(client, inbox_of_citizen):
    soup = client.page("/offline")
    assert soup.select_one("a.topbar-inbox") is None


# ---- subscribing --------------------------------------------------------------------------------


def _token(client) -> str:
    return client.page("/ca-nhan/").select_one("#push")["data-csrf-token"]


def _post(client, body, token: str | None, method: str = "POST"):
    headers = {"X-CSRFToken": token} if token else {}
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.open(
        PUSH_URL, method=method, data=data, headers=headers, content_type="application/json"
    )


def test_the_home_page_offers_the_switch_with_the_servers_key(client, citizen, vapid):
    soup = client.page("/ca-nhan/")
    panel = soup.select_one("#push")
    assert panel.has_attr("hidden")  # shown by push.js where the browser supports push
    assert panel["data-vapid-key"] == vapid
    assert panel["data-url"] == PUSH_URL and panel["data-subscribed"] == "false"
    switch = panel.select_one("#push-switch")
    assert switch["role"] == "switch" and switch["aria-checked"] == "false"
    assert soup.select_one('script[src$="/js/push.js"]') is not None


def test_a_subscription_is_kept_per_account_and_device(client, citizen, vapid, clock):
    device = Device(FCM + "abc123")
    response = _post(client, device.json(), _token(client))
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {
        "subscribed": True,
        "message": "Đã bật thông báo trên điện thoại này.",
    }
    (row,) = db.session.scalars(select(PushSubscription)).all()
    assert row.account_id == account_id(citizen) and row.endpoint == device.endpoint
    assert row.p256dh == device.p256dh and row.auth == b64url(device.auth)
    assert row.device_id == client.get_cookie("device_id").value
    assert client.page("/ca-nhan/").select_one("#push")["data-subscribed"] == "true"

    # The same phone subscribing again (a new endpoint) replaces its subscription.
    renewed = Device(FCM + "def456")
    assert _post(client, renewed.json(), _token(client)).status_code == 201
    db.session.expire_all()
    assert db.session.scalars(select(PushSubscription.endpoint)).all() == [renewed.endpoint]

    response = _post(client, "", _token(client), method="DELETE")
    assert response.status_code == 200 and response.get_json()["subscribed"] is False
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


def test_an_endpoint_moves_to_the_citizen_now_using_the_browser(
    app, client, citizen, other_citizen, vapid, clock
):
    device = Device(FCM + "shared-phone")
    db.session.add(
        PushSubscription(
            account_id=account_id(other_citizen),
            device_id="their-device",
            endpoint=device.endpoint,
            p256dh=device.p256dh,
            auth=b64url(device.auth),
            created_at=clock.now(),
        )
    )
    db.session.commit()
    assert _post(client, device.json(), _token(client)).status_code == 201
    db.session.expire_all()
    (row,) = db.session.scalars(select(PushSubscription)).all()
    assert row.account_id == account_id(citizen)


def _valid() -> dict:
    return Device(FCM + "abc").json()


def _with(**changes) -> dict:
    body = _valid()
    for name, value in changes.items():
        if name in ("p256dh", "auth"):
            body["keys"][name] = value
        else:
            body[name] = value
    return body


SERVICE = (
    "Địa chỉ đăng ký nhận thông báo không thuộc dịch vụ thông báo của trình duyệt nào được hỗ trợ."
)
HTTPS = "Địa chỉ đăng ký nhận thông báo không phải là một địa chỉ https:// hợp lệ."
FORMAT = "Trình duyệt gửi thông tin đăng ký nhận thông báo mà trang này không đọc được."
P256DH = "Khóa công khai (p256dh) của đăng ký nhận thông báo không phải là khóa P-256."
AUTH = "Mã bí mật (auth) của đăng ký nhận thông báo phải gồm 16 byte, mã hóa base64url."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", FORMAT),
        ("", FORMAT),
        ("[" * 3000 + "]" * 3000, "Thông tin đăng ký nhận thông báo quá lớn."),
        ("[" * 2000, FORMAT),
        ([], FORMAT),
        ({"endpoint": FCM + "x"}, FORMAT),
        (_with(endpoint="http://fcm.googleapis.com/fcm/send/x"), HTTPS),
        (_with(endpoint="javascript:alert(1)"), HTTPS),
        (_with(endpoint="https://user:pw@fcm.googleapis.com/x"), HTTPS),
        (_with(endpoint=FCM + "x y"), HTTPS),
        (_with(endpoint=FCM + "\u0000"), HTTPS),
        (_with(endpoint=FCM + "a" * 1000), HTTPS),
        (_with(endpoint=123), HTTPS),
        (_with(endpoint="https://169.254.169.254/latest/meta-data"), SERVICE),
        (_with(endpoint="https://[::1]/push"), SERVICE),
        (_with(endpoint="https://localhost/push"), SERVICE),
        (_with(endpoint="https://evil.example/push"), SERVICE),
        (_with(endpoint="https://fcm.googleapis.com.evil.example/push"), SERVICE),
        (_with(endpoint="https://fcm.googleapis.com:8443/push"), SERVICE),
        (_with(p256dh="not base64!"), P256DH),
        (_with(p256dh=b64url(b"\x04" + b"\x01" * 64)), P256DH),  # not a point on the curve
        (_with(p256dh=b64url(os.urandom(33))), P256DH),
        (_with(p256dh=None), P256DH),
        (_with(auth=b64url(os.urandom(8))), AUTH),
        (_with(auth="<script>"), AUTH),
        (_with(auth=["x"]), AUTH),
    ],
)
def test_hostile_or_broken_subscriptions_are_refused_with_a_message(
    client, citizen, vapid, body, message
):
    response = _post(client, body, _token(client))
    assert response.status_code == 400
    assert response.get_json() == {"error": message}
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


def test_subscribing_needs_the_csrf_token(client, citizen, vapid):
    assert _post(client, _valid(), None).status_code == 400
    assert _post(client, _valid(), "forged").status_code == 400
    assert _post(client, "", None, method="DELETE").status_code == 400
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 0


def test_subscribing_needs_a_signed_in_citizen(client, vapid):
    token = client.page("/login").find("input", attrs={"name": "csrf_token"})["value"]
    response = _post(client, _valid(), token)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_without_vapid_keys_there_is_no_switch(app, client, citizen):
    app.config.update(VAPID_PRIVATE_KEY=None, VAPID_KEY_FILE=None)
    soup = client.page("/ca-nhan/")
    assert soup.select_one("#push") is None
    token = soup.select_one("form.logout input[name=csrf_token]")["value"]
    response = _post(client, _valid(), token)
    assert response.status_code == 404 and "error" in response.get_json()


def test_the_demo_keeps_its_vapid_key_in_the_instance_folder(app, tmp_path):
    app.config.update(VAPID_PRIVATE_KEY=None, VAPID_KEY_FILE=str(tmp_path / "vapid_private_key"))
    first = push.vapid_keys(app.config)
    assert (tmp_path / "vapid_private_key").stat().st_mode & 0o777 == 0o600
    assert push.vapid_keys(app.config).public_key == first.public_key
    assert len(base64.urlsafe_b64decode(first.public_key + "==")) == 65


def test_a_public_key_that_does_not_match_is_a_configuration_error(app):
    app.config.update(
        VAPID_PRIVATE_KEY=generate_vapid_keys()[0], VAPID_PUBLIC_KEY=generate_vapid_keys()[1]
    )
    with pytest.raises(ValueError, match="VAPID_PUBLIC_KEY"):
        push.vapid_keys(app.config)


def test_vapid_keys_command_prints_a_working_pair(app):
    result = app.test_cli_runner().invoke(args=["vapid-keys"])
    assert result.exit_code == 0, result.output
    values = dict(line.split("=", 1) for line in result.output.split())
    app.config.update(
        VAPID_PRIVATE_KEY=values["VAPID_PRIVATE_KEY"], VAPID_PUBLIC_KEY=values["VAPID_PUBLIC_KEY"]
    )
    assert push.vapid_keys(app.config).public_key == values["VAPID_PUBLIC_KEY"]


# ---- delivery to a real (local) push service --------------------------------------------------


class _Server(ThreadingHTTPServer):
    request_queue_size = 64  # the sending threads of several workers connect at once


class PushService:
    """A push service on 127.0.0.1: records every request; answers 201, or what `answers`
    says for a path ("/gone" → 410)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.answers: dict[str, int] = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.requests.append(
                    {"path": self.path, "headers": dict(self.headers.items()), "body": body}
                )
                self.send_response(service.answers.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def to(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


def _subscribe(person, device: Device, device_id: str, clock) -> PushSubscription:
    """What the endpoint stores after its checks; stored directly here because the test's push
    service is http://127.0.0.1, which the endpoint rightly refuses."""
    row = push.subscribe(
        account_id(person),
        device_id,
        push.Subscription(device.endpoint, device.p256dh, b64url(device.auth)),
        clock.now(),
    )
    db.session.commit()
    return row


def _deliver(clock):
    counts = push.deliver_pushes(clock.now())
    db.session.commit()
    return counts


def test_a_push_is_encrypted_signed_and_says_nothing_personal(
    app, citizen, vapid, clock, push_service
):
    phone = Device(push_service.url + "/push/phone")
    _subscribe(citizen, phone, "phone", clock)
    visit = factories.visit(
        citizen,
        admitted_on=clock.today() - dt.timedelta(days=1),
        diagnosis="Viêm phổi do vi khuẩn",
    )
    db.session.commit()
    assert _scan(clock) == {"medical_visit": 1}
    notification = db.session.scalar(select(Notification))

    assert _deliver(clock) == {"sent": 1, "done": 1}
    (request,) = push_service.to("/push/phone")
    headers = {name.lower(): value for name, value in request["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["ttl"] == str(push.PUSH_TTL_SECONDS)
    scheme, _sep, credentials = headers["authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in credentials.split(","))
    assert fields["k"] == vapid
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(
        ec.SECP256R1(), base64.urlsafe_b64decode(fields["k"] + "==")
    )
    claims = jwt.decode(fields["t"], public_key, algorithms=["ES256"], audience=push_service.url)
    assert claims["sub"] == app.config["VAPID_SUBJECT"]

    message = phone.decrypt(request["body"])
    assert message == {
        "title": "Bạn có thông báo mới từ VssID",
        "url": f"/ca-nhan/thong-bao/{notification.id}",
    }
    raw = json.dumps(message, ensure_ascii=False)
    person = citizen
    for secret in (
        person.full_name,
        person.bhxh_code,
        visit.diagnosis,
        visit.icd10,
        visit.facility.name,
        str(visit.total_cost),
    ):
        assert secret not in raw
    db.session.refresh(notification)
    assert notification.pushed_at is not None
    assert _deliver(clock) == {}
    assert len(push_service.requests) == 1


def test_pushes_speak_the_accounts_language_and_group_several(
    app, citizen, vapid, clock, push_service
):
    citizen.account.locale = "en"
    phone = Device(push_service.url + "/push/phone")
    _subscribe(citizen, phone, "phone", clock)
    notifications.notify(account_id(citizen), "password_changed", clock.now())
    db.session.commit()
    _deliver(clock)
    assert phone.decrypt(push_service.requests[-1]["body"])["title"] == (
        "Your VssID password was changed"
    )
    for kind in ("card_expiring", "benefit_paid"):
        notifications.notify(account_id(citizen), kind, clock.now(), params={})
    db.session.commit()
    _deliver(clock)
    assert phone.decrypt(push_service.requests[-1]["body"]) == {
        "title": "You have 2 new notifications from VssID",
        "url": "/ca-nhan/thong-bao",
    }


def test_a_gone_subscription_is_deleted_and_a_failing_one_is_tried_again(
    app, citizen, vapid, clock, push_service
):
    phone, tablet, old = (
        Device(push_service.url + f"/push/{n}") for n in ("phone", "tablet", "old")
    )
    _subscribe(citizen, phone, "phone", clock)
    _subscribe(citizen, tablet, "tablet", clock)
    _subscribe(citizen, old, "old", clock)
    push_service.answers.update({"/push/old": 410, "/push/tablet": 500})
    first = notifications.notify(account_id(citizen), "new_device", clock.now())
    db.session.commit()

    assert _deliver(clock) == {"sent": 1, "gone": 1, "failed": 1}
    devices = {s.device_id: s for s in db.session.scalars(select(PushSubscription))}
    assert set(devices) == {"phone", "tablet"}  # 410: deleted
    assert devices["tablet"].failures == 1 and as_utc(devices["tablet"].retry_at) > clock.now()
    assert "500" in devices["tablet"].last_error
    db.session.refresh(first)
    assert first.pushed_at is None  # still due on the tablet

    # Before the delay is over nothing is sent; after it, only the tablet gets it.
    assert _deliver(clock) == {}
    push_service.answers["/push/tablet"] = 201
    clock.advance(minutes=2)
    assert _deliver(clock) == {"sent": 1, "done": 1}
    assert len(push_service.to("/push/phone")) == 1
    assert len(push_service.to("/push/tablet")) == 2
    assert tablet.decrypt(push_service.to("/push/tablet")[-1]["body"])["url"] == (
        f"/ca-nhan/thong-bao/{first.id}"
    )
    db.session.refresh(first)
    assert first.pushed_at is not None


def test_a_device_that_cannot_be_reached_is_given_up_on_when_the_news_is_old(
    app, citizen, vapid, clock
):
    _subscribe(citizen, Device("http://127.0.0.1:9/push/nowhere"), "phone", clock)
    notification = notifications.notify(account_id(citizen), "new_device", clock.now())
    db.session.commit()
    assert _deliver(clock) == {"failed": 1}
    clock.advance(hours=25)
    assert _deliver(clock) == {"done": 1}
    db.session.refresh(notification)
    assert notification.pushed_at is not None
    assert db.session.scalar(select(func.count()).select_from(PushSubscription)) == 1


def test_only_notifications_after_subscribing_are_pushed(app, citizen, vapid, clock, push_service):
    notifications.notify(account_id(citizen), "new_device", clock.now())
    db.session.commit()
    _subscribe(citizen, Device(push_service.url + "/push/phone"), "phone", clock)
    assert _deliver(clock) == {"done": 1}
    assert push_service.requests == []


def test_the_worker_scans_and_delivers_without_waiting(app, citizen, vapid, clock, push_service):
    phone = Device(push_service.url + "/push/phone")
    _subscribe(citizen, phone, "phone", clock)
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        clock.advance(seconds=seconds)
        if len(waits) == 1:  # back-office data arrives between two rounds
            factories.benefit(citizen, paid_on=clock.today())
            db.session.commit()

    worker = workers.run_notifications(clock, 60, iterations=2, sleep=sleep)
    rounds = list(worker)
    assert waits == [60]
    assert [dict(created) for created, _pushed in rounds] == [{}, {"benefit_paid": 1}]
    assert dict(rounds[1][1]) == {"sent": 1, "done": 1}
    assert re.fullmatch(
        r"/ca-nhan/thong-bao/\d+", phone.decrypt(push_service.requests[0]["body"])["url"]
    )


def test_the_notifications_commands(app, citizen, clock):
    factories.visit(citizen, admitted_on=clock.today())
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["notifications", "scan"])
    assert result.exit_code == 0 and "medical_visit" in result.output
    result = runner.invoke(args=["notifications", "deliver"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["notifications", "work", "--rounds", "1"])
    assert result.exit_code == 0, result.output


def test_the_service_worker_shows_pushes_and_opens_their_page(client):
    source = client.get("/sw.js").get_data(as_text=True)
    assert 'addEventListener("push"' in source
    assert "showNotification" in source and '"/icons/192.png"' in source
    assert 'addEventListener("notificationclick"' in source and "openWindow" in source
