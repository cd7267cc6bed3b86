"""The route fuzzer (issue 10, finding 6): every route, every method, hostile input, three users.

It walks `app.url_map` and sends each rule hostile path values, query strings and bodies, as an
anonymous visitor, a signed-in citizen and a signed-in officer (admin). Form bodies carry a valid
CSRF token (or send it in the X-CSRFToken header) so that they reach the view's own parsing, and
the limiter is off so that the thousandth request is read like the first. Nothing may answer
5xx, raise, log an error, or take longer than a few seconds; the count of requests is printed in
the run's summary (see `pytest_terminal_summary` in conftest.py).

Hypothesis then sends generated values the catalogue did not think of (derandomized, so a CI run
is reproducible).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import signal
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from urllib.parse import quote, urlencode

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from tests import factories
from webapp.errors import DATA_ERROR_LOG, INTEGRITY_ERROR_LOG
from webapp.extensions import db, limiter
from webapp.models import FaqEntry
from webapp.services import feedback, news, notifications

REQUEST_SECONDS = 5  # a request that takes longer is a failure (a runaway regex, a huge loop)
BIG = "A" * 100_000

# Values that have broken parsers somewhere: integers beyond 64 bits, Unicode digits that pass
# str.isdigit() but not int(), traversal, NUL, dates out of range, 100 kB, markup, nothing.
HOSTILE = (
    str(2**70),
    str(10**30),
    "-1",
    "0",
    "²",
    "٣",
    "１",
    "../../etc/passwd",
    "\x00",
    "1\x00",
    "9999-12-31",
    "0001-01-01",
    "99999-01-01",
    "31/12/9999",
    "<script>alert(1)</script>",
    "",
    BIG,
)
HTMX_HOSTILE = (str(2**70), "²", "\x00", "99999-01-01", BIG)
# Query-string and path text that is not even well-formed percent-encoding or UTF-8.
RAW_ENCODED = ("..", "%", "%zz", "%ff%fe%c3%28", "%00", "%2e%2e%2f", "%C0%AF")
QUERY_KEYS = (
    "page",
    "year",
    "scheme",
    "q",
    "tinh",
    "cach",
    "province",
    "to",
    "next",
    "back",
    "number",
    "bhxh_code",
    "date_from",
    "date_to",
    "assessment",
    "state",
    "kind",
    "maskable",
)
INVALID_UTF8 = b"\xff\xfe\xc3\x28"


@dataclass
class Failure:
    role: str
    method: str
    url: str
    body: str
    problem: str

    def __str__(self) -> str:
        return f"{self.role:9} {self.method:6} {self.url[:120]} [{self.body}] → {self.problem}"


@dataclass
class Fuzzer:
    """Sends requests, records each one that fails (5xx, exception, time-out)."""

    app: object
    sent: int = 0
    failures: list[Failure] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)  # INSERT/UPDATE/DELETE of this request

    def watch(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.writes.append(" ".join(statement.split()[:3]))

    def send(self, role: str, client, method: str, url: str, body: str = "-", **kw):
        """The response (None when the request failed: it is recorded)."""
        self.sent += 1
        kw.setdefault("follow_redirects", False)
        try:
            with _deadline(REQUEST_SECONDS):
                response = client.open(url, method=method, **kw)
        except Exception as error:  # noqa: BLE001 (each is reported, with where it came from)
            where = traceback.extract_tb(error.__traceback__)[-1]
            problem = (
                f"{type(error).__name__}: {str(error)[:160]} at {where.filename}:{where.lineno}"
            )
            self.failures.append(Failure(role, method, url, body, problem))
            db.session.rollback()
            return None
        finally:
            writes, self.writes = self.writes, []
        if response.status_code >= 500:
            self.failures.append(Failure(role, method, url, body, f"HTTP {response.status_code}"))
        elif response.mimetype == "text/html" and b"\x00" in response.get_data():
            self.failures.append(Failure(role, method, url, body, "a NUL echoed into the page"))
        elif response.status_code == 400 and writes:
            self.failures.append(Failure(role, method, url, body, f"400 but wrote: {writes[:3]}"))
        return response


class _Timeout(Exception):
    pass


class _deadline:  # noqa: N801 (a context manager, read as a phrase)
    """SIGALRM after `seconds`: the regex engine checks signals, so a runaway match stops too."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        def expired(signum, frame):
            raise _Timeout(f"no answer within {self.seconds} s")

        self.previous = signal.signal(signal.SIGALRM, expired)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous)


