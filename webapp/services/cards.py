"""Thẻ BHYT: the card number layout, the card's state on a given day, and the signed card QR.

The QR keeps the layout hospital software reads today (fields by position, `|`-separated) and
adds one field after the known ones: a compact JWS (ES256, detached payload) over fields 0–12.
A facility holding our public key set can then tell a real card from a forged one offline.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from webapp.config import create_secret_file
from webapp.extensions import db
from webapp.models import HealthCard, Person

CARD_NUMBER_LENGTH = 15
SIGNATURE_ALGORITHM = "ES256"
# ECDSA is malleable: when (r, s) verifies, so does (r, n − s), n being the order of P-256. The
# card is signed with the low s (at most n/2) and a high one is refused, so that a card has one
# QR and its twin reads as forged.
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
SIGNATURE_BYTES = 64  # r ‖ s, 32 bytes each, big-endian (RFC 7518 §3.4)
QR_SEPARATOR = "|"
QR_FIELD_COUNT = 13  # fields 0–12, the layout hospital software reads by position
DATE_FORMAT = "%d/%m/%Y"

_GROUP = re.compile(r"[A-Z]{2}")
_CARD_NUMBER = re.compile(r"([A-Z]{2})([1-5])(\d{2})(\d{10})")
_HEX_TEXT = re.compile(r"(?:[0-9a-fA-F]{2})+")

CardState = Literal["valid", "expiring", "expired", "not_yet_valid"]
VerifyStatus = Literal["valid", "expired", "forged", "unreadable"]


# --- Card number ---------------------------------------------------------------------------


class CardNumber(NamedTuple):
    """The four parts of a 15-character card number: DN 4 01 0112345678."""

    group_code: str
    benefit_level: int
    province_code: str
    bhxh_code: str

    def __str__(self) -> str:
        return f"{self.group_code}{self.benefit_level}{self.province_code}{self.bhxh_code}"

    @property
    def grouped(self) -> str:
        """The number with a space between its parts, as a person reads it aloud."""
        return f"{self.group_code} {self.benefit_level} {self.province_code} {self.bhxh_code}"


def card_number(group_code: str, benefit_level: int, province_code: str, bhxh_code: str) -> str:
    """Số thẻ BHYT: beneficiary group (2 letters) + benefit level (1–5) + province code
    (2 digits) + mã số BHXH (10 digits). Raises ValueError naming the part that is wrong."""
    if not isinstance(group_code, str) or not _GROUP.fullmatch(group_code):
        raise ValueError(f"group code must be 2 capital letters, not {group_code!r}")
    if isinstance(benefit_level, bool) or benefit_level not in (1, 2, 3, 4, 5):
        raise ValueError(f"benefit level must be 1 to 5, not {benefit_level!r}")
    if not isinstance(province_code, str) or not re.fullmatch(r"\d{2}", province_code):
        raise ValueError(f"province code must be 2 digits, not {province_code!r}")
    if not isinstance(bhxh_code, str) or not re.fullmatch(r"\d{10}", bhxh_code):
        raise ValueError(f"BHXH code must be 10 digits, not {bhxh_code!r}")
    return f"{group_code}{benefit_level}{province_code}{bhxh_code}"


def parse_card_number(value: str) -> CardNumber:
    """Read a card number typed or scanned, spaces allowed ("DN 4 01 0112345678").
    Raises ValueError when it is not the 15-character layout."""
    compact = "".join(str(value).split()).upper()
    match = _CARD_NUMBER.fullmatch(compact)
    if not match:
        raise ValueError(f"not a 15-character BHYT card number: {value!r}")
    group, level, province, code = match.groups()
    return CardNumber(group, int(level), province, code)


def format_card_number(value: str) -> str:
    """Group a card number for reading: "DN4010112345678" → "DN 4 01 0112345678".
    Anything that is not a card number is returned as it is."""
    try:
        return parse_card_number(value).grouped
    except ValueError:
        return value


# --- Validity --------------------------------------------------------------------------------


def days_left(card: HealthCard, today: dt.date) -> int:
    """Days of cover left, today included: 1 on the card's last day, 0 once it has expired."""
    return max((card.valid_to - today).days + 1, 0)


def card_state(card: HealthCard, today: dt.date, expiring_days: int = 30) -> CardState:
    """Where the card stands today. "expiring" once the card no longer covers the day
    `expiring_days` from now (with 30: its last 30 days), so the citizen renews in time."""
    if today < card.valid_from:
        return "not_yet_valid"
    if today > card.valid_to:
        return "expired"
    if days_left(card, today) <= expiring_days:
        return "expiring"
    return "valid"


