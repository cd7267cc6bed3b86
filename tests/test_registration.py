"""R1–R4: "Đăng ký ngay", form 01 checked field by field, "Ghi nhận" with a dossier number and
an SMS, the print-ready form, the 10-day expiry, one declaration per code; and the signed-in
citizen's request to change phone, email or address."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests import factories
from tests.conftest import check_page
from tests.test_security import csrf, post_form, sms_to
from webapp.extensions import db
from webapp.models import AuditEvent, OutboxMessage, Person, RegistrationDossier
from webapp.services import registration

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
FORM = "/dang-ky/ca-nhan"


@pytest.fixture(autouse=True)
def uploads(app, tmp_path) -> Path:
    """Photos go to a folder of the test's own (the instance folder in production)."""
    folder = tmp_path / "uploads"
    app.config["DOSSIER_UPLOAD_FOLDER"] = str(folder)
    return folder


@pytest.fixture
def office(app):
    found = factories.office(
        province_code="79", name="BHXH cơ sở Quận 1", address="117 Nguyễn Du, phường Bến Thành"
    )
    factories.office(province_code="01", name="BHXH cơ sở Hoàn Kiếm")
    db.session.commit()
    return found


def valid_form(office, **changes) -> dict:
    data = {
        "full_name": "Phạm Thị Mai",
        "date_of_birth": "17/05/1990",
        "gender": "2",
        "nationality": "VN",
        "bhxh_code": "7912345678",
        "id_type": "cccd",
        "id_number": "079190012345",
        "id_issued_on": "01/06/2021",
        "id_issued_place": "Cục Cảnh sát QLHC về TTXH",
        "address": "12 Lê Lợi, phường Bến Thành, TP Hồ Chí Minh",
        "phone": "+84 912 345 678",
        "email": "mai@example.com",
        "province": "79",
        "office_id": str(office.id),
        "photo": (io.BytesIO(PNG), "cccd-mat-truoc.png"),
    }
    data.update(changes)
    return data


def csrf_token(client) -> str:
    return client.page(FORM).find("input", attrs={"name": "csrf_token"})["value"]


def declare(client, office, **changes):
    data = valid_form(office, **changes)
    if isinstance(data.get("photo"), bytes):
        data["photo"] = (io.BytesIO(data["photo"]), "photo.bin")
    data["csrf_token"] = csrf_token(client)
    data = {key: value for key, value in data.items() if value is not None}
    return client.post(FORM, data=data, content_type="multipart/form-data")


def dossiers() -> list[RegistrationDossier]:
    db.session.expire_all()
    return list(db.session.scalars(select(RegistrationDossier).order_by(RegistrationDossier.id)))


# --- Đăng ký ngay → Cá nhân → form 01 -------------------------------------------------------------


def test_the_login_page_leads_to_registration_for_individuals(client, office):
    soup = client.page("/login")
    link = soup.find("a", string="Đăng ký ngay")
    assert link["href"] == "/dang-ky/"
    soup = client.page(link["href"])
    assert soup.h1.get_text() == "Đăng ký sử dụng VssID"
    assert soup.find("label", attrs={"for": "who-individual"}).get_text() == "Cá nhân"
    form = soup.select_one("main form")
    assert form["action"] == FORM and form.button.get_text() == "Tiếp"
    soup = client.page(FORM)
    assert soup.h1.get_text() == "Tờ khai mẫu 01"
    labels = [label.get_text() for label in soup.select("main form label")]
    for expected in [
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Quốc tịch",
        "Mã số BHXH",
        "Giấy tờ tùy thân",
        "Số giấy tờ tùy thân",
        "Ngày cấp",
        "Nơi cấp",
        "Địa chỉ liên hệ",
        "Số điện thoại di động",
        "Email (không bắt buộc)",
        "Cơ quan BHXH nơi nộp tờ khai",
        "Ảnh giấy tờ tùy thân",
    ]:
        assert expected in labels, expected
    assert soup.select_one("main form button[type=submit]").get_text() == "Ghi nhận"
    assert soup.select_one("main form")["enctype"] == "multipart/form-data"


