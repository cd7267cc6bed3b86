"""Form 01 (R1): each field says what is wrong with it.

The rules themselves live in `services.registration`; here they are only worded."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from webapp.forms import (
    CODE_MAX,
    PROBLEM_MESSAGES,
    BoundedForm,
    Checked,
    MaxLength,
    VietnameseDateField,
    at_most,
    clean_text,
    contact_address_field,
    mobile_phone_field,
    no_spaces,
    optional_email_field,
)
from webapp.labels import ID_TYPE_LABELS, NATIONALITY_LABELS
from webapp.parsing import parse_int
from webapp.services import registration
from webapp.services.provinces import PROVINCES
from webapp.services.registration import Problem
from webapp.services.text import fold
from webapp.web import clock

GENDER_CHOICES = [
    SelectChoice("", _l("Choose…")),
    SelectChoice("1", _l("Male")),
    SelectChoice("2", _l("Female")),
]


def _options(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labels.items()]


def _today():
    return clock().today()


ID_NUMBER_PROBLEMS = {"cccd": Problem.CCCD, "cmnd": Problem.CMND, "passport": Problem.PASSPORT}


def _id_type(form) -> str:
    value = form.id_type.data
    return value if value in registration.ID_TYPES else "cccd"


class DeclarationForm(BoundedForm):
    """Mẫu 01: đăng ký giao dịch với cơ quan BHXH bằng phương thức điện tử (cá nhân).

    The fields are declared in the order the page shows them: the error summary lists its
    messages in this order."""

    full_name = StringField(
        _l("Full name"),
        description=_l("As on your ID document, with diacritics"),
        filters=[clean_text],
        render_kw={"maxlength": registration.NAME_MAX},
        validators=[
            at_most(registration.NAME_MAX),
            Checked(lambda f, v: registration.check_name(v), _l("Enter your full name")),
        ],
    )
    date_of_birth = VietnameseDateField(
        _l("Date of birth"),
        validators=[
            Checked(
                lambda f, v: registration.check_birth(v, _today()), _l("Enter your date of birth")
            )
        ],
    )
    gender = SelectField(
        _l("Gender"),
        choices=GENDER_CHOICES,
        validate_choice=False,
        validators=[
            Checked(
                lambda f, v: None if v in ("1", "2") else Problem.REQUIRED,
                _l("Choose male or female"),
            )
        ],
    )
    nationality = SelectField(
        _l("Nationality"),
        choices=_options(NATIONALITY_LABELS),
        default="VN",
        validate_choice=False,
        validators=[
            Checked(
                lambda f, v: None if v in registration.NATIONALITIES else Problem.REQUIRED,
                _l("Choose your nationality"),
            )
        ],
    )
    bhxh_code = StringField(
        _l("BHXH code"),
        description=_l(
            "10 digits, on your health insurance card or social insurance book. "
            "No code yet? Ask your BHXH office first."
        ),
        filters=[no_spaces],
        render_kw={"maxlength": 10},
        validators=[
            MaxLength(CODE_MAX, PROBLEM_MESSAGES[Problem.BHXH_CODE]),
            Checked(lambda f, v: registration.check_bhxh_code(v), _l("Enter your BHXH code")),
        ],
    )
    id_type = SelectField(
        _l("ID document"),
        choices=_options(ID_TYPE_LABELS),
        default="cccd",
        validate_choice=False,
        validators=[
            Checked(
                lambda f, v: None if v in registration.ID_TYPES else Problem.REQUIRED,
                _l("Choose CCCD, CMND or passport"),
            )
        ],
    )
    id_number = StringField(
        _l("ID document number"),
        description=_l("CCCD: 12 digits; CMND: 9 digits; passport: 1 letter and 7 digits"),
        render_kw={"maxlength": 15},
        validators=[
            MaxLength(CODE_MAX, lambda form: PROBLEM_MESSAGES[ID_NUMBER_PROBLEMS[_id_type(form)]]),
            Checked(
                lambda f, v: registration.check_id_number(
                    _id_type(f), registration.normalize_id_number(_id_type(f), v)
                ),
                _l("Enter the number of your ID document"),
            ),
        ],
    )
    id_issued_on = VietnameseDateField(
        _l("Date of issue"),
        validators=[
            Checked(
                lambda f, v: registration.check_issued(v, f.date_of_birth.data, _today()),
                _l("Enter the date your ID document was issued"),
            )
        ],
    )
    id_issued_place = StringField(
        _l("Place of issue"),
        description=_l("As printed on the document, e.g. Cục Cảnh sát QLHC về TTXH"),
        filters=[clean_text],
        render_kw={"maxlength": registration.PLACE_MAX},
        validators=[
            at_most(registration.PLACE_MAX),
            Checked(
                lambda f, v: registration.check_free_text(v, registration.PLACE_MAX),
                _l("Enter where your ID document was issued"),
            ),
        ],
    )
    photo = FileField(
        _l("Photo of your ID document"),
        description=_l("A photo or scan of the front of the document: JPEG, PNG or PDF, 5 MB"),
    )
    address = contact_address_field(_l("House number, street, ward or commune, province"))
    phone = mobile_phone_field(
        _l("Your dossier number and, once approved, your password are sent here")
    )
    email = optional_email_field(_l("The notice of the decision is also sent here"))
    province = SelectField(
        _l("Province or city of the office"),
        description=_l("Narrows the list of offices below"),
        validate_choice=False,
    )
    office_id = SelectField(
        _l("BHXH office where you will hand in the form"),
        validate_choice=False,
        validators=[
            Checked(
                lambda f, v: None if _office_id(v) else Problem.OFFICE,
                _l("Choose the BHXH office where you will hand in the form"),
            )
        ],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.checked_photo: registration.Photo | None = None
        self.province.choices = [SelectChoice("", _l("All provinces"))] + [
            SelectChoice(code, name)
            for code, name in sorted(PROVINCES.items(), key=lambda kv: fold(kv[1]))
        ]
        province = self.province.data if self.province.data in PROVINCES else None
        self.office_id.choices = office_choices(province)

    def validate_photo(self, field) -> None:
        storage = field.data
        if storage is None or not getattr(storage, "filename", None):
            raise StopValidation(str(PROBLEM_MESSAGES[Problem.PHOTO_EMPTY]))
        limit = current_app.config["DOSSIER_PHOTO_MAX_BYTES"]
        checked = registration.sniff_photo(storage.stream.read(limit + 1), limit)
        if isinstance(checked, Problem):
            raise StopValidation(str(PROBLEM_MESSAGES[checked]))
        self.checked_photo = checked

    def declaration(self) -> registration.Declaration:
        """The checked values, as the service takes them."""
        return registration.Declaration(
            full_name=self.full_name.data,
            date_of_birth=self.date_of_birth.data,
            gender=int(self.gender.data),
            nationality=self.nationality.data,
            bhxh_code=self.bhxh_code.data,
            id_type=self.id_type.data,
            id_number=registration.normalize_id_number(self.id_type.data, self.id_number.data),
            id_issued_on=self.id_issued_on.data,
            id_issued_place=self.id_issued_place.data,
            address=self.address.data,
            phone=self.phone.data,
            email=self.email.data or None,
            office_id=_office_id(self.office_id.data),
        )


def _office_id(value) -> int | None:
    """The id of an existing office, from what the select sent."""
    office_id = parse_int(value, minimum=1)
    if office_id is None:
        return None
    found = registration.office(office_id)
    return found.id if found else None


def office_choices(province: str | None) -> list[SelectChoice]:
    """The office select's options: one province's offices, or all of them grouped by province
    (what a browser without JavaScript gets)."""
    choices = [SelectChoice("", _l("Choose…"))]
    for office in registration.offices(province):
        group = None if province else PROVINCES.get(office.province_code, office.province_code)
        choices.append(SelectChoice(str(office.id), office.name, optgroup=group))
    return choices
