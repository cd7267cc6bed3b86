"""The officer's forms: sign-in, the queue's search ("Mở rộng"), the assessment, the photo,
news, answers to feedback and the FAQ."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import HiddenField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp, StopValidation

from webapp.forms import (
    PROBLEM_MESSAGES,
    BoundedForm,
    BoundedQueryForm,
    MaxLength,
    VietnameseDateField,
    short_name_field,
)
from webapp.labels import (
    ASSESSMENT_LABELS,
    FAQ_LINK_LABELS,
    FAQ_TOPICS,
    KIND_LABELS,
    STATE_LABELS,
)
from webapp.services import faq, registration, review
from webapp.services.passwords import MAX_LENGTH


def _strip_lower(value):
    return value.strip().lower() if isinstance(value, str) else value


def _no_spaces_upper(value):
    return "".join(value.split()).upper() if isinstance(value, str) else value


def _no_spaces(value):
    return "".join(value.split()) if isinstance(value, str) else value


def _collapse(value):
    return " ".join(value.split()) if isinstance(value, str) else value


class OfficerLoginForm(BoundedForm):
    username = StringField(
        _l("Username"),
        filters=[_strip_lower],
        render_kw={"maxlength": 40},
        validators=[
            DataRequired(_l("Enter your username")),
            Length(max=40, message=_l("A username has at most 40 characters")),
            Regexp(
                r"^[a-z0-9._-]+$",
                message=_l("A username has only letters, digits, dots, hyphens and underscores"),
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


def _choices(labels: dict, codes) -> list[SelectChoice]:
    return [SelectChoice("", _l("All"))] + [SelectChoice(code, labels[code]) for code in codes]


class OneOf:
    """The value is empty or one of `codes`; anything else is told, not ignored."""

    def __init__(self, codes, message) -> None:
        self.codes, self.message = codes, message

    def __call__(self, form, field) -> None:
        if field.data and field.data not in self.codes:
            raise StopValidation(str(self.message))


def _within_the_register(day) -> None:
    """No dossier was declared before 2000, nor will be after 2099 (and the day after
    31/12/9999, which "until" searches below, is no date at all)."""
    if day and day.year < 2000:
        raise StopValidation(str(_l("Choose a date from 2000 on")))
    if day and day.year > 2099:
        raise StopValidation(str(_l("Choose a date before 2100")))


class QueueFilterForm(BoundedQueryForm):
    """Mở rộng: the search of the queue. Read from the URL (GET), so it needs no CSRF token and
    a search can be bookmarked, shared and reloaded."""

    number = StringField(
        _l("Dossier number"),
        description=_l("All of it or a part, e.g. HS2026-000124, HS2026-0001 or 124"),
        filters=[_no_spaces_upper],
        render_kw={"maxlength": 20},
        validators=[MaxLength(20, _l("A dossier number looks like HS2026-000124"))],
    )
    bhxh_code = StringField(
        _l("BHXH code"),
        filters=[_no_spaces],
        render_kw={"maxlength": 10},
        validators=[MaxLength(20, PROBLEM_MESSAGES[registration.Problem.BHXH_CODE])],
    )
    date_from = VietnameseDateField(_l("Declared from"), description=_l("dd/mm/yyyy"))
    date_to = VietnameseDateField(_l("Declared until"), description=_l("dd/mm/yyyy"))
    assessment = SelectField(
        _l("Assessment"),
        choices=_choices(ASSESSMENT_LABELS, review.ASSESSMENTS),
        validate_choice=False,
        validators=[OneOf(review.ASSESSMENTS, _l("Choose an assessment from the list"))],
    )
    state = SelectField(
        _l("Status"),
        choices=_choices(STATE_LABELS, review.STATES),
        validate_choice=False,
        validators=[OneOf(review.STATES, _l("Choose a status from the list"))],
    )
    kind = SelectField(
        _l("Kind of dossier"),
        choices=_choices(KIND_LABELS, review.KINDS),
        validate_choice=False,
        validators=[OneOf(review.KINDS, _l("Choose a kind of dossier from the list"))],
    )

    def validate_number(self, field) -> None:
        if field.data and not review.is_number_part(field.data):
            raise StopValidation(
                str(_l("Type a dossier number or a part of it, like HS2026-000124 or 124"))
            )

    def validate_bhxh_code(self, field) -> None:
        if field.data and not registration.BHXH_CODE.fullmatch(field.data):
            raise StopValidation(str(PROBLEM_MESSAGES[registration.Problem.BHXH_CODE]))

    def validate_date_from(self, field) -> None:
        _within_the_register(field.data)

    def validate_date_to(self, field) -> None:
        _within_the_register(field.data)
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise StopValidation(str(_l("The end date must not be before the start date")))

    def search(self) -> review.QueueFilter:
        return review.QueueFilter(
            number=self.number.data or None,
            bhxh_code=self.bhxh_code.data or None,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            assessment=self.assessment.data or None,
            state=self.state.data or None,
            kind=self.kind.data or None,
        )


class AssessForm(BoundedForm):
    """Đánh giá hồ sơ: valid, or invalid with a reason."""

    assessment = RadioField(
        _l("Assessment of the dossier"),
        choices=[
            SelectChoice("valid", _l("Valid dossier")),
            SelectChoice("invalid", _l("Invalid dossier")),
        ],
        validate_choice=False,
    )
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Required when the dossier is invalid; sent to the person by SMS and email"),
        filters=[_collapse],
        render_kw={"maxlength": review.REASON_MAX, "rows": 3},
        validators=[
            MaxLength(review.REASON_MAX, _l("At most %(num)d characters", num=review.REASON_MAX))
        ],
    )
    back = HiddenField()

    def validate_assessment(self, field) -> None:
        if field.data not in ("valid", "invalid"):
            raise StopValidation(str(_l("Choose “Valid dossier” or “Invalid dossier”")))

    def validate_reason(self, field) -> None:
        if self.assessment.data != "invalid":
            return
        if not field.data:
            raise StopValidation(str(_l("Enter the reason the dossier is invalid")))
        problem = registration.check_free_text(field.data, review.REASON_MAX)
        if problem is registration.Problem.TOO_LONG:
            raise StopValidation(str(_l("At most %(num)d characters", num=review.REASON_MAX)))
        if problem is not None:
            raise StopValidation(str(PROBLEM_MESSAGES[problem]))


class PhotoForm(BoundedForm):
    """Thay ảnh: a new scan or photo of the ID document."""

    photo = FileField(
        _l("New photo or scan"),
        description=_l("JPEG, PNG or PDF, at most 5 MB"),
    )
    back = HiddenField()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.checked_photo: registration.Photo | None = None

    def validate_photo(self, field) -> None:
        storage = field.data
        if storage is None or not getattr(storage, "filename", None):
            raise StopValidation(str(_l("Choose the file of the new photo or scan")))
        limit = current_app.config["DOSSIER_PHOTO_MAX_BYTES"]
        checked = registration.sniff_photo(storage.stream.read(limit + 1), limit)
        if checked is registration.Problem.PHOTO_EMPTY:
            raise StopValidation(str(_l("Choose the file of the new photo or scan")))
        if isinstance(checked, registration.Problem):
            raise StopValidation(str(PROBLEM_MESSAGES[checked]))
        self.checked_photo = checked


class ConfirmForm(BoundedForm):
    """Xác nhận: the officer agrees to update the person's information."""

    back = HiddenField()


