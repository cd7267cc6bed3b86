"""Web Push (X4): VAPID keys, the devices' subscriptions, and sending notifications to them.

Sending never happens in the request that caused a notification: the worker calls
`deliver_pushes`, which sends each device what it has not been sent yet. A push carries a title
and a link, nothing else: the title is generic ("Bạn có thông báo mới từ VssID", or the kind of
event with no detail), in the account's language; what happened is read on the page the link
opens, after signing in. A subscription the push service says is gone (404/410) is deleted; any
other failure is tried again later, with a growing delay, for as long as the notification is
fresh (PUSH_MAX_AGE).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import ipaddress
import json
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from py_vapid import Vapid
from pywebpush import WebPushException, webpush
from sqlalchemy import delete, func, select

from webapp.config import create_secret_file
from webapp.extensions import db
from webapp.models import Account, Notification, PushSubscription
from webapp.services import atomic
from webapp.services.clock import as_utc
from webapp.services.notifications import path_for

log = logging.getLogger(__name__)

ENDPOINT_MAX_LENGTH = 1000  # the column's length; real endpoints are 150–500 characters
SUBSCRIPTION_MAX_BYTES = 4096
PUSH_TTL_SECONDS = 24 * 3600  # the push service keeps a message this long for a phone offline
PUSH_MAX_AGE = dt.timedelta(hours=24)  # older notifications are in the inbox, not pushed
BATCH_SIZE = 500
SEND_TIMEOUT_SECONDS = 10
SEND_THREADS = 8
BACKOFF_FIRST = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=1)

# What a lock screen may show: the kind of event at most, never a detail of it.
PUSH_TITLES = {
    "password_changed": _l("Your VssID password was changed"),
    "new_device": _l("Your VssID account was signed in on a new device"),
    "card_renewed": _l("News about your health insurance card"),
    "card_expiring": _l("News about your health insurance card"),
}
GENERIC_TITLE = _l("You have a new notification from VssID")

_B64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


# --- VAPID keys ------------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(value: str) -> bytes:
    if not _B64URL.match(value):
        raise ValueError("not base64url")
    stripped = value.rstrip("=")
    return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))


def generate_vapid_keys() -> tuple[str, str]:
    """A new VAPID key pair as the config wants it: the private key's 32 bytes and the public
    key's uncompressed point (what browsers take as `applicationServerKey`), both base64url."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(private), _b64url(public)


@dataclass(frozen=True)
class VapidKeys:
    """The application server's identity towards push services (RFC 8292)."""

    vapid: Vapid
    public_key: str  # base64url uncompressed point, for the page's `applicationServerKey`
    subject: str  # mailto: or https: contact for the push services


def _create_key_file(path: Path) -> None:
    """Write a new private key unless one appears meanwhile (several workers start at once)."""
    create_secret_file(path, (generate_vapid_keys()[0] + "\n").encode())


@lru_cache(maxsize=4)
def _load_keys(private: str, public: str | None, subject: str) -> VapidKeys:
    private = private.strip()
    if "-----BEGIN" in private:
        vapid = Vapid.from_pem(private.encode())
    else:
        vapid = Vapid.from_string(private)
    derived = _b64url(
        vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )
    if public and public.strip().rstrip("=") != derived:
        raise ValueError("VAPID_PUBLIC_KEY is not the public key of VAPID_PRIVATE_KEY")
    if not subject.startswith(("mailto:", "https://")):
        raise ValueError("VAPID_SUBJECT must be a mailto: or https:// address")
    return VapidKeys(vapid, derived, subject)


def vapid_keys(config: Mapping) -> VapidKeys | None:
    """The configured keys: VAPID_PRIVATE_KEY, else (demo) the key kept in VAPID_KEY_FILE,
    generated on first use. None when neither is set: Web Push is then off."""
    private = config.get("VAPID_PRIVATE_KEY")
    if not private:
        path = config.get("VAPID_KEY_FILE")
        if not path:
            return None
        file = Path(path)
        if not file.exists():
            _create_key_file(file)
        private = file.read_text()
    return _load_keys(private, config.get("VAPID_PUBLIC_KEY"), config["VAPID_SUBJECT"])


# --- Subscriptions ---------------------------------------------------------------------------


