"""Who is signed in, for Flask-Login: a citizen's device session ("c:<token>") or an officer's
session ("o:<token>"). The prefix decides which table is read, so neither kind of session can
ever be taken for the other."""

from __future__ import annotations

from webapp.auth.views import load_citizen
from webapp.extensions import login_manager
from webapp.officer.auth import load_officer


@login_manager.user_loader
def load_user(user_id: str):
    kind, _sep, token = user_id.partition(":")
    if not token:
        return None
    if kind == "c":
        return load_citizen(token)
    if kind == "o":
        return load_officer(token)
    return None
