"""The console's landing page."""

from __future__ import annotations

from sqlalchemy import func, select

from ...models import Clinic, ClinicStatus, db
from ...services.admin import clinics as admin_service
from ...services.audit import query as audit_log
from ...services.messages import reports as message_reports
from ...services.reviews import moderation
from ..auth import admin_required
from ..htmx import render
from .base import bp


@bp.get("/")
@admin_required
def dashboard():
    """What is waiting for an admin, at a glance."""
    pending_clinics = db.session.scalar(
        select(func.count(Clinic.id)).where(Clinic.status == ClinicStatus.PENDING)
    )
    recent = db.session.scalars(audit_log.entries(audit_log.AuditFilter()).limit(10)).all()
    return render(
        "admin/dashboard.html",
        counts=moderation.counts(),
        reported_messages=message_reports.reported_count(),
        pending_clinics=pending_clinics,
        claims=len(admin_service.pending_claims()),
        recent=recent,
    )
