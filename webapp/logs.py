"""Log lines as JSON, one object a line, each with the id of the request it belongs to.

Every logger of the process (the app's, the services', SQLAlchemy's, Werkzeug's) ends at the
root logger, where one handler writes JSON through python-json-logger: `timestamp` (ISO 8601,
UTC), `level`, `logger`, `message`, `request_id` (null outside a request: the worker, a
command), and whatever a call passes in `extra`. The handler, not a logger, adds the request id,
so that a record from any library logged during a request carries it too.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from flask import Flask
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter

from webapp.services.audit import current_request_id

FIELDS = ("levelname", "name", "message", "request_id")
RENAMED = {"levelname": "level", "name": "logger"}


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to every record the handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


def json_handler(stream: TextIO) -> logging.Handler:
    """A handler that writes each record to `stream` as one line of JSON."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonFormatter(FIELDS, rename_fields=RENAMED, timestamp=True, json_ensure_ascii=False)
    )
    handler.addFilter(RequestIdFilter())
    return handler


def init_app(app: Flask) -> None:
    """Once per process: the JSON handler on the root logger, at LOG_LEVEL. Flask's own plain
    handler is taken off the app's logger, so no line is written twice."""
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        root.addHandler(json_handler(sys.stderr))
    root.setLevel(app.config["LOG_LEVEL"])
    app.logger.removeHandler(default_handler)