def test_ghi_nhan_records_the_dossier_texts_its_number_and_shows_form_01(
    client, office, uploads, clock
):
    response = declare(client, office)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dang-ky/ca-nhan/to-khai"
    (dossier,) = dossiers()
    assert dossier.number == "HS2026-000001"
    assert (dossier.kind, dossier.state, dossier.assessment) == ("register", "declared", "pending")
    assert dossier.phone == "0912345678"  # +84 form stored as the 10 digits texted
    assert dossier.id_number == "079190012345" and dossier.full_name == "Phạm Thị Mai"
    assert registration.deadline(clock.now()) == dossier.deadline_at.replace(tzinfo=dt.UTC)

    # the photo is kept under the instance folder, by a random name, never the one sent
    stored = list(uploads.iterdir())
    assert [p.read_bytes() for p in stored] == [PNG]
    assert dossier.photo_path == stored[0].name and "cccd" not in dossier.photo_path
    assert dossier.photo_type == "image/png"

    (sms,) = sms_to("0912345678")
    assert sms.body == (
        "VssID: Da ghi nhan to khai dang ky giao dich dien tu so HS2026-000001. Vui long in, ky "
        "va nop to khai mau 01 tai co quan BHXH da chon truoc ngay 05/12/2026; qua han, to khai "
        "se tu dong bi xoa."
    )

    soup = client.page(response.headers["Location"])
    assert soup.h1.get_text() == "Đã ghi nhận tờ khai"
    assert soup.select_one(".dossier-number").get_text() == "HS2026-000001"
    text = " ".join(soup.get_text(" ").split())
    assert "091****678" in text
    form01 = soup.select_one("article.form01")
    assert form01["lang"] == "vi"
    printed = " ".join(form01.get_text(" ").split())
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Mẫu số 01",
        "Kính gửi: BHXH cơ sở Quận 1",
        "HS2026-000001",
        "Phạm Thị Mai",
        "17/05/1990",
        "7912345678",
        "079190012345",
        "0912345678",
        "117 Nguyễn Du, phường Bến Thành",  # the office's address
        "05/12/2026",  # the deadline: 10 days
        "(Ký, ghi rõ họ tên)",
        "ngày ……… tháng ……… năm",
    ]:
        assert expected in printed, expected
    assert soup.select_one("[data-print]") is not None
    assert client.get("/static/js/registration.js").status_code == 200
    css = client.get("/static/css/registration.css").get_data(as_text=True)
    assert "@page { size: A4" in css and "@media print" in css
    events = db.session.scalars(select(AuditEvent.event).where(AuditEvent.subject_id == dossier.id))
    assert list(events) == ["dossier_declared"]


def test_form_01_prints_in_vietnamese_when_the_screen_is_in_english(client, office):
    client.set_cookie("lang", "en")
    declare(client, office)
    soup = client.page("/dang-ky/ca-nhan/to-khai")
    assert soup.h1.get_text() == "Declaration recorded"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in soup.select_one("article.form01").get_text()


def test_a_declaration_in_english_is_texted_in_english_and_keeps_its_language(client, office):
    """The SMS goes in the language of the form, which the dossier keeps for the decision."""
    client.set_cookie("lang", "en")
    declare(client, office)
    (dossier,) = dossiers()
    assert dossier.locale == "en"
    (sms,) = sms_to("0912345678")
    assert sms.body == (
        "VssID: Registration form HS2026-000001 for electronic transactions is recorded. Print "
        "it, sign it and hand in form 01 at the BHXH office you chose by 05/12/2026; after that "
        "date it is deleted."
    )


def test_dossier_numbers_count_per_year(app, clock):
    factories.dossier(number="HS2026-000123")
    factories.dossier(number="HS2025-000999")
    db.session.commit()
    assert registration.next_number(2026) == "HS2026-000124"
    assert registration.next_number(2027) == "HS2027-000001"


