"""What every form does before it reads a value: read only what a browser sends, and measure it.

A value is filtered, parsed and matched only once it is known to be short. A form of this module
measures each submitted value against its field's cap before any filter, parser, regular
expression or lookup touches it; a longer value gets the cap's message next to its field and no
other check runs on it. So no field can be made to work in time that grows faster than its cap,
whatever pattern a script sends (one 32 kB value once kept a request busy for 13 s).

A field's cap is its `MaxLength` validator, else its `Length(max=…)` validator (with its message);
a choice or hidden field without either takes `CHOICE_MAX`. Typed fields must declare one (a test
walks every form of the app to check).

Flask-WTF would also read a JSON body as the form (numbers, lists and objects then reach
validators written for text) and would hand a text field the file of a multipart part of the
same name. Here a submitted form is read from the form-encoded or multipart fields only, a file
only for a file field: anything else is simply missing, and the form says so by the field, in
the reader's language, with a 400 like any other mistake. Text that still holds a NUL character
after the field's own filters is refused by the field too (PostgreSQL cannot store it).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from flask import request
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto, _is_submitted
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField
from wtforms.fields import BooleanField, FileField, HiddenField, RadioField, SelectField
from wtforms.validators import DataRequired, Length, Regexp, StopValidation
from wtforms.widgets import Input, Select
from wtforms.widgets.core import clean_key

from webapp.services import registration
from webapp.services.registration import Problem

CHOICE_MAX = 1000  # a select's, radio's or hidden field's value: a code or a list's URL
SLACK = 4  # a value up to SLACK × its cap is kept to be shown again; a longer one is dropped


def no_spaces(value):
    """A filter: a number or address typed with spaces ("0123 456 789") without them."""
    return "".join(value.split()) if isinstance(value, str) else value


class MaxLength:
    """The most characters a field takes, and what is said beyond: checked by `BoundedFields`
    before anything else reads the value (so the message may be the field's format message,
    as "A BHXH code has exactly 10 digits" for a code field that allows a few spaces). The
    message may also be a function of the form, for a format another field chooses."""

    def __init__(self, max: int, message=None) -> None:
        self.max = max
        self.message = message

    def __call__(self, form, field) -> None:
        """Nothing left to check here: the form measured the value before it was processed."""


def field_cap(field) -> tuple[int, object] | None:
    """(cap, message) of a bound field, or None for a field without a text value (a file)."""
    if isinstance(field, FileField):
        return None
    for validator in field.validators:
        if isinstance(validator, MaxLength):
            return validator.max, validator.message or _generic(field, validator.max)
    for validator in field.validators:
        if isinstance(validator, Length) and validator.max >= 0:
            message = validator.message or _generic(field, validator.max)
            return validator.max, message
    if isinstance(field, SelectField | RadioField | HiddenField | BooleanField):
        return CHOICE_MAX, _generic(field, CHOICE_MAX)
    return None


def _generic(field, cap: int):
    return _l("“%(thing)s” takes at most %(num)d characters", num=cap, thing=field.label.text)


def _length(value: str, cap: int) -> int:
    """Characters as a person counts them: composed (NFC) and without surrounding spaces; a value
    far beyond the cap is not even composed."""
    if len(value) > SLACK * cap:
        return len(value)
    return len(unicodedata.normalize("NFC", value).strip())


class _WithinCap:
    """First in every field's chain: a value found too long says so, and nothing else runs."""

    def __call__(self, form, field) -> None:
        message = form.too_long.get(field.name)
        if callable(message):  # a message that depends on another field (the kind of ID)
            message = message(form)
        if message is not None:
            field.errors.clear()  # a parse error of the same value says less
            raise StopValidation(str(message))


def _attributes(attributes: dict) -> str:
    """WTForms' `html_params`, the same text (names sorted, `True` as a bare name, `False` left
    out, names and values escaped), written without `Markup.format`, which costs more than the
    rest of a field's rendering."""
    parts = []
    for name, value in sorted(attributes.items()):
        name = clean_key(name)
        if value is True:
            parts.append(name)
        elif value is not False:
            parts.append(f'{escape(name)}="{escape(value)}"')
    return " ".join(parts)


def _input(widget: Input, field, attributes: dict) -> Markup:
    """`Input.__call__`, the same HTML."""
    attributes.setdefault("id", field.id)
    attributes.setdefault("type", widget.input_type)
    if "value" not in attributes:
        attributes["value"] = field._value()
    datalist = getattr(field, "_datalist", None)
    if datalist is not None and "list" not in attributes:
        attributes["list"] = datalist if isinstance(datalist, str) else datalist.id
    # WTForms reads dir(flags); a field's flags are its instance attributes
    for name, value in vars(getattr(field, "flags", None) or {}).items():
        if name in widget.validation_attrs and name not in attributes:
            attributes[name] = value() if callable(value) else value
    return Markup(f"<input {_attributes({'name': field.name, **attributes})}>")  # noqa: S704


