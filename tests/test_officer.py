"""O1–O10: the officer's own sign-in, the queue and its search, a dossier's detail and photo,
the decisions (HGĐ registry, first password, SMS and email), change-of-information dossiers,
"already decided", the audit log, and the `flask officer create` command."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import func, select, text

from tests import factories
from tests.conftest import check_page
from tests.test_security import NEW_PASSWORD, otp_from_outbox, post_form, sms_to
from webapp.extensions import db
from webapp.models import (
    Account,
    AuditEvent,
    Officer,
    OfficerSession,
    OutboxMessage,
    Person,
    RegistrationDossier,
)
from webapp.services import passwords, registration, review
from webapp.services.clock import as_utc
from webapp.services.registry import DatabaseRegistry

QUEUE = "/officer/ho-so-dk-gddt/ca-nhan"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


@pytest.fixture(autouse=True)
def uploads(app, tmp_path) -> Path:
    folder = tmp_path / "uploads"
    folder.mkdir()
    app.config["DOSSIER_UPLOAD_FOLDER"] = str(folder)
    return folder


def emails_to(address: str) -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == address, OutboxMessage.channel == "email")
            .order_by(OutboxMessage.id)
        )
    )


def reload(row):
    db.session.expire_all()
    return db.session.get(type(row), row.id)


def detail_url(dossier) -> str:
    return f"/officer/ho-so/{dossier.number}"


def decide(browser, dossier, assessment: str, reason: str = "", **extra):
    return post_form(browser, detail_url(dossier), assessment=assessment, reason=reason, **extra)


@pytest.fixture
def registered(app, uploads):
    """A person the HGĐ registry knows, without an account, and their declared dossier."""
    person = factories.person(
        account=False,
        full_name="Phạm Văn Khải",
        bhxh_code="7912345678",
        cccd="079090012345",
        phone=None,
    )
    photo = uploads / "anh-cccd.png"
    photo.write_bytes(PNG)
    dossier = factories.dossier(
        bhxh_code=person.bhxh_code,
        full_name="PHAM VAN KHAI",  # typed without diacritics: the registry still matches
        phone="0987000111",
        email="khai@example.com",
        photo_path=photo.name,
        photo_type="image/png",
    )
    db.session.commit()
    return dossier


# --- O1: sign-in, roles, separation ---------------------------------------------------------------
def test_officers_sign_in_at_officer_with_their_own_form(app, client, officer_login):
    record = factories.officer(username="canbo.moi")
    db.session.commit()
    soup = client.page("/officer/")
    assert soup.h1.get_text() == "Đăng nhập cán bộ"
    assert soup.find("label", attrs={"for": "username"}).get_text() == "Tên đăng nhập"
    response = officer_login("canbo.moi", c=client)
    assert response.status_code == 302 and response.headers["Location"] == QUEUE
    row = session_of(client)  # the cookie holds only the token of a row on the server
    assert (row.officer_id, row.revoked_at) == (record.id, None)
    assert as_utc(row.expires_at) == as_utc(row.created_at) + dt.timedelta(hours=10)
    soup = client.page(QUEUE)
    assert soup.h1.get_text() == "Hồ sơ đăng ký giao dịch điện tử cá nhân"
    nav = soup.select_one("nav.officer-nav")
    assert "Hồ sơ ĐK GDĐT" in nav.get_text() and nav.find("a", string="Cá nhân")["href"] == QUEUE
    events = db.session.scalars(select(AuditEvent.event).where(AuditEvent.actor_type == "officer"))
    assert "officer_login" in list(events)


@pytest.mark.parametrize(
    ("username", "password", "status", "message"),
    [
        ("canbo.moi", "sai-mat-khau", 401, "Tên đăng nhập hoặc mật khẩu không đúng."),
        ("khong.co.ai", factories.OFFICER_PASSWORD, 401, "Tên đăng nhập hoặc mật khẩu không đúng."),
        ("nghi.viec", factories.OFFICER_PASSWORD, 401, "Tên đăng nhập hoặc mật khẩu không đúng."),
        ("", "x", 400, "Nhập tên đăng nhập"),
        ("canbo.moi", "", 400, "Nhập mật khẩu"),
        ("x" * 5000, "x", 400, "Tên đăng nhập có tối đa 40 ký tự"),
        ("<script>alert(1)</script>", "x", 400, "Tên đăng nhập chỉ gồm chữ cái"),
        ("canbo' OR '1'='1", "x", 400, "Tên đăng nhập chỉ gồm chữ cái"),
        ("canbo.moi", "p" * 129, 400, "Mật khẩu có tối đa 128 ký tự"),
    ],
)
def test_officer_sign_in_refuses_bad_input(
    client, officer_login, username, password, status, message
):
    factories.officer(username="canbo.moi")
    factories.officer(username="nghi.viec", active=False)
    db.session.commit()
    response = officer_login(username, password, c=client)
    assert response.status_code == status
    soup = check_page(response)
    assert message in soup.select_one(".error-summary").get_text()
    assert "<script>alert" not in response.get_data(as_text=True)
    assert client.get(QUEUE).status_code == 302  # still signed out


@pytest.mark.parametrize("username", ["canbo.moi", "khong.co.ai", "nghi.viec"])
def test_wrong_passwords_are_answered_alike_whether_the_username_exists(
    app, client, officer_login, username
):
    factories.officer(username="canbo.moi")
    factories.officer(username="nghi.viec", active=False)
    db.session.commit()
    statuses = [officer_login(username, "sai", c=client).status_code for _ in range(6)]
    assert statuses == [401] * 4 + [429] * 2
    assert officer_login(username, c=client).status_code == 429  # even the right one, for now


def failures(officer_id: int, event: str = "officer_login_failed") -> int:
    return db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.event == event, AuditEvent.actor_id == officer_id
        )
    )


def test_five_wrong_passwords_lock_an_officer_for_15_minutes(app, client, officer_login, clock):
    record = factories.officer(username="canbo.moi")
    db.session.commit()
    statuses = [officer_login("canbo.moi", f"sai-{n}", c=client).status_code for n in range(5)]
    assert statuses == [401] * 4 + [429]
    row = reload(record)
    assert as_utc(row.locked_until) == clock.now() + dt.timedelta(minutes=15)
    assert row.failed_logins == 0
    response = officer_login("canbo.moi", c=client)  # the right password: still locked
    assert response.status_code == 429
    assert "Nhập sai quá nhiều lần. Đăng nhập tạm khóa 15 phút." in check_page(response).select_one(
        ".error-summary"
    ).get_text(" ")
    clock.advance(minutes=14, seconds=59)
    assert officer_login("canbo.moi", c=client).status_code == 429
    assert client.get(QUEUE).status_code == 302
    assert failures(record.id) == 5  # locked attempts are refused, never weighed
    assert failures(record.id, "officer_locked") == 1
    assert failures(record.id, "officer_login_refused_locked") == 2
    clock.advance(seconds=1)
    assert officer_login("canbo.moi", c=client).status_code == 302


def test_the_right_password_starts_the_count_again(app, client, officer_login):
    record = factories.officer(username="canbo.moi")
    db.session.commit()
    assert [officer_login("canbo.moi", "sai", c=client).status_code for _ in range(4)] == [401] * 4
    assert reload(record).failed_logins == 4
    assert officer_login("canbo.moi", c=client).status_code == 302
    assert (reload(record).failed_logins, reload(record).locked_until) == (0, None)
    other = app.test_client()
    assert [officer_login("canbo.moi", "sai", c=other).status_code for _ in range(4)] == [401] * 4


def test_pages_need_a_signed_in_officer(client):
    response = client.get(QUEUE + "?state=declared")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/officer/?next=")
    assert client.htmx(QUEUE).headers["HX-Redirect"].startswith("/officer/?next=")


def test_a_citizen_never_reaches_officer_pages(client, citizen, registered):
    for url in ["/officer/", QUEUE, detail_url(registered), detail_url(registered) + "/anh"]:
        assert client.get(url).status_code == 403, url
    assert client.post("/officer/dang-xuat").status_code in (400, 403)


def test_an_officer_never_reaches_citizen_pages(officer):
    for url in ["/ca-nhan/", "/ca-nhan/the-bhyt", "/ca-nhan/thay-doi-thong-tin", "/dang-ky/"]:
        assert officer.browser.get(url).status_code == 403, url
    # the start page (the logo) takes an officer to the queue instead
    assert officer.browser.get("/").headers["Location"] == QUEUE


def session_of(browser) -> OfficerSession:
    """The server-side session a browser's cookie names."""
    with browser.session_transaction() as session:
        kind, _sep, token = session["_user_id"].partition(":")
    assert kind == "o" and len(token) >= 43
    db.session.expire_all()
    return db.session.scalar(select(OfficerSession).where(OfficerSession.token == token))


