"""The admin blueprint and what its views share. Every view is ``admin_required``."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, request

from ...models import db
from ...services.common.errors import DomainError
from ...services.reviews import moderation
from ..htmx import redirect_to

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.add_app_template_global(moderation.REASON_LABELS, "report_reason_labels")

ID = "int(max=2147483647)"  # ids beyond a 32-bit integer are not ours: 404, not a 500
PER_PAGE = 25


def sender() -> str:
    return current_app.config["MAIL_DEFAULT_SENDER"]


def page_number() -> int:
    return min(max(request.args.get("page", 1, type=int), 1), 10_000)


def done(message: str, url: str, category: str = "success"):
    """Tell the admin what happened and go to ``url`` (303, or HX-Redirect for htmx)."""
    flash(message, category)
    return redirect_to(url)


def simple_action(form, action, message: str, back: str):
    """A POST button: run ``action``, commit, and go back with a message."""
    if not form.validate_on_submit():
        return done("That form was incomplete; try again.", back, "error")
    try:
        action()
    except DomainError as exc:
        db.session.rollback()
        return done(str(exc), back, "error")
    db.session.commit()
    return done(message, back)
