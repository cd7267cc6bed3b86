"""C5 Thẻ BHYT: the card number, the card's state over time, the pages, and the signed QR a
facility can check (on /verify, or offline with the published keys)."""

from __future__ import annotations

import datetime as dt
import json

import jwt
import pytest
import segno
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests import factories
from tests.conftest import check_page
from webapp.citizen import card as card_views
from webapp.extensions import db
from webapp.services import cards

UTC = dt.UTC
TODAY = dt.date(2026, 11, 25)  # the `clock` fixture's day in Hà Nội


def _pem() -> str:
    key = ec.generate_private_key(ec.SECP256R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


TEST_PEM = _pem()


@pytest.fixture(autouse=True)
def signing_key_pem(app):
    """The suite signs with a key of its own, never the instance folder's."""
    app.config["CARD_SIGNING_KEY"] = TEST_PEM
    return TEST_PEM


@pytest.fixture
def key() -> cards.CardSigningKey:
    return cards.load_signing_key(TEST_PEM, None)


@pytest.fixture
def jwks(key) -> dict:
    return cards.public_key_set(key)


@pytest.fixture
def card(citizen):
    """The signed-in citizen's card (DN, level 4, Hà Nội, 01/01/2026–31/12/2026)."""
    return db.session.scalars(db.select(cards.HealthCard).filter_by(person_id=citizen.id)).one()


def at_vietnam_time(clock, day: dt.date, hour: int = 10, minute: int = 0) -> None:
    """Set the clock to a time of day in Hà Nội (UTC+7)."""
    clock.set(
        dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - dt.timedelta(hours=7)
    )


# --- Card number ----------------------------------------------------------------------------


def test_card_number_is_group_level_province_and_bhxh_code():
    number = cards.card_number("DN", 4, "01", "0112345678")
    assert number == "DN4010112345678"
    assert len(number) == 15
    parsed = cards.parse_card_number(number)
    assert parsed == ("DN", 4, "01", "0112345678")
    assert parsed.grouped == "DN 4 01 0112345678"
    assert cards.parse_card_number(" dn 4 01 0112 345 678 ") == parsed
    assert cards.format_card_number("HT1790123456789") == "HT 1 79 0123456789"


@pytest.mark.parametrize(
    ("parts", "part"),
    [
        (("D", 4, "01", "0112345678"), "group"),
        (("dn", 4, "01", "0112345678"), "group"),
        (("D1", 4, "01", "0112345678"), "group"),
        (("DN", 0, "01", "0112345678"), "benefit"),
        (("DN", 6, "01", "0112345678"), "benefit"),
        (("DN", "4", "01", "0112345678"), "benefit"),
        (("DN", True, "01", "0112345678"), "benefit"),
        (("DN", 4, "1", "0112345678"), "province"),
        (("DN", 4, "AB", "0112345678"), "province"),
        (("DN", 4, "01", "011234567"), "BHXH"),
        (("DN", 4, "01", "01123456789"), "BHXH"),
        (("DN", 4, "01", "01123456x8"), "BHXH"),
    ],
)
def test_card_number_refuses_a_wrong_part(parts, part):
    with pytest.raises(ValueError, match=part):
        cards.card_number(*parts)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "DN401011234567",
        "DN40101123456789",
        "DN6010112345678",
        "1N4010112345678",
        "DN4A10112345678",
    ],
)
def test_parse_card_number_refuses_other_layouts(text):
    with pytest.raises(ValueError):
        cards.parse_card_number(text)


# --- State over time -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "state", "days"),
    [
        (dt.date(2025, 12, 31), "not_yet_valid", 366),
        (dt.date(2026, 1, 1), "valid", 365),
        (dt.date(2026, 12, 1), "valid", 31),
        (dt.date(2026, 12, 2), "expiring", 30),
        (dt.date(2026, 12, 31), "expiring", 1),
        (dt.date(2027, 1, 1), "expired", 0),
    ],
)
def test_card_state_at_the_boundaries(app, today, state, days):
    card = factories.card(factories.person(account=False))
    assert cards.card_state(card, today) == state
    assert cards.days_left(card, today) == days


