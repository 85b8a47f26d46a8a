"""The admin blueprint and what its views share. Every view is ``admin_required``."""

from __future__ import annotations

from flask import Blueprint, current_app, request

from ...services.reviews import moderation

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.add_app_template_global(moderation.REASON_LABELS, "report_reason_labels")

ID = "int(max=2147483647)"  # ids beyond a 32-bit integer are not ours: 404, not a 500
PER_PAGE = 25


def sender() -> str:
    return current_app.config["MAIL_DEFAULT_SENDER"]


def page_number() -> int:
    return min(max(request.args.get("page", 1, type=int), 1), 10_000)
