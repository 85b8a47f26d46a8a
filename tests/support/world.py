"""The world the authorization matrix (and the browser walk of every page) runs in:
clinic X with its owner, clinic Y with another owner, client A with a booking, a
completed and reviewed visit and a private report at X, client B with a claim on X,
and an admin. URL arguments are filled with things that belong to client A and
clinic X, so client B and owner Y are the strangers.

A new route whose URL has a new argument needs a value here.
"""

from __future__ import annotations

from marketplace.models import BookingStatus, Role
from tests.support import factories


def build_world() -> tuple[dict, dict]:
    """Two clinics with owners, two clients, an admin, and a booking of client A at X,
    committed; returns the people by role and a value for every URL argument."""
    owner_x = factories.create_user(role=Role.OWNER)
    owner_y = factories.create_user(role=Role.OWNER)
    x = factories.create_bookable_clinic()
    factories.create_clinic(owner=owner_y)
    from marketplace.models import ClinicMember, MemberRole, VisitReport, db

    db.session.add(ClinicMember(clinic=x.clinic, user=owner_x, role=MemberRole.OWNER))
    client_a = factories.create_user()
    client_b = factories.create_user()
    admin = factories.create_user(role=Role.ADMIN)
    from datetime import UTC, datetime

    booking = factories.create_booking(x, starts_at=datetime(2031, 5, 6, 15, tzinfo=UTC),
                                       client=client_a, status=BookingStatus.CONFIRMED)
    from marketplace.services import mail

    outbox = mail.queue(sender="a@kneaded.test", to="b@example.com", subject="s", text="t",
                        attachments=(mail.Attachment("a.ics", b"x", "text", "calendar"),))
    # Issue 6: a published review of a completed visit of A's at X, a private report
    # of that visit, and a claim on X by B.
    visit = factories.create_completed_visit(x, client=client_a)
    review = factories.create_review(visit)
    visit_report = VisitReport(booking_id=visit.id, reporter_id=client_a.id,
                               text="Something at this visit needs a look.")
    db.session.add(visit_report)
    claim = factories.create_claim(x.clinic, client_b)
    # Issue 5: a promotion and time off at X, for the owner console's routes.
    from marketplace.models import Promotion, PromotionKind, TimeOff

    promotion = Promotion(clinic=x.clinic, code="SPRING10", title="Spring",
                          kind=PromotionKind.PERCENT, value=10)
    time_off = TimeOff(therapist=x.therapist, starts_at=datetime(2031, 6, 1, tzinfo=UTC),
                       ends_at=datetime(2031, 6, 2, tzinfo=UTC))
    db.session.add_all([promotion, time_off])
    # Photos: two in X's gallery, stored for real so pages show them. The routes that
    # change or remove one name the second; the media route serves the first's file
    # (a removal's files go once it commits, and the matrix commits inside its savepoints).
    from flask import current_app

    from marketplace.services.media import photos as media_photos
    from marketplace.services.media.images import ImageLimits
    from tests.support.photos import photo_bytes

    shown, photo = (media_photos.add_clinic_photo(
        clinic=x.clinic, data=photo_bytes(480, height), alt_text=alt,
        storage=current_app.extensions["media_storage"],
        limits=ImageLimits.from_config(current_app.config), actor=owner_x,
        now=datetime(2031, 5, 1, tzinfo=UTC))
        for height, alt in ((320, "The front desk"), (300, "A treatment room")))
    db.session.commit()
    users = {"client_a": client_a, "client_b": client_b, "owner_x": owner_x,
             "owner_y": owner_y, "admin": admin}
    args = {
        "slug": x.clinic.slug,
        "clinic_slug": x.clinic.slug,
        "therapist_slug": x.therapist.slug,
        "reference": booking.reference,
        "booking_id": booking.id,
        "service_id": x.service.id,
        "therapist_id": x.therapist.id,
        "token": "not-a-real-token",
        "outbox_id": outbox.id,
        "index": 0,
        "filename": "css/app.css",
        "review_id": review.id,
        "decision": "approve",
        "report_id": visit_report.id,
        "clinic_id": x.clinic.id,
        "claim_id": claim.id,
        "user_id": client_a.id,
        "location_id": x.location.id,
        "hours_id": x.therapist.working_hours[0].id,
        "time_off_id": time_off.id,
        "promotion_id": promotion.id,
        "outcome": "completed",
        "photo_id": photo.id,
        "key": f"photos/{shown.digest}-{shown.widths[0]}.webp",
    }
    return users, args