def test_expiring_window_is_configurable(app):
    card = factories.card(factories.person(account=False))
    assert cards.card_state(card, dt.date(2026, 12, 2), expiring_days=10) == "valid"
    assert cards.card_state(card, dt.date(2026, 12, 22), expiring_days=10) == "expiring"


@pytest.mark.parametrize(
    ("moment", "badge"),
    [
        ((dt.date(2026, 11, 25), 10, 0), "Còn hạn"),
        ((dt.date(2026, 12, 1), 23, 59), "Còn hạn"),
        ((dt.date(2026, 12, 2), 0, 0), "Sắp hết hạn (còn 30 ngày)"),
        ((dt.date(2026, 12, 31), 23, 59), "Sắp hết hạn (hôm nay là ngày cuối)"),
        ((dt.date(2027, 1, 1), 0, 0), "Hết hạn"),
    ],
)
def test_card_page_badge_follows_the_clock_in_vietnam_time(client, citizen, clock, moment, badge):
    at_vietnam_time(clock, *moment)
    soup = client.page("/ca-nhan/the-bhyt")
    assert soup.select_one(".card-state .badge").get_text() == badge


def test_current_card_is_the_valid_one_else_the_most_recent(app):
    owner = factories.person(account=False)
    old = factories.card(owner, valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2025, 12, 31))
    now = factories.card(owner, valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 12, 31))
    renewal = factories.card(owner, valid_from=dt.date(2027, 1, 1), valid_to=dt.date(2027, 12, 31))
    assert cards.current_card(owner.id, dt.date(2026, 6, 1)) == now
    assert cards.current_card(owner.id, dt.date(2025, 6, 1)) == old
    assert cards.current_card(owner.id, dt.date(2028, 6, 1)) == renewal
    assert cards.current_card(factories.person(account=False).id, TODAY) is None


# --- Pages ---------------------------------------------------------------------------------


def test_card_page_shows_the_details_in_vietnamese(client, citizen, card):
    soup = client.page("/ca-nhan/the-bhyt")
    assert soup.h1.get_text() == "Thẻ BHYT"
    assert soup.title.get_text().startswith("Thẻ BHYT")
    facts = {
        dt_.get_text(): dt_.find_next_sibling("dd").get_text(" ", strip=True)
        for dt_ in soup.select(".facts dt")
    }
    assert facts["Số thẻ"] == card.number
    assert facts["Họ và tên"] == "Trần Văn Bình"
    assert facts["Ngày sinh"] == "14/03/1985"
    assert facts["Giới tính"] == "Nữ"
    assert facts["Giá trị sử dụng"] == "từ 01/01/2026 đến 31/12/2026"
    assert facts["Mức hưởng"] == "80%"
    assert facts["Đối tượng"].startswith("DN – ")
    assert facts["Nơi đăng ký KCB ban đầu"] == f"{card.facility.code} – {card.facility.name}"
    assert facts["Thời điểm đủ 5 năm liên tục"] == "01/01/2021"
    grouped = f"DN 4 01 {citizen.bhxh_code}"
    assert soup.select_one(".card-number").get_text() == grouped
    assert soup.select_one(".card-state .badge").get_text() == "Còn hạn"
    assert soup.find("a", href="/ca-nhan/the-bhyt/xem").get_text() == "Xem thẻ"


def test_card_page_without_a_card_says_so(client, login):
    person = factories.person()
    db.session.commit()
    login(person.bhxh_code)
    soup = client.page("/ca-nhan/the-bhyt")
    assert "Chưa có thẻ BHYT nào mang tên bạn trong hệ thống." in soup.get_text()
    assert soup.select(".facts") == []
    soup = client.page("/ca-nhan/the-bhyt/xem")
    assert soup.h1.get_text() == "Xem thẻ"
    assert soup.select_one("main svg") is None  # no QR code drawn