# Both card pages read the card with its primary-care facility (shown on the page and in the
# QR): one query, built once.
_CARD_VALID_ON = (
    select(HealthCard)
    .options(joinedload(HealthCard.facility, innerjoin=True))
    .where(
        HealthCard.person_id == bindparam("person_id"),
        HealthCard.valid_from <= bindparam("today"),
        HealthCard.valid_to >= bindparam("today"),
    )
    .order_by(HealthCard.valid_to.desc(), HealthCard.id.desc())
    .limit(1)
)
_LATEST_CARD = (
    select(HealthCard)
    .options(joinedload(HealthCard.facility, innerjoin=True))
    .where(HealthCard.person_id == bindparam("person_id"))
    .order_by(HealthCard.valid_to.desc(), HealthCard.valid_from.desc(), HealthCard.id.desc())
    .limit(1)
)


def current_card(person_id: int, today: dt.date) -> HealthCard | None:
    """The card to show: the one valid today, else the most recent one (a renewal that starts
    later, or the last expired card), else None; with its facility."""
    valid = db.session.scalar(_CARD_VALID_ON, {"person_id": person_id, "today": today})
    if valid is not None:
        return valid
    return db.session.scalar(_LATEST_CARD, {"person_id": person_id})


# Who renews a card when it ends, by beneficiary group: the employer (who pays the
# contributions), the household itself (at a collection point or agent), the school, or nobody
# the holder needs to ask (pensioners, the unemployed, children under 6 and the groups the state
# pays for: the BHXH office issues the next card from the list it receives). Anything else:
# the BHXH office says.
RENEWAL_BY_GROUP: dict[str, str] = {
    "DN": "employer",
    "HC": "employer",
    "HX": "employer",
    "GD": "household",
    "HS": "school",
    "SV": "school",
    "HT": "automatic",
    "TN": "automatic",
    "TE": "automatic",
    "CC": "automatic",
    "BT": "automatic",
    "HN": "automatic",
}


def renewal_route(group_code: str) -> str:
    """How a card of this beneficiary group is renewed (a key of RENEWAL_BY_GROUP's values, or
    "office" when the group is not one of them)."""
    return RENEWAL_BY_GROUP.get(group_code, "office")


@dataclass(frozen=True)
class ExpiryAlert:
    """A card in its last days (or ended) with no later card on record: what the home screen
    warns about, with how the card is renewed."""

    card: HealthCard
    state: CardState  # "expiring" or "expired"
    days_left: int
    renewal: str


_LATER_CARD = (
    select(HealthCard.id)
    .where(
        HealthCard.person_id == bindparam("person_id"),
        HealthCard.valid_to > bindparam("valid_to"),
    )
    .limit(1)
)


def expiry_alert(person_id: int, today: dt.date, expiring_days: int) -> ExpiryAlert | None:
    """The card to warn about on the home screen: the card shown (`current_card`) when it is
    expiring or has expired and no card running longer exists yet (renewed: nothing to do)."""
    card = current_card(person_id, today)
    if card is None:
        return None
    state = card_state(card, today, expiring_days)
    if state not in ("expiring", "expired"):
        return None
    later = db.session.scalar(_LATER_CARD, {"person_id": person_id, "valid_to": card.valid_to})
    if later is not None:
        return None
    return ExpiryAlert(card, state, days_left(card, today), renewal_route(card.group_code))


# --- Signing key -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CardSigningKey:
    """The EC P-256 key the card QR is signed with, and what a facility needs to check it."""

    private_key: ec.EllipticCurvePrivateKey
    kid: str
    public_jwk: dict


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes | None:
    """Strict base64url: the bytes `text` is the one canonical spelling of, else None (no
    padding, no stray characters, no unused bits set: one signature, one spelling)."""
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:  # binascii.Error, and non-ASCII text
        return None
    return data if _b64url(data) == text else None


def low_s(signature: bytes) -> bytes:
    """The same ES256 signature (r ‖ s) with s at most n/2: (r, n − s) when s is high."""
    r, s = signature[:32], int.from_bytes(signature[32:], "big")
    if s > P256_ORDER // 2:
        s = P256_ORDER - s
    return r + s.to_bytes(32, "big")


def _is_canonical_signature(text: str) -> bool:
    """A 64-byte r ‖ s, spelt canonically, with a low s: the only form `sign_fields` writes."""
    raw = _b64url_decode(text)
    return (
        raw is not None
        and len(raw) == SIGNATURE_BYTES
        and int.from_bytes(raw[32:], "big") <= P256_ORDER // 2
    )


def key_id(public_key: ec.EllipticCurvePublicKey) -> str:
    """A short key id: the first 8 characters of the RFC 7638 JWK thumbprint (SHA-256).
    Short because it travels in every QR; 48 bits tell our few keys apart."""
    jwk = ECAlgorithm.to_jwk(public_key, as_dict=True)
    canonical = json.dumps(
        {name: jwk[name] for name in ("crv", "kty", "x", "y")},
        separators=(",", ":"),
        sort_keys=True,
    )
    return _b64url(hashlib.sha256(canonical.encode()).digest())[:8]


