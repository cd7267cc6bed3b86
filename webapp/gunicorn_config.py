"""gunicorn's settings for the web process (Procfile: `gunicorn -c python:webapp.gunicorn_config`).
The command line keeps the bind address and the workers; this adds what the app needs to know of
the server it runs in.

- WEB_WORKERS: how many processes serve the app, so that start-up can refuse limits counted per
  process (webapp.throttling.refuse_per_process_counts).
- Metrics with several workers (prometheus_client's multiprocess mode): each worker writes its
  counts to files in PROMETHEUS_MULTIPROC_DIR, and a scrape answered by any worker adds up all of
  them. The variable must be set before a worker imports prometheus_client, so it is set in the
  master, before any worker is forked (`on_starting`): an empty folder of our own when it is not
  set (removed when the server stops), or the folder it names, emptied at start as
  prometheus_client requires.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

_own_folder: str | None = None


def on_starting(server) -> None:
    """In the master, before any worker starts (importing this module changes nothing, so a
    test or a tool may import it): tell the app how many processes serve it, and give the
    workers a metrics folder: our own when none is named, or the one named, emptied of a
    previous run's counts, which must not be added to this one's."""
    global _own_folder
    os.environ["WEB_WORKERS"] = str(server.cfg.workers)
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        _own_folder = tempfile.mkdtemp(prefix="vssid-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = _own_folder
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob("*.db"):
        leftover.unlink()


def child_exit(server, worker) -> None:
    """A worker is gone: its live gauges no longer count (its counters and histograms do)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    if _own_folder:
        shutil.rmtree(_own_folder, ignore_errors=True)
