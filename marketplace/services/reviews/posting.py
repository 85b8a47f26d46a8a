"""Verified reviews: who may write one, writing it, the owner's one response, the
review's moderation states, and the published ratings clinics are shown with.

A review exists only for a completed booking, written by that booking's
client within ``REVIEW_WINDOW_DAYS`` of the visit, once. It starts pending;
only published reviews count anywhere, and ``refresh_clinic_rating`` keeps
``Clinic.rating_avg``/``review_count`` in step after every change of state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ...models import Booking, BookingStatus, Clinic, Review, ReviewStatus, User, db
from .. import audit
from ..accounts import tenancy
from ..common.errors import Conflict, DomainError, NotAllowed
from ..common.text import bounded

REVIEW_WINDOW_DAYS = 90
BODY_MIN = 20
BODY_MAX = 2000
RESPONSE_MAX = 1000


@dataclass(frozen=True)
class Aspect:
    column: str
    label: str


ASPECTS = (
    Aspect("rating_pressure", "Pressure and technique"),
    Aspect("rating_communication", "Listening and communication"),
    Aspect("rating_cleanliness", "Cleanliness and comfort"),
    Aspect("rating_value", "Value"),
)

# Which moderation decisions may follow which state. Nothing goes back to pending.
TRANSITIONS = {
    ReviewStatus.PENDING: {ReviewStatus.PUBLISHED, ReviewStatus.REJECTED, ReviewStatus.HIDDEN},
    ReviewStatus.PUBLISHED: {ReviewStatus.HIDDEN, ReviewStatus.REJECTED},
    ReviewStatus.HIDDEN: {ReviewStatus.PUBLISHED, ReviewStatus.REJECTED},
    ReviewStatus.REJECTED: {ReviewStatus.PUBLISHED},
}


@dataclass(frozen=True)
class Ratings:
    """An overall rating and the optional aspect ratings, each 1-5."""

    overall: int
    aspects: dict[str, int | None] = field(default_factory=dict)

    def check(self) -> None:
        values = [self.overall, *self.aspects.values()]
        if any(v is not None and not 1 <= v <= 5 for v in values):
            raise NotAllowed("Ratings go from 1 to 5.")
        if set(self.aspects) - {a.column for a in ASPECTS}:
            raise ValueError(f"unknown aspects {set(self.aspects)}")


# --- who may review what ---------------------------------------------------------------


def review_deadline(booking: Booking, *, window_days: int) -> datetime:
    """The last moment a review of this visit is accepted."""
    return booking.ends_at + timedelta(days=window_days)


def ineligibility(booking: Booking, user: User, *, now: datetime, window_days: int) -> str | None:
    """Why ``user`` may not review ``booking`` now, in words; None when they may."""
    try:
        check_eligible(booking, user, now=now, window_days=window_days)
    except DomainError as exc:
        return str(exc)
    return None


def check_eligible(booking: Booking, user: User, *, now: datetime, window_days: int) -> None:
    """Raise NotAllowed (or Conflict, when already reviewed) unless ``user`` may review now."""
    if booking.client_id != user.id:
        raise NotAllowed("Only the client who had this visit can review it.")
    if booking.status is not BookingStatus.COMPLETED:
        raise NotAllowed("You can review a visit once the clinic has marked it completed.")
    if existing_review(booking.id) is not None:
        raise Conflict("You have already reviewed this visit.")
    if now > review_deadline(booking, window_days=window_days):
        raise NotAllowed(
            f"Reviews are accepted for {window_days} days after a visit; this one is older."
        )
    if tenancy.is_member(user, booking.clinic_id):
        raise NotAllowed("You manage this clinic, so you cannot review it.")


def existing_review(booking_id: int) -> Review | None:
    return db.session.scalar(select(Review).where(Review.booking_id == booking_id))


def create_review(
    *,
    booking: Booking,
    author: User,
    ratings: Ratings,
    body: str,
    now: datetime,
    window_days: int = REVIEW_WINDOW_DAYS,
) -> Review:
    """A pending review of ``booking`` by its client. NotAllowed/Conflict say why not."""
    check_eligible(booking, author, now=now, window_days=window_days)
    ratings.check()
    text = bounded(body, limit=BODY_MAX, what="A review")
    if len(text) < BODY_MIN:
        raise NotAllowed(f"Please write at least {BODY_MIN} characters about the visit.")
    review = Review.of_visit(
        booking, rating=ratings.overall, body=text, status=ReviewStatus.PENDING,
        created_at=now, **ratings.aspects,
    )
    try:
        with db.session.begin_nested():
            db.session.add(review)
    except IntegrityError as exc:  # the same visit reviewed twice at once
        raise Conflict("You have already reviewed this visit.") from exc
    audit.record(actor=author, action="review.create", obj=review, now=now)
    return review


@dataclass
class Visit:
    """A completed visit of the client's, and where its review stands."""

    booking: Booking
    review: Review | None
    deadline: datetime
    why_not: str | None  # why a visit without a review cannot be reviewed

    @property
    def can_review(self) -> bool:
        return self.review is None and self.why_not is None


