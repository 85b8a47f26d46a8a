"""Moderation: reports about reviews, private reports about visits, the admins'
queue, and their decisions (approve, reject with a reason, hide).

A published review with ``AUTO_HIDE_OPEN_REPORTS`` open reports is hidden at
once, until an admin decides. Every decision resolves the review's open
reports, refreshes the clinic's rating and is written to the audit log.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ...models import (
    Booking,
    BookingStatus,
    ReportReason,
    ReportStatus,
    Review,
    ReviewReport,
    ReviewStatus,
    User,
    VisitReport,
    db,
)
from .. import audit, mail
from ..common.errors import Conflict, NotAllowed, NotFound
from ..common.text import bounded
from .posting import change_status

#: Open reports that hide a published review until an admin looks at it.
AUTO_HIDE_OPEN_REPORTS = 3
REPORT_TEXT_MAX = 1000
VISIT_REPORT_MIN = 20
REASON_MAX = 500

REASON_LABELS = {
    ReportReason.SPAM: "Spam or advertising",
    ReportReason.OFFENSIVE: "Offensive or abusive",
    ReportReason.FAKE: "Not about a real visit",
    ReportReason.PRIVATE_INFO: "Shares someone's private information",
    ReportReason.CONFLICT: "Written by someone with a conflict of interest",
    ReportReason.OTHER: "Something else",
}


class Action(enum.StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    HIDE = "hide"


# What each decision does to the review, and to the open reports about it.
_OUTCOME = {
    Action.APPROVE: (ReviewStatus.PUBLISHED, ReportStatus.DISMISSED),
    Action.REJECT: (ReviewStatus.REJECTED, ReportStatus.UPHELD),
    Action.HIDE: (ReviewStatus.HIDDEN, ReportStatus.UPHELD),
}


# --- reports ----------------------------------------------------------------------------


def report_review(
    *, review: Review, reporter: User, reason: ReportReason, text: str, now: datetime
) -> ReviewReport:
    """Report a published review; hide it when enough reports are open."""
    if review.status is not ReviewStatus.PUBLISHED:
        raise NotFound("That review is not published.")
    if review.author_id == reporter.id:
        raise NotAllowed("You cannot report your own review.")
    text = bounded(text, limit=REPORT_TEXT_MAX, what="A report")
    if reason is ReportReason.OTHER and not text:
        raise NotAllowed("Tell us what is wrong with the review.")
    report = ReviewReport(
        review_id=review.id, reporter_id=reporter.id, reason=reason, text=text, created_at=now
    )
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError as exc:
        raise Conflict("You have already reported this review; the team will look at it.") from exc
    audit.record(
        actor=reporter,
        action="review.report",
        obj=report,
        clinic_id=review.clinic_id,
        detail={"review_id": review.id, "reason": reason.value},
        now=now,
    )
    _hide_if_reported_enough(review, now=now)
    return report


def _hide_if_reported_enough(review: Review, *, now: datetime) -> None:
    if open_report_count(review.id) < AUTO_HIDE_OPEN_REPORTS:
        return
    change_status(review, ReviewStatus.HIDDEN, by=None, now=now)
    audit.record(
        actor=None,
        action="review.auto_hide",
        obj=review,
        detail={"open_reports": AUTO_HIDE_OPEN_REPORTS},
        now=now,
    )


def open_report_count(review_id: int) -> int:
    return db.session.scalar(
        select(func.count(ReviewReport.id)).where(
            ReviewReport.review_id == review_id, ReviewReport.status == ReportStatus.OPEN
        )
    )


def report_visit(*, booking: Booking, reporter: User, text: str, now: datetime) -> VisitReport:
    """A client's private report to the admins about something that happened at a visit."""
    if booking.client_id != reporter.id:
        raise NotFound("No such booking.")
    if booking.status in (BookingStatus.HELD, BookingStatus.EXPIRED):
        raise NotAllowed("You can report a visit once it is booked.")
    text = bounded(text, limit=REPORT_TEXT_MAX, what="A report")
    if len(text) < VISIT_REPORT_MIN:
        raise NotAllowed(f"Please describe what happened (at least {VISIT_REPORT_MIN} characters).")
    already = db.session.scalar(
        select(VisitReport.id).where(
            VisitReport.booking_id == booking.id,
            VisitReport.reporter_id == reporter.id,
            VisitReport.status == ReportStatus.OPEN,
        )
    )
    if already:
        raise Conflict("You have already reported this visit; the team is looking into it.")
    report = VisitReport(booking_id=booking.id, reporter_id=reporter.id, text=text, created_at=now)
    db.session.add(report)
    db.session.flush()
    audit.record(
        actor=reporter, action="visit.report", obj=report, clinic_id=booking.clinic_id, now=now
    )
    return report


# --- decisions --------------------------------------------------------------------------


def moderate(
    *,
    review: Review,
    action: Action,
    admin: User,
    reason: str = "",
    now: datetime,
    sender: str,
) -> Review:
    """Approve, reject (a reason is required) or hide a review, resolving its open reports."""
    reason = bounded(reason, limit=REASON_MAX, what="A reason")
    if action is Action.REJECT and not reason:
        raise NotAllowed("Give the author a reason for rejecting the review.")
    target, report_outcome = _OUTCOME[action]
    before = review.status
    resolved = _resolve_reports(review, report_outcome, admin=admin, now=now)
    if before is target and not resolved:
        raise Conflict(f"This review is already {target.value}.")
    if before is not target:
        change_status(review, target, by=admin, now=now, reason=reason or None)
    else:  # confirming the state reports put it in (or left it in)
        review.moderated_by_id, review.moderated_at = admin.id, now
        review.rejection_reason = reason or review.rejection_reason
    audit.record(
        actor=admin,
        action=f"review.{action.value}",
        obj=review,
        detail={"from": before.value, "reason": reason, "reports_resolved": resolved},
        now=now,
    )
    if before is not target and action is not Action.HIDE:
        _tell_author(review, sender=sender)
    return review


