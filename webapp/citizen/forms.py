"""The citizen's own forms (the sign-in, password and OTP forms are auth's and verification's)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

from webapp.forms import (
    FULL_NAME,
    NAME_MAX,
    BoundedForm,
    Checked,
    MaxLength,
    contact_address_field,
    mobile_phone_field,
    no_spaces,
    one_line,
    optional_email_field,
)
from webapp.services import family
from webapp.services.registration import Problem

# The parts of one's data a delegation can share, as the forms and pages name them.
PART_LABELS = {
    "card": _l("Health insurance card"),
    "book": _l("Medical book"),
    "history": _l("Insurance participation"),
    "benefits": _l("Benefits received"),
}
PERIODS = {str(days) for days in family.PERIOD_DAYS}
PERIOD_LABELS = {
    7: _l("7 days"),
    30: _l("30 days"),
    90: _l("3 months (90 days)"),
    365: _l("1 year (365 days)"),
}


class ChangeInfoForm(BoundedForm):
    """Yêu cầu thay đổi thông tin: the phone, email and address an officer will confirm."""

    phone = mobile_phone_field(_l("OTP codes are sent to this number once the change is confirmed"))
    email = optional_email_field()
    address = contact_address_field()


class DelegationForm(BoundedForm):
    """Ủy quyền mới: whom (an account holder, by BHXH code and name), what, for how long."""

    bhxh_code = StringField(
        _l("Their BHXH code"),
        description=_l("10 digits, as on their health insurance card"),
        filters=[no_spaces],
        render_kw={"maxlength": 10},
        validators=[
            MaxLength(20, _l("A BHXH code has 10 digits")),
            DataRequired(_l("Enter the BHXH code of the person you give access to")),
            Regexp(r"^[0-9]{10}$", message=_l("A BHXH code has 10 digits")),
        ],
    )
    full_name = StringField(
        _l("Their full name"),
        description=_l("As on their identity document, with or without diacritics"),
        filters=[one_line],
        validators=[
            Length(max=NAME_MAX, message=_l("A full name has at most 120 characters")),
            DataRequired(_l("Enter the full name of the person you give access to")),
            Regexp(FULL_NAME, message=_l("A full name has only letters and spaces")),
        ],
    )
    parts = SelectMultipleField(
        _l("What they may see"),
        choices=[SelectChoice(part, PART_LABELS[part]) for part in family.PARTS],
        validate_choice=False,
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
        validators=[
            Checked(
                lambda f, v: None if v and set(v) <= set(family.PARTS) else Problem.REQUIRED,
                _l("Choose at least one part of your data"),
            )
        ],
    )
    period = RadioField(
        _l("For how long"),
        choices=[SelectChoice(str(days), PERIOD_LABELS[days]) for days in family.PERIOD_DAYS],
        validate_choice=False,
        validators=[
            Checked(
                lambda f, v: None if v in PERIODS else Problem.REQUIRED,
                _l("Choose for how long"),
            )
        ],
    )
