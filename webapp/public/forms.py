"""Public forms: what is checked before any lookup is made."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

QR_MAX_LENGTH = 2000  # a card QR is about 400 characters; anything far longer is not one


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class VerifyCardForm(FlaskForm):
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
