"""Đăng nhập bằng vân tay / khuôn mặt: passkeys (WebAuthn), through py_webauthn.

A citizen adds a passkey from the account page once an SMS OTP confirms it is them (the step a
password change takes); the phone then creates a key pair whose private half never leaves it,
unlocked by the fingerprint or the face (user verification is required). Signing in with it
replaces the BHXH code and password, and goes through the same steps as a password: the lock
after repeated failures, the throttle per address, the audit, one device at a time.

Every ceremony gets a challenge of its own: 32 random bytes, kept in the browser's session and,
hashed, in `webauthn_challenge` with the device that asked and an expiry of 5 minutes. The
answer is checked against the challenge of the session, which is claimed by one UPDATE: a
replayed answer, another browser's, or a late one finds no challenge to claim. The relying
party id and the origins the browser may report come from the configuration.

A signature counter that does not move forward means a cloned authenticator (or a replay): the
sign-in is refused, and the counter is moved forward by an UPDATE that holds only when the
stored count is still below the new one, so two sign-ins at once cannot both pass with the
same count.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import parse_authentication_credential_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from webapp.extensions import db
from webapp.models import Account, Officer, Passkey, WebAuthnChallenge
from webapp.services import audit, sessions

CHALLENGE_LIFETIME = dt.timedelta(minutes=5)
TIMEOUT_MS = 5 * 60 * 1000
ADD, SIGN_IN, SECOND_FACTOR = "add_passkey", "passkey_sign_in", "officer_passkey"
RP_NAME = "VssID"
# What a browser sends for one credential is a few hundred bytes; anything much larger is not one.
MAX_CREDENTIAL_JSON = 16 * 1024
# What reading a browser's answer raises when it is not one (JSON nested a thousand deep
# exhausts the parser's recursion): each is a 4xx, never a 5xx.
UNREADABLE = (WebAuthnException, ValueError, TypeError, KeyError, AttributeError, RecursionError)


class PasskeyError(Exception):
    """The browser's answer does not hold (`reason`): no challenge to claim ("challenge": used,
    expired, another browser's), malformed, for another origin or site, without user
    verification, or from an unknown authenticator."""

    @property
    def reason(self) -> str:
        return self.args[0] if self.args else ""


def enabled(config) -> bool:
    return bool(config["WEBAUTHN_RP_ID"])


@dataclass(frozen=True)
class Owner:
    """Whose passkeys: a citizen's account or an officer (their second factor)."""

    account_id: int | None = None
    officer_id: int | None = None

    def of(self, model) -> list:
        """The conditions that select this owner's rows of `model` (a passkey, a challenge)."""
        return [
            model.account_id.is_(None)
            if self.account_id is None
            else model.account_id == self.account_id,
            model.officer_id.is_(None)
            if self.officer_id is None
            else model.officer_id == self.officer_id,
        ]

    @property
    def actor(self) -> dict:
        if self.officer_id is not None:
            return {"actor_type": "officer", "actor_id": self.officer_id}
        return {"actor_type": "citizen", "actor_id": self.account_id}


def citizen(account: Account | int) -> Owner:
    return Owner(account_id=getattr(account, "id", account))


def officer(who: Officer | int) -> Owner:
    return Owner(officer_id=getattr(who, "id", who))


NOBODY = Owner()  # a sign-in ceremony: whose passkey answers is not known yet