def _select(widget: Select, field, attributes: dict) -> Markup:
    """`Select.__call__` for a single choice without groups, the same HTML; a lazy label is
    translated once (WTForms translates it twice: to test it, then to escape it)."""
    attributes.setdefault("id", field.id)
    for name, value in vars(getattr(field, "flags", None) or {}).items():
        if name in widget.validation_attrs and name not in attributes:
            attributes[name] = value
    html = [f"<select {_attributes({'name': field.name, **attributes})}>"]
    for choice in field._iter_choices_normalized():
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        options = {"value": value, **(choice.render_kw or {})}
        if choice.selected:
            options["selected"] = True
        label = str(choice.label) if isinstance(choice.label, LazyString) else choice.label
        html.append(f"<option {_attributes(options)}>{escape(label or choice.value)}</option>")
    html.append("</select>")
    return Markup("".join(html))  # noqa: S704


def _fast_renderer(field):
    """The fast rendering of this field's widget, if it is WTForms' own input or select."""
    widget = field.widget
    kind = type(widget)
    if isinstance(widget, Input) and kind.__call__ is Input.__call__:
        return _input if kind.html_params is Input.html_params else None
    if (
        isinstance(widget, Select)
        and kind.__call__ is Select.__call__
        and kind.render_option.__func__ is Select.render_option.__func__
        and not widget.multiple
        and not field.has_groups()
    ):
        return _select
    return None


class FastRendering:
    """WTForms' rendering of inputs and selects, the same HTML at a fraction of the cost (a test
    holds it to WTForms' own for every field of every form); other widgets render as before."""

    def render_field(self, field, render_kw):
        render = _fast_renderer(field)
        if render is None:
            return super().render_field(field, render_kw)
        attributes = {clean_key(k): v for k, v in render_kw.items()}
        if field.render_kw:
            attributes = {**{clean_key(k): v for k, v in field.render_kw.items()}, **attributes}
        return render(field.widget, field, attributes)


class BoundedFields:
    """Mixin for a WTForms form: every value measured before it is processed (see the module);
    inputs and selects render through `FastRendering`."""

    Meta = FastRendering

    def __init__(self, *args, **kwargs) -> None:
        self.too_long: dict[str, object] = {}
        super().__init__(*args, **kwargs)
        for field in self._fields.values():
            field.validators = [_WithinCap(), *field.validators]

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs) -> None:
        formdata = self.meta.wrap_formdata(self, formdata)
        self.too_long = {}
        if formdata is not None:
            formdata = self._bounded(formdata)
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)

    def _bounded(self, formdata) -> MultiDict:
        """A copy of `formdata` with the values far beyond their cap dropped, and the fields
        whose value is beyond it noted in `too_long`."""
        caps = {}
        for field in self._fields.values():
            cap = field_cap(field)
            if cap is not None:
                caps[field.name] = cap
        kept = MultiDict()
        for name, value in formdata.items(multi=True):
            cap = caps.get(name)
            if cap is not None and isinstance(value, str) and _length(value, cap[0]) > cap[0]:
                self.too_long[name] = cap[1]
                if len(value) > SLACK * cap[0]:
                    value = ""
            kept.add(name, value)
        return kept


NUL_MESSAGE = _l("Remove the invisible control character (NUL) from this field")


def _holds_nul(data) -> bool:
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, list | tuple):
        return any(_holds_nul(item) for item in data)
    return False


class WebForm(FlaskForm):
    """A form as a browser posts it (application/x-www-form-urlencoded or multipart/form-data)."""

    class Meta:
        def wrap_formdata(self, form, formdata):
            if formdata is not _Auto:
                return formdata
            if not _is_submitted():
                return None
            fields = MultiDict(request.form.items(multi=True))
            for field in form:
                if isinstance(field, FileField):
                    fields.setlist(field.name, request.files.getlist(field.name))
            return fields

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if _holds_nul(field.data):
                if not field.errors:
                    field.errors.append(str(NUL_MESSAGE))
                if isinstance(field.data, str):
                    field.data = field.data.replace("\x00", "")
                valid = False
            if _holds_nul(field.raw_data):  # what a field shows again, never a NUL in the page
                field.raw_data = [
                    v.replace("\x00", "") if isinstance(v, str) else v for v in field.raw_data
                ]
        return valid


class BoundedForm(BoundedFields, WebForm):
    """The base of every form the app posts: a browser's form fields only (CSRF included), each
    value measured before anything reads it."""