def _load_private_key(pem: str | bytes) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(pem.encode() if isinstance(pem, str) else pem, None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ValueError("the card signing key must be an EC P-256 private key")
    return key


def _create_key_file(path: Path) -> None:
    """Write a new P-256 key to `path` unless one appears meanwhile (several workers start
    together and must share one key)."""
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    create_secret_file(path, pem)


@lru_cache(maxsize=4)
def load_signing_key(pem: str | None, path: str | None) -> CardSigningKey:
    """The signing key from a PEM string, else from the PEM file at `path`, created on first
    use when missing (the demo and single-host installs). Cached: both inputs come from config."""
    if not pem:
        if not path:
            raise ValueError("set CARD_SIGNING_KEY or CARD_SIGNING_KEY_FILE")
        file = Path(path)
        if not file.exists():
            _create_key_file(file)
        pem = file.read_text()
    private_key = _load_private_key(pem)
    public_key = private_key.public_key()
    kid = key_id(public_key)
    jwk = ECAlgorithm.to_jwk(public_key, as_dict=True)
    public_jwk = {
        "kty": "EC",
        "crv": "P-256",
        "x": jwk["x"],
        "y": jwk["y"],
        "kid": kid,
        "use": "sig",
        "alg": SIGNATURE_ALGORITHM,
    }
    return CardSigningKey(private_key, kid, public_jwk)


def signing_key_from_config(config: Mapping) -> CardSigningKey:
    """`CARD_SIGNING_KEY` (PEM) if set, else the file at `CARD_SIGNING_KEY_FILE`."""
    return load_signing_key(config.get("CARD_SIGNING_KEY"), config.get("CARD_SIGNING_KEY_FILE"))


def public_key_set(*keys: CardSigningKey) -> dict:
    """The JWKS a facility downloads to check cards offline (public parts only)."""
    return {"keys": [dict(key.public_jwk) for key in keys]}


# --- QR payload ------------------------------------------------------------------------------


def encode_text(value: str) -> str:
    """Name and address as issued cards carry them: the UTF-8 bytes in (lower-case) hex."""
    return value.encode("utf-8").hex()


def decode_text(value: str) -> str:
    """Hex-encoded UTF-8 (as issued cards carry names) or plain text: both are read.
    Hex only when it decodes to printable UTF-8, so a plain name is never mangled."""
    if _HEX_TEXT.fullmatch(value):
        try:
            decoded = bytes.fromhex(value).decode("utf-8")
        except UnicodeDecodeError:
            return value
        if decoded.isprintable():
            return decoded
    return value


def _date(value: dt.date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def qr_fields(card: HealthCard, person: Person, *, hex_text: bool = True) -> list[str]:
    """Fields 0–12 of the card QR, by position as hospital software reads them.
    `hex_text=False` writes name, address and guardian as plain text (older cards do)."""

    def text(value: str | None) -> str:
        value = " ".join((value or "").split())
        if not hex_text:
            if QR_SEPARATOR in value:
                raise ValueError("a plain-text QR field cannot hold '|'")
            return value
        return encode_text(value)

    facility_code = card.facility.code
    fields = [
        card.number,
        text(person.full_name),
        _date(person.date_of_birth),
        str(person.gender),
        text(person.address),
        f"{facility_code[:2]} - {facility_code[2:]}",
        _date(card.valid_from),
        _date(card.valid_to),
        _date(card.issued_on),
        card.managing_office_code or "",
        text(person.guardian_name) if person.guardian_name else "",
        card.living_area or person.living_area or "",
        _date(card.five_years_on),
    ]
    return fields


def sign_fields(fields: list[str], key: CardSigningKey) -> str:
    """Compact JWS with detached content (RFC 7515 appendix F): `<header>..<signature>`, signed
    over the fields 0–12 joined by `|`; the reader puts the payload back from the fields it has.
    The header is only {"alg", "kid"}, to keep the QR small; the signature is low-S."""
    token = jwt.api_jws.encode(
        _signed_content(fields),
        key.private_key,
        algorithm=SIGNATURE_ALGORITHM,
        headers={"kid": key.kid, "typ": None},
    )
    header, _payload, signature = token.split(".")
    return f"{header}..{_b64url(low_s(_b64url_decode(signature)))}"


def _signed_content(fields: list[str]) -> bytes:
    return QR_SEPARATOR.join(fields[:QR_FIELD_COUNT]).encode("utf-8")


def qr_payload(card: HealthCard, key: CardSigningKey, *, hex_text: bool = True) -> str:
    """The text of the card QR: fields 0–12, then the signature as field 13."""
    return signed_payload(qr_fields(card, card.person, hex_text=hex_text), key)


def signed_payload(fields: list[str], key: CardSigningKey) -> str:
    """Fields 0–12 and their signature as field 13, `|`-separated."""
    return QR_SEPARATOR.join([*fields, sign_fields(fields, key)])


# --- Reading and verifying a QR -----------------------------------------------------------


@dataclass(frozen=True)
class QrCard:
    """What a card QR says, decoded for display (name and address read from hex or plain)."""

    number: str
    full_name: str
    date_of_birth: str
    gender: int | None
    address: str
    facility_code: str
    valid_from: dt.date
    valid_to: dt.date
    issued_on: dt.date | None
    managing_office_code: str
    guardian_name: str
    living_area: str
    five_years_on: dt.date | None

    @property
    def number_grouped(self) -> str:
        return format_card_number(self.number)


@dataclass(frozen=True)
class VerifyResult:
    """The answer for the facility desk; `card` is what the QR claims (None if unreadable)."""

    status: VerifyStatus
    card: QrCard | None = None
    kid: str | None = None
    not_yet_valid: bool = False  # genuine, but its validity starts after today


def _parse_date(value: str, *, optional: bool = False) -> dt.date | None:
    value = value.strip()
    if not value and optional:
        return None
    return dt.datetime.strptime(value, DATE_FORMAT).date()


def _parse_birth(value: str) -> str:
    """Date of birth as printed: dd/mm/yyyy, or just the year for some older people."""
    value = value.strip()
    if re.fullmatch(r"\d{4}", value):
        return value
    dt.datetime.strptime(value, DATE_FORMAT)
    return value


def read_qr(payload: str) -> tuple[QrCard, list[str]]:
    """Read a card QR by position. Returns the decoded card and the raw fields (0–12 plus any
    that follow). Raises ValueError when the text is not the card layout."""
    fields = payload.strip().split(QR_SEPARATOR)
    if len(fields) < QR_FIELD_COUNT:
        raise ValueError("not the BHYT card QR layout")
    number = str(parse_card_number(fields[0]))
    gender = fields[3].strip()
    if gender not in ("1", "2", ""):
        raise ValueError("gender must be 1 or 2")
    facility = "".join(part.strip() for part in re.split(r"[-–]", fields[5]))
    card = QrCard(
        number=number,
        full_name=decode_text(fields[1].strip()),
        date_of_birth=_parse_birth(fields[2]),
        gender=int(gender) if gender else None,
        address=decode_text(fields[4].strip()),
        facility_code=facility,
        valid_from=_parse_date(fields[6]),
        valid_to=_parse_date(fields[7]),
        issued_on=_parse_date(fields[8], optional=True),
        managing_office_code=fields[9].strip(),
        guardian_name=decode_text(fields[10].strip()),
        living_area=fields[11].strip(),
        five_years_on=_parse_date(fields[12], optional=True),
    )
    return card, fields


def _signature_valid(fields: list[str], jwks: Mapping) -> tuple[bool, str | None]:
    """Is field 13 a signature by one of our keys over fields 0–12, exactly as they are, in
    the one form we sign (low-S, canonical base64url)? A twin of a genuine QR is not."""
    if len(fields) != QR_FIELD_COUNT + 1:
        return False, None  # no signature, or data appended after it
    token = fields[QR_FIELD_COUNT]
    try:
        header = jwt.api_jws.get_unverified_header(token)
    except jwt.exceptions.PyJWTError:
        return False, None
    kid = header.get("kid")
    jwk = next((k for k in jwks.get("keys", []) if kid and k.get("kid") == kid), None)
    if jwk is None or header.get("alg") != SIGNATURE_ALGORITHM:
        return False, kid
    header_part, empty, signature = (token.split(".") + ["", ""])[:3]
    if token.count(".") != 2 or empty or not _is_canonical_signature(signature):
        return False, kid
    try:
        jwt.api_jws.decode_complete(
            f"{header_part}.{_b64url(_signed_content(fields))}.{signature}",
            jwt.PyJWK(jwk, algorithm=SIGNATURE_ALGORITHM),
            algorithms=[SIGNATURE_ALGORITHM],
        )
    except (jwt.exceptions.PyJWTError, ValueError):
        return False, kid
    return True, kid


def verify_qr(payload: str, public_keys: Mapping, today: dt.date) -> VerifyResult:
    """Check a scanned card QR against our public key set (JWKS):
    unreadable (not the card layout), forged (signature missing, unknown or not matching
    every field), expired (genuine but valid_to is past), else valid."""
    try:
        card, fields = read_qr(payload)
    except ValueError:
        return VerifyResult("unreadable")
    genuine, kid = _signature_valid(fields, public_keys)
    if not genuine:
        return VerifyResult("forged", card, kid)
    if card.valid_to < today:
        return VerifyResult("expired", card, kid)
    return VerifyResult("valid", card, kid, not_yet_valid=card.valid_from > today)
