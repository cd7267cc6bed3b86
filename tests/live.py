"""A real server for tests that need one: migrated database, a process of its own, a free port.

Used by the browser tests (tests/e2e/), by the tests of parallel requests (test_races*.py), by
the tests of several background workers (test_workers.py: `migrated`, `run`, `app_for`) and,
through `running`, by the benchmark (bench/run.py).
The database is a temporary SQLite file, or, when TEST_DATABASE_URL names a PostgreSQL server, a
schema of its own in that database (created here, dropped at the end), so that the unit tests,
which drop and truncate the default schema's tables, never pull the data from under the server.

Two kinds of server:
- `gunicorn` with several worker processes, as production runs;
- `threaded`, Flask's development server with a thread per request, as `make run` serves the
  SQLite demo.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = "live-secret-key-not-for-production"  # noqa: S105


class ServerFailed(RuntimeError):
    """A step of setting up or starting the server failed (its output says why)."""


@dataclass
class LiveServer:
    url: str
    log: Path
    process: subprocess.Popen
    env: dict[str, str] = field(repr=False)

    @property
    def database_url(self) -> str:
        return self.env["DATABASE_URL"]

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log, to explain a failure."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def run(self, args: list[str], what: str) -> str:
        """A command (e.g. `python -c …`) with the server's environment: same database."""
        return run(args, self.env, what)

    def app(self):
        """An app bound to the server's database, to seed it and to read what it holds."""
        return app_for(self.env)


def app_for(env: dict[str, str]):
    """An app bound to the database of `env` (a server's, or `migrated`'s), to seed it and to
    read what it holds."""
    from webapp import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": _sqlalchemy_url(env["DATABASE_URL"]), "TESTING": True}
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(args: list[str], env: dict[str, str], what: str, *, with_stderr: bool = False) -> str:
    """Run a command to its end; its stdout (with its stderr after it if `with_stderr`, e.g. to
    check that it logged no error). A failing command raises `ServerFailed` with its output."""
    result = subprocess.run(  # noqa: S603
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise ServerFailed(
            f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout + result.stderr if with_stderr else result.stdout


def postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def redis_answers(host: str = "127.0.0.1", port: int = 6379) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")
    return False


def _sqlalchemy_url(url: str) -> str:
    if url.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


@contextlib.contextmanager
def _database(folder: Path, name: str) -> Iterator[str]:
    """A SQLite file in `folder`, or a fresh PostgreSQL schema `<name>_<pid>`."""
    base = postgres_url()
    if base is None:
        yield f"sqlite:///{folder / (name + '.sqlite3')}"
        return
    from sqlalchemy import create_engine, text

    url = _sqlalchemy_url(base)
    schema = f"{name}_{os.getpid()}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"the server exited ({process.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # waiting for a process to start, not for app time to pass
    raise ServerFailed(f"the server did not answer within {timeout} s:\n{log.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def migrated(
    folder: Path, name: str, env: dict[str, str] | None = None
) -> Iterator[dict[str, str]]:
    """A database of its own (`_database`), migrated with `flask db upgrade`; yields the
    environment a process of the app needs to use it (`env` added), for a server or for the
    app's commands (`run` them with it)."""
    with _database(folder, name) as database_url:
        app_env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "SECRET_KEY": SECRET_KEY,
            "DEMO_MODE": "1",
            "SESSION_COOKIE_SECURE": "0",
            "CARD_SIGNING_KEY_FILE": str(folder / "card_signing_key.pem"),
            "DOSSIER_UPLOAD_FOLDER": str(folder / "uploads"),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        run(
            [sys.executable, "-m", "flask", "--app", "webapp", "db", "upgrade"],
            app_env,
            "flask db upgrade",
        )
        yield app_env


@contextlib.contextmanager
def serve(
    folder: Path,
    name: str,
    *,
    kind: str = "gunicorn",
    workers: int = 2,
    env: dict[str, str] | None = None,
    seed: str | None = None,
) -> Iterator[tuple[LiveServer, str]]:
    """Migrate a database, run `seed` (Python source, in a subprocess with the server's
    environment; its stdout is handed back), start the server and yield (server, seed output)."""
    with migrated(folder, name, env) as server_env:
        seeded = run([sys.executable, "-c", seed], server_env, "seeding") if seed else ""
        log = folder / f"{name}-server.log"
        with running(server_env, log, kind=kind, workers=workers) as (port, process):
            yield LiveServer(f"http://127.0.0.1:{port}", log, process, server_env), seeded


@contextlib.contextmanager
def running(
    env: dict[str, str],
    log: Path,
    *,
    kind: str = "gunicorn",
    workers: int = 2,
    access_log: bool = True,
) -> Iterator[tuple[int, subprocess.Popen]]:
    """The app served with `env` on a free port until the block ends: gunicorn with `workers`
    processes, or Flask's threaded development server (`kind="threaded"`); its output in `log`
    (with gunicorn's access log unless `access_log` is false, as the benchmark wants), its
    process group stopped at the end (workers included). Used by the tests and by `make bench`."""
    port = free_port()
    if kind == "gunicorn":
        command = [
            *(sys.executable, "-m", "gunicorn", "-c", "python:webapp.gunicorn_config"),
            f"--workers={workers}",
            *(f"--bind=127.0.0.1:{port}", "--graceful-timeout=5"),
            *(["--access-logfile=-"] if access_log else []),
            "webapp:create_app()",
        ]
    elif kind == "threaded":
        command = [
            *(sys.executable, "-m", "flask", "--app", "webapp", "run", "--with-threads"),
            *("--host", "127.0.0.1", "--port", str(port), "--no-reload", "--no-debugger"),
        ]
    else:
        raise ValueError(kind)
    with log.open("w") as log_file:
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            # Passkeys belong to a name, not an address: the browser tests open localhost.
            env={"WEBAUTHN_ORIGINS": f"http://localhost:{port}", **env},
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers stop with it
        )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", process, log)
        yield port, process
    finally:
        _stop(process)


def csrf_token(html: str) -> str:
    """The CSRF token of the (first) form of a page."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def burst(count: int, prepare: Callable[[int], Callable[[], object]]) -> list:
    """Run `prepare(i)` for each of `count` clients (each gets its own session ready: cookies,
    CSRF token), then release all their requests at once through a barrier; each request's
    result (e.g. its status), in order."""
    barrier = threading.Barrier(count)

    def one(i: int):
        send = prepare(i)
        barrier.wait(timeout=60)
        return send()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))