class BoundedQueryForm(BoundedFields, Form):
    """A form read from a query string (no CSRF: it changes nothing), values measured first."""


# --- Fields, filters and validators the app's forms share -----------------------------------

# What a problem is called, whatever the field (a field may say REQUIRED its own way).
PROBLEM_MESSAGES = {
    Problem.BHXH_CODE: _l("A BHXH code has exactly 10 digits"),
    Problem.NAME: _l("Write the full name in letters only, as on your ID document"),
    Problem.FORBIDDEN_CHARACTERS: _l("Remove the characters < > { } and control characters"),
    Problem.BIRTH_IN_FUTURE: _l("The date of birth cannot be in the future"),
    Problem.BIRTH_TOO_EARLY: _l("The date of birth must be after 01/01/1900"),
    Problem.ISSUED_IN_FUTURE: _l("The date of issue cannot be in the future"),
    Problem.ISSUED_BEFORE_BIRTH: _l("The date of issue must be after the date of birth"),
    Problem.CCCD: _l("A CCCD number has exactly 12 digits"),
    Problem.CCCD_PROVINCE: _l(
        "The first 3 digits of a CCCD number are a province code (001 to 096): check the number"
    ),
    Problem.CMND: _l("A CMND number has exactly 9 digits"),
    Problem.PASSPORT: _l("A passport number is 1 letter followed by 7 digits, e.g. C1234567"),
    Problem.MOBILE: _l(
        "Enter a Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 or 09 "
        "(or +84 and 9 digits)"
    ),
    Problem.EMAIL: _l("Enter an email address like ten@example.com, or leave it empty"),
    Problem.OFFICE: _l("Choose the BHXH office where you will hand in the form"),
    Problem.PHOTO_EMPTY: _l("Attach a photo or scan of your ID document"),
    Problem.PHOTO_TYPE: _l("The file must be a JPEG or PNG photo or a PDF scan"),
    Problem.PHOTO_TOO_LARGE: _l("The file is larger than 5 MB: choose a smaller one"),
}


NAME_MAX = 120
FULL_NAME = re.compile(r"^[^\W\d_]+(?:[ '.\-][^\W\d_]+)*\.?$")


def clean_multiline(value):
    """A filter: trimmed, without control characters (a NUL byte is refused by PostgreSQL, a
    stray line break breaks nothing but is not meant); line breaks kept for long texts."""
    if not isinstance(value, str):
        return value
    cleaned = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return cleaned.replace("\r\n", "\n").strip()


def one_line(value):
    """A filter: a name or a title on one line, its spaces single."""
    value = clean_multiline(value)
    return " ".join(value.split()) if isinstance(value, str) else value


def clean_text(value):
    """A filter: text with its spaces and invisible characters tidied (services.registration)."""
    return registration.clean_text(value) if isinstance(value, str) else value


def mobile_phone(value):
    """A filter: a mobile number as the services store it (0 and 9 digits)."""
    return registration.normalize_phone(value) if isinstance(value, str) else value


class Checked:
    """A validator made of a service check: the service says what is wrong, this says it."""

    def __init__(self, check, required_message) -> None:
        self.check = check
        self.required_message = required_message

    def __call__(self, form, field) -> None:
        problem = self.check(form, field.data)
        if problem is None:
            return
        if problem is Problem.REQUIRED:
            raise StopValidation(str(self.required_message))
        if problem is Problem.TOO_LONG:
            raise StopValidation(
                str(_l("At most %(num)d characters", num=field.render_kw["maxlength"]))
            )
        raise StopValidation(str(PROBLEM_MESSAGES[problem]))


DATE_MAX = 20
DATE_FORMAT_MESSAGE = _l("Enter the date as dd/mm/yyyy, e.g. 14/03/1985")
NO_SUCH_DATE_MESSAGE = _l(
    "There is no such date: check the day (1 to 31) and the month (1 to 12), as dd/mm/yyyy"
)
DATE_HINT = _l("dd/mm/yyyy, e.g. 14/03/1985")

# Day, month, year as Vietnamese papers write them: 14/03/1985 (also 14-03-1985, 14.03.1985,
# 14 03 1985, 1/3/1985), or the eight digits alone, 14031985, which is all a phone's numeric
# keypad may offer. ASCII digits only ("١٤" is a digit to Python's \d, never to a person here),
# the year in full: 14/03/85 could be 1885 or 1985.
_DAY_MONTH_YEAR = re.compile(
    r"([0-9]{1,2})[/.\- ]([0-9]{1,2})[/.\- ]([0-9]{4})|([0-9]{2})([0-9]{2})([0-9]{4})"
)


