"""Who an officer is to Flask-Login, apart from citizens.

The session cookie holds "o:<token>", the token of a server-side `OfficerSession`
(webapp.services.officer_sessions): each request reads the row, so a session ended on the
server (sign-out, new password, deactivation, end of the working day) opens nothing any more,
whichever worker serves it and even if the old cookie is replayed. Citizens' ids start with
"c:", so neither kind of session can ever be read as the other.
"""

from __future__ import annotations

from flask import g

from webapp.extensions import db
from webapp.models import OfficerSession
from webapp.services import officer_sessions
from webapp.web import clock


class OfficerUser:
    """What Flask-Login holds for a signed-in officer: one session of one officer. It has no
    `account` or `person`: the citizen side's checks find nothing of a citizen in it."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_officer = True

    def __init__(self, officer_session: OfficerSession) -> None:
        self.officer_session = officer_session
        self.officer = officer_session.officer

    def get_id(self) -> str:
        return f"o:{self.officer_session.token}"


def load_officer(token: str) -> OfficerUser | None:
    """The officer behind a session token, if the session still opens the back-office; why it
    ended is kept in `g.officer_session_ended` for the sign-in page and to clear the browser.
    What reading the session wrote (an end found, the time last seen) is committed here, before
    the page runs: it holds whatever the page does."""
    officer_session, ended = officer_sessions.load_session(token, clock().now())
    if db.session.dirty:
        db.session.commit()
    if officer_session is None:
        g.officer_session_ended = ended
        return None
    return OfficerUser(officer_session)