def replay(app, browser):
    """A fresh browser holding a copy of `browser`'s session cookie as it is now (a copy kept
    from before sign-out, a stolen one)."""
    copy = app.test_client()
    copy.set_cookie("session", browser.get_cookie("session").value)
    return copy


def refused(browser) -> bool:
    """The queue sends this browser to the officer's sign-in page."""
    response = browser.get(QUEUE)
    return response.status_code == 302 and response.headers["Location"].startswith(
        "/officer/?next="
    )


def test_a_new_password_signs_the_officer_out_of_every_browser(app, officer, officer_login):
    second = app.test_client()
    assert officer_login(officer.record.username, c=second).status_code == 302
    kept = replay(app, officer.browser)
    assert not refused(kept) and not refused(second)
    second_row = session_of(second)
    secret = "Mot-mat-khau-moi-hoan-toan"
    result = app.test_cli_runner().invoke(
        args=["officer", "set-password", "canbo.duyet"], input=f"{secret}\n{secret}\n"
    )
    assert result.exit_code == 0, result.output
    assert "sessions ended: 2" in result.output and secret not in result.output
    assert refused(kept) and refused(second)
    response = officer.browser.get(QUEUE)
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    text = officer.browser.page("/officer/").get_text(" ")
    assert "Mật khẩu của bạn đã được thay đổi" in text
    assert reload(second_row).revoked_reason == "password_changed"
    assert officer_login("canbo.duyet", c=app.test_client()).status_code == 401
    assert officer_login("canbo.duyet", secret, c=app.test_client()).status_code == 302


def test_disabling_an_officer_ends_their_sessions(app, officer, officer_login):
    kept = replay(app, officer.browser)
    result = app.test_cli_runner().invoke(args=["officer", "disable", "canbo.duyet"])
    assert result.exit_code == 0, result.output
    assert "sessions ended: 1" in result.output
    assert refused(kept) and refused(officer.browser)
    assert reload(officer.record).active is False
    assert officer_login("canbo.duyet", c=app.test_client()).status_code == 401
    result = app.test_cli_runner().invoke(args=["officer", "enable", "canbo.duyet"])
    assert result.exit_code == 0, result.output
    assert refused(replay(app, kept))  # enabled again: the old sessions stay ended
    assert officer_login("canbo.duyet", c=app.test_client()).status_code == 302
    events = set(db.session.scalars(select(AuditEvent.event)))
    assert {"officer_disabled", "officer_enabled"} <= events


def test_a_deactivation_written_elsewhere_also_ends_the_session(app, officer):
    reload(officer.record).active = False  # e.g. by SQL, not through the command
    db.session.commit()
    assert refused(officer.browser)
    reload(officer.record).active = True
    db.session.commit()
    assert refused(officer.browser)


def test_officer_commands_name_an_existing_officer(app):
    for command in ("set-password", "disable", "enable"):
        result = app.test_cli_runner().invoke(args=["officer", command, "khong.co.ai"])
        assert result.exit_code != 0 and "no officer is named" in result.output


@pytest.mark.parametrize("forged", ["o:1", "o:1:", "o:abc:def", "o:1:" + "0" * 32, "x:1", "o:"])
def test_a_forged_session_id_is_nobody(app, officer, forged):
    browser = app.test_client()
    with browser.session_transaction() as session:
        session["_user_id"] = forged
    assert refused(browser)


def test_an_officer_session_lasts_a_working_day(app, officer, clock):
    kept = replay(app, officer.browser)
    clock.advance(hours=9)
    assert officer.browser.get(QUEUE).status_code == 200
    clock.advance(hours=1)
    response = officer.browser.get(QUEUE)
    assert response.status_code == 302
    assert "Phiên làm việc đã kết thúc" in officer.browser.page("/officer/").get_text()
    assert refused(kept)
    row = db.session.scalar(select(OfficerSession))
    assert (row.revoked_reason, as_utc(row.revoked_at)) == ("expired", clock.now())


