"""Issue 10, findings 7 and 8: production-safe defaults (demo mode only when asked for, demo data
refused without it), and the smaller ones: a low-S card signature, no-store on the pages that
show or receive a password or a one-time code, an HttpOnly language cookie, and ID scans served
as files, never as pages of this site."""

from __future__ import annotations

import base64
import datetime as dt
import string
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from sqlalchemy import func, select

from tests import factories
from tests.conftest import check_page
from tests.test_security import csrf, otp_from_outbox, post_form, sms_to
from webapp import create_app
from webapp.config import instance_secret
from webapp.extensions import db
from webapp.services import cards, demo_data

# --- Finding 7: demo mode is asked for, never assumed -----------------------------------------


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    """The environment of a deployment that set what the README asks for, and no DEMO_MODE."""
    for name in ("DEMO_MODE", "SESSION_COOKIE_SECURE", "VAPID_KEY_FILE", "VAPID_PRIVATE_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SECRET_KEY", "production-like-secret-for-this-test")
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("CARD_SIGNING_KEY_FILE", str(tmp_path / "card_signing_key.pem"))
    return monkeypatch


def test_without_demo_mode_set_the_app_is_in_production_mode(production_env):
    app = create_app()
    assert app.config["DEMO_MODE"] is False
    assert app.config["SESSION_COOKIE_SECURE"] is True  # plain-HTTP sign-in fails: intended
    assert app.config["PREFERRED_URL_SCHEME"] == "https"
    assert app.config["VAPID_KEY_FILE"] is None  # push only with configured keys
    assert "dev" not in app.blueprints
    assert app.test_client().get("/dev/outbox").status_code == 404
    assert app.test_client().get("/dev/outbox?to=0912345678").status_code == 404


@pytest.mark.parametrize("value", ["0", "false", "no", "off", ""])
def test_demo_mode_off_in_any_spelling_keeps_the_outbox_away(production_env, value):
    production_env.setenv("DEMO_MODE", value)
    app = create_app()
    assert app.config["DEMO_MODE"] is False
    assert app.test_client().get("/dev/outbox").status_code == 404


def test_demo_mode_is_on_only_when_asked_for(production_env):
    production_env.setenv("DEMO_MODE", "1")
    app = create_app()
    assert app.config["DEMO_MODE"] is True
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["PREFERRED_URL_SCHEME"] == "http"
    assert "dev" in app.blueprints


def test_make_run_turns_demo_mode_on_for_each_of_its_commands():
    makefile = (Path(__file__).parent.parent / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0].replace("\\\n", " ")
    commands = [line for line in recipe.splitlines()[1:] if not line.startswith("\t@echo ")]
    assert len(commands) == 5 and all(line.startswith("\tDEMO_MODE=1 ") for line in commands)


def row_counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


@pytest.mark.parametrize(
    "args",
    [
        ["demo-data", "--persons", "20"],
        ["demo-data", "--persons", "20", "--if-empty"],
        ["demo-logins"],
    ],
)
def test_demo_commands_refuse_without_demo_mode_and_write_nothing(app, args):
    app.config["DEMO_MODE"] = False
    before = row_counts()
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert "demo mode is off" in result.stderr and "DEMO_MODE=1" in result.stderr
    assert result.stdout == ""
    assert row_counts() == before


def test_demo_logins_print_no_password_once_demo_mode_is_off(app):
    runner = app.test_cli_runner()
    loaded = runner.invoke(args=["demo-data", "--persons", "20", "--seed", "3"])
    assert loaded.exit_code == 0, loaded.output
    logins = runner.invoke(args=["demo-logins"])
    assert logins.exit_code == 0 and f"/ {demo_data.DEMO_PASSWORD}" in logins.stdout

    app.config["DEMO_MODE"] = False
    before = row_counts()
    for args in (["demo-logins"], ["demo-data", "--if-empty"]):
        refused = runner.invoke(args=args)
        assert refused.exit_code == 1, args
        assert demo_data.DEMO_PASSWORD not in refused.output
        assert demo_data.OFFICER_PASSWORD not in refused.output
    assert row_counts() == before


def test_production_hashes_passwords_with_the_strong_argon2_parameters(production_env):
    """The suite hashes with argon2's cheapest parameters; a deployment never does."""
    from argon2 import extract_parameters, profiles

    from webapp.services.passwords import hash_password, verify_password

    app = create_app()
    with app.app_context():
        strong = hash_password("Mot-mat-khau-dai-2026")
        parameters = extract_parameters(strong)
        assert parameters == profiles.RFC_9106_LOW_MEMORY
        assert (parameters.memory_cost, parameters.time_cost, parameters.parallelism) == (
            64 * 1024,  # KiB
            3,
            4,
        )
        assert verify_password(strong, "Mot-mat-khau-dai-2026")
        assert not verify_password(strong, "Mot-mat-khau-dai-2027")