def client_visits(user: User, *, now: datetime, window_days: int, limit: int = 100) -> list[Visit]:
    """The client's completed visits, newest first, each with its review if any."""
    bookings = db.session.scalars(
        select(Booking)
        .where(Booking.client_id == user.id, Booking.status == BookingStatus.COMPLETED)
        .options(selectinload(Booking.clinic), selectinload(Booking.service))
        .order_by(Booking.starts_at.desc())
        .limit(limit)
    ).all()
    ids = [b.id for b in bookings]
    reviews = {
        r.booking_id: r
        for r in db.session.scalars(select(Review).where(Review.booking_id.in_(ids)))
    }
    managed = {c.id for c in tenancy.member_clinics(user)}
    visits = []
    for booking in bookings:
        deadline = review_deadline(booking, window_days=window_days)
        why_not = None
        if now > deadline:
            why_not = "The time to review this visit has passed."
        elif booking.clinic_id in managed:
            why_not = "You manage this clinic, so you cannot review it."
        visits.append(Visit(booking, reviews.get(booking.id), deadline, why_not))
    return visits


# --- the owner's response -----------------------------------------------------------------


def respond(*, review: Review, responder: User, body: str, now: datetime) -> Review:
    """The clinic's one public response to a published review."""
    if not (responder.is_admin or tenancy.is_member(responder, review.clinic_id)):
        raise NotAllowed("Only the clinic's own team can respond to its reviews.")
    if review.status is not ReviewStatus.PUBLISHED:
        raise NotAllowed("You can respond once the review is published.")
    if review.response_body is not None:
        raise Conflict("This review already has the clinic's response.")
    text = bounded(body, limit=RESPONSE_MAX, what="A response")
    if not text:
        raise NotAllowed("Write a response before sending it.")
    review.response_body, review.response_at, review.response_by_id = text, now, responder.id
    audit.record(actor=responder, action="review.respond", obj=review, now=now)
    return review


# --- moderation state and ratings ---------------------------------------------------------


def change_status(
    review: Review, to: ReviewStatus, *, by: User | None, now: datetime, reason: str | None = None
) -> None:
    """Move ``review`` to state ``to`` and bring its clinic's rating up to date."""
    if to not in TRANSITIONS[review.status]:
        raise Conflict(f"This review is already {review.status.value}.")
    review.status = to
    review.rejection_reason = reason
    review.moderated_by_id = by.id if by is not None else None
    review.moderated_at = now
    db.session.flush()
    refresh_clinic_rating(review.clinic_id)


def refresh_clinic_rating(clinic_id: int) -> None:
    """Recompute the clinic's average and count from its published reviews only.

    The clinic row is locked first (PostgreSQL), so two moderators deciding
    reviews of one clinic at once take turns and the second counts the first.
    """
    clinic = db.session.scalar(select(Clinic).where(Clinic.id == clinic_id).with_for_update())
    avg, count = db.session.execute(
        select(func.avg(Review.rating), func.count(Review.id)).where(
            Review.clinic_id == clinic_id, Review.status == ReviewStatus.PUBLISHED
        )
    ).one()
    clinic.rating_avg = round(float(avg), 2) if count else None
    clinic.review_count = count
    db.session.flush()


# --- what the public sees -------------------------------------------------------------------


@dataclass
class RatingSummary:
    average: float | None
    count: int
    distribution: dict[int, int]  # stars -> number of reviews, 5 first
    aspects: list[tuple[str, float | None]]  # label, average


@dataclass
class ClinicReviews:
    clinic: Clinic
    summary: RatingSummary
    reviews: list[Review]
    page: int
    pages: int


def published_reviews(clinic_id: int) -> Select:
    """The clinic's published reviews, newest first, with what a listing shows."""
    return (
        select(Review)
        .where(Review.clinic_id == clinic_id, Review.status == ReviewStatus.PUBLISHED)
        .options(selectinload(Review.service), selectinload(Review.author))
        .order_by(Review.created_at.desc(), Review.id.desc())
    )


def rating_summary(clinic: Clinic) -> RatingSummary:
    """The clinic's published average, count, star distribution and aspect averages."""
    published = (Review.clinic_id == clinic.id, Review.status == ReviewStatus.PUBLISHED)
    columns = [func.avg(getattr(Review, a.column)) for a in ASPECTS]
    averages = db.session.execute(select(*columns).where(*published)).one()
    counts = dict(
        db.session.execute(
            select(Review.rating, func.count(Review.id)).where(*published).group_by(Review.rating)
        ).all()
    )
    return RatingSummary(
        average=clinic.rating_avg,
        count=clinic.review_count,
        distribution={stars: counts.get(stars, 0) for stars in range(5, 0, -1)},
        aspects=[
            (a.label, round(float(v), 1) if v is not None else None)
            for a, v in zip(ASPECTS, averages, strict=True)
        ],
    )


def clinic_reviews(clinic: Clinic, *, page: int = 1, per_page: int = 10) -> ClinicReviews:
    """One page of a clinic's published reviews with its rating summary."""
    pagination = db.paginate(
        published_reviews(clinic.id), page=page, per_page=per_page, error_out=False
    )
    return ClinicReviews(
        clinic=clinic,
        summary=rating_summary(clinic),
        reviews=list(pagination.items),
        page=pagination.page,
        pages=pagination.pages or 1,
    )


def author_label(review: Review) -> str:
    """How a reviewer is named in public: first name and last initial."""
    parts = review.author.name.split()
    if not parts:
        return "A client"
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]} {parts[-1][0]}."


def aspect_ratings(review: Review) -> list[tuple[str, int]]:
    """The aspects the author rated, as (label, stars)."""
    rated = [(a.label, getattr(review, a.column)) for a in ASPECTS]
    return [(label, value) for label, value in rated if value is not None]