class PublishNewsForm(BoundedForm):
    """Đăng tin: Vietnamese title, summary and body; an English version is optional."""

    title_vi = StringField(
        _l("Title (Vietnamese)"),
        validators=[
            DataRequired(_l("Enter the title")),
            Length(max=200, message=_l("A title has at most 200 characters")),
        ],
    )
    summary_vi = TextAreaField(
        _l("Summary (Vietnamese)"),
        validators=[
            DataRequired(_l("Enter a short summary")),
            Length(max=1000, message=_l("A summary has at most 1000 characters")),
        ],
    )
    body_vi = TextAreaField(
        _l("Article (Vietnamese)"),
        validators=[
            DataRequired(_l("Enter the article")),
            Length(max=20000, message=_l("An article has at most 20000 characters")),
        ],
    )
    title_en = StringField(
        _l("Title (English, optional)"),
        validators=[Length(max=200, message=_l("A title has at most 200 characters"))],
    )
    body_en = TextAreaField(
        _l("Article (English, optional)"),
        validators=[Length(max=20000, message=_l("An article has at most 20000 characters"))],
    )


class AnswerFeedbackForm(BoundedForm):
    answer = TextAreaField(
        _l("Answer"),
        validators=[
            DataRequired(_l("Write the answer")),
            Length(max=4000, message=_l("An answer has at most 4000 characters")),
        ],
    )


