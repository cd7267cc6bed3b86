"""Browser tests against the real app: migrated database, gunicorn, headless Chromium.

`live_server` (one per test session) is a gunicorn process serving a database that
`flask db upgrade` created (so the Alembic migration is exercised, not `create_all`) and a small
seed filled with `tests.factories`: one citizen, whose password is `factories.PASSWORD`, with a
card and medical visits in three years; three BHXH offices, a facility, and the FAQ and news of
the content files.

The database is a temporary SQLite file. When TEST_DATABASE_URL names a PostgreSQL server, the
server runs there instead, in a schema of its own (`e2e_<pid>`, created here and dropped at the
end): the migration is then proven on PostgreSQL too, and the unit tests, which drop and truncate
the tables of the default schema, can never pull the data from under the running server.

`page` is a phone-sized Chromium tab in Vietnamese whose console errors, uncaught exceptions and
CSP violations are collected in `console_errors`; a test that leaves any there fails.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.live import LiveServer, serve

# Lets a route see (and abort) the service worker's own fetches, so "offline" means offline for
# the worker too (microsoft/playwright#2311; see tests/README.md). Read when Playwright starts.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
SCREENS = Path("/tmp/vssid-screens")  # a copy of the screenshots, for people to look at

# Run in a subprocess with the server's environment: it sees exactly the database the server
# sees, and nothing of it leaks into this pytest process. It prints the citizen as JSON.
SEED = """
import datetime as dt, json
from tests import factories
from webapp import create_app
from webapp.extensions import db

app = create_app()
with app.app_context():
    person = factories.person(
        full_name="Trần Thị Kiểm Thử", bhxh_code="0123456789", cccd="001300123456"
    )
    card = factories.card(person, group_code="DN", benefit_level=4)
    visits = {
        2026: ("J02.9", "Viêm họng cấp"),
        2025: ("I10", "Tăng huyết áp vô căn (nguyên phát)"),
        2024: ("K29.7", "Viêm dạ dày, không đặc hiệu"),
    }
    for year, (icd10, diagnosis) in visits.items():
        factories.visit(person, admitted_on=dt.date(year, 3, 9), icd10=icd10, diagnosis=diagnosis)
    factories.period(person, scheme="bhxh", occupation="Kế toán viên")
    factories.benefit(person)
    # A citizen of their own for the forgotten-password test, which changes the password.
    factories.person(
        full_name="Phạm Văn Hay Quên", bhxh_code="0123400001", cccd="001300400001",
        phone="0912000001",
    )
    # Citizens of their own for the passkey tests (test_passkeys_browser.py), one a test.
    for n in (2, 3, 4, 5, 6, 7):
        factories.person(
            full_name="Lê Văn Vân Tay", bhxh_code=f"012340000{n}", cccd=f"00130040000{n}",
            phone=f"091200000{n}",
        )
    # The family (test_family_browser.py): a mother, head of her household, with a son of 8;
    # and an elderly father who gives his grown daughter access to his card and medical book.
    from webapp.models import Household
    house = Household(code="HG010000099", head_name="Hồ Thị Mẹ", address="Số 9, phố Thử",
                      province_code="01")
    db.session.add(house)
    db.session.flush()
    factories.person(
        full_name="Hồ Thị Mẹ", bhxh_code="0123400011", cccd="001300400011", phone="0912000011",
        household_id=house.id, household_relation="head",
    )
    son = factories.person(
        account=False, full_name="Hồ Văn Con", bhxh_code="0123400012", cccd=None,
        date_of_birth=dt.date.today().replace(year=dt.date.today().year - 8, day=1),
        household_id=house.id, household_relation="child", guardian_name="Hồ Thị Mẹ",
    )
    factories.card(son, group_code="TE", benefit_level=1)
    father = factories.person(
        full_name="Vũ Văn Ông", bhxh_code="0123400013", cccd="001300400013",
        phone="0912000013", date_of_birth=dt.date(1950, 6, 1),
    )
    factories.card(father, group_code="HT", benefit_level=2)
    factories.visit(father, admitted_on=dt.date(2026, 2, 2), diagnosis="Đau khớp gối")
    factories.person(
        full_name="Vũ Thị Con", bhxh_code="0123400014", cccd="001300400014",
        phone="0912000014",
    )
    # Public directories and the FAQ, for the lookups, the map and the virtual assistant.
    from webapp.models import BhxhOffice
    from webapp.services import content
    from webapp.services.text import fold
    for code, name, province, lat, lng in [
        ("01000", "BHXH thành phố Hà Nội", "01", 21.0245, 105.8412),
        ("01001", "BHXH cơ sở Ba Đình", "01", 21.0356, 105.8141),
        ("48000", "BHXH thành phố Đà Nẵng", "48", 16.0678, 108.2208),
    ]:
        db.session.add(BhxhOffice(
            code=code, name=name, name_folded=fold(name), province_code=province,
            level="province" if code.endswith("000") else "commune",
            address="Số 1, phố Thử", phone="024 3333 4444", latitude=lat, longitude=lng,
        ))
    factories.facility(name="Bệnh viện Đa khoa Xanh Pôn", code="01101", issues_sick_leave=True)
    content.load(parts=("faq", "news"))  # as `flask content load` loads them
    # The back-office (test_registration_browser.py): an officer, a person the HGĐ registry
    # knows who registers in the browser, and two dossiers already waiting in the queue.
    factories.officer(username="canbo.e2e", full_name="Cán Bộ Kiểm Thử", role="admin")
    # An officer of their own for the passkey test (test_passkeys_browser.py).
    factories.officer(username="canbo.khoa", full_name="Cán Bộ Dùng Khóa", role="reviewer")
    factories.person(
        account=False, full_name="Ngô Thị Đăng Ký", bhxh_code="0123400077",
        cccd="001190000077", phone=None,
    )
    for number, hours in (("HS2026-000101", 30), ("HS2026-000102", 5)):
        factories.dossier(
            number=number, declared_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)
        )
    db.session.commit()
    print(json.dumps({
        "bhxh_code": person.bhxh_code,
        "password": factories.PASSWORD,
        "full_name": person.full_name,
        "card_number": card.number,
        "visits": {str(year): diagnosis for year, (_icd, diagnosis) in visits.items()},
    }))
