"""gunicorn settings of the web process (the Procfile names this file; gunicorn also reads
./gunicorn.conf.py by itself). The command line keeps the bind address and the workers.

Metrics with several workers (prometheus_client's multiprocess mode): each worker writes its
counts to files in PROMETHEUS_MULTIPROC_DIR, and a scrape answered by any worker adds up all of
them. The variable must be set before a worker imports prometheus_client, so it is set here, in
the master, before any worker is forked: an empty folder of our own when it is not set (removed
when the server stops), or the folder it names, emptied at start as prometheus_client requires.
"""

import os
import shutil
import tempfile
from pathlib import Path

_own_folder = None
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _own_folder = tempfile.mkdtemp(prefix="vssid-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _own_folder


def on_starting(server):
    """The counts of a previous run must not be added to this one's."""
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob("*.db"):
        leftover.unlink()


def child_exit(server, worker):
    """A worker is gone: its live gauges no longer count (its counters and histograms do)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _own_folder:
        shutil.rmtree(_own_folder, ignore_errors=True)