def test_view_card_draws_the_card_with_an_inline_svg_qr(client, citizen, card, monkeypatch):
    made = []
    real = cards.signed_payload

    def recording(*args, **kw):
        made.append(real(*args, **kw))
        return made[-1]

    monkeypatch.setattr(cards, "signed_payload", recording)
    card_views._qr_svg.cache_clear()
    response = client.get("/ca-nhan/the-bhyt/xem")
    soup = check_page(response)
    assert soup.h1.get_text() == "Xem thẻ"
    face = soup.select_one("article.bhyt-card")
    assert face["lang"] == "vi"
    head = face.select_one(".bhyt-card-head").get_text(" ", strip=True)
    assert head == "BẢO HIỂM XÃ HỘI VIỆT NAM THẺ BẢO HIỂM Y TẾ"
    assert (
        face.select_one(".bhyt-card-number")
        .get_text(strip=True)
        .endswith(f"DN 4 01 {citizen.bhxh_code}")
    )
    assert "Trần Văn Bình" in face.get_text()
    assert "01/01/2026 – 31/12/2026" in face.get_text()

    svg = face.select_one(".bhyt-card-qr svg")
    assert svg is not None and svg.get("viewbox") and not svg.get("width")
    assert svg.title.get_text() == "Mã QR của thẻ BHYT"
    # The SVG on the page is the QR of the payload the service signed for this card.
    (payload,) = made
    expected = segno.make(payload, error="m", micro=False)
    assert f'viewBox="0 0 {expected.symbol_size(border=4)[0]} ' in response.get_data(as_text=True)
    assert svg.path["d"] in expected.svg_inline(border=4, omitsize=True, lineclass=None)
    assert payload.split("|")[0] == card.number
    jwks = json.loads(client.get("/.well-known/card-keys.json").get_data())
    assert cards.verify_qr(payload, jwks, TODAY).status == "valid"


def test_the_same_card_shows_the_same_qr_until_a_field_changes(client, citizen, card):
    def qr_path():
        return check_page(client.get("/ca-nhan/the-bhyt/xem")).select_one(".bhyt-card-qr svg path")[
            "d"
        ]

    first = qr_path()
    assert qr_path() == first
    card.valid_to = dt.date(2027, 12, 31)
    db.session.commit()
    assert qr_path() != first


def test_view_card_keeps_to_the_csp_and_stays_small(client, citizen):
    response = client.get("/ca-nhan/the-bhyt/xem")
    soup = check_page(response)
    assert not soup.select("[style]"), "inline style attributes are forbidden by the CSP"
    assert not soup.find_all("style")
    scripts = [s["src"] for s in soup.find_all("script")]
    assert "/static/js/card.js" in scripts
    assert all(s.get("src") for s in soup.find_all("script")), "no inline script"
    assert soup.select_one("link[href='/static/css/card.css']")
    button = soup.select_one("button.card-rotate")
    assert button.has_attr("hidden") and button["aria-pressed"] == "false"
    assert len(response.get_data()) < 30_000


def test_card_face_stays_vietnamese_in_the_english_ui(client, citizen):
    client.set_cookie("lang", "en")
    soup = client.page("/ca-nhan/the-bhyt/xem")
    assert soup.h1.get_text() == "View card"
    assert "THẺ BẢO HIỂM Y TẾ" in soup.select_one(".bhyt-card-head").get_text()
    soup = client.page("/ca-nhan/the-bhyt")
    assert soup.h1.get_text() == "Health insurance card"
    assert soup.select_one(".card-state .badge").get_text() == "Still valid"


@pytest.mark.parametrize("url", ["/ca-nhan/the-bhyt", "/ca-nhan/the-bhyt/xem"])
def test_card_pages_show_only_the_signed_in_citizens_card(client, citizen, other_citizen, url):
    other_card = db.session.scalars(
        db.select(cards.HealthCard).filter_by(person_id=other_citizen.id)
    ).one()
    body = client.get(url).get_data(as_text=True)
    assert other_card.number not in body
    assert cards.format_card_number(other_card.number) not in body
    assert other_citizen.full_name not in body
    assert citizen.bhxh_code in body


@pytest.mark.parametrize("url", ["/ca-nhan/the-bhyt", "/ca-nhan/the-bhyt/xem"])
def test_card_pages_are_full_pages_for_htmx_and_plain_requests(client, citizen, url):
    plain = client.page(url)
    response = client.htmx(url)
    assert response.status_code == 200
    assert check_page(response).h1.get_text() == plain.h1.get_text()
    assert "HX-Request" in response.headers["Vary"]
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("url", ["/ca-nhan/the-bhyt", "/ca-nhan/the-bhyt/xem"])
def test_card_pages_need_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


