"""The moderation queue and its in-place decisions (htmx), with a plain-POST fallback."""

from __future__ import annotations

from flask import flash, url_for
from flask_login import current_user

from ...forms.admin import HideReviewForm, RejectReviewForm, ResolveVisitReportForm
from ...forms.base import EmptyForm
from ...models import Message, ReportStatus, Review, VisitReport, db, utcnow
from ...services.messages import reports as message_reports
from ...services.reviews import moderation
from ..actions import Outcome, run
from ..auth import admin_required
from ..htmx import is_htmx, redirect_to, render
from .base import bp, sender


def _item_forms(errors: dict | None = None) -> dict:
    forms = {
        "reject": RejectReviewForm(formdata=None),
        "hide": HideReviewForm(formdata=None),
        "visit": ResolveVisitReportForm(formdata=None),
    }
    forms.update(errors or {})
    return forms


@bp.get("/moderation")
@admin_required
def moderation_queue():
    """Pending reviews, reported reviews and private visit reports, oldest first."""
    return render(
        "admin/moderation.html",
        "queue",
        items=moderation.queue(),
        counts=moderation.counts(),
        forms=_item_forms(),
        reported_messages=message_reports.queue(),
        reported_message_count=message_reports.reported_count(),
    )


_ACTION_FORMS = {
    moderation.Action.APPROVE: EmptyForm,
    moderation.Action.REJECT: RejectReviewForm,
    moderation.Action.HIDE: HideReviewForm,
}
_FORM_KEYS = {
    moderation.Action.APPROVE: "empty",
    moderation.Action.REJECT: "reject",
    moderation.Action.HIDE: "hide",
}
_DONE = {
    moderation.Action.APPROVE: "Approved: the review is published.",
    moderation.Action.REJECT: "Rejected: the author sees your reason.",
    moderation.Action.HIDE: "Hidden: the review no longer shows anywhere.",
}


@bp.post("/reviews/<int:review_id>/<any(approve,reject,hide):decision>")
@admin_required
def moderate(review_id: int, decision: str):
    """Approve, reject (with a reason) or hide a review; htmx gets the item back."""
    review = db.get_or_404(Review, review_id)
    action = moderation.Action(decision)
    form = _ACTION_FORMS[action]()
    outcome = run(lambda: moderation.moderate(
        review=review, action=action, admin=current_user,
        reason=form.reason.data if hasattr(form, "reason") else "", now=utcnow(), sender=sender(),
    )) if form.validate_on_submit() else None
    return _after_item(moderation.item_for(review), form, _FORM_KEYS[action], outcome,
                       _DONE[action])


@bp.post("/visit-reports/<int:report_id>/resolve")
@admin_required
def resolve_visit_report(report_id: int):
    """Close a private visit report as upheld or dismissed."""
    report = db.get_or_404(VisitReport, report_id)
    form = ResolveVisitReportForm()
    outcome = run(lambda: moderation.resolve_visit_report(
        report=report, admin=current_user, outcome=ReportStatus(form.outcome.data),
        note=form.note.data, now=utcnow(),
    )) if form.validate_on_submit() else None
    item = moderation.QueueItem(since=report.created_at, visit_report=report)
    return _after_item(item, form, "visit", outcome, f"Report {report.status.value}.")


def _after_item(item, form, form_key: str, outcome: Outcome | None, done: str):
    """htmx: the item itself (resolved, or with its errors). Otherwise back to the queue."""
    error = outcome.message if outcome else None
    message = done if outcome and outcome.ok else None
    failed = form.errors or error
    if is_htmx():
        forms = _item_forms({form_key: form} if failed else None)
        return render(
            "admin/_queue_item.html",
            "queue_item",
            item=item,
            forms=forms,
            message=message,
            error=error,
            oob_counts=moderation.counts(),
            status=outcome.status if error else 422 if failed else 200,
        )
    if failed and form.errors:
        return render(
            "admin/moderation.html",
            items=moderation.queue(),
            counts=moderation.counts(),
            forms=_item_forms(),
            reported_messages=message_reports.queue(),
            reported_message_count=message_reports.reported_count(),
            item_errors={item.key: {form_key: form}},
            status=422,
        )
    flash(error or message, "error" if error else "success")
    return redirect_to(url_for("admin.moderation_queue"))


_MESSAGE_DECISIONS = {
    "hide": (message_reports.hide, "Hidden: neither side sees the message any more."),
    "dismiss": (message_reports.dismiss, "Reports dismissed: the message stays as it is."),
}


@bp.post("/messages/<int:message_id>/<any(hide,dismiss):verdict>")
@admin_required
def moderate_message(message_id: int, verdict: str):
    """Hide a reported message, or dismiss its reports; htmx gets the item back."""
    message = db.get_or_404(Message, message_id)
    decide, done = _MESSAGE_DECISIONS[verdict]
    form = EmptyForm()
    outcome = run(lambda: decide(message=message, admin=current_user, now=utcnow())) \
        if form.validate_on_submit() else None
    error = outcome.message if outcome else "That form was incomplete; try again."
    if outcome and outcome.ok:
        error = None
    if is_htmx():
        status = 200 if error is None else outcome.status if outcome else 422
        return render("admin/_message_item.html", "message_item", message=message,
                      done=None if error else done, error=error, status=status)
    flash(error or done, "error" if error else "success")
    return redirect_to(url_for("admin.moderation_queue") + "#reported-messages")
