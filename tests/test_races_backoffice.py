"""Back-office rules under bursts of parallel requests, against a real server (`race_server`):
the threaded dev server on SQLite, gunicorn with three workers on PostgreSQL.

- An officer's sign-in lock: 24 wrong passwords at once get 5 weighed, then the lock holds.
- One open declaration per BHXH code: 12 declarations at once record one dossier; the other
  eleven get the 409 a later declaration gets, and none of their photos stays on disk.
- One decision per dossier: 8 officers deciding at once record one decision and send one SMS.

Each client has its own `requests.Session` (cookies, CSRF token) and all are released together
by a barrier (tests/live.py `burst`); what counts is what the database holds afterwards.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from pathlib import Path

import requests
from sqlalchemy import func, select

from tests import factories
from tests.live import burst, csrf_token
from webapp.models import AuditEvent, Officer, OutboxMessage, RegistrationDossier

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
_unique = itertools.count(1)


def _suffix() -> str:
    """Unique names and codes: the race server's database lives as long as the test session."""
    return f"{os.getpid() % 10_000:04d}{next(_unique):04d}"


def test_a_burst_of_wrong_officer_passwords_is_weighed_five_times_then_locked(
    race_server, race_data
):
    record = factories.officer(username=f"canbo.race{_suffix()}")
    race_data.commit()
    officer_id, username = record.id, record.username
    url = race_server.url + "/officer/"

    def prepare(i: int):
        browser = requests.Session()
        token = csrf_token(browser.get(url, timeout=30).text)
        form = {"username": username, "password": f"doan-sai-{i}", "csrf_token": token}
        return lambda: browser.post(url, data=form, allow_redirects=False, timeout=120)

    responses = burst(24, prepare)
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [401] * 4 + [429] * 20, race_server.log_tail()
    race_data.expire_all()
    weighed = race_data.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.event == "officer_login_failed", AuditEvent.actor_id == officer_id
        )
    )
    assert weighed == 5
    officer = race_data.get(Officer, officer_id)
    assert officer.locked_until is not None and officer.failed_logins == 0

    browser = requests.Session()
    token = csrf_token(browser.get(url, timeout=30).text)
    right = {"username": username, "password": factories.OFFICER_PASSWORD, "csrf_token": token}
    response = browser.post(url, data=right, allow_redirects=False, timeout=60)
    assert response.status_code == 429
    assert "Đăng nhập tạm khóa 15 phút" in response.text
    assert browser.get(race_server.url + "/officer/ho-so-dk-gddt/ca-nhan", timeout=30).url.endswith(
        "/officer/?next=/officer/ho-so-dk-gddt/ca-nhan"
    )


def test_a_burst_of_declarations_for_one_code_records_one_dossier(race_server, race_data):
    office = factories.office(province_code="79", name=f"BHXH cơ sở Đua {_suffix()}")
    race_data.commit()
    code = "79" + _suffix()[:8].rjust(8, "0")
    office_id = office.id
    folder = Path(race_server.env["DOSSIER_UPLOAD_FOLDER"])
    photos_before = set(folder.iterdir()) if folder.exists() else set()
    url = race_server.url + "/dang-ky/ca-nhan"

    def prepare(i: int):
        browser = requests.Session()
        token = csrf_token(browser.get(url, timeout=30).text)
        form = {
            "full_name": "Phạm Thị Mai",
            "date_of_birth": "17/05/1990",
            "gender": "2",
            "nationality": "VN",
            "bhxh_code": code,
            "id_type": "cccd",
            "id_number": "079190012345",
            "id_issued_on": "01/06/2021",
            "id_issued_place": "Cục Cảnh sát QLHC về TTXH",
            "address": "12 Lê Lợi, phường Bến Thành, TP Hồ Chí Minh",
            "phone": f"09123456{i:02d}",  # twelve phones, one code
            "email": "",
            "province": "79",
            "office_id": str(office_id),
            "csrf_token": token,
        }
        files = {"photo": ("cccd-mat-truoc.png", PNG, "image/png")}
        return lambda: browser.post(url, data=form, files=files, allow_redirects=False, timeout=120)

    responses = burst(12, prepare)
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302] + [409] * 11, race_server.log_tail()
    for response in responses:
        if response.status_code == 409:
            assert "Mã số BHXH này đã có tờ khai đang chờ nộp" in response.text
    race_data.expire_all()
    (dossier,) = race_data.scalars(
        select(RegistrationDossier).where(RegistrationDossier.bhxh_code == code)
    ).all()
    assert dossier.state == "declared"
    new_photos = set(folder.iterdir()) - photos_before
    assert [photo.name for photo in new_photos] == [dossier.photo_path]  # no orphan file


def test_a_burst_of_decisions_on_one_dossier_records_one(race_server, race_data):
    """Eight officers press "Ghi nhận" on the same dossier at once: one decision is recorded
    and told to the person (one SMS); the seven others get "already decided" (409)."""
    suffix = _suffix()
    phone = f"0977{suffix[-6:]}"
    declared = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    dossier = factories.dossier(number=f"HS2026-8{suffix[-5:]}", phone=phone, declared_at=declared)
    officers = [factories.officer(username=f"canbo.quyet{suffix}{i}") for i in range(8)]
    race_data.commit()
    number, dossier_id = dossier.number, dossier.id
    usernames = [officer.username for officer in officers]
    page = f"{race_server.url}/officer/ho-so/{number}"

    def prepare(i: int):
        browser = requests.Session()
        sign_in = race_server.url + "/officer/"
        token = csrf_token(browser.get(sign_in, timeout=30).text)
        form = {
            "username": usernames[i],
            "password": factories.OFFICER_PASSWORD,
            "csrf_token": token,
        }
        assert (
            browser.post(sign_in, data=form, allow_redirects=False, timeout=60).status_code == 302
        )
        token = csrf_token(browser.get(page, timeout=30).text)
        form = {"assessment": "invalid", "reason": "Ảnh giấy tờ bị mờ", "csrf_token": token}
        return lambda: browser.post(page, data=form, allow_redirects=False, timeout=120)

    responses = burst(8, prepare)
    assert sorted(r.status_code for r in responses) == [302] + [409] * 7, race_server.log_tail()
    race_data.expire_all()
    decisions = race_data.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.subject_type == "dossier",
            AuditEvent.subject_id == dossier_id,
            AuditEvent.actor_type == "officer",
        )
    )
    assert decisions == 1
    sms = race_data.scalar(
        select(func.count(OutboxMessage.id)).where(OutboxMessage.recipient == phone)
    )
    assert sms == 1
    assert race_data.get(RegistrationDossier, dossier_id).state == "rejected"