def test_the_declared_form_is_only_for_the_browser_that_declared(app, client, office):
    declare(client, office)
    assert client.get("/dang-ky/ca-nhan/to-khai").status_code == 200
    stranger = app.test_client()
    assert stranger.get("/dang-ky/ca-nhan/to-khai").status_code == 404
    # the dossier number alone opens nothing on the citizen side
    assert stranger.get("/dang-ky/ca-nhan/to-khai?id=1").status_code == 404


# --- checked field by field -----------------------------------------------------------------------

LONG = "x" * 5000
HOSTILE = "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "", "Nhập họ và tên"),
        ("full_name", "Mai 123", "Viết họ và tên chỉ bằng chữ cái"),
        ("full_name", HOSTILE, "Viết họ và tên chỉ bằng chữ cái"),
        ("full_name", "Ạ" * 121, "Tối đa 120 ký tự"),
        ("date_of_birth", "", "Nhập ngày sinh"),
        ("date_of_birth", "17/05/2090", "Ngày sinh không thể ở tương lai"),
        ("date_of_birth", "31/12/1899", "Ngày sinh phải sau 01/01/1900"),
        # dd/mm/yyyy whatever the browser's language: no ISO, no month first, no such day
        ("date_of_birth", "1990-05-17", "Nhập ngày theo dạng dd/mm/yyyy"),
        ("date_of_birth", "5/17/1990", "Không có ngày này: kiểm tra lại ngày (1 đến 31) và tháng"),
        ("date_of_birth", "31/02/1990", "Không có ngày này"),
        ("date_of_birth", "17/05/90", "Nhập ngày theo dạng dd/mm/yyyy"),
        ("date_of_birth", "١٧/٠٥/١٩٩٠", "Nhập ngày theo dạng dd/mm/yyyy"),
        ("date_of_birth", "<script>alert(1)</script>", "Nhập ngày theo dạng dd/mm/yyyy"),
        ("date_of_birth", "hôm qua", "Nhập ngày theo dạng dd/mm/yyyy"),
        ("date_of_birth", LONG, "Nhập ngày theo dạng dd/mm/yyyy"),
        ("gender", "", "Chọn nam hoặc nữ"),
        ("gender", "3", "Chọn nam hoặc nữ"),
        ("nationality", "ZZ", "Chọn quốc tịch"),
        ("bhxh_code", "", "Nhập mã số BHXH"),
        ("bhxh_code", "12345", "Mã số BHXH gồm đúng 10 chữ số"),
        ("bhxh_code", "79123456789", "Mã số BHXH gồm đúng 10 chữ số"),
        ("bhxh_code", "7912345678' OR '1'='1", "Mã số BHXH gồm đúng 10 chữ số"),
        ("bhxh_code", LONG, "Mã số BHXH gồm đúng 10 chữ số"),
        ("id_type", HOSTILE, "Chọn CCCD, CMND hoặc hộ chiếu"),
        ("id_number", "", "Nhập số giấy tờ tùy thân"),
        ("id_number", "07919001234", "Số CCCD gồm đúng 12 chữ số"),
        ("id_number", "999190012345", "3 chữ số đầu của số CCCD là mã tỉnh"),
        ("id_number", HOSTILE, "Số CCCD gồm đúng 12 chữ số"),
        ("id_issued_on", "", "Nhập ngày cấp giấy tờ tùy thân"),
        ("id_issued_on", "01/12/2026", "Ngày cấp không thể ở tương lai"),
        ("id_issued_on", "01/01/1989", "Ngày cấp phải sau ngày sinh"),
        ("id_issued_on", "2021-06-01", "Nhập ngày theo dạng dd/mm/yyyy"),
        ("id_issued_on", "29/02/2021", "Không có ngày này"),
        ("id_issued_place", "", "Nhập nơi cấp giấy tờ tùy thân"),
        ("id_issued_place", LONG, "Tối đa 120 ký tự"),
        ("id_issued_place", HOSTILE, "Bỏ các ký tự < > { }"),
        ("address", "", "Nhập địa chỉ liên hệ"),
        ("address", LONG, "Tối đa 255 ký tự"),
        ("address", HOSTILE, "Bỏ các ký tự < > { }"),
        ("phone", "", "Nhập số điện thoại di động"),
        ("phone", "0241234567", "Nhập số di động Việt Nam"),
        ("phone", "091234567", "Nhập số di động Việt Nam"),
        ("phone", LONG, "Nhập số di động Việt Nam"),
        ("phone", HOSTILE, "Nhập số di động Việt Nam"),
        ("email", "mai@", "Nhập địa chỉ email dạng"),
        ("email", f"{HOSTILE}@x.vn", "Nhập địa chỉ email dạng"),
        ("email", "a" * 250 + "@x.vn", "Tối đa 254 ký tự"),
        ("office_id", "", "Chọn cơ quan BHXH nơi bạn sẽ nộp tờ khai"),
        ("office_id", "999999", "Chọn cơ quan BHXH nơi bạn sẽ nộp tờ khai"),
        ("office_id", HOSTILE, "Chọn cơ quan BHXH nơi bạn sẽ nộp tờ khai"),
        ("photo", None, "Đính kèm ảnh chụp hoặc bản quét giấy tờ tùy thân"),
        ("photo", b"", "Đính kèm ảnh chụp hoặc bản quét giấy tờ tùy thân"),
        ("photo", b"<html><script>alert(1)</script></html>", "Tệp phải là ảnh JPEG, PNG"),
        ("photo", b"MZ\x90\x00 an .exe", "Tệp phải là ảnh JPEG, PNG"),
        ("photo", b"GIF89a......", "Tệp phải là ảnh JPEG, PNG"),
    ],
)
def test_form_01_refuses_each_bad_value_next_to_its_field(client, office, field, value, message):
    response = declare(client, office, **{field: value})
    assert response.status_code == 400
    soup = check_page(response)
    assert soup.title.get_text().startswith("Lỗi: ")
    error = soup.select_one(f"#{field}-error")
    assert error is not None, soup.select(".error-message")
    assert message in error.get_text(), error.get_text()
    assert soup.select_one(f".error-summary a[href='#{field}']") is not None
    described = soup.select_one(f"#{field}")["aria-describedby"]
    assert f"{field}-error" in described
    assert "<script>alert" not in response.get_data(as_text=True)
    assert dossiers() == [] and sms_to("0912345678") == []


