"""SMS and email texts: rendered from templates in the recipient's language, each SMS within its
budget (as sent, without diacritics; and with them, as a gateway keeping them would send it),
with the longest realistic values, and no doubled punctuation around an officer's reason."""

from __future__ import annotations

import re

import pytest

from webapp.services import outgoing

# The longest values each placeholder takes in real life.
LONGEST = {
    "code": "0123456789",  # a BHXH code (10 digits); an OTP is 6
    "password": "Ab3dEf9hJk",  # review.FIRST_PASSWORD_LENGTH
    "number": "HS2026-000124",  # a dossier number; a feedback number is PA261125483920
    "account": "01*****789",
    "phone": "098****111",
    "hotline": "1900 9068",
    "when": "31/12/2026 23:59",
    "deadline": "31/12/2026",
    "name": "Nguyễn Thị Phương Thảo Hoàng Ngọc Bích Trâm",
    "reason": (
        "Ảnh chụp giấy tờ tùy thân bị mờ, không đọc được số định danh cá nhân và ngày cấp; "
        "thông tin họ tên trên tờ khai không khớp với cơ sở dữ liệu quốc gia về dân cư, đề nghị "
        "kiểm tra lại và chụp ảnh rõ nét cả hai mặt của căn cước công dân trước khi nộp lại hồ "
        "sơ tại cơ quan BHXH nơi gần nhất. " * 2
    ).strip(),
}
FEEDBACK_NUMBER = "PA261125483920"
PLACEHOLDERS = {
    "otp_new_device": ("code",),
    "otp_change_password": ("code",),
    "otp_add_passkey": ("code",),
    "otp_delegation": ("code",),
    "passkeys_removed": ("hotline",),
    "otp_find_code": ("code",),
    "otp_reset_password": ("code",),
    "first_password_resent": ("code", "password"),
    "password_reset": ("when", "hotline"),
    "password_changed": ("when", "hotline"),
    "registration_declared": ("number", "deadline"),
    "change_requested": ("number",),
    "dossier_approved": ("number", "account", "password"),
    "dossier_rejected": ("number", "reason"),
    "change_applied": ("number",),
    "phone_moved": ("account", "phone", "number", "hotline"),
    "feedback_received": ("number",),
    "feedback_answered": ("number",),
}
DOUBLED = re.compile(r"\.\.|\s[.,;:!?]|[.,;:!?]{2}")


def values_for(name: str) -> dict:
    values = {key: LONGEST[key] for key in PLACEHOLDERS[name]}
    if name.startswith("feedback"):
        values["number"] = FEEDBACK_NUMBER
    if name.startswith("otp"):
        values["code"] = "123456"
    return values


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def test_every_sms_template_has_a_budget_and_a_test():
    assert set(outgoing.SMS_BUDGETS) == set(PLACEHOLDERS)


@pytest.mark.parametrize("locale", outgoing.LOCALES)
@pytest.mark.parametrize("name", sorted(PLACEHOLDERS))
def test_sms_keeps_within_its_budget_with_the_longest_values(ctx, name, locale):
    budget = outgoing.SMS_BUDGETS[name]
    sent = outgoing.sms(name, locale, **values_for(name))
    assert outgoing.gsm7_length(sent) is not None, sent  # plain GSM-7 letters only
    assert outgoing.sms_parts(sent) <= budget.parts, (len(sent), sent)
    accented = outgoing.sms(name, locale, plain=False, **values_for(name))
    assert outgoing.sms_parts(accented) <= budget.accented_parts, (len(accented), accented)
    for text in (sent, accented):
        assert "\n" not in text and "  " not in text
        assert text.startswith("VssID: ")
        assert not DOUBLED.search(text), text
        assert "{" not in text and "%(" not in text


