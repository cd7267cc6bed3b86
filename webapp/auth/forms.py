"""Forms of signing in and of the account's security: what is checked before anything else."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from webapp.services.passwords import MAX_LENGTH


def _digits_only(value):
    return "".join(value.split()) if isinstance(value, str) else value


class LoginForm(FlaskForm):
    identifier = StringField(
        _l("BHXH code or CCCD number"),
        description=_l("10-digit BHXH code or 12-digit citizen identity (CCCD) number"),
        filters=[_digits_only],
        validators=[
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
            Length(max=MAX_LENGTH, message=_l("A password has at most 128 characters")),
        ],
    )


class OtpForm(FlaskForm):
    code = StringField(
        _l("OTP code"),
        description=_l("The 6 digits in the SMS we sent"),
        filters=[_digits_only],
        validators=[
            DataRequired(_l("Enter the 6-digit OTP code")),
            Regexp(r"^\d{6}$", message=_l("The OTP code has exactly 6 digits")),
        ],
    )


class ChangePasswordForm(FlaskForm):
    old_password = PasswordField(
        _l("Current password"),
        validators=[
            DataRequired(_l("Enter your current password")),
            Length(max=MAX_LENGTH, message=_l("A password has at most 128 characters")),
        ],
    )
    new_password = PasswordField(
        _l("New password"),
        description=_l(
            "At least 8 characters; not your BHXH code, CCCD number or date of birth; "
            "not a common password; not one of your last 5 passwords"
        ),
        validators=[DataRequired(_l("Enter a new password"))],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(_l("Repeat the new password")),
            EqualTo("new_password", message=_l("The two new passwords are not the same")),
        ],
    )