def _hash(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def _new_challenge(purpose: str, device_id: str, now: dt.datetime, owner: Owner) -> bytes:
    purge_challenges(now)  # the table holds at most five minutes of ceremonies
    challenge = secrets.token_bytes(32)
    db.session.add(
        WebAuthnChallenge(
            challenge_hash=_hash(challenge),
            purpose=purpose,
            account_id=owner.account_id,
            officer_id=owner.officer_id,
            device_id=device_id,
            expires_at=now + CHALLENGE_LIFETIME,
        )
    )
    return challenge


def _claim(challenge: bytes, purpose: str, device_id: str, now: dt.datetime, owner: Owner) -> None:
    """Use the challenge up: one UPDATE, which only one request can make."""
    claimed = db.session.execute(
        update(WebAuthnChallenge)
        .where(
            WebAuthnChallenge.challenge_hash == _hash(challenge),
            WebAuthnChallenge.purpose == purpose,
            WebAuthnChallenge.device_id == device_id,
            *owner.of(WebAuthnChallenge),
            WebAuthnChallenge.used_at.is_(None),
            WebAuthnChallenge.expires_at > now,
        )
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        raise PasskeyError("challenge")


def purge_challenges(now: dt.datetime) -> int:
    """Delete the challenges past their expiry (each new challenge does, by the index)."""
    return db.session.execute(
        delete(WebAuthnChallenge).where(WebAuthnChallenge.expires_at <= now)
    ).rowcount


def _user_handle(owner: Owner, secret: str) -> bytes:
    """The opaque id the phone keeps with the passkey: derived from the account (or officer),
    never a code or a name."""
    subject = (
        f"passkey:{owner.account_id}"
        if owner.officer_id is None
        else f"passkey-officer:{owner.officer_id}"
    )
    return hmac.new(secret.encode(), subject.encode(), hashlib.sha256).digest()


def passkeys_of(owner: Owner) -> list[Passkey]:
    return list(db.session.scalars(select(Passkey).where(*owner.of(Passkey)).order_by(Passkey.id)))


# --- adding one ---------------------------------------------------------------------------------


def registration_options(
    owner: Owner, user_name: str, display_name: str, device_id: str, now: dt.datetime, config
):
    """(options as JSON for `navigator.credentials.create`, the challenge to keep in the
    session). The phone must verify its user and keep the credential (a discoverable one, so
    that signing in needs no code typed); a phone that already has one is told so. A citizen
    is named by the BHXH code, an officer by the username."""
    challenge = _new_challenge(ADD, device_id, now, owner)
    options = generate_registration_options(
        rp_id=config["WEBAUTHN_RP_ID"],
        rp_name=RP_NAME,
        user_name=user_name,
        user_id=_user_handle(owner, config["SECRET_KEY"]),
        user_display_name=display_name,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=p.credential_id) for p in passkeys_of(owner)
        ],
    )
    return options_to_json(options), challenge


def add(
    owner: Owner,
    device_id: str,
    credential_json: str,
    challenge: bytes,
    device_name: str,
    now: dt.datetime,
    config,
) -> Passkey:
    """Keep the passkey the phone created for `challenge` (raises PasskeyError)."""
    _claim(challenge, ADD, device_id, now, owner)
    try:
        verified = verify_registration_response(
            credential=_bounded(credential_json),
            expected_challenge=challenge,
            expected_rp_id=config["WEBAUTHN_RP_ID"],
            expected_origin=list(config["WEBAUTHN_ORIGINS"]),
            require_user_verification=True,
        )
    except UNREADABLE as error:
        raise PasskeyError("registration") from error
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == verified.credential_id)):
        raise PasskeyError("known")
    passkey = Passkey(
        account_id=owner.account_id,
        officer_id=owner.officer_id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        device_name=device_name,
        created_at=now,
    )
    db.session.add(passkey)
    audit.record("passkey_added", now, **owner.actor)
    db.session.flush()
    return passkey


def remove(owner: Owner, passkey_id: int, now: dt.datetime) -> bool:
    """Remove one of the owner's passkeys; anyone else's is not found (False)."""
    removed = db.session.execute(
        delete(Passkey).where(Passkey.id == passkey_id, *owner.of(Passkey))
    ).rowcount
    if removed:
        audit.record("passkey_removed", now, **owner.actor)
    return bool(removed)


def remove_all(account_id: int, now: dt.datetime, reason: str, **who) -> int:
    """Remove every passkey of the account (a password reset, a choice at a password change, an
    admin): returns how many there were."""
    removed = db.session.execute(delete(Passkey).where(*citizen(account_id).of(Passkey))).rowcount
    if removed:
        who = who or {"actor_type": "citizen", "actor_id": account_id}
        audit.record(
            "passkeys_removed", now, reason=reason, count=removed, account=account_id, **who
        )
    return removed


# --- signing in with one ------------------------------------------------------------------------


