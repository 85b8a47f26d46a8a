"""The audit log: filters, pages and the CSV export."""

from __future__ import annotations

from flask import Response, request, url_for

from ...forms.admin import AuditFilterForm
from ...models import utcnow
from ...services.audit import query as audit_log
from ..auth import admin_required
from ..htmx import render
from .base import bp, search_page

# --- the audit log ------------------------------------------------------------------------


def _audit_filter(form: AuditFilterForm) -> audit_log.AuditFilter:
    return audit_log.AuditFilter(
        actor=form.actor.data or "",
        action=form.action.data or "",
        object_type=form.object_type.data or "",
        object_id=form.object_id.data,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )


@bp.get("/audit")
@admin_required
def audit():
    """The audit log, newest first, filtered by actor, action, object and date."""
    form = AuditFilterForm(request.args)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return search_page(
        "admin/audit.html", form, lambda: audit_log.entries(_audit_filter(form)), per_page=50,
        actions=audit_log.known_actions(), object_types=audit_log.known_object_types(),
        csv_url=url_for("admin.audit_csv", **args),
    )


@bp.get("/audit.csv")
@admin_required
def audit_csv():
    """The filtered audit log as CSV, safe to open in a spreadsheet."""
    form = AuditFilterForm(request.args)
    if not form.validate():
        return render(
            "admin/audit.html", form=form, page=None, actions=[], object_types=[], status=422
        )
    name = f"audit-{utcnow():%Y%m%d-%H%M%S}.csv"
    return Response(
        "".join(audit_log.csv_rows(_audit_filter(form))),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
