"""Language choice: account preference → browser cookie → Accept-Language → Vietnamese; and the
catalogue of that language, found once per string rather than once per request context walk."""

from __future__ import annotations

import flask_babel
from babel.core import Locale
from babel.support import NullTranslations
from flask import Flask, current_app, request
from flask.globals import _cv_app
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from werkzeug.utils import cached_property

LOCALE_COOKIE = "lang"

# Each language of the interface, named in itself: the menu lists them so that a reader finds
# their own language whatever language the page is in (these names are never translated).
LANGUAGE_NAMES = {
    "vi": "Tiếng Việt",
    "en": "English",
    "ko": "한국어",
    "ja": "日本語",
    "zh_Hans": "简体中文",
}
# Content written by people (FAQ, news) exists in Vietnamese and English; readers of another
# interface language get English, which more of them read than Vietnamese.
CONTENT_LANGUAGES = ("vi", "en")


def language_tag(locale: str) -> str:
    """The BCP 47 tag of a catalogue's name, for `lang` attributes (zh_Hans → zh-Hans)."""
    return locale.replace("_", "-")


def content_language(locale: str) -> str:
    """The language of FAQ and news text shown to a reader of `locale`."""
    return locale if locale in CONTENT_LANGUAGES else "en"


# The name under which a template's render gets the request's catalogue.
TEMPLATE_CATALOGUE = "_catalogue"


def select_locale() -> str:
    """The language the citizen chose (on the account, else on this browser), else the first of
    the browser's languages the app has (zh-CN, zh-TW and zh find Simplified Chinese by their
    primary subtag), else Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    account = getattr(current_user, "account", None)
    if account is not None and account.locale in languages:
        return account.locale
    cookie = request.cookies.get(LOCALE_COOKIE)
    if cookie in languages:
        return cookie
    return _browser_language(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _browser_language(languages: tuple[str, ...]) -> str | None:
    """The browser's best language that the app has; failing an exact one, the first of the
    browser's languages whose primary subtag is one of the app's (zh-TW, zh-Hant-HK → zh_Hans:
    nearer to its reader than Vietnamese)."""
    accepted = request.accept_languages
    best = accepted.best_match(languages)
    if best:
        return best
    by_primary = {language.split("_")[0]: language for language in reversed(languages)}
    for value, _quality in accepted:  # best first
        language = by_primary.get(value.replace("_", "-").split("-")[0].lower())
        if language:
            return language
    return None


class Domain(flask_babel.Domain):
    """Flask-Babel's message domain, with a locale's catalogue found by the locale itself.

    Flask-Babel spells the locale out (`str(Locale)`) and walks the request context three times
    for each string it translates; a page translates dozens (headings, labels, every option of
    a select), which cost more than the rest of the page's work together."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._by_locale: dict[Locale, NullTranslations] = {}

    def get_translations(self) -> NullTranslations:
        # The request's catalogue is kept beside its locale in Flask-Babel's own namespace of
        # `g`, read through the context variable: a lazy string (a form's label, a select's
        # option) is translated each time it is shown, and finding the locale through the
        # proxies and comparing `Locale` objects cost more than the lookup.
        app_context = _cv_app.get(None)
        space = getattr(app_context.g, "_flask_babel", None) if app_context else None
        kept = getattr(space, "vssid_catalogue", None)
        if kept is not None and kept[0] is getattr(space, "babel_locale", None):
            return kept[1]  # the same locale object: not changed by `force_locale` since
        locale = get_locale()  # makes Flask-Babel's namespace in a request
        if locale is None:  # outside a request: Flask-Babel's answer (no translation)
            return super().get_translations()
        try:
            translations = self._by_locale[locale]
        except KeyError:
            translations = self._by_locale.setdefault(locale, super().get_translations())
        app_context.g._flask_babel.vssid_catalogue = (locale, translations)
        return translations


class Babel(flask_babel.Babel):
    """Flask-Babel with the `Domain` above as its default domain."""

    @cached_property
    def domain_instance(self) -> Domain:
        return Domain(domain=self.domain)


def _catalogue(context: Context) -> NullTranslations:
    """The catalogue the template was rendered with (a macro imported without the page's
    context looks it up)."""
    return context.get(TEMPLATE_CATALOGUE) or get_translations()


def _formatted(context: Context, text: str, variables: dict) -> str:
    """Jinja's newstyle gettext: escaped where the template autoescapes, and always a format
    string ("%%" is a percent sign)."""
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 (the catalogue is ours, as in Jinja's own gettext)
    # Without a "%" formatting would give the text back: most strings are plain.
    return text % variables if variables or "%" in text else text


# Jinja's newstyle gettext, each in one call: Jinja's own wraps the function it is given in a
# second context-passing function, and `_` in a third, and each of those calls costs more
# than the catalogue lookup (a page translates dozens of strings).
@pass_context
def _gettext(context: Context, message: str, **variables) -> str:
    return _formatted(context, _catalogue(context).ugettext(message), variables)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, num: int, **variables) -> str:
    variables.setdefault("num", num)
    text = _catalogue(context).ungettext(singular, plural, num)
    return _formatted(context, text, variables)


@pass_context
def _pgettext(context: Context, message_context: str, message: str, **variables) -> str:
    variables.setdefault("context", message_context)
    text = _catalogue(context).upgettext(message_context, message)
    return _formatted(context, text, variables)


@pass_context
def _npgettext(
    context: Context, message_context: str, singular: str, plural: str, num: int, **variables
) -> str:
    variables.setdefault("context", message_context)
    variables.setdefault("num", num)
    text = _catalogue(context).unpgettext(message_context, singular, plural, num)
    return _formatted(context, text, variables)


def init_app(app: Flask) -> None:
    """Templates translate with the catalogue of the request, looked up once per render (and
    again under `force_locale`, whose renders look it up themselves), instead of once per
    string; Jinja's newstyle gettext (autoescaping, %-formatting) is kept."""
    app.jinja_env.newstyle_gettext = True  # {% trans %} passes its variables as keywords
    app.jinja_env.globals.update(
        _=_gettext,
        gettext=_gettext,
        ngettext=_ngettext,
        pgettext=_pgettext,
        npgettext=_npgettext,
    )

    @app.context_processor
    def template_catalogue() -> dict:
        return {TEMPLATE_CATALOGUE: get_translations()}