def sign_in_options(device_id: str, now: dt.datetime, config):
    """(options as JSON for `navigator.credentials.get`, the challenge to keep in the session):
    any passkey of this site on the phone may answer (no code typed first)."""
    challenge = _new_challenge(SIGN_IN, device_id, now, NOBODY)
    options = generate_authentication_options(
        rp_id=config["WEBAUTHN_RP_ID"],
        challenge=challenge,
        timeout=TIMEOUT_MS,
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return options_to_json(options), challenge


def sign_in(
    credential_json: str, challenge: bytes, device_id: str, now: dt.datetime, config
) -> tuple[sessions.Outcome, Account | None]:
    """Check the phone's answer: the challenge claimed, the credential known, then weighed as a
    password is (`sessions.weigh_sign_in`: the lock, the audit). Raises PasskeyError for an
    answer that names no known passkey or cannot be read."""
    _claim(challenge, SIGN_IN, device_id, now, NOBODY)
    try:
        credential = parse_authentication_credential_json(_bounded(credential_json))
    except UNREADABLE as error:
        raise PasskeyError("malformed") from error
    passkey = db.session.scalar(select(Passkey).where(Passkey.credential_id == credential.raw_id))
    if passkey is None or passkey.account_id is None:  # an officer's signs no citizen in
        raise PasskeyError("unknown")
    account = db.session.get(Account, passkey.account_id)
    if account is None or account.status not in {"active", "pending"}:
        raise PasskeyError("unknown")
    handle = credential.response.user_handle
    if handle is not None and handle != _user_handle(citizen(account), config["SECRET_KEY"]):
        raise PasskeyError("unknown")
    check = _checker(credential, passkey, challenge, now, config)
    outcome = sessions.weigh_sign_in(
        account,
        check,
        now,
        config["LOGIN_MAX_FAILURES"],
        config["LOGIN_LOCK_MINUTES"],
        method="passkey",
    )
    return outcome, account


# --- an officer's second factor -----------------------------------------------------------------


def second_factor_options(officer_row: Officer, device_id: str, now: dt.datetime, config):
    """(options for `navigator.credentials.get`, the challenge): one of this officer's
    passkeys, after their password."""
    owner = Owner(officer_id=officer_row.id)
    challenge = _new_challenge(SECOND_FACTOR, device_id, now, owner)
    options = generate_authentication_options(
        rp_id=config["WEBAUTHN_RP_ID"],
        challenge=challenge,
        timeout=TIMEOUT_MS,
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=p.credential_id) for p in passkeys_of(owner)
        ],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return options_to_json(options), challenge


def second_factor(
    officer_row: Officer, credential_json: str, challenge: bytes, device_id: str, now, config
) -> bool:
    """Whether the answer comes from one of the officer's passkeys, for this challenge (raises
    PasskeyError for no challenge to claim or an unreadable answer)."""
    owner = Owner(officer_id=officer_row.id)
    _claim(challenge, SECOND_FACTOR, device_id, now, owner)
    try:
        credential = parse_authentication_credential_json(_bounded(credential_json))
    except UNREADABLE as error:
        raise PasskeyError("malformed") from error
    passkey = db.session.scalar(
        select(Passkey).where(Passkey.credential_id == credential.raw_id, *owner.of(Passkey))
    )
    if passkey is None:
        return False
    return _checker(credential, passkey, challenge, now, config)()


def _checker(credential, passkey: Passkey, challenge: bytes, now: dt.datetime, config) -> Callable:
    def check() -> bool:
        try:
            verified = verify_authentication_response(
                credential=credential,
                expected_challenge=challenge,
                expected_rp_id=config["WEBAUTHN_RP_ID"],
                expected_origin=list(config["WEBAUTHN_ORIGINS"]),
                credential_public_key=passkey.public_key,
                credential_current_sign_count=passkey.sign_count,
                require_user_verification=True,
            )
        except UNREADABLE:
            return False
        # Forward only, and only once for a count: a parallel sign-in with the same counter (a
        # replay or a clone) finds the row moved on and fails.
        new = verified.new_sign_count
        forward = Passkey.sign_count < new if new else Passkey.sign_count == 0  # 0: no counter
        moved = db.session.execute(
            update(Passkey)
            .where(Passkey.id == passkey.id, forward)
            .values(sign_count=new, last_used_at=now)
        ).rowcount
        return moved == 1

    return check


def _bounded(credential_json: str) -> str:
    if len(credential_json) > MAX_CREDENTIAL_JSON:
        raise PasskeyError("too large")
    return credential_json
