"""Fixtures that read like the user: `app`, `client`, `clock`, `citizen` (signed in), `login`,
`officer` (signed in, in a browser of its own), `officer_login`.

Every full page a test fetches through `client.page(...)` is checked for the page invariants:
valid HTML, one <h1>, a title that starts with it, unique ids, forms with an action, every
script carrying the CSP nonce of its response, and error summaries whose links lead to the
page's fields in the page's order.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

import html5lib
import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import text

from tests import factories
from webapp import create_app
from webapp.config import TestConfig
from webapp.extensions import db
from webapp.models import Officer
from webapp.services.clock import FixedClock

NOW = dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội


def _schema_of_this_process() -> None:
    """Under pytest-xdist, each worker process truncates and recreates tables: on PostgreSQL it
    gets a schema of its own in TEST_DATABASE_URL's database (TestConfig reads the name)."""
    from tests.live import _sqlalchemy_url, postgres_url

    worker, url = os.environ.get("PYTEST_XDIST_WORKER"), postgres_url()
    if not (worker and url):
        return
    from sqlalchemy import create_engine

    schema = f"test_{worker}"
    engine = create_engine(_sqlalchemy_url(url))
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA IF NOT EXISTS {schema}"))
    engine.dispose()
    os.environ["TEST_DATABASE_SCHEMA"] = schema


_schema_of_this_process()


def check_page(response) -> BeautifulSoup:
    """Assert the invariants every full HTML page keeps, and return it parsed."""
    body = response.get_data(as_text=True)
    html5lib.HTMLParser(strict=True).parse(body)  # raises on invalid HTML
    soup = BeautifulSoup(body, "html.parser")
    h1s = soup.find_all("h1")
    assert len(h1s) == 1, f"expected exactly one <h1>, found {len(h1s)}"
    title = " ".join(soup.title.get_text().split())
    heading = " ".join(h1s[0].get_text().split())
    assert re.sub(r"^(Lỗi|Error): ", "", title).startswith(heading), (title, heading)
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(ids) == len(set(ids)), (
        f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    )
    for form in soup.find_all("form"):
        assert form.get("action"), f"form without action: {str(form)[:80]}"
    check_error_summary(soup)
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    for script in soup.find_all("script"):
        assert script.get("nonce") == nonce, f"script without the CSP nonce: {str(script)[:80]}"
    return soup


def check_error_summary(soup: BeautifulSoup) -> None:
    """An error summary is announced and focusable (app.js focuses it), and its links lead to
    fields of the page in the order the page shows them."""
    position = {tag.get("id"): n for n, tag in enumerate(soup.find_all(True)) if tag.get("id")}
    for summary in soup.select(".error-summary"):
        assert summary.get("role") == "alert" and summary.get("tabindex") == "-1", summary
        targets = [link["href"][1:] for link in summary.select("a[href^='#']")]
        assert all(t in position for t in targets), (targets, "a link leads to no field")
        order = [position[t] for t in targets]
        assert order == sorted(order), f"the summary lists {targets}, not in the page's order"


class PageClient(FlaskClient):
    def open(self, *args, **kwargs):
        """Each request in an app context of its own, as in production: a fresh `g` and its
        own database session (the test's session keeps its objects; refresh them to re-read)."""
        with self.application.app_context():
            return super().open(*args, **kwargs)

    def page(self, url: str, status: int = 200, **kw) -> BeautifulSoup:
        """GET a full page, check its status and invariants, return it parsed."""
        response = self.get(url, **kw)
        assert response.status_code == status, (url, response.status_code)
        return check_page(response)

    def htmx(self, url: str, **kw):
        """GET as htmx does for a non-boosted swap."""
        headers = {"HX-Request": "true", **kw.pop("headers", {})}
        return self.get(url, headers=headers, **kw)


def _reset_postgres() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


_schema_ready = False


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def app(clock):
    global _schema_ready
    app = create_app(TestConfig)
    app.extensions["clock"] = clock
    app.test_client_class = PageClient
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            if not _schema_ready:
                db.drop_all()
                db.create_all()
                _schema_ready = True
            _reset_postgres()
        else:
            db.create_all()
        yield app
        db.session.rollback()
        db.session.remove()
        if db.engine.dialect.name == "sqlite":
            db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app) -> PageClient:
    return app.test_client()


@pytest.fixture
def csrf_disabled(app):
    """For tests of a form's own rules (CSRF itself is tested on its own)."""
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def login(client):
    def sign_in(identifier: str, password: str = factories.PASSWORD, c: PageClient | None = None):
        c = c or client
        soup = c.page("/login")
        token = soup.find("input", attrs={"name": "csrf_token"})["value"]
        return c.post(
            "/login", data={"identifier": identifier, "password": password, "csrf_token": token}
        )

    return sign_in