def test_sign_out_ends_the_session_on_the_server(app, officer):
    kept = replay(app, officer.browser)
    token = officer.browser.page(QUEUE).select_one("form.officer-logout input")["value"]
    response = officer.browser.post("/officer/dang-xuat", data={"csrf_token": token})
    assert response.headers["Location"] == "/officer/"
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert refused(officer.browser)
    assert refused(kept)  # the cookie from before sign-out opens nothing any more
    row = db.session.scalar(select(OfficerSession))
    assert row.revoked_reason == "logout"
    events = list(db.session.scalars(select(AuditEvent.event).order_by(AuditEvent.id)))
    assert events[-1] == "officer_logout" and events.count("officer_login") == 1


# --- O2–O4: the queue -----------------------------------------------------------------------------


def rows(soup) -> list[str]:
    return [row.td.get_text(strip=True) for row in soup.select("tr.dossier-row")]


def test_the_queue_is_newest_first_and_paginated(officer, clock):
    numbers = []
    for i in range(25):
        d = factories.dossier(declared_at=clock.now() - dt.timedelta(hours=i + 1))
        numbers.append(d.number)
    db.session.commit()
    soup = officer.browser.page(QUEUE)
    assert rows(soup) == numbers[:20]
    older = soup.find("a", rel="next")
    assert older["href"] == f"{QUEUE}?page=2" and older["hx-get"] == older["href"]
    assert older["hx-push-url"] == "true"
    soup = officer.browser.page(older["href"])
    assert rows(soup) == numbers[20:]
    assert soup.find("a", rel="next") is None and soup.find("a", rel="prev")
    assert officer.browser.get(f"{QUEUE}?page=0").status_code == 404
    assert officer.browser.get(f"{QUEUE}?page=99999").status_code == 404


def test_each_row_opens_by_double_or_right_click_and_by_a_link(officer, registered):
    soup = officer.browser.page(QUEUE)
    row = soup.select_one("tr.dossier-row")
    link = row.find("a")
    assert link.get_text() == registered.number
    assert row["data-href"] == link["href"]
    assert urlsplit(link["href"]).path == detail_url(registered)
    assert parse_qs(urlsplit(link["href"]).query)["back"] == [QUEUE]
    scripts = [s["src"] for s in soup.select("script[src]")]
    assert "/static/js/officer.js" in scripts
    js = officer.browser.get("/static/js/officer.js").get_data(as_text=True)
    assert '"dblclick"' in js and '"contextmenu"' in js


def test_expired_declarations_are_out_of_the_queue_at_once(officer, clock):
    fresh = factories.dossier(declared_at=clock.now() - dt.timedelta(days=9, hours=23))
    late = factories.dossier(declared_at=clock.now() - dt.timedelta(days=10, minutes=1))
    old_change = factories.dossier(
        kind="change_info", declared_at=clock.now() - dt.timedelta(days=40)
    )
    db.session.commit()
    assert set(rows(officer.browser.page(QUEUE))) == {fresh.number, old_change.number}
    assert officer.browser.get(detail_url(late)).status_code == 404


@pytest.fixture
def assorted(app, clock):
    """Dossiers of every kind, assessment and state, over three months."""
    now = clock.now()
    made = {
        "pending": factories.dossier(
            bhxh_code="0100000001", declared_at=now - dt.timedelta(hours=2)
        ),
        "approved": factories.dossier(
            bhxh_code="0100000002",
            declared_at=dt.datetime(2026, 9, 15, 2, tzinfo=dt.UTC),
            state="approved",
            assessment="valid",
        ),
        "rejected": factories.dossier(
            bhxh_code="0100000003",
            declared_at=dt.datetime(2026, 10, 1, 1, tzinfo=dt.UTC),  # 08:00 on 1/10 in Hà Nội
            state="rejected",
            assessment="invalid",
        ),
        "no_code": factories.dossier(
            bhxh_code="0100000004",
            declared_at=dt.datetime(2026, 9, 30, 18, tzinfo=dt.UTC),  # 01:00 on 1/10 in Hà Nội
            state="no_code",
            assessment="valid",
        ),
        "change": factories.dossier(
            kind="change_info", bhxh_code="0100000005", declared_at=now - dt.timedelta(days=1)
        ),
    }
    db.session.commit()
    return made


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["pending", "change", "rejected", "no_code", "approved"]),
        ("bhxh_code=0100000003", ["rejected"]),
        ("bhxh_code=0100 000 003", ["rejected"]),
        ("assessment=pending", ["pending", "change"]),
        ("assessment=valid", ["no_code", "approved"]),
        ("assessment=invalid", ["rejected"]),
        ("state=declared", ["pending", "change"]),
        ("state=no_code", ["no_code"]),
        ("kind=change_info", ["change"]),
        ("kind=register&state=declared", ["pending"]),
        ("date_from=01/10/2026&date_to=01/10/2026", ["rejected", "no_code"]),  # Vietnam's day
        ("date_from=01/10/2026", ["pending", "change", "rejected", "no_code"]),
        ("date_to=30/09/2026", ["approved"]),
        ("date_to=30-9-2026", ["approved"]),
        ("date_to=30092026", ["approved"]),
        ("date_from=01/09/2026&date_to=31/10/2026&assessment=valid", ["no_code", "approved"]),
        ("bhxh_code=0100000009", []),
    ],
)
def test_mo_rong_searches_by_each_criterion(officer, assorted, query, expected):
    soup = officer.browser.page(f"{QUEUE}?{query}")
    assert rows(soup) == [assorted[name].number for name in expected]
    if query:
        assert soup.select_one("details.search-panel").has_attr("open")
    if not expected:
        assert "Không có hồ sơ nào phù hợp" in soup.get_text()


def test_search_by_dossier_number(officer, assorted):
    number = assorted["approved"].number
    soup = officer.browser.page(f"{QUEUE}?number={number.lower()}")
    assert rows(soup) == [number]