@pytest.mark.parametrize("name", sorted(PLACEHOLDERS))
def test_sms_is_in_the_recipients_language(ctx, name):
    values = values_for(name)
    if "reason" in values:
        values["reason"] = "Photo blurred."
    vietnamese = outgoing.sms(name, "vi", **values)
    english = outgoing.sms(name, "en", **values)
    assert vietnamese != english
    for value in values.values():
        assert outgoing.plain_letters(value) in vietnamese
        assert outgoing.plain_letters(value) in english
    vietnamese_words = {"cua", "duoc", "ban", "khong", "so", "tai", "da", "ma", "khau", "nhap"}
    assert vietnamese_words & set(re.findall(r"[a-z]+", vietnamese.lower()))
    assert not vietnamese_words & set(re.findall(r"[a-z]+", english.lower())), english


def test_vietnamese_sms_go_without_diacritics_as_before(ctx):
    assert outgoing.sms("otp_new_device", "vi", code="123456") == (
        "VssID: Ma OTP 123456 dung de DANG NHAP tai khoan VssID tren thiet bi moi, co hieu luc "
        "5 phut. Thiet bi cu se bi dang xuat. Khong cung cap ma nay cho bat ky ai."
    )
    assert outgoing.sms("otp_new_device", "en", code="123456") == (
        "VssID: OTP 123456 to SIGN IN to your VssID account on a new device, valid for 5 "
        "minutes. The other device will be signed out. Never share this code."
    )


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("Ảnh mờ.", "Anh mo."),
        ("Ảnh mờ", "Anh mo."),
        ("Ảnh mờ..", "Anh mo."),
        ("Ảnh mờ...", "Anh mo."),
        ("Ảnh mờ…", "Anh mo."),
        ("Ảnh mờ .", "Anh mo."),
        ("  Ảnh mờ ;  ", "Anh mo."),
        ("Ảnh mờ!", "Anh mo!"),
        ("Số CCCD có đúng không?", "So CCCD co dung khong?"),
        ("Ảnh mờ,\n thiếu chữ ký.", "Anh mo, thieu chu ky."),
    ],
)
@pytest.mark.parametrize("locale", outgoing.LOCALES)
def test_an_officers_reason_ends_with_one_stop(ctx, locale, reason, expected):
    text = outgoing.sms("dossier_rejected", locale, number="HS2026-000124", reason=reason)
    label = "Ly do" if locale == "vi" else "Reason"
    assert f"{label}: {expected} " in text, text
    assert not DOUBLED.search(text), text
    mail = outgoing.email(
        "dossier_rejected", locale, name="Lê Văn A", number="HS2026-000124", reason=reason
    )
    assert not DOUBLED.search(mail.body), mail.body
    assert mail.body.count(".") == mail.body.count(". ") + mail.body.count(".\n") + (
        mail.body.endswith(".")
    )


@pytest.mark.parametrize("locale", outgoing.LOCALES)
def test_a_long_reason_is_shortened_at_a_word_and_says_so(ctx, locale):
    reason = LONGEST["reason"]
    text = outgoing.sms("dossier_rejected", locale, number="HS2026-000124", reason=reason)
    assert outgoing.sms_parts(text) == outgoing.SMS_BUDGETS["dossier_rejected"].parts
    assert ("(rut gon)" if locale == "vi" else "(shortened)") in text
    kept = re.search(r"\): (.*?\.) (Vui long|Please)", text).group(1)
    assert outgoing.plain_letters(reason).startswith(kept[:-1].rstrip(",;"))
    mail = outgoing.email(
        "dossier_rejected", locale, name="Lê Văn A", number="HS2026-000124", reason=reason
    )
    assert reason in mail.body  # the email has it in full


def test_a_short_reason_is_not_said_to_be_shortened(ctx):
    text = outgoing.sms("dossier_rejected", "vi", number="HS2026-000124", reason="Ảnh mờ.")
    assert text == (
        "VssID: Ho so HS2026-000124 khong duoc chap nhan. Ly do: Anh mo. Vui long hoan chinh "
        "thong tin dang ky hoac lien he co quan BHXH noi gan nhat."
    )


