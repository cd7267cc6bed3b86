"""Error pages, translated, as a full page or (for HTMX requests) a fragment the page can show."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, IntegrityError
from werkzeug.exceptions import HTTPException

from webapp import api
from webapp.api.views import http_error as api_http_error
from webapp.extensions import db
from webapp.templating import render_page

# Logged when the safety net below answers: input the edges should have refused reached the DB.
DATA_ERROR_LOG = "The database refused a value of the request"
INTEGRITY_ERROR_LOG = "Two requests wrote the same unique row at once"


def _messages(code: int) -> tuple[str, str]:
    known = {
        400: (_("The request could not be read"), _("Please go back and try again.")),
        403: (_("You cannot open this page"), _("This page is not part of your account.")),
        404: (
            _("Page not found"),
            _("The address may be mistyped, or the page is not part of your account."),
        ),
        405: (_("The request could not be read"), _("Please go back and try again.")),
        409: (
            _("Changed at the same moment"),
            _("Another request changed this at the same moment. Please go back and try again."),
        ),
        413: (_("The file is too large"), _("Please choose a smaller file.")),
        429: (_("Too many attempts"), _("Please wait a few minutes before trying again.")),
    }
    return known.get(
        code,
        (_("Something went wrong"), _("Please try again in a moment. Your data is safe.")),
    )


def _page(code: int, heading: str | None = None, message: str | None = None):
    """The error page (or its fragment for HTMX) with the code's heading and message."""
    if heading is None:
        heading, message = _messages(code)
    page = render_page("errors/error.html", "errors/_error.html", heading=heading, message=message)
    return page, code


def _refused_by_database(app: Flask, error, log: str, code: int):
    """A safety net: the transaction is rolled back, so nothing of the request is written; the
    use is logged (an edge to fix), and the visitor gets the page of `code`."""
    db.session.rollback()
    app.logger.warning("%s: %s", log, error.orig)
    return _page(code)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        heading = _("This form has expired")
        message = _("Please reload the page and send the form again.")
        return _page(400, heading, message)

    @app.errorhandler(DataError)
    def data_error(error: DataError):
        """The last resort for input the forms and URL rules let through and the database
        refused (a NUL byte, a number out of range, on PostgreSQL): the transaction is rolled
        back, so nothing of the request is written, and the visitor gets the 400 page."""
        return _refused_by_database(app, error, DATA_ERROR_LOG, 400)

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError):
        """The last resort when two requests at once wrote the same unique row and a rule was
        not written as one atomic statement: the later is rolled back (nothing of it is kept)
        and told to try again, never a server error. Logged, as a rule to make atomic."""
        return _refused_by_database(app, error, INTEGRITY_ERROR_LOG, 409)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if request.path.startswith(api.PREFIX + "/"):
            # The API's routing errors (404, 405) come before any blueprint is known: its own
            # handler answers them as JSON, as it answers its views' errors.
            return api_http_error(error)
        if error.response is not None:  # a view or the limiter already made the page
            return error.response
        return _page(error.code)

    if app.testing:
        return  # let the test see the traceback

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        app.logger.exception("Unhandled error")
        return _page(500)
