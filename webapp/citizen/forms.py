"""The citizen's own forms (the sign-in, password and OTP forms are auth's and verification's)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from webapp.forms import (
    CODE_MAX,
    PROBLEM_MESSAGES,
    BoundedForm,
    Checked,
    MaxLength,
    at_most,
    clean_text,
    mobile_phone,
    no_spaces,
)
from webapp.services import registration
from webapp.services.registration import Problem


class ChangeInfoForm(BoundedForm):
    """Yêu cầu thay đổi thông tin: the phone, email and address an officer will confirm."""

    phone = StringField(
        _l("Mobile phone"),
        description=_l("OTP codes are sent to this number once the change is confirmed"),
        filters=[mobile_phone],
        render_kw={"maxlength": 15},
        validators=[
            MaxLength(CODE_MAX, PROBLEM_MESSAGES[Problem.MOBILE]),
            Checked(lambda f, v: registration.check_mobile(v), _l("Enter your mobile number")),
        ],
    )
    email = StringField(
        _l("Email (optional)"),
        filters=[no_spaces],
        render_kw={"maxlength": registration.EMAIL_MAX},
        validators=[
            at_most(registration.EMAIL_MAX),
            Checked(lambda f, v: registration.check_email(v), None),
        ],
    )
    address = StringField(
        _l("Contact address"),
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
