"""Public forms: what is checked before any lookup is made."""

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from webapp.forms import (
    FULL_NAME,
    NAME_MAX,
    BoundedForm,
    MaxLength,
    VietnameseDateField,
    clean_multiline,
    one_line,
)
from webapp.labels import FEEDBACK_TOPICS
from webapp.parsing import parse_int
from webapp.services.provinces import PROVINCES
from webapp.services.text import fold
from webapp.web import clock

QR_MAX_LENGTH = 2000  # a card QR is about 400 characters; anything far longer is not one


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class VerifyCardForm(BoundedForm):
    """Kiểm tra thẻ BHYT: the text of a card's QR code, typed in by a scanner or pasted."""

    payload = StringField(
        _l("Text of the card's QR code"),
        description=_l("Scan the QR code on the card into this box, or paste its text."),
        filters=[_strip],
        validators=[
            DataRequired(_l("Scan the card's QR code or paste its text")),
            Length(
                max=QR_MAX_LENGTH,
                message=_l("The text of a card's QR code has at most 2000 characters"),
            ),
        ],
    )


# --- Public services without an account (P1–P4) ---------------------------------------------

_MOBILE = re.compile(r"^0[35789]\d{8}$")
MOBILE_MAX = 20  # 10 digits, or +84 and 9, with the spaces, dots and hyphens people type


def _digits(value):
    return "".join(ch for ch in value if not ch.isspace() and ch not in ".-") if value else value


def normalize_mobile(value):
    """ "+84 912 345 678", "0912.345.678" → "0912345678"."""
    value = _digits(value)
    if isinstance(value, str) and value.startswith("+84"):
        value = "0" + value[3:]
    elif isinstance(value, str) and value.startswith("84") and len(value) == 11:
        value = "0" + value[2:]
    return value


def _province_choices():
    return [("", _l("Choose a province or city"))] + sorted(
        PROVINCES.items(), key=lambda item: fold(item[1])
    )


def _full_name_field(description=None):
    return StringField(
        _l("Full name"),
        description=description,
        filters=[one_line],
        validators=[
            DataRequired(_l("Enter your full name")),
            Length(max=NAME_MAX, message=_l("A full name has at most 120 characters")),
            Regexp(FULL_NAME, message=_l("A full name has only letters and spaces")),
        ],
    )


def _mobile_field(label, description=None):
    return StringField(
        label,
        description=description,
        filters=[normalize_mobile],
        validators=[
            MaxLength(
                MOBILE_MAX,
                _l("Enter a Vietnamese mobile number of 10 digits, like 0912345678"),
            ),
            DataRequired(_l("Enter a mobile phone number")),
            Regexp(
                _MOBILE,
                message=_l("Enter a Vietnamese mobile number of 10 digits, like 0912345678"),
            ),
        ],
    )


class FindCodeByBirthForm(BoundedForm):
    """Tra cứu mã số BHXH by full name, date of birth and province."""

    full_name = _full_name_field(_l("As on your identity document, with or without diacritics"))
    date_of_birth = VietnameseDateField(
        _l("Date of birth"),
        description=_l("Day/month/year, like 14/03/1985"),
        format_message=_l("Enter the date of birth as day/month/year, like 14/03/1985"),
    )
    province = SelectField(
        _l("Province or city"),
        description=_l("Where your BHXH code was registered"),
        choices=_province_choices,
        validators=[DataRequired(_l("Choose the province or city"))],
        validate_choice=False,
    )

    def validate_date_of_birth(self, field):
        if field.data is None:
            if not field.errors:  # empty (a typed date that is no date already says so)
                raise ValidationError(_l("Enter your date of birth"))
            return
        if not (dt.date(1900, 1, 1) <= field.data <= clock().today()):
            raise ValidationError(_l("Enter a date of birth between 1900 and today"))

    def validate_province(self, field):
        if field.data not in PROVINCES:
            raise ValidationError(_l("Choose the province or city from the list"))


class FindCodeByIdForm(BoundedForm):
    """Tra cứu mã số BHXH by ID number (CCCD or CMND) and full name."""

    id_number = StringField(
        _l("ID number"),
        description=_l("12-digit citizen identity (CCCD) number or 9-digit old ID (CMND)"),
        filters=[_digits],
        validators=[
            MaxLength(20, _l("A CCCD number has 12 digits and a CMND number 9 digits")),
            DataRequired(_l("Enter your CCCD or CMND number")),
            Regexp(
                r"^(\d{9}|\d{12})$",
                message=_l("A CCCD number has 12 digits and a CMND number 9 digits"),
            ),
        ],
    )
    full_name = _full_name_field(_l("As on your identity document, with or without diacritics"))