@pytest.fixture
def numbered(app, clock):
    """Dossiers whose numbers share beginnings and endings, of two years."""
    now = clock.now()
    numbers = ("HS2025-000124", "HS2026-000124", "HS2026-001240", "HS2026-012400", "HS2026-000009")
    made = {
        number: factories.dossier(number=number, declared_at=now - dt.timedelta(hours=i + 1))
        for i, number in enumerate(numbers)
    }
    db.session.commit()
    return made


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("HS2026-000124", ["HS2026-000124"]),
        ("hs2026-000124", ["HS2026-000124"]),
        (" HS 2026-000 124 ", ["HS2026-000124"]),
        ("HS2026-0001", ["HS2026-000124"]),  # the beginning, as typed from the left
        ("HS2026-00", ["HS2026-000124", "HS2026-001240", "HS2026-000009"]),
        ("HS2025", ["HS2025-000124"]),
        (
            "hs",
            ["HS2025-000124", "HS2026-000124", "HS2026-001240", "HS2026-012400", "HS2026-000009"],
        ),
        ("000124", ["HS2025-000124", "HS2026-000124"]),  # the count, as read out
        ("124", ["HS2025-000124", "HS2026-000124", "HS2026-001240", "HS2026-012400"]),
        ("2400", ["HS2026-012400"]),
        ("9", ["HS2026-000009"]),
        ("2026-0001", ["HS2026-000124"]),
        ("25-", ["HS2025-000124"]),
        ("-01", ["HS2026-012400"]),
        ("000125", []),
        ("HS2027", []),
    ],
)
def test_search_by_part_of_a_dossier_number(officer, numbered, typed, expected):
    soup = officer.browser.page(f"{QUEUE}?{urlencode({'number': typed})}")
    found = [number for number in rows(soup) if number in numbered]
    assert sorted(found) == sorted(expected)
    assert soup.select_one("#number-error") is None


