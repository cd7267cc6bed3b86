"""Thông báo (X4): the citizen's inbox, and the switch for Web Push on this device.

The inbox reads only the signed-in account's rows; another account's notification is "not
found". Opening an entry (a link, so it works as links do) marks it read and leads to the page
it is about; pushes open the same address, so a push tapped on the phone marks it read too.
"""

from __future__ import annotations

import datetime as dt
import json

from flask import abort, current_app, g, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.citizen import bp
from webapp.citizen.records import REGIME_LABELS
from webapp.extensions import db
from webapp.models import Notification
from webapp.parsing import parse_int
from webapp.services import notifications, push
from webapp.services.clock import as_utc
from webapp.templating import format_date, render_page
from webapp.web import clock

# Titles, rendered in the reader's language when the inbox is read.
TITLES = {
    "password_changed": _l("Your password was changed"),
    "new_device": _l("Your account was signed in on a new device"),
    "passkeys_removed": _l("Sign-in with fingerprint or face was removed from your account"),
    "card_renewed": _l(
        "Your health insurance card has been renewed: valid from %(valid_from)s to %(valid_to)s"
    ),
    "card_expiring": _l("Your health insurance card expires on %(valid_to)s"),
    "medical_visit": _l("A new visit was added to your medical book: %(facility)s, %(date)s"),
    "benefit_paid": _l("Benefit paid: %(regime)s, on %(date)s"),
    "delegation_offered": _l("%(name)s offers you access to their data: accept or decline"),
    "delegation_accepted": _l("%(name)s accepted the access you gave them"),
    "delegation_declined": _l("%(name)s declined the access you offered them"),
    "delegation_ended": _l("%(name)s ended a shared access"),
    "viewed_by_officer": _l("A BHXH officer opened your records on %(date)s: %(name)s"),
}
# The same without the details, should a row lack them.
SHORT_TITLES = {
    "card_renewed": _l("Your health insurance card has been renewed"),
    "card_expiring": _l("Your health insurance card expires soon"),
    "medical_visit": _l("A new visit was added to your medical book"),
    "benefit_paid": _l("A benefit was paid"),
}
DETAILS = {
    "password_changed": _l("If it was not you, call the hotline %(hotline)s at once."),
    "new_device": _l("If it was not you, call the hotline %(hotline)s at once."),
    "passkeys_removed": _l(
        "Add fingerprint or face sign-in again from your account page if you want it. "
        "If you did not ask for this, call the hotline %(hotline)s at once."
    ),
    "card_expiring": _l("Renew it in time so that your cover does not stop."),
    "viewed_by_officer": _l("Every view of your data by someone else is in your access log."),
}

# Why a subscription was refused, by the part that was wrong (push.SubscriptionError.field).
SUBSCRIPTION_ERRORS = {
    "format": _l("The browser sent a push subscription this page cannot read."),
    "endpoint": _l("The push subscription's address is not a valid https:// address."),
    "service": _l("The push subscription's address is not a known browser push service."),
    "p256dh": _l("The push subscription's public key (p256dh) is not a P-256 key."),
    "auth": _l("The push subscription's secret (auth) must be 16 bytes, base64url-encoded."),
    "size": _l("The push subscription is too large."),
    "off": _l("Notifications on this phone are not available on this server."),
}


def _values(notification: Notification) -> dict[str, str]:
    """The params as the title shows them: dates dd/mm/yyyy, a regime by its name."""
    values = {}
    for name, value in (notification.params or {}).items():
        if name in ("date", "valid_from", "valid_to") and isinstance(value, str):
            try:
                value = format_date(dt.date.fromisoformat(value))
            except ValueError:
                pass
        elif name == "regime":
            value = REGIME_LABELS.get(value, value)
        values[name] = str(value)
    values["hotline"] = current_app.config["HOTLINE"]
    return values


def title(notification: Notification) -> str:
    """The entry's title in the current language."""
    values = _values(notification)
    template = TITLES.get(notification.kind)
    if template is None:
        return _("Notification")
    try:
        return str(template) % values
    except (KeyError, ValueError, TypeError):
        return str(SHORT_TITLES.get(notification.kind, template))


