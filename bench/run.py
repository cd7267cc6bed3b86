"""Benchmark the citizen pages against a static file served by the same gunicorn.

    python bench/run.py --persons 20000 --seconds 10 --concurrency 16

What it does, in order:
1. a temporary SQLite file database (or --database-url), migrated with `flask db upgrade`;
2. synthetic demo data (`flask demo-data --persons N --if-empty`);
3. gunicorn with one sync worker per CPU on a free port, configured as in production apart from
   DEMO_MODE (plain HTTP);
4. signs in demo citizens (GET /login for the CSRF token, then POST), checking that each one
   reaches QL cá nhân and sees their own card;
5. loads each page in turns (--rounds, 3: each for a third of --seconds, then the next, and
   round again, so that the host's drift over minutes falls on every page alike), with
   --concurrency threads of stdlib `http.client` clients (a new connection per request:
   gunicorn's sync workers close it): the
   static stylesheet, the card page, the medical book and the login (POST /login: argon2 makes
   it slow on purpose); then the officer's queue of registration dossiers, topped up to
   --dossiers (100,000) synthetic ones: its first page, and "Tra cứu" (the HTMX fragment) with
   a different search each time (state, assessment, kind, a month, a BHXH code, a number, a
   deep page);
6. prints requests/s and p50/p95/p99 latency of each, and each one's ratio to the static file
   (and that ratio in each round, against the static file of the same round: their spread is
   the host's noise), and writes the same as JSON to bench/out/.

Every measured response is checked (status and content: the card number, the latest visit's
date and ICD-10 code, the stylesheet's bytes, the redirect to QL cá nhân), so that an error page
can never pass for a fast one; any failed check is counted, shown and makes the exit status
non-zero.
The load generator runs on the same machine as the server: read the figures as ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import scale  # bench/scale.py, beside this script
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
STATIC = "/static/css/app.css"
CARD = "/ca-nhan/the-bhyt"
BOOK = "/ca-nhan/so-kham-chua-benh"
HOME = "/ca-nhan/"
QUEUE = "/officer/ho-so-dk-gddt/ca-nhan"
CSRF_FIELD = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)
HEADERS = {
    "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
    "Accept-Encoding": "gzip",  # as browsers do: flask-compress's work is part of the cost
    "Accept-Language": "vi-VN,vi;q=0.9",
    "User-Agent": "vssid-bench/1",
}


# ---------------------------------------------------------------------------------------------
# Setting up: database, data, server


def run_flask(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flask", "--app", "webapp", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()


@dataclass
class Citizen:
    """A demo citizen the benchmark signs in as, and what their pages must show."""

    bhxh_code: str
    card_number: str
    latest_icd10: str  # ICD-10 code and date (dd/mm/yyyy) of the latest visit
    latest_visit: str
    cookies: dict[str, str] = field(default_factory=dict)


def candidate_citizens(limit: int, after_person: int = 0) -> tuple[list[Citizen], str]:
    """Demo citizens who can sign in: an active account, no forced password change, a card.

    Read straight from the database (the same DATABASE_URL as the server); the latest visit's
    visit is in the year the medical book opens at (the latest year with visits). At scale,
    `after_person` takes them from the last copies of the population, not from the base."""
    from sqlalchemy import func, select

    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Account, HealthCard, MedicalVisit, Person
    from webapp.services.demo_data import DEMO_PASSWORD

    app = create_app()
    with app.app_context():
        rows = db.session.execute(
            select(Person.id, Person.bhxh_code)
            .join(Account, Account.person_id == Person.id)
            .where(
                Account.status == "active",
                Account.must_change_password.is_(False),
                select(HealthCard.id).where(HealthCard.person_id == Person.id).exists(),
                select(MedicalVisit.id).where(MedicalVisit.person_id == Person.id).exists(),
                Person.id > after_person,
            )
            .order_by(Person.id)
            .limit(limit)
        ).all()
        citizens = []
        for person_id, code in rows:
            card = db.session.scalar(
                select(HealthCard.number)
                .where(HealthCard.person_id == person_id)
                .order_by(HealthCard.valid_to.desc())
                .limit(1)
            )
            icd10, admitted_on = db.session.execute(
                select(MedicalVisit.icd10, MedicalVisit.admitted_on)
                .where(MedicalVisit.person_id == person_id)
                .order_by(MedicalVisit.admitted_on.desc(), MedicalVisit.id.desc())
                .limit(1)
            ).one()
            citizens.append(Citizen(code, card, icd10, admitted_on.strftime("%d/%m/%Y")))
        persons = db.session.scalar(select(func.count(Person.id)))
        db.engine.dispose()
    print(f"  {persons} persons in the database; {len(citizens)} candidate citizens")
    return citizens, DEMO_PASSWORD


def fill_dossiers(total: int, seed: int = 2025) -> None:
    """Top the registration dossiers up to `total` (synthetic, deterministic: a year and a half
    of declarations, most of them decided), numbered on from the highest number of each year
    (`HS<year>-<6 digits>`)."""
    import random

    from sqlalchemy import func, insert, select

    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import BhxhOffice, RegistrationDossier

    app = create_app()
    with app.app_context():
        have = db.session.scalar(select(func.count(RegistrationDossier.id)))
        offices = db.session.scalars(select(BhxhOffice.id)).all()
        last_number: dict[int, int] = {}
        for number in db.session.scalars(select(RegistrationDossier.number)):
            if re.fullmatch(r"HS\d{4}-\d{6}", number):
                year, serial = int(number[2:6]), int(number[7:])
                last_number[year] = max(last_number.get(year, 0), serial)
        rng = random.Random(seed)
        now = dt.datetime.now(dt.UTC)
        rows = []
        for _ in range(max(0, total - have)):
            declared = now - dt.timedelta(minutes=rng.randint(0, 540 * 24 * 60))
            state = rng.choice(scale.DOSSIER_STATES)
            kind = "change_info" if state == "applied" or rng.random() < 0.08 else "register"
            last_number[declared.year] = last_number.get(declared.year, 0) + 1
            rows.append(
                {
                    "number": f"HS{declared.year}-{last_number[declared.year]:06d}",
                    "kind": kind,
                    "bhxh_code": f"{rng.randrange(10**10):010d}",
                    "full_name": "Nguyễn Văn Thử",
                    "declared_at": declared,
                    "deadline_at": declared + dt.timedelta(days=10),
                    "assessment": {"declared": "pending", "rejected": "invalid"}.get(
                        state, "valid"
                    ),
                    "state": state,
                    "office_id": rng.choice(offices),
                    "version": 1,
                }
            )
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(RegistrationDossier), rows[start : start + 5000])
        db.session.commit()
        db.engine.dispose()


def queue_searches() -> list[str]:
    """The searches the officer's queue is timed with, each a query string of "Mở rộng": a
    state, an assessment, a kind, a month, a BHXH code and a number (of the dossier in the
    middle of the table), a deep page."""
    from sqlalchemy import func, select

    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import RegistrationDossier

    app = create_app()
    with app.app_context():
        total = db.session.scalar(select(func.count(RegistrationDossier.id)))
        code, number = db.session.execute(
            select(RegistrationDossier.bhxh_code, RegistrationDossier.number)
            .order_by(RegistrationDossier.id)
            .limit(1)
            .offset(total // 2)
        ).one()
        db.engine.dispose()
    month = (dt.datetime.now(dt.UTC) - dt.timedelta(days=90)).date().replace(day=1)
    month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    print(f"  {total} registration dossiers")
    return [
        "state=declared",
        "assessment=invalid",
        "kind=change_info",
        f"date_from={month:%d/%m/%Y}&date_to={month_end:%d/%m/%Y}",
        f"date_from={month:%d/%m/%Y}&date_to={month_end:%d/%m/%Y}&state=rejected",
        f"bhxh_code={code}",
        f"number={number}",
        "page=50",
        "assessment=valid&kind=register&page=10",
    ]


# ---------------------------------------------------------------------------------------------
# HTTP: one keep-alive connection per thread, cookies kept by hand (as a browser keeps them:
# each client thread's jar takes what the responses set)


class Client:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        cookies: dict[str, str],
        body: dict | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict, str, dict[str, str]]:
        """Status, headers, decoded body and the cookies the response set."""
        headers = {**HEADERS, **(headers or {})}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            raw = response.read()
        except (http.client.HTTPException, OSError):
            self.conn.close()  # the next request opens a new connection
            raise
        if response.getheader("Content-Encoding") == "gzip":
            raw = gzip.decompress(raw)
        set_cookies: dict[str, str] = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                set_cookies[name] = morsel.value
        return response.status, response.headers, raw.decode("utf-8", "replace"), set_cookies


class CheckFailed(Exception):
    pass


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise CheckFailed(what)


def login_form(client: Client) -> dict[str, str]:
    """GET /login: the anonymous session cookie that holds the CSRF token, and the token."""
    status, _h, body, cookies = client.request("GET", "/login", {})
    expect(status == 200, f"GET /login answered {status}")
    match = CSRF_FIELD.search(body)
    expect(match is not None, "no csrf_token on the login page")
    return {**cookies, "_csrf": match.group(1) or match.group(2)}


def post_login(client: Client, citizen: Citizen, password: str, form: dict[str, str]):
    cookies = {k: v for k, v in form.items() if k != "_csrf"}
    cookies.update({k: v for k, v in citizen.cookies.items() if k == "device_id"})
    body = {"identifier": citizen.bhxh_code, "password": password, "csrf_token": form["_csrf"]}
    return client.request("POST", "/login", cookies, body)


def check_login(result) -> dict[str, str]:
    status, headers, _body, cookies = result
    expect(status == 302, f"POST /login answered {status}")
    location = urllib.parse.urlsplit(headers.get("Location", "")).path
    expect(location == HOME, f"POST /login went to {location!r}, not QL cá nhân")
    return cookies


def check_card(result, citizen: Citizen) -> None:
    status, _h, body, _c = result
    expect(status == 200, f"{CARD} answered {status}")
    expect(citizen.card_number in re.sub(r"\s+", "", body), f"{CARD}: card number missing")


def check_book(result, citizen: Citizen) -> None:
    status, _h, body, _c = result
    expect(status == 200, f"{BOOK} answered {status}")
    # Some demo accounts prefer English: check what reads the same in both languages.
    expect(citizen.latest_visit in body, f"{BOOK}: latest visit ({citizen.latest_visit}) missing")
    expect(citizen.latest_icd10 in body, f"{BOOK}: latest visit ({citizen.latest_icd10}) missing")


def sign_in(port: int, candidates: list[Citizen], password: str, count: int) -> list[Citizen]:
    """Sign in `count` citizens; skip (and say so) any whose demo login does not work."""
    client = Client(port)
    signed_in, skipped = [], []
    for citizen in candidates:
        if len(signed_in) == count:
            break
        form = login_form(client)
        try:
            cookies = check_login(post_login(client, citizen, password, form))
        except CheckFailed as error:
            skipped.append(f"{citizen.bhxh_code}: {error}")
            continue
        citizen.cookies = {k: v for k, v in form.items() if k != "_csrf"} | cookies
        first_page = client.request("GET", CARD, citizen.cookies)
        check_card(first_page, citizen)
        citizen.cookies.update(first_page[3])  # the session now holds a CSRF token
        signed_in.append(citizen)
    if skipped:
        print(f"  skipped {len(skipped)} citizens, e.g. {skipped[0]}")
    if len(signed_in) < count:
        sys.exit(f"only {len(signed_in)} of {count} demo citizens could sign in")
    return signed_in


def officer_sign_in(port: int) -> dict[str, str]:
    """The demo admin officer (every office's dossiers), signed in at /officer."""
    from webapp.services.demo_data import OFFICER_PASSWORD

    client = Client(port)
    status, _h, body, cookies = client.request("GET", "/officer/", {})
    expect(status == 200, f"GET /officer/ answered {status}")
    match = CSRF_FIELD.search(body)
    expect(match is not None, "no csrf_token on the officer sign-in page")
    form = {
        "username": "canbo01",
        "password": OFFICER_PASSWORD,
        "csrf_token": match.group(1) or match.group(2),
    }
    status, headers, _b, set_cookies = client.request("POST", "/officer/", cookies, form)
    expect(status == 302, f"POST /officer/ answered {status}")
    expect(headers.get("Location", "").endswith(QUEUE), "the officer did not reach the queue")
    return cookies | set_cookies


def check_queue(result, fragment: bool) -> None:
    status, _h, body, _c = result
    expect(status == 200, f"{QUEUE} answered {status}")
    expect('id="queue"' in body, f"{QUEUE}: no queue in the answer")
    expect(("<html" in body) != fragment, f"{QUEUE}: page and fragment mixed up")
    expect(
        'class="dossier-row"' in body or "queue-empty" in body, f"{QUEUE}: neither rows nor empty"
    )


def queue_worker(port: int, cookies: dict[str, str], searches: list[str] | None):
    """The queue's first page (searches None), or "Tra cứu" as htmx sends it: the fragment,
    a different search at each request."""

    def make(i: int):
        client = Client(port)
        turn = [i]
        jar = dict(cookies)

        def request() -> None:
            if searches is None:
                result = client.request("GET", QUEUE, jar)
            else:
                query = searches[turn[0] % len(searches)]
                turn[0] += 1
                result = client.request(
                    "GET", f"{QUEUE}?{query}", jar, headers={"HX-Request": "true"}
                )
            jar.update(result[3])
            check_queue(result, fragment=searches is not None)

        return request

    return make


# ---------------------------------------------------------------------------------------------
# Load


@dataclass
class Result:
    name: str
    path: str
    seconds: float
    latencies: list[float]  # ms, successful requests only
    errors: int
    first_error: str | None

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]


