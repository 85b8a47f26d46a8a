"""Demo-only tools (``DEMO_TOOLS``): the e-mail outbox as a page.

Never registered in production: it shows every message the site sent.
"""

from __future__ import annotations

import email
import email.policy

from flask import Blueprint, Response, abort
from sqlalchemy import select

from ..models import OutboxEmail, db
from .htmx import render

bp = Blueprint("demo", __name__, url_prefix="/demo")


@bp.get("/outbox")
def outbox():
    """The newest 100 e-mails the site queued or sent."""
    rows = db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id.desc()).limit(100)).all()
    return render("demo/outbox.html", rows=rows)


@bp.get("/outbox/<int:outbox_id>")
def message(outbox_id: int):
    """One e-mail: headers, text and attachments."""
    row = db.get_or_404(OutboxEmail, outbox_id)
    parsed = email.message_from_bytes(row.message, policy=email.policy.default)
    body = parsed.get_body(preferencelist=("plain",))
    attachments = [a.get_filename() for a in parsed.iter_attachments()]
    return render(
        "demo/message.html",
        row=row,
        parsed=parsed,
        text=body.get_content() if body else "",
        attachments=attachments,
    )


@bp.get("/outbox/<int:outbox_id>/<int:index>")
def attachment(outbox_id: int, index: int):
    """Download one attachment (an .ics invitation, say)."""
    row = db.get_or_404(OutboxEmail, outbox_id)
    parsed = email.message_from_bytes(row.message, policy=email.policy.default)
    parts = list(parsed.iter_attachments())
    if index >= len(parts):
        abort(404)
    part = parts[index]
    return Response(
        part.get_payload(decode=True),
        mimetype=part.get_content_type(),
        headers={"Content-Disposition": f'attachment; filename="{part.get_filename() or "file"}"'},
    )