class PageField(IntegerField):
    """A page number from a link: 1 when absent, an error by the list when not a page."""

    def __init__(self, label=None, validators=(), **kwargs) -> None:
        super().__init__(label, [MaxLength(6, _l("There is no such page")), *validators], **kwargs)

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = 1
        if text:
            page = parse_int(text, minimum=1, maximum=100_000)
            if page is None:
                raise ValueError(_l("There is no such page"))
            self.data = page


class LookupForm(BoundedForm):
    """The search of a public directory: read from the query string, never a state change."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Name or code"),
        filters=[one_line],
        validators=[
            Optional(),
            Length(max=100, message=_l("Type at most 100 characters")),
        ],
    )
    tinh = SelectField(
        _l("Province or city"),
        choices=lambda: [("", _l("All provinces and cities"))] + _province_choices()[1:],
        validators=[Optional()],
        validate_choice=False,
    )
    page = PageField(_l("Page"))

    def validate_tinh(self, field):
        if field.data and field.data not in PROVINCES:
            raise ValidationError(_l("Choose the province or city from the list"))


class PlausibleEmail:
    """One address of the shape local@domain.tld: one "@", no white space, a dot inside the
    domain. Checked by scanning the text once (the regular expression it replaces took time that
    grew with the square of the length on "a@" followed by "a." repeated)."""

    def __init__(self, message) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if not is_plausible_email(field.data or ""):
            raise ValidationError(str(self.message))


def is_plausible_email(value: str) -> bool:
    local, at, domain = value.partition("@")
    return (
        bool(local and at)
        and "@" not in domain
        and "." in domain[1:-1]
        and not any(ch.isspace() for ch in value)
    )


class FeedbackForm(BoundedForm):
    """Gửi phản ánh, kiến nghị."""

    name = _full_name_field()
    phone = _mobile_field(
        _l("Mobile phone"),
        _l("We send the tracking number there; you need it with this number to read the answer"),
    )
    email = StringField(
        _l("Email (optional)"),
        filters=[one_line],
        validators=[
            Optional(),
            Length(max=254, message=_l("An email address has at most 254 characters")),
            PlausibleEmail(_l("Enter an email address like ten@example.com")),
        ],
    )
    topic = SelectField(
        _l("Topic"),
        choices=lambda: [("", _l("Choose a topic"))] + list(FEEDBACK_TOPICS.items()),
        validators=[DataRequired(_l("Choose the topic of your feedback"))],
        validate_choice=False,
    )
    body = TextAreaField(
        _l("Your feedback or question"),
        description=_l("10 to 2000 characters. Do not write passwords or OTP codes."),
        filters=[clean_multiline],
        validators=[
            DataRequired(_l("Write your feedback")),
            Length(min=10, message=_l("Write at least 10 characters")),
            Length(max=2000, message=_l("Write at most 2000 characters")),
        ],
    )

    def validate_topic(self, field):
        if field.data not in FEEDBACK_TOPICS:
            raise ValidationError(_l("Choose the topic from the list"))


class FeedbackLookupForm(BoundedForm):
    """Tra cứu phản ánh: the tracking number and the phone it was sent with."""

    tracking_number = StringField(
        _l("Tracking number"),
        description=_l("Like PA261125123456, in the SMS we sent"),
        filters=[one_line],
        validators=[
            MaxLength(30, _l("A tracking number is PA followed by 12 digits")),
            DataRequired(_l("Enter the tracking number")),
            Regexp(
                r"^[Pp][Aa][\s-]*\d{6}[\s-]*\d{6}$",
                message=_l("A tracking number is PA followed by 12 digits"),
            ),
        ],
    )
    phone = _mobile_field(_l("Mobile phone"), _l("The number you gave with the feedback"))


class ChatForm(BoundedForm):
    """A question to the virtual assistant."""

    question = StringField(
        _l("Your question"),
        filters=[one_line],
        validators=[
            DataRequired(_l("Type a question")),
            Length(max=500, message=_l("A question has at most 500 characters")),
        ],
    )