def test_after_a_mistake_the_photo_is_asked_for_again(client, office):
    response = declare(client, office, phone="0123")
    assert response.status_code == 400
    soup = check_page(response)
    assert "Hãy đính kèm lại ảnh" in soup.select_one("#photo-error").get_text()


@pytest.mark.parametrize(
    ("id_type", "number", "stored"),
    [("cccd", "079 190 012 345", "079190012345"), ("cmnd", "025123456", "025123456")]
    + [("passport", "c1234567", "C1234567")],
)
def test_each_id_document_has_its_own_number_shape(client, office, id_type, number, stored):
    assert declare(client, office, id_type=id_type, id_number=number).status_code == 302
    assert dossiers()[0].id_number == stored


@pytest.mark.parametrize(
    ("id_type", "number", "message"),
    [
        ("cmnd", "079190012345", "Số CMND gồm đúng 9 chữ số"),
        ("passport", "12345678", "Số hộ chiếu gồm 1 chữ cái và 7 chữ số"),
    ],
)
def test_the_id_number_is_checked_against_the_chosen_document(
    client, office, id_type, number, message
):
    response = declare(client, office, id_type=id_type, id_number=number)
    assert response.status_code == 400
    assert message in check_page(response).select_one("#id_number-error").get_text()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [(n, d, "image/jpeg") for n, d in [("scan.jpg", JPEG)]]
    + [("cccd.exe", PNG, "image/png"), ("cccd.txt", PDF, "application/pdf")],
)
def test_the_photo_is_judged_by_its_content_not_its_name(client, office, name, data, expected):
    response = declare(client, office, photo=(io.BytesIO(data), name))
    assert response.status_code == 302
    assert dossiers()[0].photo_type == expected


