"""Messages out (SMS/email outbox), the in-app inbox, and Web Push subscriptions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db


class OutboxMessage(db.Model):
    """An SMS or email to send; the default gateway backend only writes these rows."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_pending", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(5))  # sms / email
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str | None] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(8), default="pending")  # pending/sent/failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(255))


class Notification(db.Model):
    """Thông báo: an entry of the citizen's in-app inbox.

    The row holds no language: its title is rendered when it is read, in the reader's language,
    from `kind` and `params` (see `services.notifications`). `dedupe_key` names the event
    ("visit:123") so that the same event never notifies twice; `pushed_at` is set once Web Push
    is done with it (sent to every device, nothing to send, or given up)."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_inbox", "account_id", "read_at", "created_at"),
        UniqueConstraint("account_id", "dedupe_key", name="uq_notification_account_dedupe"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    kind: Mapped[str] = mapped_column(String(30))
    params: Mapped[dict | None] = mapped_column(JSON)
    link: Mapped[str | None] = mapped_column(String(255))
    dedupe_key: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    pushed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class PushSubscription(db.Model):
    """A Web Push subscription of one account on one device (one per account and device).

    `pushed_through` is the newest notification id this device has been sent, so a failed
    device is retried without sending the others twice; `retry_at` backs off after failures."""

    __tablename__ = "push_subscription"
    __table_args__ = (
        UniqueConstraint("account_id", "device_id", name="uq_push_subscription_account_device"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    device_id: Mapped[str] = mapped_column(String(64))
    endpoint: Mapped[str] = mapped_column(String(1000), unique=True)
    p256dh: Mapped[str] = mapped_column(String(200))
    auth: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    pushed_through: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    retry_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(255))


class NotificationScan(db.Model):
    """Where the scan for back-office events stopped, per source ("visit"): the highest row id
    already looked at, so each scan reads only what arrived since."""

    __tablename__ = "notification_scan"

    source: Mapped[str] = mapped_column(String(30), primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    scanned_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