@pytest.mark.parametrize("name", outgoing.EMAILS)
def test_emails_in_both_languages(ctx, name):
    values = {
        "code": "123456" if name == "otp_reset_password" else LONGEST["code"],
        "password": LONGEST["password"],
        "name": LONGEST["name"],
        "number": LONGEST["number"],
        "account": LONGEST["code"],
        "phone": LONGEST["phone"],
        "reason": "Ảnh mờ.",
    }
    vietnamese = outgoing.email(name, "vi", **values)
    english = outgoing.email(name, "en", **values)
    assert vietnamese.subject.startswith("VssID: ") and english.subject.startswith("VssID: ")
    assert vietnamese.subject != english.subject and vietnamese.body != english.body
    assert "\n" not in vietnamese.subject
    for mail in (vietnamese, english):
        assert not DOUBLED.search(mail.body), mail.body
        assert "\n\n\n" not in mail.body and not mail.body.startswith("\n")
        assert "%(" not in mail.body and "{" not in mail.body
    assert re.search(r"[ạảãàáâậầấẩẫăắằặẳẵêệềếểễôồốổỗộơờớởỡợưừứửữựđ]", vietnamese.body)
    if name.startswith("dossier") or name == "change_applied":
        assert vietnamese.body.startswith(f"Kính gửi {LONGEST['name']},\n\n")
        assert english.body.startswith(f"Dear {LONGEST['name']},\n\n")
        assert english.body.endswith("Vietnam Social Security")


def test_plain_letters_are_gsm7():
    text = outgoing.plain_letters("Đặng “Thị” Ánh – Hưng Yên… ĐẠI ♥ 😀")
    assert text == 'Dang "Thi" Anh - Hung Yen... DAI ? ?'
    assert outgoing.gsm7_length(text) == len(text)


def test_parts_count_gsm7_and_ucs2():
    assert outgoing.sms_parts("a" * 160) == 1
    assert outgoing.sms_parts("a" * 161) == 2
    assert outgoing.sms_parts("a" * 306) == 2
    assert outgoing.sms_parts("[" * 80) == 1  # extension characters take two septets
    assert outgoing.sms_parts("[" * 81) == 2
    assert outgoing.sms_parts("ạ" * 70) == 1
    assert outgoing.sms_parts("ạ" * 71) == 2
    assert outgoing.sms_parts("ạ" * 134) == 2


@pytest.mark.parametrize(
    ("account_locale", "fallback", "expected"),
    [
        (None, None, "vi"),
        ("en", None, "en"),
        (None, "en", "en"),
        ("vi", "en", "vi"),
        ("zh_Hans", None, "zh_Hans"),
        ("ko", "en", "ko"),
        (None, "ja", "ja"),
    ],
)
def test_recipient_locale(account_locale, fallback, expected):
    class Account:
        locale = account_locale

    assert outgoing.recipient_locale(Account(), fallback) == expected
    assert outgoing.recipient_locale(None, "fr") == "vi"


@pytest.mark.parametrize("locale", ["ko", "ja", "zh_Hans"])
@pytest.mark.parametrize("name", sorted(PLACEHOLDERS))
def test_an_sms_to_a_reader_of_another_script_is_in_english(ctx, name, locale):
    """GSM-7 cannot carry Korean, Japanese or Chinese: their readers' SMS are in English."""
    values = values_for(name)
    assert outgoing.sms(name, locale, **values) == outgoing.sms(name, "en", **values)


@pytest.mark.parametrize("locale", ["ko", "ja", "zh_Hans"])
def test_an_email_is_in_the_readers_own_language(ctx, locale):
    english = outgoing.email("dossier_approved", "en", name="Lê Văn A", number="HS2026-000124")
    mail = outgoing.email("dossier_approved", locale, name="Lê Văn A", number="HS2026-000124")
    assert mail.subject != english.subject and not mail.subject.isascii()
    assert "HS2026-000124" in mail.body and not any(
        line and line in mail.body for line in english.body.splitlines() if len(line) > 30
    )


# --- each sender, in the recipient's language --------------------------------------------------


def outbox(channel: str, recipient: str) -> list:
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.models import OutboxMessage

    db.session.expire_all()
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.channel == channel, OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id)
        )
    )