# --- The QR payload and its signature ------------------------------------------------------


def test_qr_payload_keeps_the_positions_hospital_software_reads(app, key):
    owner = factories.person(
        account=False,
        full_name="Nguyễn Văn An",
        address="Số 1, Hà Nội",
        gender=1,
        guardian_name="Nguyễn Văn Bố",
    )
    card = factories.card(owner, living_area="K2", facility_id=factories.facility(code="01097").id)
    fields = cards.qr_payload(card, key).split("|")
    assert len(fields) == 14
    assert fields[0] == card.number
    assert bytes.fromhex(fields[1]).decode() == "Nguyễn Văn An"
    assert fields[2:4] == ["14/03/1985", "1"]
    assert bytes.fromhex(fields[4]).decode() == "Số 1, Hà Nội"
    assert fields[5] == "01 - 097"
    assert fields[6:10] == ["01/01/2026", "31/12/2026", "20/12/2025", "01000"]
    assert bytes.fromhex(fields[10]).decode() == "Nguyễn Văn Bố"
    assert fields[11:13] == ["K2", "01/01/2021"]
    header, empty, signature = fields[13].split(".")
    assert empty == ""  # detached payload
    assert jwt.api_jws.get_unverified_header(fields[13]) == {
        "alg": "ES256",
        "kid": key.kid,
    }
    assert len(fields[13]) < 170


def test_qr_leaves_empty_the_fields_a_card_does_not_have(app, key):
    card = factories.card(factories.person(account=False), five_years_on=None)
    fields = cards.qr_payload(card, key).split("|")
    assert fields[10:13] == ["", "", ""]


def test_signature_round_trip_is_valid(app, key, jwks):
    card = factories.card(factories.person(account=False, full_name="Phạm Thị Dung"))
    result = cards.verify_qr(cards.qr_payload(card, key), jwks, TODAY)
    assert result.status == "valid"
    assert result.kid == key.kid
    assert result.card.full_name == "Phạm Thị Dung"
    assert result.card.number == card.number
    assert result.card.valid_to == dt.date(2026, 12, 31)
    assert not result.not_yet_valid


def _replace(payload: str, index: int, value: str) -> str:
    fields = payload.split("|")
    fields[index] = value
    return "|".join(fields)


@pytest.mark.parametrize(
    ("index", "value"),
    [
        (0, "DN4019999999999"),
        (1, cards.encode_text("Lê Văn Giả")),
        (1, "Nguyễn Thị Thử"),  # the same name, but plain where hex was signed
        (2, "14/03/1995"),
        (3, "1"),
        (5, "01 - 999"),
        (6, "01/01/2025"),
        (7, "31/12/2030"),
        (12, ""),
    ],
)
def test_any_altered_field_is_forged(app, key, jwks, index, value):
    card = factories.card(factories.person(account=False, full_name="Nguyễn Thị Thử"))
    payload = cards.qr_payload(card, key)
    tampered = _replace(payload, index, value)
    assert tampered != payload
    result = cards.verify_qr(tampered, jwks, TODAY)
    assert result.status == "forged"


