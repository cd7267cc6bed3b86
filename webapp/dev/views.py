"""/dev/outbox: the newest SMS and emails the gateway kept."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from webapp.dev import bp
from webapp.extensions import db
from webapp.models import OutboxMessage

PAGE_SIZE = 50


@bp.route("/outbox")
def outbox():
    """The outbox, newest first; `?to=` narrows it to one phone or email."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE)
    typed = request.args.get("to") or ""
    recipient = "".join(ch for ch in typed if ch.isprintable()).strip()[:254]
    if recipient:
        query = query.where(OutboxMessage.recipient == recipient)
    messages = db.session.scalars(query).all()
    response = render_template("dev/outbox.html", messages=messages, recipient=recipient)
    return response, 200, {"Cache-Control": "no-store"}
