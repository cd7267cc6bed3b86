"""Several processes of each background job at once, over the same data, on PostgreSQL.

The Procfile's `outbox`, `worker` and `clock` may each run on more than one machine. Each test
here migrates a database of its own (tests/live.py), seeds it, then starts two real processes of
the same command together and reads what was sent and what the database holds: every SMS and
email sent once, every event notified once and pushed once to each device, every expired
declaration deleted once.

Two processes started together do not necessarily meet in the database: one may be done before
the other has loaded the app. So the test holds the table the job reads first (`LOCK TABLE … IN
ACCESS EXCLUSIVE MODE`) until both processes wait on it, and then lets them go together.

SQLite has one writer and no row locks: its case is a single worker, and these tests skip there.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from flask import current_app
from sqlalchemy import func, select, text

from tests import factories
from tests.live import app_for, free_port, migrated, postgres_url, run
from tests.test_notifications import Device, PushService, b64url
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    Notification,
    OutboxMessage,
    PushSubscription,
    RegistrationDossier,
)
from webapp.services import messaging
from webapp.services.clock import Clock
from webapp.services.push import generate_vapid_keys

pytestmark = pytest.mark.skipif(
    postgres_url() is None,
    reason="several workers at once need row locks: set TEST_DATABASE_URL to a PostgreSQL"
    " database (on SQLite a single worker runs)",
)

WORKERS = 2


@pytest.fixture
def database(tmp_path) -> Iterator[dict[str, str]]:
    """A migrated database of this test's own: the environment its processes need."""
    (tmp_path / "uploads").mkdir()
    with migrated(tmp_path, "workers") as env:
        yield env


@pytest.fixture
def data(database):
    """An app context on that database, to seed it and to read what it holds."""
    with app_for(database).app_context():
        yield db.session
        db.session.remove()
        db.engine.dispose()


def flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "webapp", *args]