def test_the_photo_has_a_size_limit(app, client, office):
    app.config["DOSSIER_PHOTO_MAX_BYTES"] = 1000
    response = declare(client, office, photo=PNG + b"\x00" * 1000)
    assert response.status_code == 400
    assert "lớn hơn 5 MB" in check_page(response).select_one("#photo-error").get_text()
    app.config["MAX_CONTENT_LENGTH"] = 2000  # and the request as a whole
    response = declare(client, office, photo=PNG + b"\x00" * 5000)
    assert response.status_code == 413
    assert dossiers() == []


def test_without_csrf_token_nothing_is_declared(client, office):
    data = valid_form(office)
    assert client.post(FORM, data=data, content_type="multipart/form-data").status_code == 400
    assert dossiers() == []


# --- inline checks (HTMX) -------------------------------------------------------------------------


def inline(client, office, name: str, **changes):
    data = valid_form(office, **changes)
    data.pop("photo")
    data["csrf_token"] = csrf_token(client)
    return client.post(FORM, data=data, headers={"HX-Request": "true", "HX-Trigger-Name": name})


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("bhxh_code", "12", "Mã số BHXH gồm đúng 10 chữ số"),
        ("phone", "0123", "Nhập số di động Việt Nam"),
        ("id_issued_on", "01/01/1980", "Ngày cấp phải sau ngày sinh"),
        ("full_name", HOSTILE, "Viết họ và tên chỉ bằng chữ cái"),
    ],
)
def test_a_field_is_checked_as_the_person_leaves_it(client, office, name, value, message):
    response = inline(client, office, name, **{name: value})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "<html" not in body and "<form" not in body
    assert body.count('class="field') == 1 and f'id="{name}-field"' in body
    assert message in body and "<script>alert" not in body
    assert dossiers() == []  # a check stores nothing and texts nobody
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_a_good_value_comes_back_without_error_and_keeps_its_live_check(client, office):
    body = inline(client, office, "bhxh_code").get_data(as_text=True)
    assert "error-message" not in body
    assert 'hx-post="/dang-ky/ca-nhan"' in body and 'hx-target="closest .field"' in body


def test_the_province_narrows_the_offices(client, office):
    soup = client.page(FORM)
    assert {g["label"] for g in soup.select("#office_id optgroup")} >= {"Hồ Chí Minh", "Hà Nội"}
    province = soup.select_one("#province")
    assert province["hx-get"] == FORM and province["hx-target"] == "#office_id-field"
    response = client.htmx(f"{FORM}?province=79")
    body = response.get_data(as_text=True)
    assert "<html" not in body and "BHXH cơ sở Quận 1" in body
    assert "Hoàn Kiếm" not in body
    assert "HX-Request" in response.headers["Vary"]
    # the same URL without HTMX is the whole form with the province chosen
    soup = client.page(f"{FORM}?province=79")
    assert soup.select_one("#province option[selected]")["value"] == "79"


# --- one declaration per code ---------------------------------------------------------------------


def test_a_second_declaration_while_one_waits_is_refused_with_what_to_do(app, client, office):
    assert declare(client, office).status_code == 302
    again = app.test_client()
    response = declare(again, office, phone="0987654321")
    assert response.status_code == 409
    soup = check_page(response)
    message = soup.select_one("#bhxh_code-error").get_text()
    assert "đang chờ nộp" in message and "05/12/2026" in message
    assert "mang tờ khai mẫu 01 đã in và ký" in message
    assert len(dossiers()) == 1 and sms_to("0987654321") == []


def test_a_code_that_already_has_an_account_is_told_to_sign_in(client, office):
    factories.person(bhxh_code="7912345678", cccd="079190099999")
    db.session.commit()
    response = declare(client, office)
    assert response.status_code == 409
    soup = check_page(response)
    assert "đã có tài khoản" in soup.select_one("#bhxh_code-error").get_text()
    assert "Quên mật khẩu" in soup.select_one("#bhxh_code-error").get_text()
    assert soup.select_one("main .warning-panel a")["href"] == "/login"
    assert dossiers() == []


