"""gunicorn's settings for the web process (Procfile: `gunicorn -c python:webapp.gunicorn_config`).

The command line still sets the workers and the address; this adds what the app needs to know
of the server it runs in.
"""

from __future__ import annotations

import os


def on_starting(server) -> None:
    """Before the workers start: tell the app how many processes serve it (each worker reads
    WEB_WORKERS at start-up; see webapp.throttling.refuse_per_process_counts)."""
    os.environ["WEB_WORKERS"] = str(server.cfg.workers)
