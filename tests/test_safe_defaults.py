"""Issue 10, findings 7 and 8: production-safe defaults (demo mode only when asked for, demo data
refused without it), and the smaller ones: a low-S card signature, no-store on the pages that
show or receive a password or a one-time code, an HttpOnly language cookie, and ID scans served
as files, never as pages of this site."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from webapp import create_app
from webapp.config import instance_secret
from webapp.extensions import db
from webapp.services import demo_data

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
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    assert recipe and all(line.startswith("\tDEMO_MODE=1 $(FLASK) ") for line in recipe), recipe


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