def test_a_part_of_a_number_from_the_left_reads_the_number_index(app, numbered):
    """EXPLAIN on SQLite: a beginning of a number is a range of the unique index on `number`."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the plan is SQLite's")
    from webapp.models import RegistrationDossier
    from webapp.services import review

    for typed, uses in (
        ("HS2026-0001", "(number>? AND number<?)"),
        ("HS2026-000124", "(number=?)"),
    ):
        query = select(RegistrationDossier.id).where(review.number_condition(typed))
        compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
        plan = " ".join(
            row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
        )
        assert plan.startswith("SEARCH registration_dossier USING") and uses in plan, plan


def test_the_search_panel_has_the_seed_names(officer):
    soup = officer.browser.page(QUEUE)
    panel = soup.select_one("details.search-panel")
    assert panel.summary.get_text() == "Mở rộng"
    labels = [label.get_text() for label in panel.select("label")]
    assert labels == [
        "Số hồ sơ",
        "Mã số BHXH",
        "Kê khai từ ngày",
        "Đến ngày",
        "Tình trạng",
        "Trạng thái",
        "Loại hồ sơ",
    ]
    form = panel.form
    assert form["method"] == "get" and form["hx-get"] == QUEUE and form["hx-push-url"] == "true"
    assert form.select_one("button[type=submit]").get_text() == "Tra cứu"
    assert soup.select_one("#queue")["hx-target"] == "this"


def test_tra_cuu_by_htmx_swaps_the_queue_only_and_the_url_loads_the_same(officer, assorted):
    url = f"{QUEUE}?state=rejected"
    response = officer.browser.htmx(url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and "<h1" not in body and body.lstrip().startswith('<div id="queue"')
    assert assorted["rejected"].number in body and assorted["pending"].number not in body
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "private, no-store"
    soup = officer.browser.page(url)
    assert rows(soup) == [assorted["rejected"].number]
    # the detail links carry the search back to the list ("Thoát")
    link = soup.select_one("tr.dossier-row a")["href"]
    assert parse_qs(urlsplit(link).query)["back"] == [url]


def test_the_search_shows_as_typed_on_every_page_in_the_readers_language(officer, assorted):
    """The panel of a valid search is remembered by what was typed (officer.views.SEARCH_PANEL):
    each search, language and page still shows its own values, and a wrong one its errors."""

    def panel(query, **headers):
        response = officer.browser.get(f"{QUEUE}?{query}", headers=headers)
        return response.status_code, check_page(response).select_one("details.search-panel")

    for query in ("state=rejected", "state=rejected&page=2", "state=declared&kind=register"):
        for _ in range(2):
            status, found = panel(query)
            assert status == 200 and found.has_attr("open")
            assert found.summary.get_text() == "Mở rộng"
            expected = dict(pair.split("=") for pair in query.split("&") if "page" not in pair)
            for name in ("state", "kind"):
                selected = found.select_one(f"select[name={name}] option[selected]")
                assert (selected["value"] if selected else None) == expected.get(name)
    status, found = panel("number=HS2026-0001")
    assert found.select_one("input[name=number]")["value"] == "HS2026-0001"
    status, found = panel("number=hs2026-0002")  # shown as the filter wrote it
    assert found.select_one("input[name=number]")["value"] == "HS2026-0002"
    status, found = panel("")
    assert status == 200 and not found.has_attr("open")
    assert found.select_one("input[name=number]")["value"] == ""
    for _ in range(2):  # a wrong search is never remembered as a right one
        status, found = panel("number=HX123")
        assert status == 400 and found.select_one("#number-error")
    officer.browser.set_cookie("lang", "en")
    status, found = panel("state=rejected")
    assert found.summary.get_text() == "Expand search"


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("number=HX123", "number", "Nhập số hồ sơ hoặc một phần của số"),
        ("number=1234567", "number", "Nhập số hồ sơ hoặc một phần của số"),
        ("number=HS20261", "number", "Nhập số hồ sơ hoặc một phần của số"),
        ("number=%3Cscript%3E", "number", "Nhập số hồ sơ hoặc một phần của số"),
        ("number=" + "9" * 5000, "number", "Số hồ sơ có dạng HS2026-000124"),
        ("bhxh_code=12345", "bhxh_code", "Mã số BHXH gồm đúng 10 chữ số"),
        ("bhxh_code=' OR 1=1 --", "bhxh_code", "Mã số BHXH gồm đúng 10 chữ số"),
        ("date_from=hom-qua", "date_from", "Nhập ngày theo dạng dd/mm/yyyy"),
        ("date_from=" + "1" * 5000, "date_from", "Nhập ngày theo dạng dd/mm/yyyy"),
        ("date_from=01/01/1900", "date_from", "Chọn ngày từ năm 2000 trở đi"),
        ("date_to=31/12/9999", "date_to", "Chọn ngày trước năm 2100"),
        ("date_from=2026-10-01", "date_from", "Nhập ngày theo dạng dd/mm/yyyy"),
        ("date_from=10/31/2026", "date_from", "Không có ngày này"),
        ("date_from=31/02/2026", "date_from", "Không có ngày này"),
        ("date_from=%00%3Cb%3E", "date_from", "Nhập ngày theo dạng dd/mm/yyyy"),
        ("date_from=02/10/2026&date_to=01/10/2026", "date_to", "Ngày kết thúc không được trước"),
        ("assessment=bogus", "assessment", "Chọn tình trạng trong danh sách"),
        ("state=%3Cscript%3Ealert(1)%3C/script%3E", "state", "Chọn trạng thái trong danh sách"),
        ("kind=x", "kind", "Chọn loại hồ sơ trong danh sách"),
    ],
)
def test_a_wrong_search_is_told_next_to_its_field(officer, assorted, query, field, message):
    response = officer.browser.get(f"{QUEUE}?{query}")
    assert response.status_code == 400
    soup = check_page(response)
    assert message in soup.select_one(f"#{field}-error").get_text()
    assert soup.select("tr.dossier-row") == []
    assert "<script>alert" not in response.get_data(as_text=True)
    # by HTMX: the same 400 with the search panel, which officer.js lets htmx swap in
    fragment = officer.browser.htmx(f"{QUEUE}?{query}")
    assert fragment.status_code == 400 and message in fragment.get_data(as_text=True)


def test_a_reviewer_sees_only_the_dossiers_of_their_province(app, officer_login, clock):
    hcm = factories.office(province_code="79", level="province", name="BHXH TP Hồ Chí Minh")
    quan1 = factories.office(province_code="79", name="BHXH cơ sở Quận 1")
    hanoi = factories.office(province_code="01", name="BHXH cơ sở Hoàn Kiếm")
    ours = factories.dossier(office_id=quan1.id)
    theirs = factories.dossier(office_id=hanoi.id)
    factories.officer(username="duyet.hcm", role="reviewer", office_id=hcm.id)
    factories.officer(username="duyet.q1", role="reviewer", office_id=quan1.id)
    factories.officer(username="duyet.hk", role="reviewer", office_id=hanoi.id)
    db.session.commit()
    for username, visible in [
        ("duyet.hcm", [ours]),
        ("duyet.q1", [ours]),
        ("duyet.hk", [theirs]),
    ]:
        browser = app.test_client()
        officer_login(username, c=browser)
        assert rows(browser.page(QUEUE)) == [d.number for d in visible], username
        hidden = theirs if visible == [ours] else ours
        assert browser.get(detail_url(hidden)).status_code == 404


# --- O4–O5: detail and photo ----------------------------------------------------------------------


def test_the_detail_shows_the_declaration_photo_assessment_and_exit(officer, registered):
    back = f"{QUEUE}?state=declared&page=1"
    soup = officer.browser.page(f"{detail_url(registered)}?back={back.replace('&', '%26')}")
    assert soup.h1.get_text() == f"Hồ sơ {registered.number}"
    text = soup.get_text(" ")
    for expected in ["PHAM VAN KHAI", "7912345678", "0987000111", "khai@example.com", "Đã kê khai"]:
        assert expected in text
    img = soup.select_one("img.id-photo")
    assert img["src"].startswith(f"{detail_url(registered)}/anh")
    form = soup.select_one("form.assess-form")
    assert form.legend.get_text() == "Đánh giá hồ sơ"
    assert [label.get_text() for label in form.select(".choice label")] == [
        "Hồ sơ hợp lệ",
        "Hồ sơ không hợp lệ",
    ]
    assert form.select_one("button[type=submit]").get_text() == "Ghi nhận"
    exits = [a for a in soup.select("main a") if a.get_text() in ("Thoát", "Thoát về danh sách")]
    assert exits and all(a["href"] == back for a in exits)


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example", "/ca-nhan/"])
def test_exit_never_leaves_the_back_office(officer, registered, back):
    soup = officer.browser.page(f"{detail_url(registered)}?back={back}")
    assert soup.find("a", string="Thoát")["href"] == QUEUE


@pytest.mark.parametrize("number", ["HS2026-999999", "x" * 5000, "<script>", "..%2F..%2Fetc"])
def test_an_unknown_dossier_is_not_found(officer, number):
    assert officer.browser.get(f"/officer/ho-so/{number}").status_code == 404


def test_the_photo_is_served_to_officers_only_and_never_cached(app, client, officer, registered):
    response = officer.browser.get(detail_url(registered) + "/anh")
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(detail_url(registered) + "/anh").status_code == 302  # anonymous
    assert client.get(f"/static/../instance/{registered.photo_path}").status_code == 404
    assert app.static_folder not in app.config["DOSSIER_UPLOAD_FOLDER"]


def test_the_officer_replaces_the_photo_and_it_is_logged(officer, registered, uploads):
    old = registered.photo_path
    response = officer.browser.post(
        detail_url(registered) + "/anh",
        data={
            "csrf_token": officer.browser.page(detail_url(registered)).select_one("#photo-csrf")[
                "value"
            ],
            "photo": (io.BytesIO(JPEG), "scan.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    dossier = reload(registered)
    assert dossier.photo_type == "image/jpeg" and dossier.photo_path != old
    assert not (uploads / old).exists() and (uploads / dossier.photo_path).read_bytes() == JPEG
    assert officer.browser.get(detail_url(registered) + "/anh").data == JPEG
    soup = officer.browser.page(detail_url(registered))
    assert "Đã thay ảnh giấy tờ." in soup.get_text()
    log = soup.select_one("table.log-table").get_text(" ")
    assert "Thay ảnh giấy tờ" in log and "Đỗ Văn Duyệt (canbo.duyet)" in log


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Chọn tệp ảnh chụp hoặc bản quét mới"),
        (b"", "Chọn tệp ảnh chụp hoặc bản quét mới"),
        (b"<svg onload=alert(1)>", "Tệp phải là ảnh JPEG, PNG hoặc bản quét PDF"),
        (b"GIF89a", "Tệp phải là ảnh JPEG, PNG hoặc bản quét PDF"),
        (PNG + b"\x00" * 2000, "Tệp lớn hơn 5 MB"),
    ],
)
def test_a_replacement_photo_is_checked_by_content_and_size(
    app, officer, registered, content, message
):
    app.config["DOSSIER_PHOTO_MAX_BYTES"] = 1000
    token = officer.browser.page(detail_url(registered)).select_one("#photo-csrf")["value"]
    data = {"csrf_token": token}
    if content is not None:
        data["photo"] = (io.BytesIO(content), "anh.jpg")
    response = officer.browser.post(
        detail_url(registered) + "/anh", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    soup = check_page(response)
    assert message in soup.select_one("#photo-error").get_text()
    assert reload(registered).photo_type == "image/png"


# --- O6–O8: decisions -----------------------------------------------------------------------------


def test_valid_issues_the_account_and_texts_the_first_password(
    app, client, officer, registered, login, clock
):
    response = decide(officer.browser, registered, "valid", back=QUEUE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(detail_url(registered))
    dossier = reload(registered)
    assert (dossier.assessment, dossier.state) == ("valid", "approved")
    assert dossier.decided_by_id == officer.record.id

    person = db.session.scalar(select(Person).where(Person.bhxh_code == "7912345678"))
    account = person.account
    assert account.status == "pending" and account.must_change_password
    assert person.phone == "0987000111" and person.email == "khai@example.com"

    (sms,) = sms_to("0987000111")
    match = re.fullmatch(
        r"VssID: Ho so (HS\d{4}-\d{6}) da duoc duyet\. Tai khoan: (\d{10})\. "
        r"Vui long doi mat khau ngay khi dang nhap lan dau va "
        r"khong cung cap mat khau cho bat ky ai\. Mat khau: (\S+)",
        sms.body,
    )
    assert match, sms.body
    number, code, password = match.groups()
    assert (number, code) == (registered.number, "7912345678")
    assert len(password) == 10 and passwords.verify_password(account.password_hash, password)
    (email,) = emails_to("khai@example.com")
    assert "7912345678" in email.body and "098****111" in email.body
    assert password not in email.body and email.subject.startswith("VssID: Chấp thuận")

    soup = officer.browser.page(response.headers["Location"])
    assert "Cập nhật thành công" in soup.select_one(".flash-success").get_text()
    assert soup.select_one("form.assess-form") is None  # decided: nothing more to record

    # the citizen signs in with the SMS password and must change it before anything else
    response = login("7912345678", password)
    assert response.status_code == 302
    response = client.get("/ca-nhan/")
    assert response.status_code == 302 and response.headers["Location"] == "/doi-mat-khau"
    assert "cấp lần đầu" in client.page("/doi-mat-khau").get_text()
    post_form(
        client,
        "/doi-mat-khau",
        old_password=password,
        new_password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
    )
    post_form(client, "/doi-mat-khau/otp", code=otp_from_outbox("0987000111"))
    assert client.get("/ca-nhan/").status_code == 200
    assert not reload(account).must_change_password

    # nothing secret in the audit log
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "dossier_approved"))
    assert event.actor_type == "officer" and event.actor_id == officer.record.id
    assert event.subject_id == registered.id and event.detail["decision"] == "valid"
    assert password not in str(event.detail)


def test_an_account_is_never_issued_twice_for_one_person(app, officer, registered):
    """Two open declarations of one code cannot be recorded any more, but one may be recorded
    while the first is being approved: approving it must not send the account's password to
    the second phone."""
    assert decide(officer.browser, registered, "valid").status_code == 302
    account = db.session.scalar(
        select(Account).join(Account.person).where(Person.bhxh_code == "7912345678")
    )
    password_hash = account.password_hash
    later = factories.dossier(bhxh_code="7912345678", full_name="Phạm Văn Khải", phone="0911222333")
    db.session.commit()
    response = decide(officer.browser, later, "valid")
    assert response.status_code == 409
    message = check_page(response).select_one("#already-decided").get_text()
    assert "Mã số BHXH 7912345678 đã có tài khoản nên không cấp lại tài khoản" in message
    assert reload(account).password_hash == password_hash
    assert sms_to("0911222333") == []
    assert (reload(later).state, reload(later).decided_at) == ("declared", None)
    assert db.session.scalar(select(func.count(Account.id))) == 1
    assert decide(officer.browser, later, "invalid", reason="Đã có tài khoản").status_code == 302


def test_first_passwords_are_random_and_readable():
    seen = {review.first_password() for _ in range(200)}
    assert len(seen) == 200
    for password in seen:
        assert len(password) == 10 and not set(password) & set("0O1lI")
        assert any(c.isupper() for c in password) and any(c.isdigit() for c in password)


def test_the_registry_compares_names_without_case_or_diacritics(app):
    factories.person(account=False, full_name="Đặng Thị Ngọc Ánh", bhxh_code="0111111111")
    db.session.commit()
    registry = DatabaseRegistry()
    assert registry.exists("0111111111", "DANG  THI NGOC ANH")
    assert registry.exists("0111111111", "đặng thị ngọc ánh")
    assert not registry.exists("0111111111", "Đặng Thị Ngọc")
    assert not registry.exists("0199999999", "Đặng Thị Ngọc Ánh")


def test_valid_without_a_code_in_the_hgd_registry_guides_the_officer(officer, app):
    dossier = factories.dossier(bhxh_code="0155555555", phone="0987000222")
    db.session.commit()
    response = decide(officer.browser, dossier, "valid")
    assert response.status_code == 302
    dossier = reload(dossier)
    assert (dossier.assessment, dossier.state) == ("valid", "no_code")
    assert db.session.scalar(select(func.count(Account.id))) == 0
    assert sms_to("0987000222") == []
    soup = officer.browser.page(detail_url(dossier))
    assert "không tồn tại trên hệ thống HGĐ" in soup.select_one(".flash-warning").get_text()
    guidance = soup.select_one(".guidance").get_text(" ")
    assert "Hướng dẫn cá nhân kê khai thủ tục cấp mã số BHXH" in guidance
    assert "TK1-TS" in guidance


def test_a_registry_of_another_system_can_be_plugged_in(app, officer):
    class Everyone:
        def exists(self, bhxh_code, full_name):
            return True

    app.extensions["household_registry"] = Everyone()
    office = factories.office(province_code="79")
    dossier = factories.dossier(bhxh_code="7900000042", office_id=office.id)
    db.session.commit()
    assert decide(officer.browser, dossier, "valid").status_code == 302
    person = db.session.scalar(select(Person).where(Person.bhxh_code == "7900000042"))
    assert person.full_name == dossier.full_name and person.account.must_change_password


def test_invalid_needs_a_reason_and_sends_it_by_sms_and_email(officer, registered):
    reason = "Ảnh giấy tờ tùy thân không rõ nét, không đọc được số định danh."
    response = decide(officer.browser, registered, "invalid", reason=reason)
    assert response.status_code == 302
    dossier = reload(registered)
    assert (dossier.assessment, dossier.state, dossier.reason) == ("invalid", "rejected", reason)
    (sms,) = sms_to("0987000111")
    assert sms.body == (
        f"VssID: Ho so {registered.number} khong duoc chap nhan. Ly do: Anh giay to tuy than "
        "khong ro net, khong doc duoc so dinh danh. Vui long hoan chinh thong tin dang ky hoac "
        "lien he co quan BHXH noi gan nhat."
    )
    (email,) = emails_to("khai@example.com")
    assert reason in email.body
    assert db.session.scalar(select(func.count(Account.id))) == 0
    soup = officer.browser.page(detail_url(registered))
    assert "Từ chối duyệt thành công" in soup.get_text()
    log = soup.select_one("table.log-table").get_text(" ")
    assert "Đánh giá không hợp lệ" in log and reason in log and "Đỗ Văn Duyệt" in log


@pytest.mark.parametrize(
    ("assessment", "reason", "field", "message"),
    [
        ("", "", "assessment", "Chọn “Hồ sơ hợp lệ” hoặc “Hồ sơ không hợp lệ”"),
        ("approve-all", "", "assessment", "Chọn “Hồ sơ hợp lệ” hoặc “Hồ sơ không hợp lệ”"),
        ("invalid", "", "reason", "Nhập lý do hồ sơ không hợp lệ"),
        ("invalid", "   ", "reason", "Nhập lý do hồ sơ không hợp lệ"),
        ("invalid", "x" * 5000, "reason", "Tối đa 500 ký tự"),
        ("invalid", "<script>alert(1)</script>", "reason", "Bỏ các ký tự < > { }"),
    ],
)
def test_the_assessment_refuses_bad_input(officer, registered, assessment, reason, field, message):
    response = decide(officer.browser, registered, assessment, reason=reason)
    assert response.status_code == 400
    soup = check_page(response)
    assert message in soup.select_one(f"#{field}-error").get_text()
    assert "<script>alert" not in response.get_data(as_text=True)
    assert reload(registered).state == "declared"
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_deciding_needs_the_csrf_token(officer, registered):
    response = officer.browser.post(detail_url(registered), data={"assessment": "valid"})
    assert response.status_code == 400
    assert reload(registered).state == "declared"


# --- "already decided" ----------------------------------------------------------------------------


def test_the_second_officer_is_told_it_was_already_decided(app, officer, officer_login, registered):
    second = factories.officer(username="canbo.hai", full_name="Lý Thị Hai")
    db.session.commit()
    other = app.test_client()
    officer_login("canbo.hai", c=other)
    token = other.page(detail_url(registered)).find("input", attrs={"name": "csrf_token"})["value"]
    # both have the detail open; the first records "valid"
    assert decide(officer.browser, registered, "valid").status_code == 302
    response = other.post(
        detail_url(registered),
        data={"assessment": "invalid", "reason": "Sai họ tên", "csrf_token": token},
    )
    assert response.status_code == 409
    soup = check_page(response)
    message = soup.select_one("#already-decided").get_text()
    assert "đã được Đỗ Văn Duyệt xử lý" in message and "không được ghi nhận" in message
    dossier = reload(registered)
    assert (dossier.state, dossier.decided_by_id) == ("approved", officer.record.id)
    assert len(sms_to("0987000111")) == 1  # one SMS, the first decision's
    assert second.id != officer.record.id
    events = db.session.scalars(
        select(AuditEvent.event).where(AuditEvent.subject_id == registered.id)
    )
    assert [e for e in events if e.startswith("dossier_") and e != "dossier_declared"] == [
        "dossier_approved"
    ]


def test_a_decision_written_in_between_keeps_the_later_one_out(app, officer, registered):
    """Where the database has no row locks (SQLite), the version column catches a decision
    written between reading the dossier and writing this one."""
    if db.engine.dialect.name == "postgresql":
        pytest.skip("on PostgreSQL the row lock makes the other write wait: see the next test")
    officer_row = db.session.get(Officer, officer.record.id)
    clock = app.extensions["clock"]
    original = review._lock_undecided

    def read_then_someone_else_decides(dossier_id, who, now):
        dossier = original(dossier_id, who, now)
        with db.engine.begin() as connection:  # another worker's transaction
            connection.execute(
                RegistrationDossier.__table__.update()
                .where(RegistrationDossier.id == dossier_id)
                .values(state="rejected", assessment="invalid", version=dossier.version + 1)
            )
        return dossier

    review._lock_undecided = read_then_someone_else_decides
    try:
        with pytest.raises(review.AlreadyDecided) as caught:
            review.approve(registered.id, officer_row, DatabaseRegistry(), clock.now(), app.config)
    finally:
        review._lock_undecided = original
    assert caught.value.dossier.state == "rejected"
    assert db.session.scalar(select(func.count(Account.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_two_officers_at_once_on_postgresql_decide_once(app, registered):
    """Two workers decide the same dossier at the same moment: exactly one decision."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite is covered by the version test above")
    first = factories.officer(username="canbo.mot")
    second = factories.officer(username="canbo.hai")
    db.session.commit()
    ids = (first.id, second.id)
    dossier_id = registered.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def work(officer_id: int, valid: bool) -> None:
        with app.app_context():
            who = db.session.get(Officer, officer_id)
            now = app.extensions["clock"].now()
            barrier.wait()
            try:
                if valid:
                    review.approve(dossier_id, who, DatabaseRegistry(), now, app.config)
                else:
                    review.reject(dossier_id, who, "Sai họ tên", now, app.config)
                db.session.commit()  # as the view does
                outcomes.append("decided")
            except review.AlreadyDecided:
                outcomes.append("already")
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=work, args=(ids[0], True)),
        threading.Thread(target=work, args=(ids[1], False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["already", "decided"]
    dossier = reload(registered)
    assert dossier.state in ("approved", "rejected")
    assert len(sms_to("0987000111")) == 1
    decisions = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.subject_id == dossier_id,
            AuditEvent.event.in_(["dossier_approved", "dossier_rejected"]),
        )
    )
    assert decisions == 1


