"""Messages out: SMS and email through a gateway whose backend is chosen by config.

Every message is first written to the outbox table, in the same transaction as what caused it;
delivery happens afterwards (by `flask outbox deliver` on a schedule, one message at a time),
so a slow or broken provider never blocks or breaks the page, and a failed send is
retried with backoff. The default backend, `outbox`, delivers nowhere: the row is the message,
readable in the demo at /dev/outbox and by `flask outbox list`.
"""

from __future__ import annotations

import datetime as dt
import json
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

from sqlalchemy import or_, select

from webapp.extensions import db
from webapp.models import OutboxMessage

MAX_ATTEMPTS = 6
BACKOFF_BASE_SECONDS = 30  # 30 s, 1 min, 2 min, 4 min, 8 min


class DeliveryError(Exception):
    """The provider refused or could not be reached; the message will be tried again."""


class Backend(Protocol):
    def deliver(self, message: OutboxMessage) -> None: ...


class OutboxBackend:
    """Keeps messages in the outbox table only (demo, development, tests)."""

    def deliver(self, message: OutboxMessage) -> None:
        return None


@dataclass
class HttpSmsBackend:
    """A generic HTTP SMS provider: POST {"to", "text"} as JSON with a bearer token."""

    url: str
    token: str
    timeout: float = 5.0

    def deliver(self, message: OutboxMessage) -> None:
        payload = json.dumps({"to": message.recipient, "text": message.body}).encode()
        request = urllib.request.Request(  # noqa: S310 (the URL comes from config)
            self.url,
            data=payload,
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.status >= 300:
                    raise DeliveryError(f"HTTP {response.status}")
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise DeliveryError(type(error).__name__) from error


@dataclass
class SmtpBackend:
    """Email through an SMTP server (STARTTLS when a user is configured)."""

    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    def deliver(self, message: OutboxMessage) -> None:
        email = EmailMessage()
        email["From"], email["To"] = self.sender, message.recipient
        email["Subject"] = message.subject or ""
        email.set_content(message.body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.username:
                    smtp.starttls()
                    smtp.login(self.username, self.password or "")
                smtp.send_message(email)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryError(type(error).__name__) from error


def backend_from_config(config: dict, channel: str) -> Backend:
    """The backend for `channel` ("sms" or "email") named by SMS_BACKEND / EMAIL_BACKEND."""
    if channel == "sms" and config.get("SMS_BACKEND") == "http":
        return HttpSmsBackend(
            config["SMS_HTTP_URL"], config["SMS_HTTP_TOKEN"], config.get("SMS_HTTP_TIMEOUT", 5.0)
        )
    if channel == "email" and config.get("EMAIL_BACKEND") == "smtp":
        return SmtpBackend(
            config["SMTP_HOST"],
            int(config.get("SMTP_PORT", 587)),
            config["MAIL_SENDER"],
            config.get("SMTP_USERNAME"),
            config.get("SMTP_PASSWORD"),
        )
    return OutboxBackend()


def send(
    channel: str, recipient: str, body: str, now: dt.datetime, config, subject: str | None = None
) -> OutboxMessage:
    """Queue an SMS or email in the caller's transaction. With the `outbox` backend the row is
    the delivery (marked sent at once); otherwise `deliver_next` sends it later."""
    backend = backend_from_config(config, channel)
    kept_only = isinstance(backend, OutboxBackend)
    message = OutboxMessage(
        channel=channel,
        recipient=recipient,
        subject=subject,
        body=body,
        created_at=now,
        status="sent" if kept_only else "pending",
        attempts=0,
        next_attempt_at=None if kept_only else now,
        sent_at=now if kept_only else None,
    )
    db.session.add(message)
    return message


def deliver_next(config: dict, now: dt.datetime) -> bool | None:
    """Try the oldest message that is due: True when delivered, False when it failed (recorded,
    and retried later with backoff, or given up after MAX_ATTEMPTS), None when nothing is due.

    The row is claimed with SKIP LOCKED where the database has it, so several workers never
    send the same message twice; the worker commits each message on its own
    (`webapp.workers.deliver_outbox`), so a later failure never undoes a send."""
    message = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.status == "pending",
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now),
        )
        .order_by(OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).first()
    if message is None:
        return None
    message.attempts += 1
    try:
        backend_from_config(config, message.channel).deliver(message)
    except DeliveryError as error:
        message.last_error = str(error)[:255]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = "failed"
        else:
            delay = BACKOFF_BASE_SECONDS * 2 ** (message.attempts - 1)
            message.next_attempt_at = now + dt.timedelta(seconds=delay)
        delivered = False
    else:
        message.status, message.sent_at, message.last_error = "sent", now, None
        delivered = True
    db.session.flush()
    return delivered
