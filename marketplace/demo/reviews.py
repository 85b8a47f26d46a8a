"""Demo reviews: a few published reviews (some with the clinic's response) and one
waiting for moderation, each on a past completed booking of a demo client.

Idempotent: a booking that already has a review is left alone. Ratings are
then recomputed from published reviews, so the numbers in search, profiles and
the admin console agree. Visits DEMOA1K7, DEMOB2M4 and DEMOE5T8 stay unreviewed
so the demo clients can write one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..models import Booking, Clinic, Review, ReviewStatus, Role, User, db
from ..services.accounts.users import normalise_email
from ..services.reviews.posting import refresh_clinic_rating
from . import data as seed_data
from .common import booking_exists, ensure_user

SOLELY = seed_data.SOLELY.slug
CMT = seed_data.CENTER_FOR_MASSAGE_THERAPY.slug

# Demo reviewers (the demo password signs them in too); not listed by `flask seed`.
REVIEWERS = (
    ("morgan.reviewer@demo.test", "Morgan Ellery"),
    ("priya.reviewer@demo.test", "Priya Raman"),
    ("luis.reviewer@demo.test", "Luis Ortega"),
)

B = seed_data.BookingSeed
EXTRA_BOOKINGS = (
    B(
        "DEMOR1S5",
        "morgan.reviewer@demo.test",
        SOLELY,
        "Therapeutic massage with neuromuscular therapy",
        "danielle-ortiz",
        33,
        time(11, 0),
    ),
    B(
        "DEMOR2S4",
        "priya.reviewer@demo.test",
        SOLELY,
        "Myofascial cupping session",
        "marcus-bell",
        21,
        time(15, 0),
    ),
    B(
        "DEMOR3S5",
        "luis.reviewer@demo.test",
        SOLELY,
        "Pregnancy massage",
        "leilani-kahale",
        47,
        time(10, 0),
    ),
    B(
        "DEMOR4C5",
        "priya.reviewer@demo.test",
        CMT,
        "Neuromuscular therapy",
        "rachel-kim",
        30,
        time(9, 0),
    ),
    B(
        "DEMOR5C4",
        "morgan.reviewer@demo.test",
        CMT,
        "Deep tissue massage",
        "thomas-greene",
        16,
        time(16, 0),
    ),
    B(
        "DEMOR6S3",
        "luis.reviewer@demo.test",
        SOLELY,
        "Deep tissue massage",
        "marcus-bell",
        3,
        time(13, 0),
    ),
)


@dataclass(frozen=True)
class ReviewSeed:
    reference: str
    rating: int
    aspects: tuple[int | None, int | None, int | None, int | None]  # pressure, talk, clean, value
    body: str
    response: str | None = None
    status: ReviewStatus = ReviewStatus.PUBLISHED


REVIEWS = (
    ReviewSeed(
        "DEMOR1S5",
        5,
        (5, 5, 5, 4),
        "I came in with a stiff neck from long days at a laptop. Danielle spent the first "
        "ten minutes asking where it hurt and what made it worse, then worked the trigger "
        "points along my shoulder blade. Sore the next day, much freer by the weekend.",
        "Thank you for the kind words. Keep up the chin tucks we showed you, and we will "
        "see you at your follow-up.",
    ),
    ReviewSeed(
        "DEMOR2S4",
        4,
        (4, 5, 5, 4),
        "The cupping helped my tight hamstrings more than I expected. Marcus explained the "
        "marks beforehand so they did not worry me. The room was a little warm.",
    ),
    ReviewSeed(
        "DEMOR3S5",
        5,
        (5, 5, 5, 5),
        "Gentle, careful pregnancy massage. Leilani checked how I was lying every few "
        "minutes and the side-lying cushions made it comfortable at 30 weeks.",
    ),
    ReviewSeed(
        "DEMOR4C5",
        5,
        (5, 5, 4, 4),
        "Rachel found the knot behind my shoulder that has been causing my headaches. "
        "She explained what she was doing and checked the pressure as she went.",
        "We are glad the headaches eased. Rachel suggests a follow-up in two to three weeks "
        "while the muscle settles.",
    ),
    ReviewSeed(
        "DEMOR5C4",
        4,
        (4, 4, 5, 3),
        "Good deep tissue work on my lower back after a ski trip. Pricier than my usual "
        "place, but Thomas clearly knew what he was doing.",
    ),
    ReviewSeed(
        "DEMOC3P9",
        4,
        (5, 4, 4, 4),
        "Jordan worked on my calves and hamstrings before a half marathon, with some "
        "assisted stretching at the end. Parking was hard to find.",
        "Thanks for the note about parking: there is free parking behind the building; we "
        "have added it to our booking confirmations.",
    ),
    ReviewSeed(
        "DEMOD4R2",
        5,
        (5, 4, 5, 5),
        "Slow, patient myofascial work on my low back. Hannah took time to explain "
        "stretches to do at home.",
    ),
    ReviewSeed(
        "DEMOF6W3",
        3,
        (3, 4, 4, 3),
        "The trigger point work itself was fine, but the session started fifteen minutes "
        "late and ended on time, so I lost part of my hour.",
    ),
    ReviewSeed(
        "DEMOR6S3",
        5,
        (5, 5, 5, 5),
        "Deep tissue session for a shoulder that had been sore for months. Marcus asked "
        "about my work and posture first and checked in on the pressure throughout.",
        status=ReviewStatus.PENDING,
    ),
)

_ASPECTS = ("rating_pressure", "rating_communication", "rating_cleanliness", "rating_value")


def _reviewers(template: User) -> dict[str, User]:
    users = {}
    for email, name in REVIEWERS:
        users[normalise_email(email)] = ensure_user(
            email, name=name, role=Role.CLIENT, password_hash=lambda: template.password_hash
        )
    db.session.flush()
    return users


def ensure_demo_reviews(
    *,
    users: dict[str, User],
    now: datetime,
    add_booking: Callable[[seed_data.BookingSeed, User, datetime], None],
) -> int:
    """Create the demo reviews that are missing; returns how many reviews the demo has."""
    people = {**users, **_reviewers(users["client@demo.test"])}
    for spec in EXTRA_BOOKINGS:
        if not booking_exists(spec.reference):
            add_booking(spec, people[spec.client_email], now)
    db.session.flush()
    admin = users["admin@demo.test"]
    clinic_ids = set()
    for spec in REVIEWS:
        booking = db.session.scalar(select(Booking).where(Booking.reference == spec.reference))
        clinic_ids.add(booking.clinic_id)
        if db.session.scalar(select(Review.id).where(Review.booking_id == booking.id)) is None:
            db.session.add(_review(spec, booking, admin))
    db.session.flush()
    for clinic_id in sorted(clinic_ids):
        refresh_clinic_rating(clinic_id)
    return len(REVIEWS)


def _review(spec: ReviewSeed, booking: Booking, admin: User) -> Review:
    written = booking.ends_at + timedelta(hours=20)
    review = Review.of_visit(
        booking, rating=spec.rating, body=spec.body, status=spec.status, created_at=written,
        **dict(zip(_ASPECTS, spec.aspects, strict=True)),
    )
    if spec.status is ReviewStatus.PUBLISHED:
        review.moderated_by_id, review.moderated_at = admin.id, written + timedelta(hours=5)
    if spec.response:
        clinic = db.session.get(Clinic, booking.clinic_id)
        owners = [m.user for m in clinic.members]
        if not owners:
            raise ValueError(f"demo review {spec.reference} answers for a clinic with no owner")
        owner = owners[0]
        review.response_body, review.response_by_id = spec.response, owner.id
        review.response_at = written + timedelta(days=1)
    return review
