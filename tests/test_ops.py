"""Operations (issue 11, item 10): liveness and readiness for the load balancer, Prometheus
metrics behind a token, JSON log lines and audit rows that carry the request id."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import re
import subprocess
import sys
import textwrap

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from tests import factories
from tests.conftest import NOW, PageClient
from tests.live import ROOT, free_port, redis_answers
from webapp import create_app, logs
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.models import AuditEvent, NotificationScan, OutboxMessage
from webapp.services import audit

TOKEN = "metrics-token-for-this-test"  # noqa: S105
FRESH_ID = re.compile(r"[0-9a-f]{32}")


def _closed_port() -> int:
    """A local port nothing listens on (it was free a moment ago)."""
    return free_port()


def _csrf(client: PageClient, url: str) -> str:
    return client.page(url).find("input", attrs={"name": "csrf_token"})["value"]


def _sign_in(client: PageClient, identifier: str, password: str, **kw):
    token = _csrf(client, "/login")
    return client.post(
        "/login",
        data={"identifier": identifier, "password": password, "csrf_token": token},
        **kw,
    )


# --- liveness and readiness ----------------------------------------------------------------------


def test_liveness_answers_ok_and_is_never_stored(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert response.headers["Cache-Control"] == "no-store"


def test_readiness_is_ready_when_the_database_answers(app, client):
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"  # no Redis to check (the suite may use one)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_readiness_checks_redis_when_the_limits_are_kept_there(app, client):
    if not redis_answers():
        pytest.skip("no Redis answers on 127.0.0.1:6379")
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379/15"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "redis": "ok"},
    }


def test_readiness_fails_when_redis_is_unreachable_and_names_only_what_failed(app, client):
    port = _closed_port()
    app.config["RATELIMIT_STORAGE_URI"] = f"redis://:redis-secret@127.0.0.1:{port}/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "failed"},
    }
    body = response.get_data(as_text=True)
    for secret in ("redis-secret", "127.0.0.1", str(port), "redis://"):
        assert secret not in body


class UnreachableDatabaseConfig(TestConfig):
    """A PostgreSQL server that is not there (a closed local port)."""

    def __init__(self, instance_path: str) -> None:
        super().__init__(instance_path)
        self.SQLALCHEMY_DATABASE_URI = (
            f"postgresql+psycopg://vssid:db-secret@127.0.0.1:{_closed_port()}/vssid"
            "?connect_timeout=2"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}  # none of a test schema's
        self.RATELIMIT_STORAGE_URI = "memory://"  # the database alone is checked here


@pytest.fixture
def no_database_app():
    app = create_app(UnreachableDatabaseConfig)
    app.test_client_class = PageClient
    yield app
    with app.app_context():
        db.engine.dispose()


def test_readiness_fails_when_the_database_is_unreachable(no_database_app):
    response = no_database_app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "checks": {"database": "failed"}}
    body = response.get_data(as_text=True)
    for secret in ("db-secret", "vssid", "127.0.0.1", "postgresql"):
        assert secret not in body
    # alive all the same: the load balancer must not restart a worker for the database
    assert no_database_app.test_client().get("/healthz").status_code == 200


def test_probes_never_read_or_set_a_session_or_a_cookie(client, citizen):
    """A signed-in browser's cookies are neither refreshed nor varied on."""
    assert client.get_cookie("session") is not None
    for url in ("/healthz", "/readyz"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, url
        assert "Cookie" not in response.vary, url


def test_an_unchanged_session_cookie_is_signed_again_only_after_an_hour(
    client, citizen, monkeypatch
):
    """A signed-in page leaves an unchanged cookie alone (no signature, no Set-Cookie); an
    hour after it was signed, the next page signs it again with a new expiry, so a phone in
    use stays signed in for the session lifetime after its last use."""
    from webapp.ops import SessionInterface

    assert client.get("/ca-nhan/").status_code == 200  # the first page keeps a CSRF token
    before = client.get_cookie("session").value
    response = client.get("/ca-nhan/the-bhyt")
    assert response.status_code == 200
    assert "session=" not in " ".join(response.headers.getlist("Set-Cookie"))
    assert client.get_cookie("session").value == before

    # an hour later (the hour shortened to nothing)
    monkeypatch.setattr(SessionInterface, "REFRESH_AFTER", dt.timedelta(0))
    response = client.get("/ca-nhan/the-bhyt")
    assert response.status_code == 200
    set_cookie = " ".join(response.headers.getlist("Set-Cookie"))
    assert "session=" in set_cookie and "Expires=" in set_cookie
    # the re-signed cookie still signs the citizen in
    assert client.get("/ca-nhan/the-bhyt").status_code == 200


def _python(code: str, *args: str, **env: str) -> str:
    """Run `code` in a Python process of its own (what it sets up cannot leak into the other
    tests: the limiter and prometheus_client keep module-level state); its output."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_probes_are_exempt_from_rate_limits():
    """Every other route limited to 2 requests a minute per address: the probes still answer."""
    answers = _python(
        """
        from webapp import create_app
        from webapp.config import TestConfig

        class Limited(TestConfig):
            def __init__(self, instance_path):
                super().__init__(instance_path)
                self.RATELIMIT_APPLICATION = "2 per minute"

        app = create_app(Limited)
        with app.app_context():
            from webapp.extensions import db
            db.create_all()
        client = app.test_client()
        for url in ("/healthz", "/readyz", "/offline"):
            print(url, *[client.get(url).status_code for _ in range(4)])
        """
    )
    assert answers.splitlines() == [
        "/healthz 200 200 200 200",
        "/readyz 200 200 200 200",
        "/offline 200 200 429 429",
    ]


# --- metrics -------------------------------------------------------------------------------------


def _scrape(client, token: str | None = TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get("/metrics", headers=headers)


def _samples(client) -> dict[tuple[str, frozenset], float]:
    response = _scrape(client)
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
    }


def _value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_do_not_exist_without_a_token_configured(client):
    assert _scrape(client, token=None).status_code == 404
    assert _scrape(client, token="anything").status_code == 404


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer", TOKEN],
)
def test_metrics_are_refused_without_the_token(app, client, authorization):
    app.config["METRICS_TOKEN"] = TOKEN
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "vssid_" not in response.get_data(as_text=True)


def test_metrics_expose_latency_sign_in_failures_locks_and_backlogs(app, client, officer_login):
    app.config["METRICS_TOKEN"] = TOKEN
    person = factories.person()
    officer = factories.officer(username="canbo.thu")
    db.session.add(
        OutboxMessage(
            channel="sms",
            recipient="0912345678",
            body="…",
            created_at=NOW - dt.timedelta(minutes=10),
            status="pending",
            attempts=1,
            next_attempt_at=NOW,
        )
    )
    db.session.add(
        NotificationScan(source="visit", last_id=0, scanned_at=NOW - dt.timedelta(seconds=90))
    )
    db.session.commit()
    before = _samples(client)

    assert [_sign_in(client, person.bhxh_code, "sai").status_code for _ in range(6)] == [
        *[401] * 4,
        429,  # the 5th wrong password sets the lock
        429,  # refused while locked
    ]
    assert officer_login(officer.username, "sai").status_code == 401
    hostile_slug = "khong-co-bai-nay-" + "x" * 40
    assert client.get(f"/tin-tuc/{hostile_slug}").status_code == 404
    assert client.get("/no/such/page").status_code == 404
    after = _samples(client)

    def grew(name: str, **labels) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    latency = "vssid_http_request_duration_seconds_count"
    assert grew(latency, endpoint="auth.login", status="4xx") == 6
    assert grew(latency, endpoint="auth.login", status="2xx") == 6  # the forms
    assert grew(latency, endpoint="unmatched", status="4xx") == 1
    assert grew(latency, endpoint="ops.scrape", status="2xx") == 1
    failures = "vssid_sign_in_failures_total"
    assert grew(failures, role="citizen", reason="wrong") == 5
    assert grew(failures, role="citizen", reason="locked") == 1
    assert grew(failures, role="officer", reason="wrong") == 1
    assert grew("vssid_sign_in_locks_total", role="citizen") == 1
    assert grew("vssid_sign_in_locks_total", role="officer") == 0
    # read from the database when scraped, on the app's clock
    assert _value(after, "vssid_outbox_pending_messages") == 1
    assert _value(after, "vssid_outbox_oldest_pending_age_seconds") == 600
    assert _value(after, "vssid_notification_scan_lag_seconds") == 90
    # endpoints, never paths: what a visitor types does not become a series
    text = _scrape(client).get_data(as_text=True)
    assert hostile_slug not in text and "/no/such/page" not in text


def test_metrics_add_up_the_counts_of_every_worker_process(tmp_path):
    """prometheus_client's multiprocess mode, as webapp/gunicorn_config.py sets it up: a
    process counts 3 requests and ends; another counts 4, and its scrape shows 7."""
    folder = tmp_path / "metrics"
    folder.mkdir()
    serve = """
        import sys
        from webapp import create_app
        from webapp.config import TestConfig
        app = create_app(TestConfig)
        app.config["METRICS_TOKEN"] = sys.argv[2]
        with app.app_context():
            from webapp.extensions import db
            db.create_all()
        client = app.test_client()
        for _ in range(int(sys.argv[1])):
            assert client.get("/healthz").status_code == 200
        if sys.argv[3:] == ["scrape"]:
            response = client.get("/metrics", headers={"Authorization": "Bearer " + sys.argv[2]})
            print(response.get_data(as_text=True))
        """
    _python(serve, "3", TOKEN, PROMETHEUS_MULTIPROC_DIR=str(folder))
    scraped = _python(serve, "4", TOKEN, "scrape", PROMETHEUS_MULTIPROC_DIR=str(folder))
    counts = {
        sample.labels["endpoint"]: sample.value
        for family in text_string_to_metric_families(scraped)
        for sample in family.samples
        if sample.name == "vssid_http_request_duration_seconds_count"
    }
    assert counts["ops.liveness"] == 7


# --- request ids, logs and audit rows ------------------------------------------------------------


def test_a_well_formed_request_id_is_echoed(client):
    for given in ("lb-7f3a9c", "0af7651916cd43dd8448eb211c80319c", "a.b_c-1", "x" * 128):
        response = client.get("/healthz", headers={"X-Request-Id": given})
        assert response.headers["X-Request-Id"] == given


def test_a_request_id_is_generated_when_absent(client):
    first = client.get("/healthz").headers["X-Request-Id"]
    second = client.get("/").headers["X-Request-Id"]
    assert FRESH_ID.fullmatch(first) and FRESH_ID.fullmatch(second)
    assert first != second


@pytest.mark.parametrize(
    "hostile",
    ["", "x" * 129, "id with spaces", '"><script>alert(1)</script>', "id;drop", "ïd", "a\tb"],
)
def test_a_hostile_request_id_is_replaced_by_a_fresh_one(client, hostile):
    response = client.get("/healthz", headers={"X-Request-Id": hostile})
    assert FRESH_ID.fullmatch(response.headers["X-Request-Id"])


def test_the_request_id_lands_in_the_audit_rows_of_its_request(app, client):
    person = factories.person()
    db.session.commit()
    response = _sign_in(client, person.bhxh_code, "sai", headers={"X-Request-Id": "lb-audit-1"})
    assert response.status_code == 401
    assert response.headers["X-Request-Id"] == "lb-audit-1"
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "login_failed")).all()
    assert [row.request_id for row in rows] == ["lb-audit-1"]
    # a row written outside a request (a command, the worker) has none
    row = audit.record("officer_enabled", NOW)
    db.session.commit()
    assert row.request_id is None


def test_log_lines_are_json_with_the_request_id(no_database_app):
    stream = io.StringIO()
    handler = logs.json_handler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        client = no_database_app.test_client()
        client.get("/readyz", headers={"X-Request-Id": "lb-log-1"})
        client.get("/readyz")
    finally:
        root.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]  # each one JSON
    readiness = [line for line in lines if line["logger"] == "webapp.ops.views"]
    assert len(readiness) == 2
    first, second = readiness
    assert first["request_id"] == "lb-log-1"
    assert first["level"] == "WARNING"
    assert "database" in first["message"] and "db-secret" not in first["message"]
    assert first["timestamp"].endswith("+00:00")
    assert FRESH_ID.fullmatch(second["request_id"])
