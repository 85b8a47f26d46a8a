"""Reports, auto-hiding, moderation decisions and the queue."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.models import (
    AuditLog,
    BookingStatus,
    OutboxEmail,
    ReportReason,
    ReportStatus,
    ReviewStatus,
    Role,
    db,
    utcnow,
)
from marketplace.services.common.errors import Conflict, NotAllowed, NotFound
from marketplace.services.reviews import moderation
from marketplace.services.reviews import posting as reviews
from marketplace.services.reviews.moderation import AUTO_HIDE_OPEN_REPORTS, Action
from tests.support.factories import (
    create_bookable_clinic,
    create_completed_visit,
    create_review,
    create_user,
)

SENDER = "bookings@kneaded.test"


def published(b=None, **overrides):
    b = b or create_bookable_clinic()
    review = create_review(create_completed_visit(b), **overrides)
    reviews.refresh_clinic_rating(review.clinic_id)
    return review


def report(review, reporter=None, reason=ReportReason.SPAM, text=""):
    return moderation.report_review(
        review=review, reporter=reporter or create_user(), reason=reason, text=text, now=utcnow()
    )


def actions():
    return [e.action for e in db.session.scalars(select(AuditLog).order_by(AuditLog.id))]


def test_anyone_signed_in_reports_a_published_review_once(app):
    review = published()
    reporter = create_user(role=Role.OWNER)
    entry = report(review, reporter, ReportReason.FAKE, "Never saw this client.")
    assert (entry.status, entry.reason, entry.text) == (
        ReportStatus.OPEN,
        ReportReason.FAKE,
        "Never saw this client.",
    )
    with pytest.raises(Conflict, match="already reported"):
        report(review, reporter)
    assert "review.report" in actions()


def test_reports_need_a_published_review_and_not_ones_own(app):
    pending = published(status=ReviewStatus.PENDING)
    with pytest.raises(NotFound):
        report(pending)
    review = published()
    with pytest.raises(NotAllowed, match="your own"):
        report(review, review.author)
    with pytest.raises(NotAllowed, match="what is wrong"):
        report(review, reason=ReportReason.OTHER, text=" ")


def test_enough_open_reports_hide_a_review_until_moderated(app):
    b = create_bookable_clinic()
    keep = published(b, rating=2)
    review = published(b, rating=5)
    db.session.refresh(b.clinic)
    assert b.clinic.review_count == 2
    for _ in range(AUTO_HIDE_OPEN_REPORTS - 1):
        report(review)
    assert review.status is ReviewStatus.PUBLISHED
    report(review)
    assert review.status is ReviewStatus.HIDDEN
    assert review.moderated_by_id is None
    db.session.refresh(b.clinic)
    assert (b.clinic.rating_avg, b.clinic.review_count) == (2.0, 1)
    assert actions()[-1] == "review.auto_hide"
    assert keep.status is ReviewStatus.PUBLISHED


def test_approve_publishes_refreshes_rating_audits_and_tells_the_author(app):
    b = create_bookable_clinic()
    admin = create_user(role=Role.ADMIN)
    review = published(b, status=ReviewStatus.PENDING, rating=4)
    moderation.moderate(
        review=review, action=Action.APPROVE, admin=admin, now=utcnow(), sender=SENDER
    )
    assert review.status is ReviewStatus.PUBLISHED
    assert review.moderated_by_id == admin.id
    db.session.refresh(b.clinic)
    assert (b.clinic.rating_avg, b.clinic.review_count) == (4.0, 1)
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "review.approve"))
    assert (entry.actor_id, entry.object_type, entry.object_id, entry.clinic_id) == (
        admin.id,
        "review",
        review.id,
        b.clinic.id,
    )
    mail = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_addr == review.author.email))
    assert mail.subject == "Your review is published"


def test_reject_needs_a_reason_the_author_sees(app):
    admin = create_user(role=Role.ADMIN)
    review = published(status=ReviewStatus.PENDING)
    with pytest.raises(NotAllowed, match="reason"):
        moderation.moderate(
            review=review,
            action=Action.REJECT,
            admin=admin,
            reason="  ",
            now=utcnow(),
            sender=SENDER,
        )
    moderation.moderate(
        review=review,
        action=Action.REJECT,
        admin=admin,
        reason="It names the therapist's home address.",
        now=utcnow(),
        sender=SENDER,
    )
    assert review.status is ReviewStatus.REJECTED
    assert review.rejection_reason == "It names the therapist's home address."
    mail = db.session.scalar(select(OutboxEmail).where(OutboxEmail.to_addr == review.author.email))
    assert "home address" in mail.message.decode()


def test_hiding_a_reported_review_upholds_its_reports(app):
    admin = create_user(role=Role.ADMIN)
    review = published()
    first, second = report(review), report(review)
    moderation.moderate(review=review, action=Action.HIDE, admin=admin, now=utcnow(), sender=SENDER)
    assert review.status is ReviewStatus.HIDDEN
    assert {first.status, second.status} == {ReportStatus.UPHELD}
    assert first.resolved_by_id == admin.id
    assert moderation.open_report_count(review.id) == 0


def test_keeping_a_reported_review_dismisses_its_reports(app):
    admin = create_user(role=Role.ADMIN)
    review = published()
    entry = report(review)
    moderation.moderate(
        review=review, action=Action.APPROVE, admin=admin, now=utcnow(), sender=SENDER
    )
    assert review.status is ReviewStatus.PUBLISHED
    assert entry.status is ReportStatus.DISMISSED
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "review.approve"))
    assert audit.detail["reports_resolved"] == 1


def test_an_auto_hidden_review_can_be_restored(app):
    admin = create_user(role=Role.ADMIN)
    review = published(rating=3)
    for _ in range(AUTO_HIDE_OPEN_REPORTS):
        report(review)
    moderation.moderate(
        review=review, action=Action.APPROVE, admin=admin, now=utcnow(), sender=SENDER
    )
    assert review.status is ReviewStatus.PUBLISHED
    db.session.refresh(review.clinic)
    assert review.clinic.review_count == 1


def test_a_decision_with_nothing_to_change_is_a_conflict(app):
    admin = create_user(role=Role.ADMIN)
    review = published()
    with pytest.raises(Conflict, match="already published"):
        moderation.moderate(
            review=review, action=Action.APPROVE, admin=admin, now=utcnow(), sender=SENDER
        )


def test_queue_holds_pending_reported_and_visit_reports_oldest_first(app):
    now = utcnow()
    b = create_bookable_clinic()
    newer = published(b, status=ReviewStatus.PENDING, created_at=now - timedelta(hours=1))
    older = published(b, status=ReviewStatus.PENDING, created_at=now - timedelta(hours=5))
    reported = published(b, created_at=now - timedelta(days=9))
    entry = report(reported)
    entry.created_at = now - timedelta(hours=3)
    visit = create_completed_visit(b)
    private = moderation.report_visit(
        booking=visit,
        reporter=visit.client,
        text="The therapist ignored my requests to stop.",
        now=now - timedelta(hours=2),
    )
    published(b)  # published with no reports: not in the queue
    db.session.flush()
    items = moderation.queue()
    assert [i.key for i in items] == [
        f"review-{older.id}",
        f"review-{reported.id}",
        f"visit-report-{private.id}",
        f"review-{newer.id}",
    ]
    assert items[1].reports == [entry]
    assert items[0].review.booking.reference == older.booking.reference
    counts = moderation.counts()
    assert (counts.pending_reviews, counts.reported_reviews, counts.visit_reports) == (2, 1, 1)


def test_visit_reports_are_private_to_the_client_and_admins(app):
    visit = create_completed_visit()
    with pytest.raises(NotFound):
        moderation.report_visit(
            booking=visit, reporter=create_user(), text="Something went wrong there.", now=utcnow()
        )
    with pytest.raises(NotAllowed, match="at least"):
        moderation.report_visit(booking=visit, reporter=visit.client, text="Bad.", now=utcnow())
    entry = moderation.report_visit(
        booking=visit,
        reporter=visit.client,
        text="Inappropriate comments during the session.",
        now=utcnow(),
    )
    with pytest.raises(Conflict):
        moderation.report_visit(
            booking=visit,
            reporter=visit.client,
            text="Inappropriate comments during the session.",
            now=utcnow(),
        )
    admin = create_user(role=Role.ADMIN)
    moderation.resolve_visit_report(
        report=entry,
        admin=admin,
        outcome=ReportStatus.UPHELD,
        note="Spoke to the owner; therapist suspended.",
        now=utcnow(),
    )
    assert entry.status is ReportStatus.UPHELD
    assert actions()[-2:] == ["visit.report", "visit_report.uphold"]
    with pytest.raises(Conflict):
        moderation.resolve_visit_report(
            report=entry, admin=admin, outcome=ReportStatus.DISMISSED, note="", now=utcnow()
        )


def test_unfinished_bookings_cannot_be_reported(app):
    visit = create_completed_visit(status=BookingStatus.HELD)
    with pytest.raises(NotAllowed):
        moderation.report_visit(
            booking=visit, reporter=visit.client, text="Something went wrong there.", now=utcnow()
        )