@pytest.fixture
def english_dossier(app):
    from tests import factories
    from webapp.extensions import db

    person = factories.person(account=False, full_name="Lê Thị Anh", bhxh_code="7912340001")
    dossier = factories.dossier(
        bhxh_code=person.bhxh_code,
        full_name="Lê Thị Anh",
        phone="0987000222",
        email="anh@example.com",
        locale="en",
    )
    db.session.commit()
    return dossier


def test_an_english_registration_is_approved_in_english(app, clock, english_dossier):
    from tests import factories
    from webapp.services import review
    from webapp.services.registry import DatabaseRegistry

    officer = factories.officer()
    review.approve(english_dossier.id, officer, DatabaseRegistry(), clock.now(), app.config)
    (sms,) = outbox("sms", "0987000222")
    assert re.fullmatch(
        rf"VssID: Application {english_dossier.number} is approved\. Account: 7912340001\. "
        r"Change the password at your first sign-in and never share it with anyone\. "
        r"Password: [A-Za-z0-9]{10}",
        sms.body,
    ), sms.body
    (mail,) = outbox("email", "anh@example.com")
    assert mail.subject == "VssID: Registration for electronic transactions with BHXH approved"
    assert mail.body.startswith("Dear Lê Thị Anh,")
    # the new account speaks the language the person registered in
    from webapp.extensions import db
    from webapp.models import Person

    assert db.session.get(Person, english_dossier.person_id).account.locale == "en"


def test_an_english_registration_is_refused_in_english_with_one_full_stop(
    app, clock, english_dossier
):
    from tests import factories
    from webapp.services import review

    review.reject(english_dossier.id, factories.officer(), "Ảnh mờ.", clock.now(), app.config)
    (sms,) = outbox("sms", "0987000222")
    assert sms.body == (
        f"VssID: Application {english_dossier.number} was not accepted. Reason: Anh mo. Please "
        "complete your registration or contact the nearest BHXH office."
    )
    (mail,) = outbox("email", "anh@example.com")
    assert "Reason: Ảnh mờ.\n" in mail.body and ".." not in mail.body


def test_a_vietnamese_or_older_dossier_is_answered_in_vietnamese(app, clock):
    from tests import factories
    from webapp.extensions import db
    from webapp.services import review

    dossier = factories.dossier(phone="0987000333")  # no language recorded: Vietnamese
    db.session.commit()
    review.reject(dossier.id, factories.officer(), "Thiếu chữ ký .", clock.now(), app.config)
    (sms,) = outbox("sms", "0987000333")
    assert "Ly do: Thieu chu ky. Vui long" in sms.body


def test_otps_of_an_english_account_are_in_english(app, clock):
    from tests import factories
    from webapp.extensions import db
    from webapp.services import password_change, sessions

    person = factories.person(phone="0912000444")
    person.account.locale = "en"
    db.session.commit()
    password_change.start(person.account, "phone-1", "Mat-khau-moi-2026", clock.now(), app.config)
    sessions.send_new_device_code(person.account, "phone-2", clock.now(), app.config)
    texts = [m.body for m in outbox("sms", "0912000444")]
    assert texts[0].startswith("VssID: OTP ") and "PASSWORD CHANGE" in texts[0]
    assert texts[1].startswith("VssID: OTP ") and "SIGN IN" in texts[1]


def test_feedback_sms_are_in_the_language_it_was_written_in(app, clock):
    from tests import factories
    from webapp.extensions import db
    from webapp.services import feedback

    item = feedback.submit_feedback(
        name="Anh Le",
        phone="0912000555",
        email=None,
        topic="app",
        body="The app does not open.",
        now=clock.now(),
        config=app.config,
        locale="en",
    )
    db.session.commit()
    assert item.locale == "en"
    feedback.answer_feedback(
        item, factories.officer(), "Please update it.", clock.now(), app.config
    )
    received, answered = (m.body for m in outbox("sms", "0912000555"))
    assert received.startswith(f"VssID: Feedback {item.tracking_number} received.")
    assert answered == (
        f"VssID: Feedback {item.tracking_number} has been answered. Read the answer under "
        "Support > Look up feedback."
    )