def test_the_suite_hashes_cheaply_and_still_verifies_a_strong_hash(app):
    from argon2 import PasswordHasher, extract_parameters, profiles

    from webapp.services.passwords import hash_password, verify_password

    assert extract_parameters(hash_password("Mat-khau-2026")) == profiles.CHEAPEST
    made_by_production = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY).hash(
        "Mat-khau-2026"
    )
    assert verify_password(made_by_production, "Mat-khau-2026")


# --- Issue 11, point 6: with several web workers, limits and locks are shared ----------------


def test_several_workers_refuse_to_count_limits_in_memory(production_env):
    production_env.setenv("WEB_WORKERS", "3")  # what webapp/gunicorn_config.py publishes
    production_env.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI=memory://"):
        create_app()
    production_env.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/15")
    assert create_app().config["RATELIMIT_STORAGE_URI"].startswith("redis://")


@pytest.mark.parametrize("workers, demo", [("1", None), (None, None), ("3", "1")])
def test_one_worker_or_the_demo_may_count_in_memory(production_env, workers, demo):
    production_env.delenv("RATELIMIT_STORAGE_URI", raising=False)
    for name, value in (("WEB_WORKERS", workers), ("DEMO_MODE", demo)):
        if value is None:
            production_env.delenv(name, raising=False)
        else:
            production_env.setenv(name, value)
    assert create_app().config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_gunicorn_with_several_workers_does_not_start_on_per_process_counts(tmp_path):
    """The Procfile's web command (its gunicorn configuration) with demo mode off: two workers
    and limits in memory never serve; one worker does."""
    from tests.live import ServerFailed, serve

    production = {"DEMO_MODE": "0", "RATELIMIT_STORAGE_URI": "memory://"}
    for folder in ("two", "one"):
        (tmp_path / folder).mkdir()
    with pytest.raises(ServerFailed, match="RATELIMIT_STORAGE_URI=memory://"):
        with serve(tmp_path / "two", "two", workers=2, env=production):
            pass
    with serve(tmp_path / "one", "one", workers=1, env=production) as (server, _):
        assert server.process.poll() is None