class FaqEntryForm(BoundedForm):
    """Câu hỏi thường gặp: an admin adds or edits an entry; the Vietnamese question and answer
    are required, the English pair optional but whole, the page it links to chosen from the
    app's pages."""

    topic = SelectField(
        _l("Topic"),
        choices=[SelectChoice(code, label) for code, label in FAQ_TOPICS.items()],
        validate_choice=False,
        validators=[
            DataRequired(_l("Choose a topic from the list")),
            OneOf(faq.TOPICS, _l("Choose a topic from the list")),
        ],
    )
    question_vi = StringField(
        _l("Question (Vietnamese)"),
        filters=[_collapse],
        validators=[
            DataRequired(_l("Enter the question")),
            Length(max=faq.QUESTION_MAX, message=_l("A question has at most 500 characters")),
        ],
    )
    answer_vi = TextAreaField(
        _l("Answer (Vietnamese)"),
        validators=[
            DataRequired(_l("Enter the answer")),
            Length(max=faq.ANSWER_MAX, message=_l("An answer has at most 4000 characters")),
        ],
    )
    question_en = StringField(
        _l("Question (English, optional)"),
        filters=[_collapse],
        validators=[
            Length(max=faq.QUESTION_MAX, message=_l("A question has at most 500 characters"))
        ],
    )
    answer_en = TextAreaField(
        _l("Answer (English, optional)"),
        validators=[
            Length(max=faq.ANSWER_MAX, message=_l("An answer has at most 4000 characters"))
        ],
    )
    keywords = StringField(
        _l("Other words people use (optional)"),
        description=_l("Words the assistant should also recognise, separated by spaces"),
        filters=[_collapse],
        validators=[
            Length(max=faq.KEYWORDS_MAX, message=_l("At most %(num)d characters", num=500))
        ],
    )
    link = SelectField(
        _l("Page of the app it links to"),
        choices=[SelectChoice("", _l("No page"))]
        + [SelectChoice(code, label) for code, label in FAQ_LINK_LABELS.items()],
        validate_choice=False,
        validators=[OneOf(tuple(faq.LINKS), _l("Choose a page from the list"))],
    )
    visibility = SelectField(
        _l("Shown to readers"),
        choices=[
            SelectChoice("shown", _l("Shown in the FAQ and used by the assistant")),
            SelectChoice("hidden", _l("Hidden")),
        ],
        validate_choice=False,
        validators=[OneOf(("shown", "hidden"), _l("Choose shown or hidden"))],
    )

    def validate_answer_vi(self, field) -> None:
        if field.data and not field.data.strip():
            raise StopValidation(str(_l("Enter the answer")))

    def validate_answer_en(self, field) -> None:
        if (self.question_en.data or "").strip() and not (field.data or "").strip():
            raise StopValidation(str(_l("Write the English answer too, or leave both empty")))

    def validate_question_en(self, field) -> None:
        if (self.answer_en.data or "").strip() and not (field.data or "").strip():
            raise StopValidation(str(_l("Write the English question too, or leave both empty")))

    def text(self) -> faq.FaqText:
        return faq.FaqText(
            topic=self.topic.data,
            question_vi=self.question_vi.data,
            answer_vi=self.answer_vi.data,
            question_en=self.question_en.data or None,
            answer_en=self.answer_en.data or None,
            keywords=self.keywords.data or None,
            link=self.link.data or None,
            hidden=self.visibility.data == "hidden",
        )


class AccountPasskeysForm(BoundedForm):
    """An admin finds a citizen's account by BHXH code, to revoke its passkeys."""

    bhxh_code = StringField(
        _l("BHXH code"),
        filters=[_no_spaces],
        render_kw={"maxlength": 10, "inputmode": "numeric"},
        validators=[
            MaxLength(20, PROBLEM_MESSAGES[registration.Problem.BHXH_CODE]),
            DataRequired(_l("Enter the BHXH code of the account")),
            Regexp(r"^\d{10}$", message=PROBLEM_MESSAGES[registration.Problem.BHXH_CODE]),
        ],
    )
    action = HiddenField()


class OfficerPasskeyForm(BoundedForm):
    """An officer adds a passkey: its name, and the password typed again."""

    device_name = short_name_field(
        _l("Name of this device"),
        _l("How the list will show it, e.g. “My work phone”"),
        _l("Name this device"),
    )
    password = PasswordField(
        _l("Current password"),
        validators=[
            MaxLength(MAX_LENGTH, _l("A password has at most 128 characters")),
            DataRequired(_l("Enter your current password")),
        ],
    )


class ApiKeyForm(BoundedForm):
    """An admin creates a card-check API key for a health facility."""

    facility_code = StringField(
        _l("Facility code"),
        description=_l("5 digits: the province's 2 and the facility's 3, e.g. 01101"),
        filters=[_no_spaces],
        render_kw={"maxlength": 5, "inputmode": "numeric"},
        validators=[
            MaxLength(20, _l("A facility code has 5 digits")),
            DataRequired(_l("Enter the facility's code")),
            Regexp(r"^[0-9]{5}$", message=_l("A facility code has 5 digits")),
        ],
    )
    label = short_name_field(
        _l("What the key is for"),
        _l("e.g. “Reception desk software”"),
        _l("Say what the key is for"),
    )