class NotADate(ValueError):
    """Not written as day, month, year (a word, the ISO 2025-01-02, a two-digit year)."""


class NoSuchDate(ValueError):
    """Written as day/month/year, but no such day exists (31/02/2025, or 1/13/2025: a month
    first, as American papers write it)."""


def parse_day_month_year(text: str) -> dt.date:
    """The date `text` writes as dd/mm/yyyy, whatever the browser's language; `NotADate` or
    `NoSuchDate` otherwise. The caller bounds the length (a field's `MaxLength`)."""
    match = _DAY_MONTH_YEAR.fullmatch(text.strip())
    if match is None:
        raise NotADate(text)
    day, month, year = (int(part) for part in match.groups() if part is not None)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise NoSuchDate(text) from None


class VietnameseDateField(StringField):
    """A date typed as on Vietnamese papers, dd/mm/yyyy, in a text box, never the browser's
    date picker (which shows mm/dd/yyyy in an English browser whatever the country): a visible
    hint says the format, the phone offers its numeric keypad, a date that cannot be read or
    does not exist says so by the field, and the page shows again what the person typed.
    Empty is None (a required check says so)."""

    def __init__(
        self, label=None, validators=None, format_message=None, description=None, **kwargs
    ) -> None:
        self.format_message = format_message or DATE_FORMAT_MESSAGE
        render_kw = {
            "inputmode": "numeric",
            "maxlength": 10,
            "spellcheck": "false",
            **(kwargs.pop("render_kw", None) or {}),
        }
        super().__init__(
            label,
            [MaxLength(DATE_MAX, self.format_message), *(validators or ())],
            description=DATE_HINT if description is None else description,
            render_kw=render_kw,
            **kwargs,
        )

    def process_formdata(self, valuelist) -> None:
        self.data = None
        text = valuelist[0] if valuelist else None
        if not isinstance(text, str) or not text.strip():
            return
        try:
            self.data = parse_day_month_year(text)
        except NoSuchDate:
            raise ValueError(str(NO_SUCH_DATE_MESSAGE)) from None
        except NotADate:
            raise ValueError(str(self.format_message)) from None

    def pre_validate(self, form) -> None:
        """A value that is no date has said so: the field's other checks would only add that
        it is missing."""
        if self.process_errors:
            raise StopValidation()

    def _value(self) -> str:
        if self.raw_data:  # as typed, without what no one types (NUL, control characters)
            typed = self.raw_data[0]
            return "".join(ch for ch in typed if ch.isprintable()) if isinstance(typed, str) else ""
        return self.data.strftime("%d/%m/%Y") if self.data else ""


def at_most(num: int) -> MaxLength:
    """The cap of a free-text field, said as the field says it after cleaning."""
    return MaxLength(num, _l("At most %(num)d characters", num=num))


def short_name_field(label, description, required_message, cap: int = 60) -> StringField:
    """A short name people give something (a phone, a device, a key): tidied, at most `cap`
    characters, and no character that could pass for markup."""
    return StringField(
        label,
        description=description,
        filters=[clean_text],
        render_kw={"maxlength": cap},
        validators=[
            at_most(cap),
            DataRequired(required_message),
            Regexp(
                r"^[^<>{}]*$", message=_l("Remove the characters < > { } and control characters")
            ),
        ],
    )


CODE_MAX = 20  # a code, a number or a phone with the spaces, dots and hyphens people type


def contact_address_field(description=None) -> StringField:
    """The contact address a person registers (form 01, a change of information)."""
    return StringField(
        _l("Contact address"),
        description=description,
        filters=[clean_text],
        render_kw={"maxlength": registration.ADDRESS_MAX},
        validators=[
            at_most(registration.ADDRESS_MAX),
            Checked(
                lambda f, v: registration.check_free_text(v, registration.ADDRESS_MAX),
                _l("Enter your contact address"),
            ),
        ],
    )


def mobile_phone_field(description) -> StringField:
    """The mobile number OTP codes and notices go to."""
    return StringField(
        _l("Mobile phone"),
        description=description,
        filters=[mobile_phone],
        render_kw={"maxlength": 15},
        validators=[
            MaxLength(CODE_MAX, PROBLEM_MESSAGES[Problem.MOBILE]),
            Checked(lambda f, v: registration.check_mobile(v), _l("Enter your mobile number")),
        ],
    )


def optional_email_field(description=None) -> StringField:
    """An email address, or nothing."""
    return StringField(
        _l("Email (optional)"),
        description=description,
        filters=[no_spaces],
        render_kw={"maxlength": registration.EMAIL_MAX},
        validators=[
            at_most(registration.EMAIL_MAX),
            Checked(lambda f, v: registration.check_email(v), None),
        ],
    )