class SubscriptionError(ValueError):
    """The browser's subscription is not one we can use. `field` says which part: "format",
    "endpoint", "service", "p256dh" or "auth"."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True)
class Subscription:
    endpoint: str
    p256dh: str
    auth: str


def _host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    if "*" in allowed:
        return True
    return any(host == name or host.endswith("." + name) for name in allowed)


def parse_subscription(data: object, allowed_hosts: tuple[str, ...]) -> Subscription:
    """Check a `PushSubscription.toJSON()` from a browser before keeping it. The endpoint is a
    URL the worker will POST to, so it must be an https:// address of a known push service
    (never an IP address or an internal host); the keys must be a P-256 public key and a
    16-byte secret, base64url-encoded as browsers send them."""
    if not isinstance(data, dict) or not isinstance(data.get("keys"), dict):
        raise SubscriptionError("format")
    endpoint, keys = data.get("endpoint"), data["keys"]
    if not isinstance(endpoint, str) or not 0 < len(endpoint) <= ENDPOINT_MAX_LENGTH:
        raise SubscriptionError("endpoint")
    if any(not 33 <= ord(char) < 127 for char in endpoint):
        raise SubscriptionError("endpoint")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError as error:
        raise SubscriptionError("endpoint") from error
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or parts.username or parts.password:
        raise SubscriptionError("endpoint")
    if port not in (None, 443):
        raise SubscriptionError("service")
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        raise SubscriptionError("service")
    if "." not in host or not _host_allowed(host, allowed_hosts):
        raise SubscriptionError("service")

    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    try:
        if not isinstance(p256dh, str) or len(p256dh) > 100:
            raise ValueError
        point = _b64url_decode(p256dh)
        if len(point) != 65:
            raise ValueError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, binascii.Error) as error:
        raise SubscriptionError("p256dh") from error
    try:
        if not isinstance(auth, str) or len(auth) > 40 or len(_b64url_decode(auth)) != 16:
            raise ValueError
    except (ValueError, binascii.Error) as error:
        raise SubscriptionError("auth") from error
    return Subscription(endpoint, p256dh.rstrip("="), auth.rstrip("="))


def subscribe(
    account_id: int, device_id: str, subscription: Subscription, now: dt.datetime
) -> PushSubscription:
    """Keep the subscription of this account on this device (one per device: subscribing again
    replaces it). An endpoint another account held on this browser moves to this one, so that
    a shared phone never receives the previous citizen's pushes. Only notifications from now on
    are pushed; the older ones are in the inbox."""
    db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.endpoint == subscription.endpoint,
            (PushSubscription.account_id != account_id) | (PushSubscription.device_id != device_id),
        )
    )
    pushed_through = db.session.scalar(
        select(func.max(Notification.id)).where(Notification.account_id == account_id)
    )
    atomic.upsert(  # one row per account and device, however many requests arrive at once
        PushSubscription,
        ["account_id", "device_id"],
        account_id=account_id,
        device_id=device_id,
        endpoint=subscription.endpoint,
        p256dh=subscription.p256dh,
        auth=subscription.auth,
        created_at=now,
        failures=0,
        retry_at=None,
        last_error=None,
        pushed_through=pushed_through or 0,
    )
    return db.session.scalar(
        select(PushSubscription)
        .where(PushSubscription.account_id == account_id, PushSubscription.device_id == device_id)
        .execution_options(populate_existing=True)
    )


def unsubscribe(account_id: int, device_id: str) -> bool:
    """Stop pushing to this device for this account. True if it was subscribed."""
    result = db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.account_id == account_id, PushSubscription.device_id == device_id
        )
    )
    return bool(result.rowcount)


def is_subscribed(account_id: int, device_id: str) -> bool:
    return (
        db.session.scalar(
            select(PushSubscription.id).where(
                PushSubscription.account_id == account_id, PushSubscription.device_id == device_id
            )
        )
        is not None
    )


# --- Delivery --------------------------------------------------------------------------------


def payload(notifications: list[Notification], locale: str | None) -> str:
    """The whole push: {"title", "url"}. One notification: the title of its kind (generic for a
    visit or a payment) and the page that opens it; several: how many, and the inbox."""
    with force_locale(locale or "vi"):
        if len(notifications) == 1:
            notification = notifications[0]
            title = str(PUSH_TITLES.get(notification.kind, GENERIC_TITLE))
            url = path_for("citizen.open_notification", notification_id=notification.id)
        else:
            title = _("You have %(num)d new notifications from VssID", num=len(notifications))
            url = path_for("citizen.notifications")
    return json.dumps({"title": title, "url": url}, ensure_ascii=False, separators=(",", ":"))


@dataclass
class SendResult:
    status: int | None  # the push service's HTTP status; None when it could not be reached
    error: str | None = None


def subscription_info(subscription: PushSubscription) -> dict:
    """What pywebpush needs of a subscription, as a plain dict (safe to hand to a thread)."""
    return {
        "endpoint": subscription.endpoint,
        "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
    }


def send_push(info: dict, data: str, keys: VapidKeys) -> SendResult:
    """One push to one device's push service: encrypted for the device (aes128gcm), signed
    with our VAPID key, kept by the service for a day if the phone is offline."""
    try:
        response = webpush(
            info,
            data=data,
            vapid_private_key=keys.vapid,
            vapid_claims={"sub": keys.subject},
            ttl=PUSH_TTL_SECONDS,
            timeout=SEND_TIMEOUT_SECONDS,
            headers={"Urgency": "normal"},
        )
    except WebPushException as error:
        return SendResult(error.status_code, str(error.message).strip().split("\n")[0][:255])
    except (requests.RequestException, ValueError) as error:
        return SendResult(None, f"{type(error).__name__}: {error}"[:255])
    return SendResult(response.status_code)


def _backoff(failures: int) -> dt.timedelta:
    return min(BACKOFF_FIRST * 2 ** max(failures - 1, 0), BACKOFF_MAX)


def _mark_done(ids: list[int], now: dt.datetime) -> int:
    """Set `pushed_at` on those of the notifications `ids` still pending; returns how many.
    A row another worker holds is skipped, never waited for: that worker is marking it too, or
    the next round will."""
    if not ids:
        return 0
    claimed = db.session.scalars(
        select(Notification)
        .where(Notification.id.in_(ids), Notification.pushed_at.is_(None))
        .order_by(Notification.id)
        .with_for_update(skip_locked=True)
    ).all()
    for notification in claimed:
        notification.pushed_at = now
    return len(claimed)


def deliver_pushes(
    now: dt.datetime,
    send: Callable[[dict, str, VapidKeys], SendResult] = send_push,
) -> Counter:
    """Send every device what it has not been sent yet: for each pending notification, each
    subscription of its account. Returns counts: sent, gone (subscription deleted), failed
    (tried again later), done (notifications no longer pending).

    Several workers may run it at once: each device is one worker's at a time (its row is
    locked until the round commits; another worker skips it), so what the device has been sent
    (`pushed_through`) is read under the lock and no notification reaches it twice."""
    counts: Counter = Counter()
    pending = db.session.scalars(
        select(Notification)
        .where(Notification.pushed_at.is_(None))
        .order_by(Notification.id)
        .limit(BATCH_SIZE)
    ).all()
    if not pending:
        return counts
    keys = vapid_keys(current_app.config)
    fresh: dict[int, list[Notification]] = defaultdict(list)
    not_pushed: list[int] = []
    for notification in pending:
        if keys is None or as_utc(notification.created_at) < now - PUSH_MAX_AGE:
            not_pushed.append(notification.id)  # Web Push off, or too old to be news
        else:
            fresh[notification.account_id].append(notification)
    counts["done"] += _mark_done(not_pushed, now)
    if not fresh:
        return +counts

    subscriptions = db.session.scalars(
        select(PushSubscription)
        .where(PushSubscription.account_id.in_(fresh))
        .order_by(PushSubscription.id)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).all()
    locales = dict(
        db.session.execute(select(Account.id, Account.locale).where(Account.id.in_(fresh))).all()
    )
    jobs: list[tuple[PushSubscription, list[Notification], dict, str]] = []
    for subscription in subscriptions:
        due = [n for n in fresh[subscription.account_id] if n.id > subscription.pushed_through]
        waiting = subscription.retry_at is not None and as_utc(subscription.retry_at) > now
        if due and not waiting:
            data = payload(due, locales.get(subscription.account_id))
            jobs.append((subscription, due, subscription_info(subscription), data))

    results: list[SendResult] = []
    if jobs:
        # The sends wait on the network, so several run at once; the database stays here.
        with ThreadPoolExecutor(max_workers=min(SEND_THREADS, len(jobs))) as pool:
            results = list(pool.map(lambda job: send(job[2], job[3], keys), jobs))
    for (subscription, due, _info, _data), result in zip(jobs, results, strict=True):
        if result.status is not None and 200 <= result.status < 300:
            # Only forward: every one of `due` is above what the device had (read under lock).
            subscription.pushed_through = max(n.id for n in due)
            subscription.failures, subscription.retry_at, subscription.last_error = 0, None, None
            counts["sent"] += 1
        elif result.status in (404, 410):
            db.session.delete(subscription)
            counts["gone"] += 1
        else:
            subscription.failures += 1
            subscription.retry_at = now + _backoff(subscription.failures)
            subscription.last_error = result.error or f"HTTP {result.status}"
            log.warning("push to subscription %s failed: %s", subscription.id, result.error)
            counts["failed"] += 1

    # Done: every device of the account has had it. Read from the database, which also shows
    # the devices another worker holds (as last committed: not done yet, then).
    db.session.flush()
    had = dict(
        db.session.execute(
            select(PushSubscription.account_id, func.min(PushSubscription.pushed_through))
            .where(PushSubscription.account_id.in_(fresh))
            .group_by(PushSubscription.account_id)
        ).all()
    )
    done = [
        notification.id
        for account_id, notifications in fresh.items()
        for notification in notifications
        if notification.id <= had.get(account_id, notification.id)
    ]
    counts["done"] += _mark_done(done, now)
    db.session.flush()
    return +counts
