"""Form 01 (R1) and the change-of-information request: each field says what is wrong with it.

The rules themselves live in `services.registration`; here they are only worded."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from webapp.forms import BoundedForm, MaxLength
from webapp.parsing import parse_int
from webapp.services import registration
from webapp.services.provinces import PROVINCES
from webapp.services.registration import Problem
from webapp.services.text import fold
from webapp.web import clock

# What a problem is called, whatever the field (a field may say REQUIRED its own way).
PROBLEM_MESSAGES = {
    Problem.BHXH_CODE: _l("A BHXH code has exactly 10 digits"),
    Problem.NAME: _l("Write the full name in letters only, as on your ID document"),
    Problem.FORBIDDEN_CHARACTERS: _l("Remove the characters < > { } and control characters"),
    Problem.BIRTH_IN_FUTURE: _l("The date of birth cannot be in the future"),
    Problem.BIRTH_TOO_EARLY: _l("The date of birth must be after 01/01/1900"),
    Problem.ISSUED_IN_FUTURE: _l("The date of issue cannot be in the future"),
    Problem.ISSUED_BEFORE_BIRTH: _l("The date of issue must be after the date of birth"),
    Problem.CCCD: _l("A CCCD number has exactly 12 digits"),
    Problem.CCCD_PROVINCE: _l(
        "The first 3 digits of a CCCD number are a province code (001 to 096): check the number"
    ),
    Problem.CMND: _l("A CMND number has exactly 9 digits"),
    Problem.PASSPORT: _l("A passport number is 1 letter followed by 7 digits, e.g. C1234567"),
    Problem.MOBILE: _l(
        "Enter a Vietnamese mobile number: 10 digits starting with 03, 05, 07, 08 or 09 "
        "(or +84 and 9 digits)"
    ),
    Problem.EMAIL: _l("Enter an email address like ten@example.com, or leave it empty"),
    Problem.OFFICE: _l("Choose the BHXH office where you will hand in the form"),
    Problem.PHOTO_EMPTY: _l("Attach a photo or scan of your ID document"),
    Problem.PHOTO_TYPE: _l("The file must be a JPEG or PNG photo or a PDF scan"),
    Problem.PHOTO_TOO_LARGE: _l("The file is larger than 5 MB: choose a smaller one"),
}

GENDER_CHOICES = [
    SelectChoice("", _l("Choose…")),
    SelectChoice("1", _l("Male")),
    SelectChoice("2", _l("Female")),
]
ID_TYPE_LABELS = {
    "cccd": _l("Citizen identity card (CCCD)"),
    "cmnd": _l("Identity card (CMND)"),
    "passport": _l("Passport"),
}
NATIONALITY_LABELS = {
    "VN": _l("Vietnam"),
    "LA": _l("Laos"),
    "KH": _l("Cambodia"),
    "CN": _l("China"),
    "KR": _l("South Korea"),
    "JP": _l("Japan"),
    "TW": _l("Taiwan"),
    "TH": _l("Thailand"),
    "US": _l("United States"),
    "FR": _l("France"),
    "GB": _l("United Kingdom"),
    "AU": _l("Australia"),
    "XX": _l("Other"),
}
assert set(NATIONALITY_LABELS) == set(registration.NATIONALITIES)
assert set(ID_TYPE_LABELS) == set(registration.ID_TYPES)


def _options(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labels.items()]


def _text(value):
    return registration.clean_text(value) if isinstance(value, str) else value


def _no_spaces(value):
    return "".join(value.split()) if isinstance(value, str) else value


def _phone(value):
    return registration.normalize_phone(value) if isinstance(value, str) else value


class Checked:
    """A validator made of a service check: the service says what is wrong, this says it."""

    def __init__(self, check, required_message) -> None:
        self.check = check
        self.required_message = required_message

    def __call__(self, form, field) -> None:
        problem = self.check(form, field.data)
        if problem is None:
            return
        if problem is Problem.REQUIRED:
            raise StopValidation(str(self.required_message))
        if problem is Problem.TOO_LONG:
            raise StopValidation(
                str(_l("At most %(num)d characters", num=field.render_kw["maxlength"]))
            )
        raise StopValidation(str(PROBLEM_MESSAGES[problem]))


class VietnameseDateField(DateField):
    """A date as the browser's date picker sends it (yyyy-mm-dd) or as people type it
    (dd/mm/yyyy); empty is None, and the required check says so."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        bound = MaxLength(DATE_MAX, _l("Enter the date as dd/mm/yyyy, e.g. 14/03/1985"))
        super().__init__(
            label,
            [bound, *(validators or ())],
            format=["%Y-%m-%d", "%d/%m/%Y"],
            invalid_value_message=_l("Enter the date as dd/mm/yyyy, e.g. 14/03/1985"),
            **kwargs,
        )

    def process_formdata(self, valuelist) -> None:
        if not valuelist or not "".join(valuelist).strip():
            self.data = None
            return
        if len(valuelist[0]) > 10:
            self.data = None
            raise ValueError(str(self.invalid_value_message))
        super().process_formdata(valuelist)