def detail(notification: Notification) -> str | None:
    template = DETAILS.get(notification.kind)
    return str(template) % _values(notification) if template is not None else None


def unread_label(count: int) -> str:
    """What a screen reader says for the badge: "3 thông báo chưa đọc"."""
    if count == 1:
        return _("1 unread notification")
    return _("%(num)d unread notifications", num=count)


def unread_for_current_user() -> int | None:
    """The signed-in citizen's unread count, counted once per request however many places show
    it (top bar, home tile), with the session itself (`load_citizen`); None when no citizen is
    signed in. (The views that mark notifications read redirect: no page of theirs shows a
    count read before.)"""
    account = getattr(current_user, "account", None)
    if account is None:
        return None
    if "unread_notifications" not in g:
        g.unread_notifications = notifications.unread_count(account.id)
    return g.unread_notifications


@bp.app_context_processor
def inject_unread() -> dict:
    return {"unread_notifications": unread_for_current_user, "unread_label": unread_label}


def _account_id() -> int:
    return current_user.account.id


@bp.route("/thong-bao", endpoint="notifications")
def inbox_page():
    """Thông báo: the inbox, newest first, twenty to a page; unread entries are marked.

    "Older"/"Newer" swap only the list (HTMX) and push ?page=n, which loads the full page."""
    page = parse_int(request.args.get("page", "1"), minimum=1, maximum=100_000)
    if page is None:
        abort(404)
    inbox = notifications.inbox(_account_id(), page)
    if page > 1 and not inbox.items:
        abort(404)
    return render_page(
        "citizen/notifications.html",
        "citizen/_notifications_list.html",
        inbox=inbox,
        entries=[
            {
                "id": n.id,
                "title": title(n),
                "detail": detail(n),
                "unread": n.read_at is None,
                "created_at": as_utc(n.created_at),
            }
            for n in inbox.items
        ],
    )


@bp.route("/thong-bao/<int:notification_id>")
def open_notification(notification_id: int):
    """Open one entry: it is marked read, and the citizen lands on the page it is about.

    A GET that marks read, so that entries are ordinary links and a tapped push opens it; all
    it can change is the unread mark of the citizen's own entry."""
    notification = notifications.mark_read(_account_id(), notification_id, clock().now())
    if notification is None:
        abort(404)
    db.session.commit()
    link = notification.link
    if not link or not notifications.is_local_path(link):
        link = url_for("citizen.notifications")
    return redirect(link, 303)


@bp.route("/thong-bao/doc-het", methods=["POST"])
def mark_all_notifications_read():
    """Đánh dấu tất cả là đã đọc (a form with its CSRF token), then back to the inbox."""
    notifications.mark_all_read(_account_id(), clock().now())
    db.session.commit()
    return redirect(url_for("citizen.notifications"), 303)


def _json_error(field: str, status: int = 400):
    return jsonify(error=str(SUBSCRIPTION_ERRORS[field])), status


@bp.route("/thong-bao/push", methods=["POST", "DELETE"])
def push_subscription():
    """The switch on the home screen: POST the browser's `PushSubscription` (JSON) to receive
    pushes on this device, DELETE to stop. The device is the signed-in device session's, so a
    citizen has one subscription per phone. Answers JSON: {subscribed, message} or {error}."""
    device_id = current_user.device_session.device_id
    if request.method == "DELETE":
        push.unsubscribe(_account_id(), device_id)
        db.session.commit()
        return jsonify(subscribed=False, message=_("Notifications on this phone are off."))
    if push.vapid_keys(current_app.config) is None:
        return _json_error("off", 404)
    if (request.content_length or 0) > push.SUBSCRIPTION_MAX_BYTES:
        return _json_error("size")
    body = request.get_data()
    if len(body) > push.SUBSCRIPTION_MAX_BYTES:
        return _json_error("size")
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        data = None
    try:
        subscription = push.parse_subscription(data, current_app.config["PUSH_SERVICE_HOSTS"])
    except push.SubscriptionError as error:
        return _json_error(error.field)
    push.subscribe(_account_id(), device_id, subscription, clock().now())
    db.session.commit()
    return jsonify(subscribed=True, message=_("Notifications on this phone are on.")), 201