@pytest.fixture
def citizen(app, client, login):
    """A signed-in citizen with a card; `client` is their browser."""
    person = factories.person(full_name="Trần Văn Bình")
    factories.card(person)
    db.session.commit()
    response = login(person.bhxh_code)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return person


@dataclass
class SignedInOfficer:
    record: Officer
    browser: PageClient


@pytest.fixture
def officer_login(app):
    """Sign an officer in at /officer, in a browser of their own (or `c`)."""

    def sign_in(username: str, password: str = factories.OFFICER_PASSWORD, c=None):
        c = c or app.test_client()
        soup = c.page("/officer/")
        token = soup.find("input", attrs={"name": "csrf_token"})["value"]
        return c.post(
            "/officer/", data={"username": username, "password": password, "csrf_token": token}
        )

    return sign_in


@pytest.fixture
def officer(app, officer_login) -> SignedInOfficer:
    """A signed-in officer (admin: every office's dossiers), in a browser of their own."""
    record = factories.officer(username="canbo.duyet", full_name="Đỗ Văn Duyệt")
    db.session.commit()
    browser = app.test_client()
    response = officer_login(record.username, c=browser)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return SignedInOfficer(record, browser)


@pytest.fixture
def other_citizen(app):
    """Another citizen, with records of their own, whom `citizen` must never see."""
    person = factories.person(full_name="Lê Thị Hoa")
    factories.card(person)
    factories.visit(person, admitted_on=dt.date(2025, 2, 3), diagnosis="Bệnh riêng của người khác")
    factories.period(person, occupation="Nghề riêng của người khác")
    factories.benefit(person, amount=7_777_777)
    db.session.commit()
    return person


@pytest.fixture(scope="session")
def race_server(tmp_path_factory):
    """A real server for bursts of parallel requests (tests/live.py): Flask's threaded server
    on SQLite, or gunicorn with three workers on PostgreSQL (the limiter in Redis when one
    answers). Its per-address throttles are lifted: every request of a test comes from
    127.0.0.1, whereas an attack comes from many addresses, so the rules under test must hold
    in the database by themselves."""
    from tests.live import postgres_url, redis_answers, serve

    unlimited = "100000 per minute"
    env = {
        name: unlimited
        for name in (
            "LOGIN_LIMIT_PER_IP",
            "OTP_LIMIT_PER_IP",
            "RECOVERY_LIMIT_PER_IP",
            "RECOVERY_LIMIT_PER_IDENTIFIER",
            "REGISTRATION_LIMIT_PER_IP",
            "FIND_CODE_LIMIT_PER_IP",
        )
    }
    kind, workers = "threaded", 1
    if postgres_url():
        kind, workers = "gunicorn", 3
        if redis_answers():
            env["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:6379"
            env["RATELIMIT_KEY_PREFIX"] = f"races-{os.getpid()}"
    folder = tmp_path_factory.mktemp("races")
    with serve(folder, "races", kind=kind, workers=workers, env=env) as (server, _seeded):
        yield server


@pytest.fixture
def race_data(race_server):
    """An app context bound to the race server's database: seed it, then read what it holds."""
    app = race_server.app()
    with app.app_context():
        yield db.session
        db.session.remove()


def pytest_report_header(config):
    from tests.live import postgres_url

    database = "PostgreSQL (TEST_DATABASE_URL)" if postgres_url() else "SQLite"
    limiter = "Redis (TEST_REDIS_URL)" if os.environ.get("TEST_REDIS_URL") else "memory"
    return f"database: {database}; limiter storage: {limiter}"


# Modules whose tests start real servers or processes (besides tests/e2e/).
LIVE_MODULES = ("test_races", "test_make_run", "test_workers")


def pytest_collection_modifyitems(config, items):
    if not items:
        raise pytest.UsageError("No tests were collected: the suite must never pass empty.")
    # Under pytest-xdist (`make test`), the tests that start real processes and load them
    # (browser, parallel requests, several workers) run one after the other in one process,
    # beside the independent ones.
    # Every test in tests/e2e drives Chromium, whether or not its module says so.
    for item in items:
        if item.path.parent.name == "e2e":
            item.add_marker(pytest.mark.browser)
        if item.path.parent.name == "e2e" or item.path.name.startswith(LIVE_MODULES):
            item.add_marker(pytest.mark.xdist_group("live"))
    if os.environ.get("REQUIRE_BROWSER") == "1":
        return
    if not os.path.exists(os.environ.get("CHROMIUM", "/usr/bin/chromium")):
        skip = pytest.mark.skip(
            reason="Chromium is not installed (REQUIRE_BROWSER=1 makes this an error)"
        )
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """What a test reported for people to read (the route fuzzer's counts, the assistant's
    accuracy), in every run's output (also under -q and from xdist workers): CI logs show them.
    A test reports a line with `record_property("summary", line)`."""
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "call":
                continue
            for name, line in getattr(report, "user_properties", ()):
                if name == "summary":
                    terminalreporter.write_line(line)