@contextlib.contextmanager
def held(table: str) -> Iterator[None]:
    """Hold `table` so that nothing reads it, until the block ends (in the data's database)."""
    with db.engine.connect() as connection, connection.begin():
        connection.execute(text(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"))
        yield


def waiting_on(table: str) -> int:
    """How many other sessions wait for a lock on `table`."""
    with db.engine.connect() as connection:
        return connection.scalar(
            text(
                "SELECT count(*) FROM pg_locks"
                " WHERE relation = CAST(:table AS regclass) AND NOT granted"
            ),
            {"table": table},
        )


def at_once(command: list[str], envs: list[dict[str, str]], table: str) -> list[str]:
    """Run `command` once per environment, in processes of their own, released together: each
    waits on `table`, held until all wait (or a minute passed: then the test's assertions say
    which one did not come). Each process's output, stdout then stderr, in order."""
    db.session.close()  # the test's reads end their transaction: nothing else holds the table
    with ThreadPoolExecutor(len(envs)) as pool:
        with held(table):
            running = [
                pool.submit(run, command, env, f"{' '.join(command[3:])} #{i}", with_stderr=True)
                for i, env in enumerate(envs)
            ]
            deadline = time.monotonic() + 60
            while waiting_on(table) < len(envs) and time.monotonic() < deadline:
                if any(future.done() for future in running):
                    break  # one ended (or failed) before reaching the table: its output says why
                time.sleep(0.05)  # waiting for processes to start, not for app time to pass
        return [future.result() for future in running]


def assert_no_error(outputs: list[str]) -> None:
    """No process logged an error (a round that failed and was rolled back, say)."""
    for output in outputs:
        assert "Traceback" not in output and "rror" not in output, output


# --- The outbox ---------------------------------------------------------------------------------


class Mailbox:
    """An SMTP server on 127.0.0.1 that keeps every email it is given."""

    def __init__(self) -> None:
        self.emails: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.emails.append(message)
        return "250 OK"


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture
def sms_provider() -> Iterator[PushService]:
    """An HTTP SMS provider on 127.0.0.1 (the test push service answers every POST 201)."""
    service = PushService()
    yield service
    service.close()


def test_two_outbox_workers_send_every_message_once(database, data, sms_provider, mailbox):
    """240 SMS and 160 emails due, two `flask outbox deliver` at once (100 a round each): the
    SMS provider and the SMTP server receive each message exactly once, and each row is sent
    after one attempt."""
    box, smtp_port = mailbox
    sending = {
        "SMS_BACKEND": "http",
        "SMS_HTTP_TOKEN": "sms-token",
        "EMAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
    }
    now = Clock().now() - dt.timedelta(minutes=1)
    config = {**current_app.config, **sending, "SMS_HTTP_URL": sms_provider.url + "/sms"}
    sms = {f"0912{i:06d}": f"VssID: ma xac thuc thu {i:03d}" for i in range(240)}
    emails = {f"nguoi{i:03d}@example.vn": f"Thu thu nghiem so {i:03d}" for i in range(160)}
    for phone, body in sms.items():
        messaging.send("sms", phone, body, now, config)
    for address, body in emails.items():
        messaging.send("email", address, body, now, config, subject=f"VssID {address}")
    data.commit()
    assert data.scalar(select(func.count()).where(OutboxMessage.status == "pending")) == 400

    # Each worker names itself to the SMS provider: a path of its own.
    envs = [
        {**database, **sending, "SMS_HTTP_URL": f"{sms_provider.url}/sms/{worker}"}
        for worker in ("a", "b")
    ]
    command = flask("outbox", "deliver", "--rounds", "5", "--interval", "0")
    outputs = at_once(command, envs, "outbox_message")
    assert_no_error(outputs)

    texts = [json.loads(request["body"]) for request in sms_provider.requests]
    received = Counter((sent["to"], sent["text"]) for sent in texts)
    assert received == Counter(sms.items())
    mailed = Counter((message["To"], message.get_content().strip()) for message in box.emails)
    assert mailed == Counter(emails.items())
    data.expire_all()
    rows = data.execute(select(OutboxMessage.status, OutboxMessage.attempts)).all()
    assert Counter(rows) == {("sent", 1): 400}
    delivered = [sum(map(int, re.findall(r"delivered (\d+)", output))) for output in outputs]
    assert sum(delivered) == 400 and min(delivered) > 0, delivered  # both took part
    by_worker = Counter(request["path"] for request in sms_provider.requests)
    assert set(by_worker) == {"/sms/a", "/sms/b"}, by_worker


# --- Notifications and Web Push ----------------------------------------------------------------


def test_two_notification_workers_notify_and_push_every_event_once(database, data):
    """200 persons with an account, each with a card expiring (or just renewed), a new medical
    visit and a benefit paid; two devices subscribed for a third of them, one for another third.
    Two `flask notifications work --rounds 3` at once: each event is one notification, and each
    device is pushed each of its account's notifications exactly once."""
    service = PushService()
    today = Clock().today()
    facility = factories.facility()
    expected: dict[int, set[str]] = {}
    devices: dict[str, tuple[int, Device]] = {}
    for i in range(200):
        person = factories.person()
        if i % 2:
            card = factories.card(
                person,
                valid_from=today - dt.timedelta(days=330),
                valid_to=today + dt.timedelta(days=10),
                facility_id=facility.id,
            )
            card_key = f"card_expiring:{card.id}"
        else:
            factories.card(
                person,
                valid_from=today - dt.timedelta(days=400),
                valid_to=today - dt.timedelta(days=5),
                facility_id=facility.id,
            )
            card = factories.card(
                person,
                group_code="HT",
                valid_from=today - dt.timedelta(days=4),
                valid_to=today + dt.timedelta(days=360),
                facility_id=facility.id,
            )
            card_key = f"card_renewed:{card.id}"
        visit = factories.visit(
            person,
            admitted_on=today - dt.timedelta(days=3),
            discharged_on=today - dt.timedelta(days=2),
            facility_id=facility.id,
        )
        benefit = factories.benefit(person, paid_on=today - dt.timedelta(days=4))
        account_id = person.account.id
        expected[account_id] = {card_key, f"visit:{visit.id}", f"benefit:{benefit.id}"}
        for n in range(i % 3):  # no device, one, or two
            path = f"/push/{account_id}-{n}"
            device = Device(service.url + path)
            devices[path] = (account_id, device)
            data.add(
                PushSubscription(
                    account_id=account_id,
                    device_id=f"device-{n}",
                    endpoint=device.endpoint,
                    p256dh=device.p256dh,
                    auth=b64url(device.auth),
                    created_at=Clock().now(),
                    pushed_through=0,
                )
            )
    data.commit()

    private, public = generate_vapid_keys()
    env = {**database, "VAPID_PRIVATE_KEY": private, "VAPID_PUBLIC_KEY": public}
    command = flask("notifications", "work", "--rounds", "3", "--interval", "0")
    try:
        outputs = at_once(command, [env] * WORKERS, "push_subscription")
    finally:
        service.close()
    assert_no_error(outputs)

    data.expire_all()
    notified = data.execute(
        select(Notification.account_id, Notification.dedupe_key, Notification.id)
    ).all()
    keys: dict[int, set[str]] = {account_id: set() for account_id in expected}
    for account_id, key, _id in notified:
        keys[account_id].add(key)
    assert keys == expected and len(notified) == 600
    created = [
        sum(int(count) for count in re.findall(r"'\w+': (\d+)", line.split(";")[0]))
        for output in outputs
        for line in output.splitlines()
        if line.startswith("notifications created")
    ]
    assert sum(created) == 600, outputs

    ids_of: dict[int, set[int]] = {account_id: set() for account_id in expected}
    for account_id, _key, notification_id in notified:
        ids_of[account_id].add(notification_id)
    assert {r["path"] for r in service.requests} == set(devices)
    for path, (account_id, device) in devices.items():
        # A push of one notification links to it; a push of several says how many.
        pushed: list[int] = []
        many = 0
        for request in service.to(path):
            message = device.decrypt(request["body"])
            single = re.fullmatch(r"/ca-nhan/thong-bao/(\d+)", message["url"])
            if single:
                pushed.append(int(single.group(1)))
            else:
                many += int(re.search(r"\d+", message["title"]).group())
        assert many + len(pushed) == len(ids_of[account_id]), (path, many, pushed)
        assert len(set(pushed)) == len(pushed) and set(pushed) <= ids_of[account_id], pushed
    assert data.scalar(select(func.count()).where(Notification.pushed_at.is_(None))) == 0
    assert data.scalar(select(func.min(PushSubscription.pushed_through))) > 0


# --- The clock ----------------------------------------------------------------------------------


def test_two_clocks_delete_each_expired_declaration_once(database, data):
    """300 declarations past their 10 days and 20 still within them, each with its photo; two
    `flask dossiers expire` at once: each expired one deleted once, one audit row each, its
    photo removed; the others and their photos untouched."""
    uploads = Path(database["DOSSIER_UPLOAD_FOLDER"])
    now = Clock().now()
    expired, kept = [], []
    for i in range(320):
        late = i < 300
        declared = now - dt.timedelta(days=11 if late else 2, minutes=i)
        dossier = factories.dossier(declared_at=declared, photo_path=f"anh-{i:03d}.jpg")
        (uploads / dossier.photo_path).write_bytes(b"\xff\xd8 photo")
        (expired if late else kept).append((dossier.id, dossier.number, dossier.photo_path))
    data.commit()

    command = flask("dossiers", "expire")
    outputs = at_once(command, [database] * WORKERS, "registration_dossier")
    assert_no_error(outputs)

    deleted = [int(re.search(r"deleted: (\d+)", output).group(1)) for output in outputs]
    assert sum(deleted) == 300, deleted
    data.expire_all()
    remaining = set(data.scalars(select(RegistrationDossier.id)))
    assert remaining == {dossier_id for dossier_id, _number, _photo in kept}
    audited = data.execute(
        select(AuditEvent.subject_id, AuditEvent.detail).where(
            AuditEvent.event == "dossier_expired"
        )
    ).all()
    assert Counter(subject for subject, _detail in audited) == Counter(
        dossier_id for dossier_id, _number, _photo in expired
    )
    assert {detail["number"] for _subject, detail in audited} == {n for _i, n, _p in expired}
    assert sorted(p.name for p in uploads.iterdir()) == sorted(photo for _i, _n, photo in kept)