# --- O9: change of information --------------------------------------------------------------------


@pytest.fixture
def change(app, clock):
    person = factories.person(
        full_name="Trần Văn Bình", phone="0912000333", email=None, address="Số 1 Phố Cũ, Hà Nội"
    )
    dossier = registration.request_change(
        person, "0988111222", "binh@example.com", "Số 9 Phố Mới, Hà Nội", clock.now(), app.config
    )
    db.session.commit()
    return dossier


def test_a_change_shows_old_beside_new_and_asks_for_xac_nhan(officer, change):
    soup = officer.browser.page(detail_url(change))
    table = soup.select_one("table.changes-table").get_text(" ")
    for expected in ["0912000333", "0988111222", "binh@example.com", "Số 1 Phố Cũ", "Số 9 Phố Mới"]:
        assert expected in table
    assert soup.select_one("img.id-photo") is None and soup.select_one("form.photo-form") is None
    response = decide(officer.browser, change, "valid")
    assert response.status_code == 200  # the confirmation, not yet the update
    soup = check_page(response)
    panel = soup.select_one(".confirm-panel")
    assert "Cập nhật thông tin đăng ký?" in panel.get_text()
    assert "0912000333 → 0988111222" in " ".join(panel.get_text(" ").split())
    button = panel.select_one("button[type=submit]")
    assert button.get_text() == "Xác nhận"
    assert panel.find("a", string="Thoát") is not None
    person = db.session.get(Person, change.person_id)
    assert person.phone == "0912000333"  # nothing changes before "Xác nhận"

    token = panel.find("input", attrs={"name": "csrf_token"})["value"]
    response = officer.browser.post(panel.form["action"], data={"csrf_token": token, "back": QUEUE})
    assert response.status_code == 302
    person = reload(person)
    assert (person.phone, person.email, person.address) == (
        "0988111222",
        "binh@example.com",
        "Số 9 Phố Mới, Hà Nội",
    )
    assert reload(change).state == "applied"
    soup = officer.browser.page(response.headers["Location"])
    assert "Cập nhật thông tin đăng ký thành công." in soup.get_text()
    assert "cap nhat theo ho so" in sms_to("0988111222")[-1].body
    moved = sms_to("0912000333")[-1].body  # the old phone is told, in case it was not them
    assert "da duoc doi sang 098****222" in moved and "1900 9068" in moved
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.event == "dossier_change_applied")
    )
    assert event.detail["fields"] == ["phone", "email", "address"]


