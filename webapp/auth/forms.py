"""The login form: what is checked before the database is asked anything."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length, Regexp


class LoginForm(FlaskForm):
    identifier = StringField(
        _l("BHXH code or CCCD number"),
        description=_l("10-digit BHXH code or 12-digit citizen identity (CCCD) number"),
        filters=[lambda v: v.strip().replace(" ", "") if isinstance(v, str) else v],
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
            Length(max=128, message=_l("A password has at most 128 characters")),
        ],
    )
