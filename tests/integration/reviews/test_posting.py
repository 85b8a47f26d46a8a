"""Verified reviews: who may write one, the pending start, published-only ratings,
and the owner's one response."""

from datetime import timedelta

import pytest

from marketplace.models import (
    BookingStatus,
    ClinicMember,
    MemberRole,
    ReviewStatus,
    Role,
    db,
    utcnow,
)
from marketplace.services.common.errors import Conflict, NotAllowed
from marketplace.services.common.text import TextTooLong
from marketplace.services.reviews import posting as reviews
from tests.support.factories import (
    create_bookable_clinic,
    create_completed_visit,
    create_review,
    create_user,
)

BODY = "Firm but careful neuromuscular work on my upper back; the knot finally let go."


def write(booking, author=None, rating=5, body=BODY, now=None, **aspects):
    return reviews.create_review(
        booking=booking,
        author=author or booking.client,
        ratings=reviews.Ratings(rating, aspects),
        body=body,
        now=now or utcnow(),
        window_days=90,
    )


def test_a_completed_visit_gets_a_pending_verified_review(app):
    visit = create_completed_visit()
    review = write(visit, rating=4, rating_pressure=5, rating_value=3)
    assert review.status is ReviewStatus.PENDING
    assert (review.clinic_id, review.service_id, review.therapist_id) == (
        visit.clinic_id,
        visit.service_id,
        visit.therapist_id,
    )
    assert (review.rating, review.rating_pressure, review.rating_value) == (4, 5, 3)
    assert review.rating_communication is None
    db.session.refresh(visit.clinic)
    assert visit.clinic.review_count == 0  # pending reviews count nowhere


@pytest.mark.parametrize(
    "status",
    [BookingStatus.CONFIRMED, BookingStatus.CANCELLED, BookingStatus.NO_SHOW, BookingStatus.HELD],
)
def test_only_completed_visits_can_be_reviewed(app, status):
    visit = create_completed_visit(status=status)
    with pytest.raises(NotAllowed, match="marked it completed"):
        write(visit)


def test_only_the_visits_client_can_review_it(app):
    visit = create_completed_visit()
    with pytest.raises(NotAllowed, match="Only the client"):
        write(visit, author=create_user())


def test_a_visit_is_reviewed_once(app):
    visit = create_completed_visit()
    write(visit)
    with pytest.raises(Conflict, match="already reviewed"):
        write(visit)


def test_reviews_close_after_the_window(app):
    visit = create_completed_visit(days_ago=5)
    late = visit.ends_at + timedelta(days=90, minutes=1)
    with pytest.raises(NotAllowed, match="90 days"):
        write(visit, now=late)
    assert write(visit, now=visit.ends_at + timedelta(days=89)).status is ReviewStatus.PENDING


def test_an_owner_cannot_review_their_own_clinic(app):
    b = create_bookable_clinic()
    visit = create_completed_visit(b, client=b.owner)
    with pytest.raises(NotAllowed, match="manage this clinic"):
        write(visit)


@pytest.mark.parametrize(
    ("body", "error"),
    [("Too short.", NotAllowed), ("x" * 2001, TextTooLong), ("   \n\n  ", NotAllowed)],
)
def test_review_text_is_bounded(app, body, error):
    with pytest.raises(error):
        write(create_completed_visit(), body=body)


def test_ratings_are_checked(app):
    with pytest.raises(NotAllowed):
        write(create_completed_visit(), rating=6)
    with pytest.raises(NotAllowed):
        write(create_completed_visit(), rating_value=0)


def test_text_is_stored_as_tidy_plain_text(app):
    review = write(create_completed_visit(), body=f"  {BODY}\r\n\r\n\r\n\r\nThanks!\x00  ")
    assert review.body == f"{BODY}\n\nThanks!"


def test_rating_counts_published_reviews_only(app):
    b = create_bookable_clinic()
    for rating, status in [
        (5, ReviewStatus.PUBLISHED),
        (4, ReviewStatus.PUBLISHED),
        (1, ReviewStatus.PENDING),
        (1, ReviewStatus.REJECTED),
        (1, ReviewStatus.HIDDEN),
    ]:
        create_review(create_completed_visit(b), rating=rating, status=status)
    reviews.refresh_clinic_rating(b.clinic.id)
    db.session.refresh(b.clinic)
    assert (b.clinic.rating_avg, b.clinic.review_count) == (4.5, 2)


