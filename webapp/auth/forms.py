"""Forms of signing in and of the account's security: what is checked before anything else."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Regexp, ValidationError

from webapp.forms import BoundedForm, MaxLength, no_spaces, short_name_field
from webapp.services.passwords import MAX_LENGTH

IDENTIFIER_MAX = 20  # 12 digits and the spaces people put between groups
PASSWORD_TOO_LONG = _l("A password has at most 128 characters")
PASSKEY_NAME_MAX = 60


class LoginForm(BoundedForm):
    identifier = StringField(
        _l("BHXH code or CCCD number"),
        description=_l("10-digit BHXH code or 12-digit citizen identity (CCCD) number"),
        filters=[no_spaces],
        validators=[
            MaxLength(IDENTIFIER_MAX, _l("A BHXH code has 10 digits and a CCCD number 12 digits")),
            DataRequired(_l("Enter your BHXH code (10 digits) or CCCD number (12 digits)")),
            Regexp(
                r"^(\d{10}|\d{12})$",
                message=_l("A BHXH code has 10 digits and a CCCD number 12 digits"),
            ),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Enter your password")),
            Length(max=MAX_LENGTH, message=PASSWORD_TOO_LONG),
        ],
    )


class ChangePasswordForm(BoundedForm):
    old_password = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(_l("Enter your current password")),
            Length(max=MAX_LENGTH, message=PASSWORD_TOO_LONG),
        ],
    )
    new_password = PasswordField(
        _l("New password"),
        description=_l(
            "At least 8 characters; not your BHXH code, CCCD number or date of birth; "
            "not a common password; not one of your last 5 passwords"
        ),
        validators=[
            MaxLength(MAX_LENGTH, PASSWORD_TOO_LONG),
            DataRequired(_l("Enter a new password")),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            MaxLength(MAX_LENGTH, PASSWORD_TOO_LONG),
            DataRequired(_l("Repeat the new password")),
            EqualTo("new_password", message=_l("The two new passwords are not the same")),
        ],
    )
    # Shown when the account has passkeys: a new password after a phone was lost or shared
    # should be able to end what that phone still opens.
    remove_passkeys = BooleanField(
        _l("Also remove sign-in with fingerprint or face on every phone")
    )


PHONE = r"^(0|\+?84)(3|5|7|8|9)\d{8}$"
EMAIL = r"^[^@\s<>\"']{1,64}@[^@\s<>\"']{1,185}\.[A-Za-z]{2,}$"


class RecoveryForm(BoundedForm):
    identifier = LoginForm.identifier
    channel = RadioField(
        _l("Send the code to"),
        choices=[
            SelectChoice("sms", _l("My registered phone (SMS)")),
            SelectChoice("email", _l("My registered email")),
        ],
        default="sms",
        validators=[DataRequired(_l("Choose where to send the code"))],
    )
    contact = StringField(
        _l("Registered phone number or email"),
        description=_l("The phone number or email you gave BHXH when you registered"),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[
            DataRequired(_l("Enter your registered phone number or email")),
            Length(max=254, message=_l("This is too long for a phone number or email")),
        ],
    )

    def validate_contact(self, field) -> None:
        if self.channel.data == "email":
            if not re.match(EMAIL, field.data):
                raise ValidationError(_l("Enter an email address like ten@vidu.vn"))
        elif not re.match(PHONE, field.data.replace(" ", "").replace(".", "")):
            raise ValidationError(
                _l("Enter a Vietnamese mobile number of 10 digits, like 0912345678")
            )


class NewPasswordForm(BoundedForm):
    new_password = ChangePasswordForm.new_password
    confirm = ChangePasswordForm.confirm


class PasskeyForm(BoundedForm):
    """Adding a passkey: the name the list shows it by (the SMS code follows)."""

    device_name = short_name_field(
        _l("Name of this phone"),
        _l("How the list will show it, e.g. “My Samsung phone”"),
        _l("Name this phone"),
        PASSKEY_NAME_MAX,
    )
