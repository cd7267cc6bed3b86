"""Who an officer is to Flask-Login, apart from citizens.

The session holds "o:<officer id>:<stamp>", the stamp an HMAC of the officer's password hash:
a new password, a deactivated officer or a deleted one signs every browser out at its next
request, whichever worker serves it. Citizens' ids start with "c:", so neither kind of session
can ever be read as the other.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.models import Officer
from webapp.parsing import parse_int


class OfficerUser:
    """What Flask-Login holds for a signed-in officer. It has no `account` or `person`: the
    citizen side's checks find nothing of a citizen in it."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_officer = True

    def __init__(self, officer: Officer) -> None:
        self.officer = officer

    def get_id(self) -> str:
        return f"o:{self.officer.id}:{stamp(self.officer)}"


def stamp(officer: Officer) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = f"officer-session:{officer.id}:{officer.password_hash}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def load_officer(token: str) -> OfficerUser | None:
    """The officer behind "<id>:<stamp>", if still active and with the same password."""
    ident, _sep, given = token.partition(":")
    officer_id = parse_int(ident, minimum=1)
    if officer_id is None or not given:
        return None
    officer = db.session.scalar(
        select(Officer).where(Officer.id == officer_id).options(joinedload(Officer.office))
    )
    if officer is None or not officer.active:
        return None
    if not hmac.compare_digest(stamp(officer), given):
        return None
    return OfficerUser(officer)