def test_a_refused_or_expired_declaration_does_not_block_a_new_one(client, office, clock):
    factories.dossier(bhxh_code="7912345678", state="rejected", assessment="invalid")
    factories.dossier(
        bhxh_code="7912345678",
        declared_at=clock.now() - dt.timedelta(days=11),
    )
    db.session.commit()
    assert declare(client, office).status_code == 302


def test_the_database_holds_one_open_dossier_per_code_and_kind(app):
    factories.dossier(bhxh_code="7912345678")
    factories.dossier(bhxh_code="7912345678", state="rejected", assessment="invalid")
    factories.dossier(bhxh_code="7912345678", state="no_code", assessment="valid")
    factories.dossier(bhxh_code="7912345678", kind="change_info")  # another kind
    db.session.commit()
    with pytest.raises(IntegrityError):
        factories.dossier(bhxh_code="7912345678")
    db.session.rollback()
    with pytest.raises(IntegrityError):
        factories.dossier(bhxh_code="7912345678", kind="change_info")
    db.session.rollback()
    assert len(dossiers()) == 4


def test_the_later_of_two_declarations_at_once_gets_the_same_refusal(
    app, client, office, uploads, monkeypatch
):
    """The other declaration is recorded between this one's check and its insert (as under
    parallel requests): the database refuses it, and the declarant is told as if it came
    later. Its photo is not kept, nothing is texted."""
    first = app.test_client()
    assert declare(first, office).status_code == 302
    seen_free = {"checks": 0}
    real = registration.duplicate

    def checked_before_the_other_was_recorded(code, now):
        seen_free["checks"] += 1
        # the page's check and the service's see none; the one after the refused insert does
        return (None, None) if seen_free["checks"] <= 2 else real(code, now)

    monkeypatch.setattr(registration, "duplicate", checked_before_the_other_was_recorded)
    response = declare(client, office, phone="0987654321")
    assert response.status_code == 409
    message = check_page(response).select_one("#bhxh_code-error").get_text()
    assert "đang chờ nộp" in message and "05/12/2026" in message
    assert len(dossiers()) == 1 and sms_to("0987654321") == []
    assert len(list(uploads.iterdir())) == 1  # the first declaration's photo only
    assert seen_free["checks"] == 3


def test_an_expired_declaration_gives_way_to_a_new_one_at_once(client, office, clock, uploads):
    uploads.mkdir()
    (uploads / "cu.png").write_bytes(PNG)
    expired = factories.dossier(
        bhxh_code="7912345678",
        declared_at=clock.now() - dt.timedelta(days=11),
        photo_path="cu.png",
    )
    db.session.commit()
    expired_id, expired_number = expired.id, expired.number
    assert declare(client, office).status_code == 302
    assert [d.number for d in dossiers()] == ["HS2026-000001"] != [expired_number]
    assert not (uploads / "cu.png").exists()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "dossier_expired"))
    assert event.subject_id == expired_id


def test_declarations_are_throttled_per_address(app, client, office):
    app.config["REGISTRATION_LIMIT_PER_IP"] = "2 per hour"
    codes = ["7912345671", "7912345672", "7912345673"]
    statuses = [declare(client, office, bhxh_code=code).status_code for code in codes]
    assert statuses == [302, 302, 429]
    assert len(dossiers()) == 2


# --- not handed in within 10 days -----------------------------------------------------------------


def test_expired_declarations_are_deleted_by_the_command_and_nothing_else(
    app, client, office, clock, uploads
):
    declare(client, office)  # declared now, with a photo
    fresh_id = dossiers()[0].id
    clock.advance(days=10, minutes=1)
    still = factories.dossier(declared_at=clock.now() - dt.timedelta(days=9))
    decided = factories.dossier(
        declared_at=clock.now() - dt.timedelta(days=30), state="rejected", assessment="invalid"
    )
    change = factories.dossier(kind="change_info", declared_at=clock.now() - dt.timedelta(days=30))
    db.session.commit()
    assert client.get("/dang-ky/ca-nhan/to-khai").status_code == 404  # out of every list at once

    result = app.test_cli_runner().invoke(args=["dossiers", "expire"])
    assert result.exit_code == 0, result.output
    assert "expired declarations deleted: 1" in result.output
    assert {d.id for d in dossiers()} == {still.id, decided.id, change.id}
    assert list(uploads.iterdir()) == []  # its photo went with it
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "dossier_expired"))
    assert event.subject_id == fresh_id and event.detail == {"number": "HS2026-000001"}
    again = app.test_cli_runner().invoke(args=["dossiers", "expire"])
    assert "expired declarations deleted: 0" in again.output