"""


@dataclass
class Citizen:
    bhxh_code: str
    password: str
    full_name: str
    card_number: str
    visits: dict[str, str]  # year → the diagnosis of that year's visit


@dataclass
class E2EServer:
    url: str
    citizen: Citizen
    server: LiveServer

    def log_tail(self, lines: int = 40) -> str:
        return self.server.log_tail(lines)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> E2EServer:
    """The app as it is deployed: migrated database, seeded citizen, gunicorn on a free port."""
    folder = tmp_path_factory.mktemp("live-server")
    with serve(folder, "e2e", kind="gunicorn", workers=2, seed=SEED) as (server, seeded):
        citizen = Citizen(**json.loads(seeded.splitlines()[-1]))
        yield E2EServer(url=server.url, citizen=citizen, server=server)


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright):
    """Debian's Chromium, headless, driven by Playwright (never a downloaded browser)."""
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def profile(playwright, live_server, tmp_path):
    """A browser with a profile on disk, as a phone has: Chromium offers installation only
    outside incognito, which every `new_context` is."""
    context = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        base_url=live_server.url,
        locale="vi-VN",
        service_workers="allow",
        viewport=PHONE,
    )
    context.set_default_timeout(10_000)
    context.add_cookies([{"name": "device_id", "value": "e2e-phone", "url": live_server.url}])
    yield context
    context.close()


@pytest.fixture
def context(chromium, live_server):
    """A fresh phone-sized profile in Vietnamese: no cookies, no cache, service workers allowed."""
    context = chromium.new_context(
        base_url=live_server.url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        service_workers="allow",
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(10_000)
    # Every test is the same phone (one device cookie), so signing in never meets the
    # "signed in on another device" step (C6), which has tests of its own.
    context.add_cookies([{"name": "device_id", "value": "e2e-phone", "url": live_server.url}])
    yield context
    context.close()


# Installed before any page script runs (through the DevTools protocol, so the page's CSP does
# not apply to it): every CSP violation is reported on the console, where the listener sees it.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
});
"""


@pytest.fixture
def console_errors() -> list[str]:
    return []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so that fixtures can tell whether it failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request, context, console_errors, live_server):
    """A tab whose console errors and uncaught exceptions end up in `console_errors`."""

    def on_console(message) -> None:
        if message.type != "error":
            return
        console_errors.append(f"console: {message.text} ({message.location.get('url', '')})")

    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("console", on_console)
    page.on("pageerror", lambda error: console_errors.append(f"pageerror: {error}"))
    yield page
    call = getattr(request.node, "report_call", None)
    if call is not None and call.passed:  # a failed test has already said what went wrong
        errors = _without_replaced_requests(console_errors)
        assert errors == [], "\n".join(errors)


def _without_replaced_requests(errors: list[str]) -> list[str]:
    """htmx logs a request that `hx-sync="…:replace"` aborted for a newer one (a search typed
    on while the previous one is still on its way, as on a slow phone) as two console errors,
    htmx:afterRequest then htmx:sendAbort: the design working, not a fault. Any other error,
    a failed request's included, stays."""
    kept: list[str] = []
    for line in errors:
        if line.startswith("console: htmx:sendAbort") and kept:
            if kept[-1].startswith("console: htmx:afterRequest"):
                kept.pop()
                continue
        kept.append(line)
    return kept


@pytest.fixture
def screenshot(tmp_path):
    """Save a full-page screenshot under tmp_path, with a copy in /tmp/vssid-screens/."""

    def take(page, name: str) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        SCREENS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SCREENS / path.name)
        return path

    return take
