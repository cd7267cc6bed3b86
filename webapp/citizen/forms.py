"""The citizen's own forms (the sign-in, password and OTP forms are auth's and verification's)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from webapp.forms import (
    BoundedForm,
    contact_address_field,
    mobile_phone_field,
    optional_email_field,
)


class ChangeInfoForm(BoundedForm):
    """Yêu cầu thay đổi thông tin: the phone, email and address an officer will confirm."""

    phone = mobile_phone_field(_l("OTP codes are sent to this number once the change is confirmed"))
    email = optional_email_field()
    address = contact_address_field()
