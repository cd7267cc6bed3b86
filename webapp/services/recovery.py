"""Quên mật khẩu (C3b): the rules of account recovery, in one place.

1. The citizen gives the BHXH code or CCCD and the registered phone or email. When they match an
   account that may sign in, a code goes there (SMS or email); when not, nothing is sent but
   the same work is done, so neither the page nor its timing tells what exists.
2. A first password an officer issued and nobody ever used is sent again (a new temporary one,
   to be changed at first login), once per account, instead of a code.
3. The code (6 digits, 5 minutes, 5 wrong tries) opens the new-password step; the new password
   obeys the password policy; then every session is signed out and the citizen is told.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from webapp.models import Account
from webapp.services import (
    audit,
    messaging,
    notifications,
    otp,
    outgoing,
    passkeys,
    passwords,
    sessions,
)

PURPOSE = "reset_password"


@dataclass(frozen=True)
class Started:
    subject: str  # the OTP subject of the contact given, matched or not (kept encrypted)
    retry_after: int = 0  # a code was sent to this contact a moment ago: wait this long


def _normal_phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isascii() and ch.isdigit())
    return "0" + digits[2:] if digits.startswith("84") and len(digits) == 11 else digits


def _normal_contact(channel: str, contact: str) -> str:
    return _normal_phone(contact) if channel == "sms" else contact.strip().casefold()


def _matches(account: Account | None, channel: str, contact: str) -> bool:
    if account is None or account.status not in {"active", "pending"}:
        return False
    person = account.person
    registered = person.phone if channel == "sms" else person.email
    return bool(registered) and _normal_contact(channel, registered) == _normal_contact(
        channel, contact
    )


def _never_used_first_password(account: Account) -> bool:
    return (
        account.must_change_password
        and account.last_login_at is None
        and account.first_password_resent_at is None
    )


def temporary_password() -> str:
    """A first password as officers issue them: 10 characters, easy to type from an SMS."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


def start(
    identifier: str, channel: str, contact: str, device_id: str, now: dt.datetime, config
) -> Started:
    """Send what the matched account needs, or nothing. Either way the same work is done and
    the same OTP step is opened for the contact given (`services.otp`: its cooldown, hourly cap,
    tries and expiry), so no observable of what follows tells a match from a non-match: when
    nothing matched, or a first password went instead, the code is one nobody can type."""
    account = sessions.find_account(identifier)
    matched = _matches(account, channel, contact)
    new_password = temporary_password()
    new_hash = passwords.hash_password(new_password)  # done on every path: equal timing
    subject = otp.contact_subject(
        f"{channel}:{_normal_contact(channel, contact)}", config["SECRET_KEY"]
    )
    issued = otp.issue(
        PURPOSE,
        subject,
        device_id,
        now,
        config["SECRET_KEY"],
        account_id=account.id if matched else None,
        channel=channel,
    )
    actor = {"actor_type": "citizen", "actor_id": account.id} if matched else {}
    audit.record(
        "recovery_requested",
        now,
        **(actor or {"actor_type": "anonymous"}),
        matched=matched,
        throttled=issued.challenge is None,
    )
    if issued.challenge is None:
        return Started(subject, issued.retry_after)
    if not matched or _never_used_first_password(account):
        issued.challenge.code_hash = UNTYPABLE
    if matched:
        _send(account, channel, issued.code, new_password, new_hash, now, config)
    return Started(subject)


UNTYPABLE = "-$-"  # no code's digest: the challenge of a contact that gets no code


def _send(account: Account, channel, code, new_password, new_hash, now, config) -> None:
    """To the matched account's contact: its first password again if it was never used (once),
    else the OTP."""
    person = account.person
    address = person.phone if channel == "sms" else person.email
    locale = outgoing.recipient_locale(account)
    if _never_used_first_password(account):
        passwords.set_password_hash(account, new_hash, now, temporary=True)
        account.first_password_resent_at = now
        values = {"code": person.bhxh_code, "password": new_password}
        _send_message(channel, address, "first_password_resent", locale, now, config, values)
        audit.record(
            "first_password_resent", now, actor_type="citizen", actor_id=account.id, channel=channel
        )
        return
    _send_message(channel, address, "otp_reset_password", locale, now, config, {"code": code})
    audit.record("otp_sent", now, actor_type="citizen", actor_id=account.id, purpose=PURPOSE)


def _send_message(channel, address, name, locale, now, config, values) -> None:
    """The SMS or email `name` (both exist for each step of recovery) in the account's language."""
    if channel == "sms":
        messaging.send("sms", address, outgoing.sms(name, locale, **values), now, config)
    else:
        mail = outgoing.email(name, locale, **values)
        messaging.send("email", address, mail.body, now, config, mail.subject)


def check_code(subject: str, code: str, device_id: str, now: dt.datetime, config) -> otp.Verdict:
    """The code against the one opened for the contact, matched or not: the same counting,
    expiry and messages; only a code that was really sent can be right."""
    verdict = otp.check(PURPOSE, subject, device_id, code, now, config["SECRET_KEY"])
    if verdict.result is not otp.Check.OK:
        audit.record("otp_failed", now, actor_type="anonymous", purpose=PURPOSE)
    return verdict


def reset(account: Account, new_password: str, now: dt.datetime, config, when_text: str) -> None:
    """Set the new password (already checked against the policy), sign every device out, lift
    a sign-in lock, and tell the citizen by SMS and in the inbox."""
    passwords.set_password_hash(account, passwords.hash_password(new_password), now)
    account.failed_logins = 0
    account.locked_until = None
    if account.status == "pending":
        account.status = "active"
    sessions.revoke_all(account, now, "password_reset")
    if account.person.phone:
        body = outgoing.sms(
            "password_reset",
            outgoing.recipient_locale(account),
            when=when_text,
            hotline=config["HOTLINE"],
        )
        messaging.send("sms", account.person.phone, body, now, config)
    notifications.notify(account.id, "password_changed", now)
    audit.record("password_reset", now, actor_type="citizen", actor_id=account.id)
    # Whoever reset the password may not be the phone's owner: no passkey outlives it.
    if passkeys.remove_all(account.id, now, "password_reset"):
        if account.person.phone:
            body = outgoing.sms(
                "passkeys_removed", outgoing.recipient_locale(account), hotline=config["HOTLINE"]
            )
            messaging.send("sms", account.person.phone, body, now, config)
        notifications.notify(account.id, "passkeys_removed", now)
