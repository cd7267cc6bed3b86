"""Inputs and selects render through `webapp.forms.FastRendering`: the HTML must be WTForms' own,
character for character, for every field of every form of the app, filled or empty, with the
attributes the field macro passes and with hostile values."""

from __future__ import annotations

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms.fields import FileField, RadioField, SelectField
from wtforms.meta import DefaultMeta

from tests.test_hostile_input import _form_classes
from webapp.forms import _fast_renderer

HOSTILE = "\"><script>alert('x')</script> &amp; Đặng Thị Ánh"

ATTRIBUTE_SETS = [
    {},
    # what components/forms.html's field macro passes
    {"aria-invalid": "true", "aria-describedby": "x-hint x-error", "autocomplete": "off"},
    {"type": "email", "inputmode": "numeric", "spellcheck": "false"},
    {"aria_label": 'say "hi"', "data_x": "<b>", "class_": "wide", "required": False},
    {"disabled": True, "readonly": True, "value": HOSTILE, "id": "other-id"},
]


def _submitted(form_class, value: str) -> MultiDict:
    """Every field of the form given `value`; a choice field its last choice instead (the first
    is often the empty "all")."""
    data = MultiDict()
    for f in form_class(formdata=None) if issubclass(form_class, FlaskForm) else form_class():
        if isinstance(f, FileField):
            continue
        if isinstance(f, SelectField | RadioField) and f.choices:
            last = list(f.iter_choices())[-1]
            data.add(f.name, str(last[0] if isinstance(last, tuple) else last.value))
        else:
            data.add(f.name, value)
    return data


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_every_input_and_select_renders_as_wtforms_renders_it(app, locale):
    fast = 0
    with app.test_request_context(headers={"Accept-Language": locale}):
        for form_class in sorted(_form_classes(), key=lambda c: c.__qualname__):
            for formdata in (None, _submitted(form_class, HOSTILE), _submitted(form_class, "")):
                form = form_class(formdata=formdata, meta={"csrf": False})
                form.validate()
                for f in form:
                    fast += _fast_renderer(f) is not None
                    for attributes in ATTRIBUTE_SETS:
                        expected = DefaultMeta().render_field(f, dict(attributes))
                        got = form.meta.render_field(f, dict(attributes))
                        assert str(got) == str(expected), (form_class.__name__, f.name)
                        assert type(got) is type(expected)
    # the fast path is taken: three fillings of the app's sixty-odd inputs and selects
    assert fast >= 3 * 60