def test_the_procfile_runs_the_expiry_on_a_schedule():
    procfile = (Path(__file__).parent.parent / "Procfile").read_text()
    assert re.search(r"^clock: flask --app webapp dossiers expire --loop", procfile, re.M)


# --- who may register -----------------------------------------------------------------------------


def test_a_signed_in_citizen_is_sent_home_and_an_officer_refused(client, citizen, officer):
    assert client.get("/dang-ky/").headers["Location"] == "/ca-nhan/"
    assert client.get(FORM).headers["Location"] == "/ca-nhan/"
    assert officer.browser.get(FORM).status_code == 403
    assert officer.browser.get("/dang-ky/").status_code == 403


# --- change of information (a signed-in citizen) --------------------------------------------------

CHANGE = "/ca-nhan/thay-doi-thong-tin"


def test_home_links_to_the_change_of_information(client, citizen):
    soup = client.page("/ca-nhan/")
    assert soup.find("a", string="Thay đổi số điện thoại, email hoặc địa chỉ")["href"] == CHANGE


def test_a_change_request_waits_for_an_officer_and_changes_nothing_yet(client, citizen, clock):
    old_phone = citizen.phone
    soup = client.page(CHANGE)
    assert soup.select_one("#phone")["value"] == old_phone
    response = post_form(
        client, CHANGE, phone="0988 111 222", email="binh@example.com", address=citizen.address
    )
    assert response.status_code == 302 and response.headers["Location"] == CHANGE
    (dossier,) = dossiers()
    assert (dossier.kind, dossier.state, dossier.person_id) == (
        "change_info",
        "declared",
        citizen.id,
    )
    assert (dossier.phone, dossier.email) == ("0988111222", "binh@example.com")
    db.session.refresh(citizen)
    assert citizen.phone == old_phone and citizen.email is None  # not before an officer confirms
    assert "yeu cau thay doi thong tin so HS2026-000001" in sms_to(old_phone)[-1].body
    assert sms_to("0988111222") == []
    soup = client.page(CHANGE)
    text = soup.get_text(" ")
    assert "HS2026-000001" in text and "đang chờ cơ quan BHXH" in text
    assert soup.select_one("main form") is None  # one request at a time
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.event == "dossier_change_requested")
    )
    assert event.detail["fields"] == ["phone", "email"] and "0988111222" not in str(event.detail)


def test_a_second_change_request_is_refused_while_one_waits(app, client, citizen, monkeypatch):
    data = {"phone": "0988111222", "email": "", "address": citizen.address}
    token = csrf(client, CHANGE)
    assert client.post(CHANGE, data={**data, "csrf_token": token}).status_code == 302
    # from a second tab still showing the form
    response = client.post(CHANGE, data={**data, "csrf_token": token})
    assert response.status_code == 409
    assert "đang chờ cơ quan BHXH" in check_page(response).get_text(" ")
    # sent at the same moment: the check saw none waiting, the database refuses the second
    real = registration.pending_change
    checks = []

    def checked_before_the_other_was_recorded(person, now):
        checks.append(now)
        return None if len(checks) <= 2 else real(person, now)  # the page's, the service's

    monkeypatch.setattr(registration, "pending_change", checked_before_the_other_was_recorded)
    response = client.post(CHANGE, data={**data, "csrf_token": token})
    assert response.status_code == 409
    assert "HS2026-000001" in check_page(response).get_text(" ")
    assert len(dossiers()) == 1 and len(checks) == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "", "Nhập số điện thoại di động"),
        ("phone", "0241234567", "Nhập số di động Việt Nam"),
        ("phone", LONG, "Nhập số di động Việt Nam"),
        ("phone", HOSTILE, "Nhập số di động Việt Nam"),
        ("email", "binh@", "Nhập địa chỉ email dạng"),
        ("email", HOSTILE, "Nhập địa chỉ email dạng"),
        ("address", "", "Nhập địa chỉ liên hệ"),
        ("address", LONG, "Tối đa 255 ký tự"),
        ("address", HOSTILE, "Bỏ các ký tự < > { }"),
    ],
)
def test_the_change_request_refuses_bad_values(client, citizen, field, value, message):
    data = {"phone": "0988111222", "email": "", "address": citizen.address, field: value}
    response = post_form(client, CHANGE, **data)
    assert response.status_code == 400
    soup = check_page(response)
    assert message in soup.select_one(f"#{field}-error").get_text()
    assert dossiers() == []