# --- the world the fuzzer attacks -----------------------------------------------------------------


@dataclass
class World:
    clients: dict
    tokens: dict
    path_values: dict  # a real value for each path variable (so hostile bodies reach the view)
    field_names: list[str]
    sign_in: dict  # role → (a page only that role opens, how to sign in again)

    def keep_signed_in(self, role: str) -> None:
        """A fuzzed sign-out signs the user out for real: sign in again, with a new token."""
        if role not in self.sign_in:
            return
        page, again = self.sign_in[role]
        client = self.clients[role]
        if client.get(page).status_code != 200:
            assert again().status_code == 302
            self.tokens[role] = _csrf_token(client, page)


def _csrf_token(client, url: str) -> str:
    soup = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    return soup.find("input", attrs={"name": "csrf_token"})["value"]


def _field_names(app, clients) -> list[str]:
    """Every name a form of the app sends, read from the pages themselves."""
    names: set[str] = set()
    for client in clients.values():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or _variables(rule):
                continue
            try:
                response = client.get(rule.rule)
            except Exception:  # noqa: BLE001, S112 (the fuzzer itself reports it)
                db.session.rollback()
                continue
            if response.mimetype != "text/html":
                continue
            soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
            for tag in soup.select("form [name]"):
                names.add(tag["name"])
    names.discard("csrf_token")
    return sorted(names)


@pytest.fixture
def world(app, client, citizen, officer, clock, login, officer_login) -> Iterator[World]:
    now = clock.now()
    notice = notifications.notify(citizen.account.id, "password_changed", now)
    visit = factories.visit(citizen)
    register = factories.dossier()
    factories.dossier(kind="change_info", bhxh_code=citizen.bhxh_code)
    item = feedback.submit_feedback(
        name="Nguyễn Văn An",
        phone="0912345678",
        email=None,
        topic="card",
        body="Thẻ BHYT của tôi chưa cập nhật.",
        now=now,
        config=app.config,
    )
    article = news.publish_article(
        officer.record, now, title_vi="Tin thử", summary_vi="Tóm tắt", body_vi="Nội dung"
    )
    entry = FaqEntry(topic="support", question_vi="Câu hỏi thử?", answer_vi="Trả lời.")
    db.session.add(entry)
    db.session.commit()
    clients = {"anonymous": app.test_client(), "citizen": client, "officer": officer.browser}
    tokens = {
        "anonymous": _csrf_token(clients["anonymous"], "/login"),
        "citizen": _csrf_token(client, "/ca-nhan/thay-doi-thong-tin"),
        "officer": _csrf_token(officer.browser, "/officer/phan-anh"),
    }
    path_values = {
        "notification_id": str(notice.id),
        "visit_id": str(visit.id),
        "entry_id": str(entry.id),
        "passkey_id": "1",
        "delegation_id": "1",
        "key_id": "1",
        "person_id": str(citizen.id),
        "year": "2025",
        "size": "192",
        "number": register.number,
        "tracking_number": item.tracking_number,
        "slug": article.slug,
        "kind": "co-quan-bhxh",
        "filename": "css/app.css",
    }
    sign_in = {
        "citizen": ("/ca-nhan/thay-doi-thong-tin", lambda: login(citizen.bhxh_code)),
        "officer": (
            "/officer/phan-anh",
            lambda: officer_login(officer.record.username, c=officer.browser),
        ),
    }
    enabled, limiter.enabled = limiter.enabled, False  # the limits have tests of their own
    yield World(clients, tokens, path_values, _field_names(app, clients), sign_in)
    limiter.enabled = enabled


