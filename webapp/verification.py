"""The OTP step as people see it, the same in every flow that asks for a code sent by SMS or
email (new device, password change, recovery, the code finder): the messages that say why a
code did not work, the cooldown message, and one page (`verification/otp.html`).

The rules behind it are `services.otp`; each flow says what the code proves and what follows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import make_response, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Regexp

from webapp.extensions import db
from webapp.forms import BoundedForm, MaxLength, no_spaces
from webapp.security import no_store
from webapp.services import otp
from webapp.services.text import mask

CODE_MAX = 20  # 6 digits, spaced or not


class OtpForm(BoundedForm):
    """The code sent by SMS or email, 6 digits (spaces allowed)."""

    code = StringField(
        _l("OTP code"),
        description=_l("The 6 digits in the SMS we sent"),
        filters=[no_spaces],
        validators=[
            MaxLength(CODE_MAX, _l("The OTP code has exactly 6 digits")),
            DataRequired(_l("Enter the 6-digit OTP code")),
            Regexp(r"^\d{6}$", message=_l("The OTP code has exactly 6 digits")),
        ],
    )


MESSAGES = {
    otp.Check.EXPIRED: _l("This OTP code has expired. Ask for a new one."),
    otp.Check.VOID: _l("Too many wrong codes: this OTP code no longer works. Ask for a new one."),
    otp.Check.MISSING: _l("No OTP code was sent for this step. Ask for a new one."),
}


def cooldown_message(seconds: int) -> str:
    return _(
        "A code was sent a moment ago. You can ask for a new one in %(seconds)d seconds.",
        seconds=seconds,
    )


def sent_by_sms(phone: str | None) -> str:
    """What the page says was sent where, the phone partly hidden."""
    return _(
        "We sent a 6-digit OTP code by SMS to %(phone)s. It is valid for 5 minutes.",
        phone=mask(phone, 3, 3),
    )


def verdict_message(verdict: otp.Verdict) -> str:
    """What the field says after a code that did not work."""
    if verdict.result is otp.Check.WRONG:
        return _("The OTP code is not correct. %(num)d tries left.", num=verdict.tries_left)
    return str(MESSAGES[verdict.result])


@dataclass
class Step:
    """One posting of the OTP page: the form, the verdict (None until a well-formed code was
    checked) and the status the page answers with."""

    form: OtpForm
    verdict: otp.Verdict | None = None
    status: int = 200

    @property
    def ok(self) -> bool:
        return self.verdict is not None and self.verdict.result is otp.Check.OK


def submit(check: Callable[[str], otp.Verdict]) -> Step:
    """Read the OTP form; a well-formed code goes to `check`, and a code that did not work
    gets its message next to the field (status 400)."""
    step = Step(OtpForm())
    if not step.form.is_submitted():
        return step
    step.status = 400
    if step.form.validate():
        step.verdict = check(step.form.code.data)
        if not step.ok:
            step.form.code.errors.append(verdict_message(step.verdict))
    return step


def page(step: Step, heading: str, intro: list[str], links: list[tuple[str, str]]):
    """The page that asks for the code: heading, what was sent where, the form, and the links
    (ask for a new code first). Kept by no cache: it receives a one-time code."""
    body = render_template(
        "verification/otp.html", form=step.form, heading=heading, intro=intro, links=links
    )
    return no_store(make_response(body, step.status))


NO_PHONE = _l("No phone number is registered for your account: please contact your BHXH office.")


def sms_page(step: Step, heading: str, phone: str | None, resend_url: str):
    """The page that asks for the SMS code of one step, the phone shown partly hidden."""
    intro = sent_by_sms(phone)
    return page(
        step, heading, [intro], [(resend_url, _("Did not get the code? Ask for a new one"))]
    )


def send_code(form, account, send: Callable[[], otp.Issued]) -> int | None:
    """Send the SMS code of one of the citizen's own steps, once its form is valid: `send`
    issues it. None once it is sent; else the status (400: no phone on record, 429: wait), the
    reason among the form's errors. The send's claim is committed whatever happens next."""
    if not account.person.phone:
        form.form_errors.append(str(NO_PHONE))
        return 400
    issued = send()
    db.session.commit()
    if issued.challenge is None:
        form.form_errors.append(cooldown_message(issued.retry_after))
        return 429
    return None
