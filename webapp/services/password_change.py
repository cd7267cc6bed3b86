"""Đổi mật khẩu (C3): old, new and repeat are checked, then an OTP sent to the registered phone
confirms the change. The new password waits, hashed, beside the OTP until then."""

from __future__ import annotations

import datetime as dt

from webapp.models import Account, DeviceSession
from webapp.services import audit, messaging, notifications, otp, outgoing, sessions
from webapp.services.passwords import hash_password, set_password_hash

PURPOSE = "change_password"


def start(
    account: Account, device_id: str, new_password: str, now: dt.datetime, config
) -> otp.Issued:
    """Send the OTP for a change to `new_password` (already checked against the policy)."""
    issued = otp.issue_to_account(PURPOSE, account, device_id, now, config, "otp_change_password")
    if issued.challenge is not None:
        issued.challenge.pending_password_hash = hash_password(new_password)
    return issued


def confirm(
    account: Account,
    device_session: DeviceSession,
    code: str,
    now: dt.datetime,
    config,
    when_text: str,
) -> otp.Verdict:
    """Apply the change when the code is right: every other session of the account is signed
    out, and the citizen is told by SMS and in the inbox."""
    verdict = otp.check(
        PURPOSE,
        otp.account_subject(account),
        device_session.device_id,
        code,
        now,
        config["SECRET_KEY"],
    )
    if verdict.result is otp.Check.OK:
        challenge = verdict.challenge
        set_password_hash(account, challenge.pending_password_hash, now)
        challenge.pending_password_hash = None
        sessions.revoke_all(account, now, "password_changed", keep=device_session)
        audit.record("password_changed", now, actor_type="citizen", actor_id=account.id)
        messaging.send(
            "sms",
            account.person.phone,
            outgoing.sms(
                "password_changed",
                outgoing.recipient_locale(account),
                when=when_text,
                hotline=config["HOTLINE"],
            ),
            now,
            config,
        )
        notifications.notify(account.id, "password_changed", now)
    elif verdict.result is not otp.Check.MISSING:
        audit.record("otp_failed", now, actor_type="citizen", actor_id=account.id, purpose=PURPOSE)
    return verdict