def load(
    name: str, path: str, make_worker, concurrency: int, seconds: float, warmup: float
) -> Result:
    """Run `concurrency` threads, each calling its `request()` in a loop, for `seconds` after a
    `warmup` whose requests are checked but not counted."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    first_error: list[str] = []
    start_barrier = threading.Barrier(concurrency + 1)
    window = {}

    def run(i: int) -> None:
        request = make_worker(i)
        start_barrier.wait()
        while True:
            began = time.perf_counter()
            if began >= window["end"]:
                return
            try:
                request()
            except (CheckFailed, OSError, http.client.HTTPException) as error:
                if began >= window["start"]:
                    errors[i] += 1
                    if not first_error:
                        first_error.append(f"{type(error).__name__}: {error}")
                continue
            if began >= window["start"]:
                latencies[i].append((time.perf_counter() - began) * 1000)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    now = time.perf_counter()
    window["start"], window["end"] = now + warmup, now + warmup + seconds
    start_barrier.wait()
    # The bar counts the window's seconds (so it shows the time left) and the requests done.
    with tqdm(
        total=round(warmup + seconds, 1),
        desc=f"  {name}",
        unit="s",
        bar_format="{desc}: {bar:20} {elapsed}<{remaining}{postfix}",
        leave=False,
    ) as bar:
        while any(thread.is_alive() for thread in threads):
            time.sleep(0.25)
            clock = time.perf_counter()
            done = sum(len(per_thread) for per_thread in latencies)
            counted = max(clock - window["start"], 0)
            bar.n = round(min(clock - now, warmup + seconds), 1)
            bar.set_postfix_str(
                f"{done} requests, {done / counted if counted else 0:.1f} req/s", refresh=True
            )
    for thread in threads:
        thread.join()
    # Requests started before the end of the window may finish after it: measure to the last one.
    elapsed = max(time.perf_counter() - window["start"], seconds)
    merged = [ms for per_thread in latencies for ms in per_thread]
    return Result(name, path, elapsed, merged, sum(errors), first_error[0] if first_error else None)


def page_worker(port: int, citizens: list[Citizen], path: str, check):
    def make(i: int):
        client, citizen = Client(port), citizens[i % len(citizens)]
        jar = dict(citizen.cookies)

        def request() -> None:
            result = client.request("GET", path, jar)
            jar.update(result[3])
            check(result, citizen)

        return request

    return make


def static_worker(port: int):
    expected = (ROOT / "webapp" / STATIC.lstrip("/")).read_text()

    def make(_i: int):
        client = Client(port)

        def request() -> None:
            status, _h, body, _c = client.request("GET", STATIC, {})
            expect(status == 200, f"{STATIC} answered {status}")
            expect(body == expected, f"{STATIC}: not the stylesheet's bytes")

        return request

    return make


def login_worker(port: int, citizens: list[Citizen], password: str):
    """Each thread signs one citizen in again and again: the anonymous session cookie from one
    GET /login is reused (the CSRF token lives as long as the session), so every request is
    one POST /login doing the full work: argon2, a new device session, the redirect."""

    def make(i: int):
        client, citizen = Client(port), citizens[i % len(citizens)]
        form = login_form(client)

        def request() -> None:
            check_login(post_login(client, citizen, password, form))

        return request

    return make


# ---------------------------------------------------------------------------------------------
# Report


def report(results: list[Result]) -> list[dict]:
    static = results[0]
    rows = []
    for r in results:
        rows.append(
            {
                "name": r.name,
                "path": r.path,
                "requests": len(r.latencies),
                "errors": r.errors,
                "first_error": r.first_error,
                "rps": round(r.rps, 1),
                "p50_ms": round(r.percentile(50), 2),
                "p95_ms": round(r.percentile(95), 2),
                "p99_ms": round(r.percentile(99), 2),
                "rps_vs_static": round(r.rps / static.rps, 3) if static.rps else None,
                "p50_vs_static": round(r.percentile(50) / static.percentile(50), 1),
            }
        )
    header = f"{'':<14}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    header += f"{'req/s ÷ static':>16}{'p50 × static':>14}"
    print("\n" + header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['name']:<14}{row['rps']:>9.1f}{row['p50_ms']:>9.2f}{row['p95_ms']:>9.2f}"
            f"{row['p99_ms']:>9.2f}{row['errors']:>8}{row['rps_vs_static']:>16.3f}"
            f"{row['p50_vs_static']:>14.1f}"
        )
    for row in rows:
        if row["errors"]:
            print(f"  {row['name']}: {row['errors']} failed checks, first: {row['first_error']}")
    return rows


def compare(small: list[dict], large: list[dict], small_label: str, large_label: str) -> list[str]:
    """Each page's ratio to the static file at both sizes, side by side; returns the pages whose
    ratio at the large size is more than 10 % below the small one's (they got slower with the
    population, which no page should)."""
    flagged = []
    header = f"{'req/s ÷ static':<14}{small_label:>14}{large_label:>14}{'change':>10}"
    print("\n" + header)
    print("-" * len(header))
    large_by_name = {row["name"]: row for row in large}
    for row in small[1:]:
        other = large_by_name[row["name"]]
        before, after = row["rps_vs_static"], other["rps_vs_static"]
        change = (after - before) / before if before else float("nan")
        flag = change < -0.10
        if flag:
            flagged.append(row["name"])
        print(
            f"{row['name']:<14}{before:>14.3f}{after:>14.3f}{change:>+10.0%}"
            + ("  ← more than 10 % slower" if flag else "")
        )
    return flagged


def explain(searches: list[str], citizen: Citizen) -> dict[str, list[str]]:
    """EXPLAIN (ANALYZE, BUFFERS) of the queries the officer's queue search and the medical
    book run: the services are called as the pages call them, their SQL is caught on its way
    to the database and explained with its own parameters."""
    from sqlalchemy import event, select

    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Officer, Person
    from webapp.services import records, review

    caught: list[tuple[str, object]] = []

    def catch(_conn, _cursor, statement, parameters, _context, _executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            caught.append((statement, parameters))

    app = create_app()
    plans: dict[str, list[str]] = {}
    with app.app_context():
        now = dt.datetime.now(dt.UTC)
        officer = db.session.scalar(select(Officer).where(Officer.username == "canbo01"))
        person_id = db.session.scalar(
            select(Person.id).where(Person.bhxh_code == citizen.bhxh_code)
        )
        event.listen(db.engine, "before_cursor_execute", catch)
        targets = []
        for query in searches:
            fields = dict(urllib.parse.parse_qsl(query))
            page = int(fields.pop("page", 1))
            for key in ("date_from", "date_to"):
                if key in fields:
                    fields[key] = dt.datetime.strptime(fields[key], "%d/%m/%Y").date()  # noqa: DTZ007
            caught.clear()
            review.queue(officer, review.QueueFilter(**fields), now, page)
            targets.append((f"queue search ?{query}", caught[-1]))
        caught.clear()
        years = records.book_years(person_id)
        targets.append(("medical book: the years", caught[-1]))
        caught.clear()
        records.visits_of_year(person_id, years[0].year)
        targets.append((f"medical book: the visits of {years[0].year}", caught[-1]))
        event.remove(db.engine, "before_cursor_execute", catch)
        connection = db.session.connection()
        for what, (statement, parameters) in targets:
            result = connection.exec_driver_sql(
                "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
            )
            plans[what] = [row[0] for row in result]
        db.session.rollback()
        db.engine.dispose()
    return plans


def notification_scans(env: dict[str, str], new_events: int) -> dict[str, dict]:
    """The worker's scan, each in a process of its own (bench/scan.py): the first (everything
    due), then one after `new_events` new visits and as many benefits paid (the steady state),
    then one with nothing new."""

    def scan_script(*args: str) -> dict:
        result = subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "bench" / "scan.py"), *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            sys.exit(f"bench/scan.py {' '.join(args)} failed:\n{result.stderr}")
        return json.loads(result.stdout.strip().splitlines()[-1])

    scans = {}
    steps = [("first", None), ("steady", new_events), ("idle", None)]
    for name, events in tqdm(steps, desc="  notification scans", unit="scan", leave=False):
        if events:
            scan_script("events", "--visits", str(events), "--benefits", str(events))
        scans[name] = scan_script("scan")
    for name, figures in scans.items():
        created = ", ".join(f"{n} {kind}" for kind, n in figures["created"].items()) or "nothing"
        print(
            f"  notification scan ({name}): {figures['seconds']:.2f} s, "
            f"peak memory +{figures['peak_rss_growth_mib']:.1f} MiB; notified {created}"
        )
    return scans


@dataclass
class Phase:
    """One size of the database: what was measured there."""

    persons: int
    rows: list[dict]
    scans: dict[str, dict] = field(default_factory=dict)
    plans: dict[str, list[str]] = field(default_factory=dict)


def measure(env, folder: Path, args, after_person: int = 0) -> Phase:
    """Serve the database, sign in, time every page; then, at scale, the notification scans
    and (with --explain) the plans."""
    from tests.live import running  # the tests' live-server harness

    citizens_wanted = args.citizens or args.concurrency
    candidates, password = candidate_citizens(citizens_wanted * 4 + 20, after_person)
    searches = queue_searches()
    with running(env, folder / "server.log", workers=args.workers, access_log=False) as served:
        port, _process = served
        print(f"gunicorn: {args.workers} sync workers on 127.0.0.1:{port}")
        # Separate citizens for the login: signing one in again must not touch the sessions
        # the page clients use.
        signed_in = sign_in(port, candidates, password, 2 * citizens_wanted)
        page_citizens, login_citizens = signed_in[:citizens_wanted], signed_in[citizens_wanted:]
        officer = officer_sign_in(port)
        print(
            f"  signed in {len(page_citizens)} citizens for the pages, "
            f"{len(login_citizens)} for the login"
        )
        plan = [
            ("static", STATIC, static_worker(port)),
            ("card", CARD, page_worker(port, page_citizens, CARD, check_card)),
            ("medical book", BOOK, page_worker(port, page_citizens, BOOK, check_book)),
            ("login", "POST /login", login_worker(port, login_citizens, password)),
            ("queue", QUEUE, queue_worker(port, officer, None)),
            ("queue search", f"{QUEUE}?… (HTMX)", queue_worker(port, officer, searches)),
        ]
        # The pages take turns, --rounds times, each for its share of --seconds: a host whose
        # speed drifts over minutes then slows every page alike, where measuring one page after
        # the other gave a page the host's slow minute and the static file its fast one.
        merged: dict[str, Result] = {}
        by_round: dict[str, list[float]] = {}
        for turn in range(args.rounds):
            static_rps = None
            for name, path, make_worker in plan:
                label = name if args.rounds == 1 else f"{name} ({turn + 1}/{args.rounds})"
                result = load(
                    label,
                    path,
                    make_worker,
                    args.concurrency,
                    args.seconds / args.rounds,
                    args.warmup,
                )
                static_rps = static_rps or result.rps
                by_round.setdefault(name, []).append(result.rps / static_rps)
                total = merged.setdefault(name, Result(name, path, 0.0, [], 0, None))
                total.seconds += result.seconds
                total.latencies += result.latencies
                total.errors += result.errors
                total.first_error = total.first_error or result.first_error
    phase = Phase(persons=count_persons(), rows=report(list(merged.values())))
    for row in phase.rows:
        row["rps_vs_static_by_round"] = [round(ratio, 3) for ratio in by_round[row["name"]]]
    if args.rounds > 1:
        print("\nreq/s ÷ static in each round (the spread is the host's noise):")
        for row in phase.rows[1:]:
            rounds = "  ".join(f"{ratio:.3f}" for ratio in row["rps_vs_static_by_round"])
            print(f"  {row['name']:<14}{rounds}")
    if args.scale:
        phase.scans = notification_scans(env, args.new_events)
    if args.explain:
        phase.plans = explain(searches, page_citizens[0])
        for what, lines in phase.plans.items():
            print(f"\nEXPLAIN ANALYZE: {what}\n  " + "\n  ".join(lines))
    return phase


def count_persons() -> int:
    from sqlalchemy import func, select

    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Person

    app = create_app()
    with app.app_context():
        persons = db.session.scalar(select(func.count(Person.id)))
        db.engine.dispose()
    return persons


# ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=20000, help="demo persons to load")
    parser.add_argument("--seconds", type=float, default=10, help="measured time per page")
    parser.add_argument("--warmup", type=float, default=1, help="unmeasured time before each")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="the pages take turns this many times, each for its share of --seconds",
    )
    parser.add_argument("--concurrency", type=int, default=16, help="client threads")
    parser.add_argument(
        "--citizens",
        type=int,
        help="signed-in citizens for the pages, as many more for the login (default: concurrency)",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="gunicorn workers")
    parser.add_argument(
        "--dossiers", type=int, default=100_000, help="registration dossiers for the queue"
    )
    parser.add_argument(
        "--database-url",
        help="use this database instead of a temporary SQLite"
        " file (demo data is loaded only if it holds no persons)",
    )
    parser.add_argument(
        "--scale",
        type=int,
        metavar="PERSONS",
        help="after measuring --persons, replicate them to PERSONS persons and as many dossiers"
        " (an empty PostgreSQL --database-url) and measure again, side by side",
    )
    parser.add_argument(
        "--new-events",
        type=int,
        default=1000,
        help="new visits and benefits between two notification scans (with --scale)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="print the query plans of the queue search and the medical book",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the temporary folder (database, server log) and print where it is",
    )
    args = parser.parse_args()
    if args.scale and not (args.database_url or "").startswith("postgres"):
        parser.error("--scale needs a PostgreSQL --database-url (an empty database)")

    folder = Path(tempfile.mkdtemp(prefix="vssid-bench-"))
    database_url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "DEMO_MODE": "1",
        "SESSION_COOKIE_SECURE": "0",
        "CARD_SIGNING_KEY_FILE": str(folder / "card_signing_key.pem"),
        # Every client of the benchmark comes from one address: the per-address login throttle
        # would measure itself, not the login. (The per-account rules still apply.)
        "LOGIN_LIMIT_PER_IP": "1000000 per minute",
    }
    os.environ.update(env)  # for reading the demo citizens back in this process
    sys.path.insert(0, str(ROOT))
    from tests.live import ServerFailed

    safe_url = re.sub(r"//[^@/]*@", "//***@", database_url)
    phases: list[Phase] = []
    scaled = None
    try:
        print(f"Database {safe_url}")
        started = time.perf_counter()
        run_flask(["db", "upgrade"], env)
        print(f"  migrated in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        print("  " + run_flask(["demo-data", "--persons", str(args.persons), "--if-empty"], env))
        load_seconds = time.perf_counter() - started
        started = time.perf_counter()
        fill_dossiers(args.dossiers)
        print(f"  dossiers filled in {time.perf_counter() - started:.1f} s")
        phases.append(measure(env, folder, args))
        if args.scale:
            print(f"\nScaling to {args.scale} persons and as many dossiers …")
            base = phases[0].persons
            scaled = scale.scale_up(
                database_url, args.scale, max(args.scale, args.dossiers), dt.datetime.now(dt.UTC)
            )
            print(
                f"  {scaled.persons} persons, {scaled.dossiers} dossiers in "
                f"{scaled.total_seconds:.0f} s ("
                + ", ".join(f"{what} {seconds:.0f} s" for what, seconds in scaled.seconds.items())
                + ")"
            )
            phases.append(measure(env, folder, args, after_person=scaled.persons - base))
    except ServerFailed as failure:
        sys.exit(str(failure))
    finally:
        if args.keep:
            print(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    flagged = []
    if len(phases) == 2:
        flagged = compare(
            phases[0].rows, phases[1].rows, f"{phases[0].persons:,}", f"{phases[1].persons:,}"
        )
        for name, figures in phases[1].scans.items():
            small = phases[0].scans[name]
            print(
                f"notification scan ({name}): {small['seconds']:.2f} s → "
                f"{figures['seconds']:.2f} s,"
                f" peak memory +{small['peak_rss_growth_mib']:.1f} → "
                f"+{figures['peak_rss_growth_mib']:.1f} MiB"
            )
    rows = phases[0].rows

    OUT.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = OUT / f"bench-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "when": stamp,
                "database": safe_url.split(":", 1)[0],
                "persons": args.persons,
                "dossiers": args.dossiers,
                "demo_data_seconds": round(load_seconds, 1),
                "seconds": args.seconds,
                "concurrency": args.concurrency,
                "gunicorn_workers": args.workers,
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "machine": platform.platform(),
                "results": rows,
                "phases": [
                    {
                        "persons": phase.persons,
                        "results": phase.rows,
                        "notification_scans": phase.scans,
                        "plans": phase.plans,
                    }
                    for phase in phases
                ],
                "scale_load": scaled
                and {
                    "persons": scaled.persons,
                    "dossiers": scaled.dossiers,
                    "rows": dict(scaled.rows),
                    "seconds": {k: round(v, 1) for k, v in scaled.seconds.items()},
                    "index_seconds": {k: round(v, 1) for k, v in scaled.index_seconds.items()},
                },
                "flagged": flagged,
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"\nWritten to {out.relative_to(ROOT)}")
    failed = any(row["errors"] for phase in phases for row in phase.rows)
    return 1 if failed or flagged else 0


if __name__ == "__main__":
    sys.exit(main())