def test_otps_go_to_the_new_phone_once_the_change_is_applied(app, officer, change, login):
    person = db.session.get(Person, change.person_id)
    review.apply_change(
        change.id,
        db.session.get(Officer, officer.record.id),
        app.extensions["clock"].now(),
        app.config,
    )
    db.session.commit()
    browser = app.test_client()
    login(person.bhxh_code, c=browser)
    post_form(
        browser,
        "/doi-mat-khau",
        old_password=factories.PASSWORD,
        new_password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
    )
    assert "DOI MAT KHAU" in sms_to("0988111222")[-1].body


def test_a_refused_change_changes_nothing_and_says_why(officer, change):
    response = decide(officer.browser, change, "invalid", reason="Số điện thoại không chính chủ")
    assert response.status_code == 302
    person = db.session.get(Person, change.person_id)
    assert person.phone == "0912000333" and reload(change).state == "rejected"
    assert "Ly do: So dien thoai khong chinh chu" in sms_to("0988111222")[-1].body


def test_confirming_twice_is_already_decided(officer, change):
    soup = check_page(decide(officer.browser, change, "valid"))
    form = soup.select_one(".confirm-panel form")
    data = {"csrf_token": form.find("input", attrs={"name": "csrf_token"})["value"]}
    assert officer.browser.post(form["action"], data=data).status_code == 302
    again = officer.browser.post(form["action"], data=data)
    assert again.status_code == 409
    assert "đã được Đỗ Văn Duyệt xử lý" in check_page(again).get_text()