def _at_most(num: int) -> MaxLength:
    """The cap of a free-text field, said as the field says it after cleaning."""
    return MaxLength(num, _l("At most %(num)d characters", num=num))


CODE_MAX = 20  # a code, a number or a phone with the spaces, dots and hyphens people type
DATE_MAX = 20


def _today():
    return clock().today()


ID_NUMBER_PROBLEMS = {"cccd": Problem.CCCD, "cmnd": Problem.CMND, "passport": Problem.PASSPORT}


def _id_type(form) -> str:
    value = form.id_type.data
    return value if value in registration.ID_TYPES else "cccd"


class DeclarationForm(BoundedForm):
    """Mẫu 01: đăng ký giao dịch với cơ quan BHXH bằng phương thức điện tử (cá nhân)."""

    full_name = StringField(
        _l("Full name"),
        description=_l("As on your ID document, with diacritics"),
        filters=[_text],
        render_kw={"maxlength": registration.NAME_MAX},
        validators=[
            _at_most(registration.NAME_MAX),
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
        filters=[_no_spaces],
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
        filters=[_text],
        render_kw={"maxlength": registration.PLACE_MAX},
        validators=[
            _at_most(registration.PLACE_MAX),
            Checked(
                lambda f, v: registration.check_free_text(v, registration.PLACE_MAX),
                _l("Enter where your ID document was issued"),
            ),
        ],
    )
    address = StringField(
        _l("Contact address"),
        description=_l("House number, street, ward or commune, province"),
        filters=[_text],
        render_kw={"maxlength": registration.ADDRESS_MAX},
        validators=[
            _at_most(registration.ADDRESS_MAX),
            Checked(
                lambda f, v: registration.check_free_text(v, registration.ADDRESS_MAX),
                _l("Enter your contact address"),
            ),
        ],
    )
    phone = StringField(
        _l("Mobile phone"),
        description=_l("Your dossier number and, once approved, your password are sent here"),
        filters=[_phone],
        render_kw={"maxlength": 15},
        validators=[
            MaxLength(CODE_MAX, PROBLEM_MESSAGES[Problem.MOBILE]),
            Checked(lambda f, v: registration.check_mobile(v), _l("Enter your mobile number")),
        ],
    )
    email = StringField(
        _l("Email (optional)"),
        description=_l("The notice of the decision is also sent here"),
        filters=[_no_spaces],
        render_kw={"maxlength": registration.EMAIL_MAX},
        validators=[
            _at_most(registration.EMAIL_MAX),
            Checked(lambda f, v: registration.check_email(v), None),
        ],
    )
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
    photo = FileField(
        _l("Photo of your ID document"),
        description=_l("A photo or scan of the front of the document: JPEG, PNG or PDF, 5 MB"),
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


class ChangeInfoForm(BoundedForm):
    """Yêu cầu thay đổi thông tin: the phone, email and address an officer will confirm."""

    phone = StringField(
        _l("Mobile phone"),
        description=_l("OTP codes are sent to this number once the change is confirmed"),
        filters=[_phone],
        render_kw={"maxlength": 15},
        validators=[
            MaxLength(CODE_MAX, PROBLEM_MESSAGES[Problem.MOBILE]),
            Checked(lambda f, v: registration.check_mobile(v), _l("Enter your mobile number")),
        ],
    )
    email = StringField(
        _l("Email (optional)"),
        filters=[_no_spaces],
        render_kw={"maxlength": registration.EMAIL_MAX},
        validators=[
            _at_most(registration.EMAIL_MAX),
            Checked(lambda f, v: registration.check_email(v), None),
        ],
    )
    address = StringField(
        _l("Contact address"),
        filters=[_text],
        render_kw={"maxlength": registration.ADDRESS_MAX},
        validators=[
            _at_most(registration.ADDRESS_MAX),
            Checked(
                lambda f, v: registration.check_free_text(v, registration.ADDRESS_MAX),
                _l("Enter your contact address"),
            ),
        ],
    )