def test_missing_foreign_or_broken_signatures_are_forged(app, key, jwks):
    card = factories.card(factories.person(account=False))
    payload = cards.qr_payload(card, key)
    fields = payload.split("|")
    unsigned = "|".join(fields[:13])
    assert cards.verify_qr(unsigned, jwks, TODAY).status == "forged"
    assert cards.verify_qr(unsigned + "|", jwks, TODAY).status == "forged"
    assert cards.verify_qr(payload + "|extra", jwks, TODAY).status == "forged"
    assert cards.verify_qr(_replace(payload, 13, "not.a.jws"), jwks, TODAY).status == "forged"
    header, _, signature = fields[13].split(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    assert (
        cards.verify_qr(_replace(payload, 13, f"{header}..{flipped}"), jwks, TODAY).status
        == "forged"
    )
    # signed by another key, whether it names its own kid or claims ours
    other = cards.load_signing_key(_pem(), None)
    assert cards.verify_qr(cards.qr_payload(card, other), jwks, TODAY).status == "forged"
    forged_sig = jwt.api_jws.encode(
        "|".join(fields[:13]).encode(),
        other.private_key,
        algorithm="ES256",
        headers={"kid": key.kid, "typ": None},
        is_payload_detached=True,
    )
    assert cards.verify_qr(_replace(payload, 13, forged_sig), jwks, TODAY).status == "forged"


def test_genuine_card_past_its_validity_is_expired(app, key, jwks):
    card = factories.card(factories.person(account=False))
    payload = cards.qr_payload(card, key)
    assert cards.verify_qr(payload, jwks, dt.date(2026, 12, 31)).status == "valid"
    assert cards.verify_qr(payload, jwks, dt.date(2027, 1, 1)).status == "expired"
    early = cards.verify_qr(payload, jwks, dt.date(2025, 12, 31))
    assert early.status == "valid" and early.not_yet_valid


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "hello",
        "<script>alert(1)</script>",
        "DN4010112345678|only|three",
        "XX|a|14/03/1985|1|b|01 - 001|01/01/2026|31/12/2026|20/12/2025|01000|||",
        "DN4010112345678|a|14/03/1985|1|b|01 - 001|2026-01-01|31/12/2026|20/12/2025|01000|||",
        "DN4010112345678|a|14/03/1985|7|b|01 - 001|01/01/2026|31/12/2026|20/12/2025|01000|||",
    ],
)
def test_text_that_is_not_the_card_layout_is_unreadable(jwks, payload):
    assert cards.verify_qr(payload, jwks, TODAY).status == "unreadable"


def test_names_are_read_from_hex_or_plain_text(app, key, jwks):
    owner = factories.person(account=False, full_name="Đặng Thị Ánh", address="Ấp 3, Cà Mau")
    card = factories.card(owner)
    hexed = cards.verify_qr(cards.qr_payload(card, key), jwks, TODAY)
    plain_payload = cards.qr_payload(card, key, hex_text=False)
    assert "|Đặng Thị Ánh|" in plain_payload
    plain = cards.verify_qr(plain_payload, jwks, TODAY)
    assert hexed.status == plain.status == "valid"
    assert hexed.card.full_name == plain.card.full_name == "Đặng Thị Ánh"
    assert hexed.card.address == plain.card.address == "Ấp 3, Cà Mau"
    # upper-case hex (as some issuers write it) reads the same
    assert cards.decode_text(cards.encode_text("Đặng Thị Ánh").upper()) == "Đặng Thị Ánh"


@pytest.mark.parametrize("text", ["ABBA", "CAFE", "1234", "Lê Văn A", "", "0a0b"])
def test_plain_text_that_looks_like_hex_is_left_alone(text):
    assert cards.decode_text(text) == text


def test_plain_text_qr_cannot_hold_a_separator(app, key):
    card = factories.card(factories.person(account=False, address="Thôn 1 | Xã 2"))
    with pytest.raises(ValueError):
        cards.qr_payload(card, key, hex_text=False)
    result = cards.verify_qr(cards.qr_payload(card, key), cards.public_key_set(key), TODAY)
    assert result.card.address == "Thôn 1 | Xã 2"  # hex-encoded, the separator is safe


# --- Signing key and the published key set --------------------------------------------------


def test_signing_key_file_is_created_once_and_reused(tmp_path):
    path = tmp_path / "keys" / "card_signing_key.pem"
    first = cards.load_signing_key(None, str(path))
    assert path.exists() and (path.stat().st_mode & 0o777) == 0o600
    cards.load_signing_key.cache_clear()
    again = cards.load_signing_key(None, str(path))
    assert again.kid == first.kid
    assert len(first.kid) == 8
    assert list(tmp_path.joinpath("keys").iterdir()) == [path]


def test_pem_in_config_wins_over_the_file(app, tmp_path, key):
    config = {"CARD_SIGNING_KEY": TEST_PEM, "CARD_SIGNING_KEY_FILE": str(tmp_path / "k.pem")}
    assert cards.signing_key_from_config(config).kid == key.kid
    assert not (tmp_path / "k.pem").exists()


