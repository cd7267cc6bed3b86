"""The base of every form the app posts: it reads what a browser's form sends, and nothing else.

Flask-WTF would also read a JSON body as the form (numbers, lists and objects then reach
validators written for text) and would hand a text field the file of a multipart part of the
same name. Here a submitted form is read from the form-encoded or multipart fields only, a file
only for a file field: anything else is simply missing, and the form says so by the field, in
the reader's language, with a 400 like any other mistake. Text that still holds a NUL character
after the field's own filters is refused by the field too (PostgreSQL cannot store it).
"""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_wtf.form import _Auto, _is_submitted
from werkzeug.datastructures import MultiDict

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
