"""Citizens' electronic-transaction accounts, their device sessions and OTP challenges."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


class Account(db.Model):
    """Tài khoản giao dịch điện tử cá nhân: the login of one person (BHXH code or CCCD)."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    # pending: issued but never used; active; locked (by an officer or by repeated failures)
    status: Mapped[str] = mapped_column(String(12), default="active", index=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    first_password_resent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    person: Mapped[Person] = relationship(back_populates="account")  # noqa: F821
    sessions: Mapped[list[DeviceSession]] = relationship(back_populates="account")


class PasswordHistory(db.Model):
    """Earlier password hashes, so that a new password cannot repeat the last ones."""

    __tablename__ = "password_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DeviceSession(db.Model):
    """A signed-in device. The browser session holds only `token`; revoking the row signs the
    device out at its next request, whichever worker serves it."""

    __tablename__ = "device_session"
    __table_args__ = (Index("ix_device_session_account_active", "account_id", "revoked_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    device_id: Mapped[str] = mapped_column(String(64), index=True)
    user_agent: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # logout, signed_in_elsewhere, password_changed, password_reset
    revoked_reason: Mapped[str | None] = mapped_column(String(30))

    account: Mapped[Account] = relationship(back_populates="sessions")


class OtpChallenge(db.Model):
    """Mã OTP: a one-time code for one purpose, one subject and one device, stored hashed.

    The subject is who the code proves something about: an account ("account:<id>"), a person
    looking for their code ("person:<id>"), or the contact a recovery was asked for
    ("contact:<HMAC>", whether or not it matched an account: both look the same here)."""

    __tablename__ = "otp_challenge"
    __table_args__ = (
        Index("ix_otp_challenge_lookup", "account_id", "purpose", "created_at"),
        Index("ix_otp_challenge_subject", "subject", "purpose", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    subject: Mapped[str] = mapped_column(String(80))
    purpose: Mapped[str] = mapped_column(String(30))
    device_id: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(String(10), default="sms")
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # Every try counts (added in one UPDATE, decided on the value it returns).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    consumed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # What the code confirms, kept server-side until then (e.g. the new password's hash).
    pending_password_hash: Mapped[str | None] = mapped_column(String(255))


class OtpThrottle(db.Model):
    """How often codes went to one subject for one purpose ("<purpose>:<subject>"): the last
    send (60 s apart) and the sends of the current hour (5 at most). One row a key, claimed by
    a single conditional UPDATE, so parallel requests cannot both send."""

    __tablename__ = "otp_throttle"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    last_sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    window_start: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sent_in_window: Mapped[int] = mapped_column(Integer, default=0)


class IdentifierLock(db.Model):
    """The sign-in lock of an identifier without an account ("citizen:<code or CCCD>"): wrong
    passwords are counted and locked as for an account, so the answers never tell which codes
    have one."""

    __tablename__ = "identifier_lock"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Passkey(db.Model):
    """Đăng nhập bằng vân tay / khuôn mặt: a WebAuthn credential of a citizen's phone. The
    private key never leaves the phone; the server keeps the public key and the signature
    counter, which a cloned authenticator would repeat."""

    __tablename__ = "passkey"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A citizen's (account) or an officer's (their second factor): one of the two.
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"), index=True)
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1023), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(2048))
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    device_name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class WebAuthnChallenge(db.Model):
    """A challenge handed to the browser for one ceremony (adding a passkey, signing in with
    one), kept hashed: used once (`used_at` set by the UPDATE that claims it), only by the
    browser it was given to (`device_id`, and the session holds it), within its minutes."""

    __tablename__ = "webauthn_challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    device_id: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