# --- O10: the audit log on the dossier ------------------------------------------------------------


def test_the_dossier_shows_its_whole_history(app, client, officer, clock):
    office = factories.office(province_code="79")
    db.session.commit()
    from tests.test_registration import declare

    declare(client, office)
    dossier = db.session.scalar(select(RegistrationDossier))
    clock.advance(hours=3)
    decide(officer.browser, dossier, "invalid", reason="Thiếu chữ ký trên tờ khai")
    soup = officer.browser.page(detail_url(dossier))
    log = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in soup.select("table.log-table tbody tr")
    ]
    assert log == [
        ["25/11/2026 10:00", "Người kê khai", "Kê khai: đã ghi nhận tờ khai mẫu 01", ""],
        [
            "25/11/2026 13:00",
            "Đỗ Văn Duyệt (canbo.duyet)",
            "Đánh giá không hợp lệ: từ chối, đã gửi tin nhắn kèm lý do",
            "Thiếu chữ ký trên tờ khai",
        ],
    ]


# --- `flask officer create` -----------------------------------------------------------------------


def test_an_admin_creates_an_officer_with_a_prompted_password(app):
    office = factories.office(code="79001", province_code="79")
    db.session.commit()
    secret = "Mat-khau-can-bo-rat-dai"
    result = app.test_cli_runner().invoke(
        args=["officer", "create", "Nguyen.An", "--role", "admin", "--office", "79001"],
        input=f"ngan\nngan\n{secret}\n{secret}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Refused: the password needs at least 12 characters." in result.output
    row = db.session.scalar(select(Officer).where(Officer.username == "nguyen.an"))
    assert (row.role, row.office_id, row.active) == ("admin", office.id, True)
    assert secret not in row.password_hash and passwords.verify_password(row.password_hash, secret)
    assert secret not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["<script>", "--office", "79001"], "3 to 40 lower-case letters"),
        (["canbo.moi", "--office", "99999"], "no BHXH office has the code"),
        (["canbo.moi", "--office", "79001", "--role", "root"], "Invalid value for '--role'"),
        (["canbo.cu", "--office", "79001"], "already exists"),
    ],
)
def test_officer_create_refuses_bad_arguments(app, args, message):
    factories.office(code="79001", province_code="79")
    factories.officer(username="canbo.cu")
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["officer", "create", *args], input="Mat-khau-can-bo-rat-dai\n" * 2
    )
    assert result.exit_code != 0 and message in result.output