def test_rating_goes_back_to_none_without_published_reviews(app):
    b = create_bookable_clinic()
    review = create_review(create_completed_visit(b))
    reviews.refresh_clinic_rating(b.clinic.id)
    reviews.change_status(review, ReviewStatus.HIDDEN, by=None, now=utcnow())
    db.session.refresh(b.clinic)
    assert (b.clinic.rating_avg, b.clinic.review_count) == (None, 0)


def test_no_moderation_decision_goes_back_to_pending(app):
    review = create_review(create_completed_visit())
    with pytest.raises(Conflict):
        reviews.change_status(review, ReviewStatus.PENDING, by=None, now=utcnow())


def test_summary_has_aspect_averages_and_distribution(app):
    b = create_bookable_clinic()
    create_review(create_completed_visit(b), rating=5, rating_pressure=5, rating_value=4)
    create_review(create_completed_visit(b), rating=3, rating_pressure=2)
    create_review(
        create_completed_visit(b), rating=1, rating_pressure=1, status=ReviewStatus.PENDING
    )
    reviews.refresh_clinic_rating(b.clinic.id)
    summary = reviews.rating_summary(b.clinic)
    assert summary.average == 4.0
    assert summary.count == 2
    assert summary.distribution == {5: 1, 4: 0, 3: 1, 2: 0, 1: 0}
    assert dict(summary.aspects) == {
        "Pressure and technique": 3.5,
        "Listening and communication": None,
        "Cleanliness and comfort": None,
        "Value": 4.0,
    }


def test_owner_responds_once_to_a_published_review(app):
    b = create_bookable_clinic()
    review = create_review(create_completed_visit(b))
    reviews.respond(review=review, responder=b.owner, body="Thank you!", now=utcnow())
    assert review.response_body == "Thank you!"
    assert review.response_by_id == b.owner.id
    with pytest.raises(Conflict, match="already has"):
        reviews.respond(review=review, responder=b.owner, body="Again", now=utcnow())


def test_only_the_clinics_team_responds_and_only_to_published_reviews(app):
    b = create_bookable_clinic()
    review = create_review(create_completed_visit(b), status=ReviewStatus.PENDING)
    with pytest.raises(NotAllowed, match="once the review is published"):
        reviews.respond(review=review, responder=b.owner, body="Hi", now=utcnow())
    review.status = ReviewStatus.PUBLISHED
    stranger = create_user(role=Role.OWNER)
    with pytest.raises(NotAllowed, match="own team"):
        reviews.respond(review=review, responder=stranger, body="Hi", now=utcnow())
    staff = create_user(role=Role.OWNER)
    db.session.add(ClinicMember(clinic_id=b.clinic.id, user_id=staff.id, role=MemberRole.STAFF))
    reviews.respond(review=review, responder=staff, body="From the front desk", now=utcnow())


def test_response_is_bounded(app):
    b = create_bookable_clinic()
    review = create_review(create_completed_visit(b))
    with pytest.raises(TextTooLong):
        reviews.respond(review=review, responder=b.owner, body="x" * 1001, now=utcnow())


def test_client_visits_say_what_can_be_reviewed(app):
    client = create_user()
    b = create_bookable_clinic()
    fresh = create_completed_visit(b, client=client, days_ago=2)
    old = create_completed_visit(b, client=client, days_ago=120)
    done = create_completed_visit(b, client=client, days_ago=10)
    create_review(done, status=ReviewStatus.REJECTED, rejection_reason="Names a person")
    create_completed_visit(b, client=client, status=BookingStatus.CANCELLED)
    visits = {v.booking.id: v for v in reviews.client_visits(client, now=utcnow(), window_days=90)}
    assert set(visits) == {fresh.id, old.id, done.id}
    assert visits[fresh.id].can_review
    assert not visits[old.id].can_review
    assert "passed" in visits[old.id].why_not
    assert visits[done.id].review.rejection_reason == "Names a person"