def test_workers_starting_together_share_one_complete_instance_secret(tmp_path):
    """Without SECRET_KEY the secret is generated into the instance folder: every worker of a
    server starting at once must read the same one, whole, from a file only its owner reads."""
    workers = 16
    barrier = threading.Barrier(workers)
    secrets_read: list[str] = []

    def start_worker() -> None:
        barrier.wait()
        secrets_read.append(instance_secret(str(tmp_path), "secret_key"))

    for _round in range(5):
        (tmp_path / "secret_key").unlink(missing_ok=True)
        secrets_read.clear()
        threads = [threading.Thread(target=start_worker) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(secrets_read) == workers
        assert set(secrets_read) == {(tmp_path / "secret_key").read_text()}
        assert len(secrets_read[0]) == 64
        assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret_key"]  # nothing left aside


# --- Finding 8a: one card, one QR (low-S signatures) -------------------------------------------


def _pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


TEST_PEM = _pem()
TODAY = dt.date(2026, 11, 25)  # the `clock` fixture's day in Hà Nội
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551  # order of P-256


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def r_and_s(payload: str) -> tuple[int, int]:
    raw = b64url_decode(payload.split("|")[13].split(".")[2])
    assert len(raw) == 64
    return int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")


def with_signature(payload: str, signature: str) -> str:
    fields = payload.split("|")
    header = fields[13].split(".")[0]
    return "|".join([*fields[:13], f"{header}..{signature}"])


def twin(payload: str) -> str:
    """The same signature with s replaced by n − s: what an attacker makes of a genuine QR."""
    r, s = r_and_s(payload)
    return with_signature(payload, b64url(r.to_bytes(32, "big") + (N - s).to_bytes(32, "big")))


@pytest.fixture
def key(app) -> cards.CardSigningKey:
    app.config["CARD_SIGNING_KEY"] = TEST_PEM
    return cards.load_signing_key(TEST_PEM, None)


@pytest.fixture
def card_payload(app, key) -> str:
    owner = factories.person(account=False, full_name="Hoàng Văn Em")
    payload = cards.qr_payload(factories.card(owner), key)
    db.session.commit()
    return payload


def verify_on_the_desk(client, payload: str) -> str:
    """What /verify answers for `payload`: the result box's class (verify-valid, -forged …)."""
    response = client.post(
        "/verify", data={"payload": payload, "csrf_token": csrf(client, "/verify")}
    )
    assert response.status_code == 200
    result = check_page(response).select_one(".verify-result")
    return next(c for c in result["class"] if c.startswith("verify-") and c != "verify-result")


def test_card_signatures_are_always_low_s(app, key):
    card = factories.card(factories.person(account=False))
    for _ in range(64):  # ECDSA draws a new nonce each time: half would be high-S if unchecked
        r, s = r_and_s(cards.qr_payload(card, key))
        assert 0 < r < N and 0 < s <= N // 2


def test_the_high_s_twin_of_a_genuine_qr_is_refused_as_forged(client, key, card_payload):
    jwks = cards.public_key_set(key)
    twin_payload = twin(card_payload)
    assert twin_payload != card_payload
    # The twin is a mathematically valid ECDSA signature over the same content …
    fields = card_payload.split("|")
    header, _, _ = fields[13].split(".")
    signing_input = f"{header}.{b64url('|'.join(fields[:13]).encode())}".encode()
    r, s = r_and_s(twin_payload)
    key.private_key.public_key().verify(
        encode_dss_signature(r, s), signing_input, ec.ECDSA(hashes.SHA256())
    )
    # … yet only the card's own QR is valid: the twin gets the same answer as a forged code.
    assert cards.verify_qr(card_payload, jwks, TODAY).status == "valid"
    assert cards.verify_qr(twin_payload, jwks, TODAY).status == "forged"
    assert verify_on_the_desk(client, card_payload) == "verify-valid"
    assert verify_on_the_desk(client, twin_payload) == "verify-forged"


def test_other_spellings_of_a_genuine_signature_are_forged(client, key, card_payload):
    jwks = cards.public_key_set(key)
    signature = card_payload.split("|")[13].split(".")[2]
    # 64 bytes take 86 base64url characters; the last one carries 4 unused bits, zero here.
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    unused_bit_set = signature[:-1] + alphabet[alphabet.index(signature[-1]) ^ 1]
    assert b64url_decode(unused_bit_set) == b64url_decode(signature)
    spellings = [
        unused_bit_set,  # decodes to the very same bytes
        signature + "==",  # padded
        signature[:40] + "!" + signature[40:],  # a character base64 decoders skip
        signature[:40] + "\n" + signature[40:],
    ]
    for spelling in spellings:
        payload = with_signature(card_payload, spelling)
        assert cards.verify_qr(payload, jwks, TODAY).status == "forged", spelling
    assert verify_on_the_desk(client, with_signature(card_payload, spellings[0])) == "verify-forged"


# --- Finding 8b: no cache keeps a page that shows or receives a password or an OTP ---------------


def assert_never_stored(response, url: str) -> None:
    assert response.status_code == 200, (url, response.status_code)
    check_page(response)
    cache_control = response.headers.get("Cache-Control", "")
    assert "no-store" in cache_control, (url, cache_control)
    assert "public" not in cache_control, (url, cache_control)


def test_sign_in_and_the_new_device_otp_are_never_stored(app, client, citizen, login):
    assert_never_stored(app.test_client().get("/login"), "/login")
    phone_b = app.test_client()
    assert login(citizen.bhxh_code, c=phone_b).headers["Location"] == "/login/thiet-bi-khac"
    assert_never_stored(phone_b.get("/login/thiet-bi-khac"), "/login/thiet-bi-khac")
    response = post_form(phone_b, "/login/thiet-bi-khac", action="continue")
    assert response.headers["Location"] == "/login/otp"
    assert_never_stored(phone_b.get("/login/otp"), "/login/otp")
    wrong = post_form(phone_b, "/login/otp", code="000000")  # the page again, with the error
    assert wrong.status_code == 400 and "no-store" in wrong.headers["Cache-Control"]


def test_the_password_change_and_its_otp_are_never_stored(client, citizen):
    assert_never_stored(client.get("/doi-mat-khau"), "/doi-mat-khau")
    new = "Hoa-sen-nở-2026"
    response = post_form(
        client,
        "/doi-mat-khau",
        old_password=factories.PASSWORD,
        new_password=new,
        confirm=new,
    )
    assert response.headers["Location"] == "/doi-mat-khau/otp"
    assert_never_stored(client.get("/doi-mat-khau/otp"), "/doi-mat-khau/otp")
    refused = post_form(client, "/doi-mat-khau", old_password="sai", new_password=new, confirm=new)
    assert refused.status_code >= 400 and "no-store" in refused.headers["Cache-Control"]


def test_every_step_of_recovery_is_never_stored(client):
    person = factories.person(phone="0987654321", email="an@vidu.vn")
    db.session.commit()
    assert_never_stored(client.get("/quen-mat-khau"), "/quen-mat-khau")
    response = post_form(
        client,
        "/quen-mat-khau",
        identifier=person.bhxh_code,
        contact="0987654321",
        channel="sms",
    )
    assert response.headers["Location"] == "/quen-mat-khau/ma-otp"
    assert_never_stored(client.get("/quen-mat-khau/ma-otp"), "/quen-mat-khau/ma-otp")
    response = post_form(client, "/quen-mat-khau/ma-otp", code=otp_from_outbox(person.phone))
    assert response.headers["Location"] == "/quen-mat-khau/mat-khau-moi"
    assert_never_stored(client.get("/quen-mat-khau/mat-khau-moi"), "/quen-mat-khau/mat-khau-moi")


def test_the_code_finders_otp_page_is_never_stored(client):
    factories.person(
        account=False,
        full_name="Phạm Thị Thu Hà",
        bhxh_code="0198765432",
        date_of_birth=dt.date(1990, 5, 17),
        province_code="01",
        phone="0987654321",
    )
    db.session.commit()
    post_form(
        client,
        "/tra-cuu-ma-so-bhxh?cach=ngay-sinh",
        full_name="Phạm Thị Thu Hà",
        date_of_birth="17/05/1990",
        province="01",
    )
    response = client.post(
        "/tra-cuu-ma-so-bhxh/gui-otp",
        data={"csrf_token": csrf(client, "/tra-cuu-ma-so-bhxh/ket-qua")},
    )
    assert response.headers["Location"] == "/tra-cuu-ma-so-bhxh/otp"
    assert len(sms_to("0987654321")) == 1
    assert_never_stored(client.get("/tra-cuu-ma-so-bhxh/otp"), "/tra-cuu-ma-so-bhxh/otp")


def test_the_officer_sign_in_is_never_stored(client):
    assert_never_stored(client.get("/officer/"), "/officer/")


# --- Finding 8c: the language cookie is the server's only ---------------------------------------


@pytest.mark.parametrize("secure", [True, False])
def test_the_language_cookie_is_httponly_lax_and_secure_like_the_session(app, client, secure):
    token = client.page("/login").select_one("form.lang-switch input[name=csrf_token]")["value"]
    app.config["SESSION_COOKIE_SECURE"] = secure
    response = client.post("/language", data={"lang": "en", "next": "/login", "csrf_token": token})
    assert response.status_code == 302
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang=")]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert cookie.startswith("lang=en;")
    assert "httponly" in attributes
    assert "SameSite=Lax" in cookie
    assert ("secure" in attributes) is secure


# --- Finding 8d: an ID scan is a file, never a page of this site ---------------------------------

PDF_WITH_SCRIPT = (
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"
    b"\nendobj\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture
def scan(app, tmp_path):
    """A declared dossier whose ID document is the file given (content, declared type)."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    app.config["DOSSIER_UPLOAD_FOLDER"] = str(folder)

    def declared_with(content: bytes, mime: str | None, suffix: str):
        (folder / f"scan{suffix}").write_bytes(content)
        dossier = factories.dossier(photo_path=f"scan{suffix}", photo_type=mime)
        db.session.commit()
        return dossier

    return declared_with


def photo_url(dossier) -> str:
    return f"/officer/ho-so/{dossier.number}/anh"


def assert_served_as_a_file(response, content: bytes) -> None:
    assert response.status_code == 200 and response.data == content
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_pdf_scan_is_downloaded_never_shown_inline(officer, scan):
    dossier = scan(PDF_WITH_SCRIPT, "application/pdf", ".pdf")
    response = officer.browser.get(photo_url(dossier))
    assert_served_as_a_file(response, PDF_WITH_SCRIPT)
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition == f"attachment; filename={dossier.number}.pdf"
    soup = officer.browser.page(f"/officer/ho-so/{dossier.number}")
    link = soup.find("a", href=lambda href: href and href.startswith(photo_url(dossier)))
    assert link.has_attr("download")
    assert link.get_text() == "Tải bản quét (PDF) về máy"
    assert soup.select_one("img.id-photo") is None


@pytest.mark.parametrize(
    ("content", "mime", "suffix"), [(PNG, "image/png", ".png"), (JPEG, "image/jpeg", ".jpg")]
)
def test_an_image_scan_stays_inline_for_the_img_but_sandboxed(officer, scan, content, mime, suffix):
    dossier = scan(content, mime, suffix)
    response = officer.browser.get(photo_url(dossier))
    assert_served_as_a_file(response, content)
    assert response.mimetype == mime
    assert response.headers["Content-Disposition"] == f"inline; filename={dossier.number}{suffix}"
    soup = officer.browser.page(f"/officer/ho-so/{dossier.number}")
    assert soup.select_one("img.id-photo")["src"].startswith(photo_url(dossier))


@pytest.mark.parametrize("mime", [None, "text/html", "image/svg+xml"])
def test_a_scan_of_any_other_type_is_an_opaque_download(officer, scan, mime):
    content = b"<html><script>alert(document.cookie)</script></html>"
    dossier = scan(content, mime, ".bin")
    response = officer.browser.get(photo_url(dossier))
    assert_served_as_a_file(response, content)
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"] == f"attachment; filename={dossier.number}"