def test_a_request_that_changes_nothing_is_told_so(client, citizen):
    response = post_form(client, CHANGE, phone=citizen.phone, email="", address=citizen.address)
    assert response.status_code == 400
    assert "Bạn chưa thay đổi gì" in check_page(response).select_one(".error-summary").get_text()
    assert dossiers() == []


def test_the_change_page_is_for_signed_in_citizens_only(app, client):
    response = client.get(CHANGE)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_people_in_the_registry_are_not_changed_by_a_declaration(client, office):
    factories.person(account=False, bhxh_code="7912345678", cccd="079190099999", phone="0900000001")
    db.session.commit()
    assert declare(client, office).status_code == 302
    person = db.session.scalar(select(Person).where(Person.bhxh_code == "7912345678"))
    assert person.phone == "0900000001"  # only an officer's approval registers the new phone


# --- the upgrade that brings the one-open-dossier index ----------------------------------------


def test_the_upgrade_closes_duplicates_recorded_before_the_index(tmp_path):
    """Open duplicates recorded before the index (the race it closes) would stop it being built:
    the upgrade keeps the earliest of each code open and closes the later ones, with a reason
    and an audit row, deleting none."""
    from flask_migrate import upgrade

    from webapp import create_app
    from webapp.config import TestConfig

    class MigratedConfig(TestConfig):
        def __init__(self, instance_path: str) -> None:
            super().__init__(instance_path)
            self.SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'upgraded.sqlite3'}"
            self.SQLALCHEMY_ENGINE_OPTIONS = {}  # none of PostgreSQL's (a test schema)

    app = create_app(MigratedConfig)
    with app.app_context():
        upgrade(revision="0004_registration")
        early = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
        for number, code, kind, declared in [
            ("HS2026-000001", "7912345678", "register", early),
            ("HS2026-000002", "7912345678", "register", early + dt.timedelta(seconds=1)),
            ("HS2026-000003", "7912345678", "change_info", early),
            ("HS2026-000004", "7900000001", "register", early),
        ]:
            db.session.execute(
                RegistrationDossier.__table__.insert().values(
                    number=number,
                    kind=kind,
                    bhxh_code=code,
                    full_name="Phạm Thị Mai",
                    declared_at=declared,
                    deadline_at=declared + dt.timedelta(days=10),
                    assessment="pending",
                    state="declared",
                    version=1,
                )
            )
        db.session.commit()
        upgrade()
        rows = {
            d.number: (d.state, d.reason) for d in db.session.scalars(select(RegistrationDossier))
        }
        assert rows["HS2026-000001"] == ("declared", None)
        assert rows["HS2026-000003"] == ("declared", None)  # another kind
        assert rows["HS2026-000004"] == ("declared", None)
        state, reason = rows["HS2026-000002"]
        assert state == "rejected" and "HS2026-000001" in reason
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.event == "dossier_closed_duplicate")
        )
        assert event.detail == {"number": "HS2026-000002", "kept": "HS2026-000001"}
        db.session.remove()
        db.engine.dispose()
