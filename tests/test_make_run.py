"""Issue 11, point 4: `make run` serves the demo with the Procfile's background processes (the
outbox, the notification worker, the clock) beside the web server, and Ctrl-C stops them all.

The demo database is loaded first with a small population, so that `demo-data --if-empty` in the
recipe keeps it; everything else is the recipe as a newcomer runs it.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from sqlalchemy import select

from tests.live import ROOT, free_port, run
from webapp import create_app
from webapp.extensions import db
from webapp.models import Account, HealthCard, Notification

pytestmark = pytest.mark.skipif(
    not (ROOT / ".venv" / "bin" / "honcho").exists(), reason="make setup has not been run"
)


def _wait_for(predicate, seconds: float, what: str, log) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)  # waiting on other processes, not on app time
    pytest.fail(f"{what} within {seconds} s; make run printed:\n{log()}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def test_make_run_serves_with_the_worker_and_clock_and_ctrl_c_stops_them_all(tmp_path):
    database = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "DEMO_MODE": "1",
        "DOSSIER_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "CARD_SIGNING_KEY_FILE": str(tmp_path / "card_signing_key.pem"),
        "VAPID_KEY_FILE": str(tmp_path / "vapid_private_key"),
        "PYTHONUNBUFFERED": "1",
    }
    flask = [sys.executable, "-m", "flask", "--app", "webapp"]
    run([*flask, "db", "upgrade"], env, "flask db upgrade")
    run([*flask, "demo-data", "--persons", "200"], env, "flask demo-data")

    port = free_port()
    output = tmp_path / "make-run.log"
    with output.open("w") as out:
        make = subprocess.Popen(  # noqa: S603
            ["make", "--no-print-directory", "run", f"PORT={port}"],  # noqa: S607
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a terminal's foreground group: Ctrl-C reaches all of it
        )

    def log() -> str:
        return output.read_text(errors="replace")

    def tail() -> str:
        return log()[-4000:]

    try:
        page = f"http://127.0.0.1:{port}/login"
        _wait_for(lambda: _answers(page), 300, "no web page (after make setup)", tail)
        _wait_for(lambda: "worker.1 " in log() and "clock.1 " in log(), 60, "no worker", tail)
        _wait_for(lambda: "notifications created" in log(), 60, "no notification round", tail)
        text = log()
        assert "demo citizen: " in text and "expired declarations deleted: " in text
        for name in ("web.1", "outbox.1", "worker.1", "clock.1"):
            assert f"{name} started" in text, name

        # The worker's round reached the citizens whose card is about to expire: in the inbox.
        app = create_app({"SQLALCHEMY_DATABASE_URI": database})
        with app.app_context():
            ends = db.session.scalars(
                select(HealthCard.valid_to)
                .join(Account, Account.person_id == HealthCard.person_id)
                .join(Notification, Notification.account_id == Account.id)
                .where(Notification.kind == "card_expiring")
            ).all()
            db.engine.dispose()
        soon = dt.date.today() + dt.timedelta(days=app.config["CARD_EXPIRING_DAYS"])
        assert ends and min(ends) <= soon, "no citizen was told that their card expires soon"
    finally:
        os.killpg(make.pid, signal.SIGINT)  # Ctrl-C
        try:
            make.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
            pytest.fail(f"Ctrl-C did not stop make run:\n{tail()}")

    # Nothing of it is left running: no process of its group, nothing on the port.
    time.sleep(1)  # the group's last processes being reaped
    with pytest.raises(ProcessLookupError):
        os.killpg(make.pid, 0)
    assert not _answers(page)
    assert "SIGINT received" in log()