def _resolve_reports(review: Review, outcome: ReportStatus, *, admin: User, now: datetime) -> int:
    open_reports = db.session.scalars(
        select(ReviewReport).where(
            ReviewReport.review_id == review.id, ReviewReport.status == ReportStatus.OPEN
        )
    ).all()
    for entry in open_reports:
        entry.status, entry.resolved_by_id, entry.resolved_at = outcome, admin.id, now
    return len(open_reports)


def _tell_author(review: Review, *, sender: str) -> None:
    place = f"{review.clinic.name} ({review.service.name})"
    if review.status is ReviewStatus.PUBLISHED:
        subject = "Your review is published"
        text = f"Thank you. Your review of {place} is now published.\n"
    else:
        subject = "Your review was not published"
        text = (
            f"We did not publish your review of {place}.\n\n"
            f"The reason: {review.rejection_reason}\n\n"
            "You can see this on the 'My reviews' page.\n"
        )
    mail.queue(sender=sender, to=review.author.email, subject=subject, text=text)


def resolve_visit_report(
    *, report: VisitReport, admin: User, outcome: ReportStatus, note: str, now: datetime
) -> VisitReport:
    """Close a private visit report as upheld or dismissed, with a note for the record."""
    if report.status is not ReportStatus.OPEN:
        raise Conflict("This report is already resolved.")
    if outcome is ReportStatus.OPEN:
        raise ValueError("a resolution cannot leave the report open")
    report.status = outcome
    report.resolution_note = bounded(note, limit=REPORT_TEXT_MAX, what="A note") or None
    report.resolved_by_id, report.resolved_at = admin.id, now
    audit.record(
        actor=admin,
        action=f"visit_report.{'uphold' if outcome is ReportStatus.UPHELD else 'dismiss'}",
        obj=report,
        clinic_id=report.booking.clinic_id,
        now=now,
    )
    return report


# --- the queue --------------------------------------------------------------------------


@dataclass
class QueueItem:
    """One thing waiting for an admin: a pending or reported review, or a visit report."""

    since: datetime
    review: Review | None = None
    visit_report: VisitReport | None = None
    reports: list[ReviewReport] = field(default_factory=list)

    @property
    def key(self) -> str:
        if self.review is not None:
            return f"review-{self.review.id}"
        return f"visit-report-{self.visit_report.id}"


@dataclass
class QueueCounts:
    pending_reviews: int
    reported_reviews: int
    visit_reports: int

    @property
    def total(self) -> int:
        return self.pending_reviews + self.reported_reviews + self.visit_reports


_REVIEW_LOADS = (
    selectinload(Review.booking),
    selectinload(Review.clinic),
    selectinload(Review.service),
    selectinload(Review.therapist),
    selectinload(Review.author),
    selectinload(Review.reports).selectinload(ReviewReport.reporter),
)


def queue(*, limit: int = 50) -> list[QueueItem]:
    """Everything waiting for a decision, oldest first, at most ``limit`` items."""
    pending = db.session.scalars(
        select(Review)
        .where(Review.status == ReviewStatus.PENDING)
        .options(*_REVIEW_LOADS)
        .order_by(Review.created_at, Review.id)
        .limit(limit)
    ).all()
    first_report = func.min(ReviewReport.created_at)
    reported = db.session.execute(
        select(Review, first_report)
        .join(ReviewReport, ReviewReport.review_id == Review.id)
        .where(ReviewReport.status == ReportStatus.OPEN)
        .group_by(Review.id)
        .options(*_REVIEW_LOADS)
        .order_by(first_report, Review.id)
        .limit(limit)
    ).all()
    visits = db.session.scalars(
        select(VisitReport)
        .where(VisitReport.status == ReportStatus.OPEN)
        .options(
            selectinload(VisitReport.booking).selectinload(Booking.clinic),
            selectinload(VisitReport.booking).selectinload(Booking.service),
            selectinload(VisitReport.booking).selectinload(Booking.therapist),
            selectinload(VisitReport.reporter),
        )
        .order_by(VisitReport.created_at, VisitReport.id)
        .limit(limit)
    ).all()
    items = [QueueItem(since=r.created_at, review=r) for r in pending]
    items += [QueueItem(since=since, review=r, reports=_open(r)) for r, since in reported]
    items += [QueueItem(since=v.created_at, visit_report=v) for v in visits]
    items.sort(key=lambda i: (i.since, i.key))
    return items[:limit]


def item_for(review: Review) -> QueueItem:
    """The queue item for one review, as it stands now."""
    return QueueItem(since=review.created_at, review=review, reports=_open(review))


def _open(review: Review) -> list[ReviewReport]:
    return [r for r in review.reports if r.status is ReportStatus.OPEN]


def counts() -> QueueCounts:
    """How much is waiting, by kind."""
    return QueueCounts(
        pending_reviews=db.session.scalar(
            select(func.count(Review.id)).where(Review.status == ReviewStatus.PENDING)
        ),
        reported_reviews=db.session.scalar(
            select(func.count(func.distinct(ReviewReport.review_id))).where(
                ReviewReport.status == ReportStatus.OPEN
            )
        ),
        visit_reports=db.session.scalar(
            select(func.count(VisitReport.id)).where(VisitReport.status == ReportStatus.OPEN)
        ),
    )
