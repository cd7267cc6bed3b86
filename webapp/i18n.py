"""Language choice: account preference → browser cookie → Accept-Language → Vietnamese."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user

LOCALE_COOKIE = "lang"


def select_locale() -> str:
    """Vietnamese unless the citizen chose English (on the account, or on this browser)."""
    languages = current_app.config["LANGUAGES"]
    account = getattr(current_user, "account", None)
    if account is not None and account.locale in languages:
        return account.locale
    cookie = request.cookies.get(LOCALE_COOKIE)
    if cookie in languages:
        return cookie
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )
