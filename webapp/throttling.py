"""Throttles that count only what happened (a declaration recorded, feedback sent, a search
run), and still hold when many requests arrive at once.

Flask-Limiter's `deduct_when` tests the limit when a request starts and counts it only when the
response is sent, so a burst of parallel requests all pass the test before any is counted. Here
the view spends one unit at the moment it is about to do the counted thing: one atomic hit per
limit in the limiter's storage (memory in one process, Redis shared by every worker), decided on
the count that hit returns.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, make_response, render_template, request
from flask_limiter.util import get_remote_address
from limits import parse_many

from webapp.extensions import limiter


def spend(limits: str, scope: str, key: str | None = None) -> bool:
    """Count one against each of `limits` ("5 per minute; 20 per hour") for `scope` and the
    client address (or `key`); False, and nothing more counted, once one of them is spent."""
    if not limiter.enabled:
        return True
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    identifiers = [part for part in (prefix, scope, key or get_remote_address()) if part]
    return all(limiter.limiter.hit(item, *identifiers) for item in parse_many(limits))


def spend_per_address(config_name: str) -> bool:
    """`spend` with the limit the configuration names, per client address, scoped to the
    endpoint."""
    return spend(current_app.config[config_name], f"{request.endpoint}:{config_name}")


def refuse_per_process_counts(app: Flask) -> None:
    """Start-up check: limits and lockout counters kept in memory are counted per process, so
    with several web workers a client gets each worker's allowance. With more than one worker
    (gunicorn's count, published by webapp/gunicorn_config.py as WEB_WORKERS) and demo mode
    off, the limiter must use a shared storage (RATELIMIT_STORAGE_URI=redis://…)."""
    workers = app.config["WEB_WORKERS"]
    storage = app.config["RATELIMIT_STORAGE_URI"]
    if workers > 1 and not app.config["DEMO_MODE"] and storage.startswith("memory://"):
        raise RuntimeError(
            f"{workers} web workers would each count limits and lockouts on their own with "
            "RATELIMIT_STORAGE_URI=memory://: set it to a storage they share, e.g. "
            "redis://host:6379/0 (see README, Production topology)."
        )


def limit_posts(config_name: str, **options):
    """Flask-Limiter's limit on a view's POSTs, with the limits the configuration names (read
    at each request), per client address unless `key_func` says otherwise."""
    return limiter.limit(lambda: current_app.config[config_name], methods=["POST"], **options)


def locked_page(template: str, form, message: str) -> Response:
    """A sign-in form shown again with the lock's message above it, status 429."""
    form.form_errors.append(message)
    return make_response(render_template(template, form=form), 429)
