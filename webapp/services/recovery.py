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

from webapp.extensions import db
from webapp.models import Account
from webapp.services import audit, messaging, notifications, otp, passwords, sessions

PURPOSE = "reset_password"

OTP_SMS = (
    "VssID: Ma OTP {code} dung de LAY LAI MAT KHAU tai khoan VssID, co hieu luc 5 phut. "
    "Neu ban khong yeu cau, hay bo qua tin nay. Khong cung cap ma cho bat ky ai."
)
OTP_EMAIL_SUBJECT = "VssID: mã OTP lấy lại mật khẩu"
OTP_EMAIL = (
    "Mã OTP để lấy lại mật khẩu tài khoản VssID của bạn là {code}, có hiệu lực trong 5 phút.\n"
    "Nếu bạn không yêu cầu lấy lại mật khẩu, hãy bỏ qua thư này. "
    "Không cung cấp mã cho bất kỳ ai, kể cả cán bộ BHXH."
)
FIRST_PASSWORD_SMS = (  # a message template, not a password
    "VssID: Tai khoan {code} chua tung dang nhap. Mat khau tam thoi moi: {password} . "
    "Hay dang nhap va doi mat khau ngay."
)
FIRST_PASSWORD_EMAIL_SUBJECT = "VssID: mật khẩu tạm thời mới"
FIRST_PASSWORD_EMAIL = (
    "Tài khoản VssID {code} chưa từng đăng nhập. Mật khẩu tạm thời mới của bạn: {password}\n"
    "Hãy đăng nhập và đổi mật khẩu ngay."
)
RESET_SMS = (
    "VssID: Mat khau tai khoan VssID cua ban vua duoc dat lai luc {when}. Moi thiet bi da bi "
    "dang xuat. Neu khong phai ban, hay goi tong dai {hotline} ngay."
)


@dataclass(frozen=True)
class Started:
    account_id: int | None  # the matched account, kept server-side only (signed session)
    first_password_sent: bool = False


def _normal_phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    return "0" + digits[2:] if digits.startswith("84") and len(digits) == 11 else digits


def _matches(account: Account | None, channel: str, contact: str) -> bool:
    if account is None or account.status not in {"active", "pending"}:
        return False
    person = account.person
    if channel == "sms":
        return bool(person.phone) and _normal_phone(person.phone) == _normal_phone(contact)
    return bool(person.email) and person.email.casefold() == contact.strip().casefold()


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
    """Send what the matched account needs, or nothing; the work done is the same either way."""
    account = sessions.find_account(identifier)
    matched = _matches(account, channel, contact)
    first_password = matched and _never_used_first_password(account)
    new_password = temporary_password()
    new_hash = passwords.hash_password(new_password)  # done on every path: equal timing
    if not matched:
        audit.record("recovery_requested", now, actor_type="anonymous", matched=False)
        db.session.commit()
        return Started(None)
    person = account.person
    if first_password:
        passwords.set_password_hash(account, new_hash, now, temporary=True)
        account.first_password_resent_at = now
        if channel == "sms":
            body = FIRST_PASSWORD_SMS.format(code=person.bhxh_code, password=new_password)
            messaging.send("sms", person.phone, body, now, config)
        else:
            body = FIRST_PASSWORD_EMAIL.format(code=person.bhxh_code, password=new_password)
            messaging.send("email", person.email, body, now, config, FIRST_PASSWORD_EMAIL_SUBJECT)
        audit.record(
            "first_password_resent", now, actor_type="citizen", actor_id=account.id, channel=channel
        )
        db.session.commit()
        return Started(account.id, first_password_sent=True)
    issued = otp.issue(account, PURPOSE, device_id, now, config["SECRET_KEY"])
    if issued.challenge is not None:
        issued.challenge.channel = channel
        if channel == "sms":
            messaging.send("sms", person.phone, OTP_SMS.format(code=issued.code), now, config)
        else:
            body = OTP_EMAIL.format(code=issued.code)
            messaging.send("email", person.email, body, now, config, OTP_EMAIL_SUBJECT)
        audit.record("otp_sent", now, actor_type="citizen", actor_id=account.id, purpose=PURPOSE)
    audit.record("recovery_requested", now, actor_type="citizen", actor_id=account.id, matched=True)
    db.session.commit()
    return Started(account.id)


def check_code(
    account_id: int | None, code: str, device_id: str, wrong_so_far: int, now: dt.datetime, config
) -> otp.Verdict:
    """The code against the one sent; with no matched account every code is wrong, counted
    down exactly as a real one would be."""
    if account_id is None:
        left = max(otp.MAX_WRONG_TRIES - wrong_so_far - 1, 0)
        return otp.Verdict(otp.Check.WRONG if left else otp.Check.VOID, left)
    account = db.session.get(Account, account_id)
    verdict = otp.check(account, PURPOSE, device_id, code, now, config["SECRET_KEY"])
    if verdict.result is otp.Check.MISSING:  # e.g. a first password was sent instead
        left = max(otp.MAX_WRONG_TRIES - wrong_so_far - 1, 0)
        verdict = otp.Verdict(otp.Check.WRONG if left else otp.Check.VOID, left)
    if verdict.result is not otp.Check.OK:
        audit.record("otp_failed", now, actor_type="citizen", actor_id=account.id, purpose=PURPOSE)
    db.session.commit()
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
        body = RESET_SMS.format(when=when_text, hotline=config["HOTLINE"])
        messaging.send("sms", account.person.phone, body, now, config)
    notifications.notify(account.id, "password_changed", now)
    audit.record("password_reset", now, actor_type="citizen", actor_id=account.id)
    db.session.commit()