def _rules(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        yield rule, methods


_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _variables(rule) -> list[str]:
    return _VARIABLE.findall(rule.rule)


def _path(rule, values: dict) -> str:
    return _VARIABLE.sub(lambda m: values[m.group(1)], rule.rule)


def _paths(rule, world: World) -> Iterator[str]:
    """The rule with its real values, then each variable in turn made hostile."""
    real = {name: quote(value, safe="/") for name, value in world.path_values.items()}
    yield _path(rule, real)
    for name in _variables(rule):
        for value in HOSTILE:
            if value:
                yield _path(rule, {**real, name: quote(value, safe="")})
        for raw in RAW_ENCODED:
            yield _path(rule, {**real, name: raw})


def _queries() -> Iterator[str]:
    """Every known key at once holding one hostile value (the views read the keys they know)."""
    for value in HOSTILE:
        if value not in ("", "0", "<script>alert(1)</script>", "1\x00"):
            yield urlencode([(key, value) for key in QUERY_KEYS])
    for raw in ("%zz", "%ff%fe%c3%28", "%00"):
        yield "&".join(f"{key}={raw}" for key in QUERY_KEYS)
    # the same key several times, and keys with no value
    yield "&".join(f"{key}=1&{key}=2&{key}" for key in QUERY_KEYS)


def _bodies(names: list[str], token: str) -> Iterator[tuple[str, dict]]:
    """(label, keyword arguments of client.open) for each hostile body."""
    header = {"X-CSRFToken": token}
    for value in HOSTILE:
        yield f"form {value[:12]!r}", {"data": {**dict.fromkeys(names, value), "csrf_token": token}}
    yield "form, no token", {"data": dict.fromkeys(names, "1")}
    yield (
        "form, repeated keys",
        {
            "data": MultiDict(
                [(name, v) for name in names for v in ("1", "²", "")] + [("csrf_token", token)]
            )
        },
    )
    for label, document in (
        ("json object", dict.fromkeys(names, "1")),
        ("json numbers", dict.fromkeys(names, 2**70)),
        ("json nested", dict.fromkeys(names, {"a": [1, None]})),
        ("json list", [1, 2, 3]),
        ("json number", 5),
        ("json string", "text"),
        ("json null", None),
    ):
        yield (
            label,
            {"data": json.dumps(document), "content_type": "application/json", "headers": header},
        )
    yield (
        "json invalid",
        {"data": "{not json", "content_type": "application/json", "headers": header},
    )
    yield (
        "multipart, text fields as files",
        {
            "data": {
                **{name: (BytesIO(b"1"), "x.txt", "text/plain") for name in names},
                "csrf_token": token,
            },
            "content_type": "multipart/form-data",
        },
    )
    raw = "&".join(f"{name}=" for name in names).encode() + b"&x=" + INVALID_UTF8
    yield (
        "form, invalid utf-8",
        {
            "data": raw.replace(b"=", b"=" + INVALID_UTF8) + f"&csrf_token={token}".encode(),
            "content_type": "application/x-www-form-urlencoded",
        },
    )
    yield (
        "multipart, invalid utf-8",
        {
            "data": {name: INVALID_UTF8.decode("latin-1") for name in names}
            | {"csrf_token": token},
            "content_type": "multipart/form-data",
        },
    )
    yield "text/plain", {"data": INVALID_UTF8, "content_type": "text/plain", "headers": header}


def _refused(response) -> bool:
    """The user may not open this route at all: refused, or sent to a sign-in page, before
    any of the request is read."""
    if response is None:
        return False
    if response.status_code in (401, 403):
        return True
    location = response.headers.get("Location", "") or response.headers.get("HX-Redirect", "")
    return response.status_code in (302, 303) and location.startswith(("/login?", "/officer/?"))


def _run_catalogue(app, world: World, fuzzer: Fuzzer, role: str) -> None:
    client = world.clients[role]
    token = world.tokens[role]
    for rule, methods in _rules(app):
        if rule.endpoint == "static":
            for name in ("../config.py", BIG, "\x00", "%ff", "css/%00.css"):
                fuzzer.send(role, client, "GET", "/static/" + quote(name, safe="%/"))
            continue
        paths = list(_paths(rule, world))
        for method in methods:
            real = paths[0]
            first = fuzzer.send(role, client, method, real, data={"csrf_token": token})
            for path in paths[1:]:
                fuzzer.send(role, client, method, path)
            if _refused(first):
                # refused before anything is read: a few bodies show that stays true
                for value in HTMX_HOSTILE:
                    fuzzer.send(
                        role,
                        client,
                        method,
                        f"{real}?{urlencode(dict.fromkeys(QUERY_KEYS, value))}",
                        data={**dict.fromkeys(world.field_names, value), "csrf_token": token},
                    )
            elif method == "GET":
                for query in _queries():
                    fuzzer.send(role, client, method, f"{real}?{query}")
            else:
                for label, kw in _bodies(world.field_names, token):
                    fuzzer.send(role, client, method, real, label, **kw)
                # as htmx sends one field to be checked inline (registration, chat)
                for value in HTMX_HOSTILE:
                    fuzzer.send(
                        role,
                        client,
                        method,
                        real,
                        f"htmx {value[:12]!r}",
                        headers={"HX-Request": "true", "HX-Trigger-Name": "full_name"},
                        data={**dict.fromkeys(world.field_names, value), "csrf_token": token},
                    )
        fuzzer.send(role, client, "PATCH", paths[0])
        world.keep_signed_in(role)


@pytest.fixture
def fuzzer(app, caplog) -> Iterator[Fuzzer]:
    caplog.set_level(logging.WARNING)
    fuzz = Fuzzer(app)
    event.listen(db.engine, "before_cursor_execute", fuzz.watch)
    yield fuzz
    event.remove(db.engine, "before_cursor_execute", fuzz.watch)


def _report(fuzzer: Fuzzer, caplog, started: float, record_property, what: str) -> None:
    # An error logged, or a safety net used: input an edge should have refused, or a rule
    # that one request alone broke.
    nets = (DATA_ERROR_LOG, INTEGRITY_ERROR_LOG)
    errors = [
        r for r in caplog.records if r.levelno >= logging.ERROR or r.getMessage().startswith(nets)
    ]
    seconds = time.perf_counter() - started
    record_property(
        "summary",
        f"route fuzzer ({what}): {fuzzer.sent} requests in {seconds:.1f} s, "
        f"{len(fuzzer.failures)} failures, {len(errors)} error log records",
    )
    listing = "\n".join(str(f) for f in fuzzer.failures[:60])
    assert not fuzzer.failures, f"{len(fuzzer.failures)} failing requests:\n{listing}"
    assert not errors, "\n".join(r.getMessage()[:300] for r in errors[:20])


@pytest.mark.parametrize("role", ["anonymous", "citizen", "officer"])
def test_no_route_answers_5xx_to_hostile_input(app, world, fuzzer, caplog, role, record_property):
    started = time.perf_counter()
    _run_catalogue(app, world, fuzzer, role)
    _report(fuzzer, caplog, started, record_property, role)


_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
_VALUES = st.one_of(
    _TEXT,
    st.integers().map(str),
    st.sampled_from(HOSTILE[:-1]),
    st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y")),
)


def test_generated_payloads_never_answer_5xx(app, world, fuzzer, caplog, record_property):
    """Hypothesis picks a route, a user, and what each field or query key holds."""
    started = time.perf_counter()
    targets = [
        (rule, method)
        for rule, methods in _rules(app)
        if rule.endpoint != "static"
        for method in methods
    ]

    @settings(
        max_examples=300,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(
        target=st.sampled_from(targets),
        role=st.sampled_from(sorted(world.clients)),
        path_value=_VALUES,
        fields=st.dictionaries(
            st.sampled_from(world.field_names + list(QUERY_KEYS)), _VALUES, max_size=8
        ),
        as_json=st.booleans(),
    )
    def attack(target, role, path_value, fields, as_json):
        rule, method = target
        values = dict(world.path_values)
        for name in _variables(rule)[:1]:
            values[name] = path_value
        path = _path(rule, {k: quote(v, safe="") for k, v in values.items()})
        client = world.clients[role]
        if method == "GET":
            fuzzer.send(role, client, method, f"{path}?{urlencode(fields)}")
        elif as_json:
            fuzzer.send(
                role,
                client,
                method,
                path,
                "json",
                data=json.dumps(fields),
                content_type="application/json",
                headers={"X-CSRFToken": world.tokens[role]},
            )
        else:
            fuzzer.send(
                role,
                client,
                method,
                path,
                "form",
                data={**fields, "csrf_token": world.tokens[role]},
            )

    attack()
    _report(fuzzer, caplog, started, record_property, "hypothesis")