def test_a_non_p256_key_is_refused():
    pem = (
        ec.generate_private_key(ec.SECP384R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    with pytest.raises(ValueError, match="P-256"):
        cards.load_signing_key(pem, None)


def test_card_keys_are_published_as_jwks(client, key):
    response = client.get("/.well-known/card-keys.json")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "public" in response.headers["Cache-Control"]
    (jwk,) = response.get_json()["keys"]
    assert jwk == {
        "kty": "EC",
        "crv": "P-256",
        "x": key.public_jwk["x"],
        "y": key.public_jwk["y"],
        "kid": key.kid,
        "use": "sig",
        "alg": "ES256",
    }
    assert "d" not in jwk


# --- /verify: the desk check -----------------------------------------------------------------


def _verify(client, payload: str):
    soup = client.page("/verify")
    token = soup.find("input", attrs={"name": "csrf_token"})["value"]
    return client.post("/verify", data={"payload": payload, "csrf_token": token})


def test_verify_page_invariants(client):
    soup = client.page("/verify")
    assert soup.h1.get_text() == "Kiểm tra thẻ BHYT"
    assert soup.find("label", attrs={"for": "payload"}).get_text() == "Nội dung mã QR trên thẻ"
    assert soup.find("a", href="/.well-known/card-keys.json")


def test_verify_answers_valid_with_the_card_details(client, app, key):
    owner = factories.person(account=False, full_name="Hoàng Văn Em")
    payload = cards.qr_payload(factories.card(owner), key)
    db.session.commit()
    response = _verify(client, payload + "\r\n")  # scanners end with Enter
    assert response.status_code == 200
    soup = check_page(response)
    result = soup.select_one(".verify-result")
    assert "verify-valid" in result["class"]
    assert " ".join(result.h2.get_text().split()) == "✔ Thẻ hợp lệ"
    assert "Hoàng Văn Em" in result.get_text()
    assert "01/01/2026" in result.get_text() and "31/12/2026" in result.get_text()
    assert soup.find("input", attrs={"name": "payload"}).get("value", "") == ""


def test_verify_answers_forged_and_expired(client, app, key, clock):
    owner = factories.person(account=False, full_name="Hoàng Văn Em")
    payload = cards.qr_payload(factories.card(owner), key)
    db.session.commit()
    forged = _replace(payload, 7, "31/12/2030")
    response = _verify(client, forged)
    assert response.status_code == 200
    result = check_page(response).select_one(".verify-result")
    assert "verify-forged" in result["class"]
    assert "Thẻ giả hoặc đã bị sửa" in result.h2.get_text()
    assert "chưa được xác thực" in result.get_text()

    at_vietnam_time(clock, dt.date(2027, 1, 1))
    result = check_page(_verify(client, payload)).select_one(".verify-result")
    assert "verify-expired" in result["class"]
    assert "Thẻ hết hạn" in result.h2.get_text()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("", "Quét mã QR trên thẻ hoặc dán nội dung của mã"),
        ("   ", "Quét mã QR trên thẻ hoặc dán nội dung của mã"),
        ("D" * 2001, "Nội dung mã QR của thẻ có tối đa 2000 ký tự"),
        ("<script>alert(1)</script>", "Đây không phải nội dung mã QR của thẻ BHYT"),
        ('"><img src=x onerror=alert(1)>|a|b', "Đây không phải nội dung mã QR của thẻ BHYT"),
        ("xin chào, đây là một đoạn văn bất kỳ", "Đây không phải nội dung mã QR của thẻ BHYT"),
        ("DN4010112345678", "Đây không phải nội dung mã QR của thẻ BHYT"),
    ],
)
def test_verify_form_rejects_bad_input_next_to_the_field(client, csrf_disabled, payload, message):
    response = client.post("/verify", data={"payload": payload})
    assert response.status_code == 400
    soup = check_page(response)
    assert message in soup.select_one("#payload-field .error-message").get_text()
    assert soup.select_one(".error-summary a[href='#payload']")
    assert soup.title.get_text().startswith("Lỗi: ")
    assert soup.select_one(".verify-result") is None
    body = response.get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "<img src=x" not in body


def test_verify_without_csrf_token_is_refused(client):
    assert client.post("/verify", data={"payload": "x"}).status_code == 400
