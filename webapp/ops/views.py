"""Liveness, readiness and the metrics scrape."""

from __future__ import annotations

import hmac
import logging
from urllib.parse import urlsplit

import redis
from flask import Response, abort, current_app, jsonify, request
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp import metrics
from webapp.extensions import db
from webapp.ops import bp
from webapp.web import clock

log = logging.getLogger(__name__)

# How long readiness waits for Redis: a load balancer asks every few seconds, and a worker
# blocked on a dead host is a worker less for the citizens.
REDIS_TIMEOUT_SECONDS = 1.0
REDIS_SCHEMES = ("redis", "rediss")


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/healthz")
def liveness():
    """The process answers: nothing is read or written, so a database outage never makes the
    load balancer restart healthy workers."""
    return _no_store(jsonify(status="ok"))


def _database_answers() -> bool:
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        log.warning("readiness: the database did not answer (%s)", type(error).__name__)
        return False
    return True


def _redis_client(uri: str) -> redis.Redis:
    """One client per app (its pool reconnects by itself), with short timeouts and no retry."""
    client = current_app.extensions.get("readiness_redis")
    if client is None:
        client = redis.Redis.from_url(
            uri,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 0),
        )
        current_app.extensions["readiness_redis"] = client
    return client


def _redis_answers(uri: str) -> bool:
    try:
        _redis_client(uri).ping()
    except (redis.RedisError, OSError) as error:
        log.warning("readiness: Redis did not answer (%s)", type(error).__name__)
        return False
    return True


@bp.route("/readyz")
def readiness():
    """Ready to serve: the database answers `SELECT 1` and, when the rate limits are kept in
    Redis, Redis answers a PING within a second. Otherwise 503, naming what failed (never an
    address or a password), so the load balancer sends the citizens to another instance."""
    checks = {"database": _database_answers()}
    storage = current_app.config["RATELIMIT_STORAGE_URI"]
    if urlsplit(storage).scheme in REDIS_SCHEMES:
        checks["redis"] = _redis_answers(storage)
    ready = all(checks.values())
    response = jsonify(
        status="ready" if ready else "unavailable",
        checks={name: "ok" if ok else "failed" for name, ok in checks.items()},
    )
    response.status_code = 200 if ready else 503
    return _no_store(response)


@bp.route("/metrics")
def scrape():
    """Prometheus metrics, for a scraper that sends `Authorization: Bearer <METRICS_TOKEN>`.
    Without METRICS_TOKEN set the URL does not exist (404); with it, any other request is 401."""
    token = current_app.config["METRICS_TOKEN"]
    if not token:
        abort(404)
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
        response = Response("Unauthorized\n", 401, mimetype="text/plain")
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return _no_store(response)
    body, content_type = metrics.exposition(request.headers.get("Accept"), clock().now())
    return _no_store(Response(body, content_type=content_type))
