"""The admin blueprint and what its views share. Every view is ``admin_required``."""

from __future__ import annotations

from flask import Blueprint, current_app

from ...models import db
from ...services.messages import reports as message_reports
from ...services.reviews import moderation
from ..htmx import render
from ..paging import page_number

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.add_app_template_global(moderation.REASON_LABELS, "report_reason_labels")
bp.add_app_template_global(message_reports.REASON_LABELS, "message_reason_labels")

PER_PAGE = 25


def sender() -> str:
    return current_app.config["MAIL_DEFAULT_SENDER"]


def search_page(template: str, form, query, *, per_page: int = PER_PAGE, **context):
    """A search page (htmx: its results block): ``query()``'s rows a page at a time when
    the filters in ``form`` are valid; the filters with their errors (422) when not."""
    page = None
    if form.validate():
        page = db.paginate(query(), page=page_number(most=10_000), per_page=per_page,
                           error_out=False)
    return render(template, "results", form=form, page=page,
                  status=422 if form.errors else 200, **context)
