"""The world the authorization matrix (and the browser walk of every page) runs in:
clinic X with its owner, clinic Y with another owner, client A with a booking, a
completed and reviewed visit and a private report at X, a conversation of A's with X,
client B with a claim on X, and an admin. URL arguments are filled with things that
belong to client A and clinic X, so client B and owner Y are the strangers.

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
    from marketplace.services.clinics import calendar_feeds

    feed_token = calendar_feeds.issue(clinic=x.clinic, therapist=x.therapist, actor=x.owner,
                                      now=datetime(2031, 5, 1, tzinfo=UTC))
    # A gift card client A bought for X, delivered, with part of it spent; its reference is
    # the booking's so that one URL argument serves both.
    from datetime import date

    from marketplace.models import EntryKind, GiftCard, GiftCardStatus
    from marketplace.services.giftcards import codes, ledger

    gift = GiftCard(reference=booking.reference, clinic=x.clinic, buyer=client_a,
                    amount_cents=5000, recipient_name="Sam", recipient_email="sam@example.com",
                    deliver_on=date(2026, 1, 5), timezone=x.clinic.timezone,
                    status=GiftCardStatus.ACTIVE, idempotency_key="world-gift-card",
                    code_hash=codes.code_hash(codes.new_code()), code_last4="WXYZ",
                    paid_at=datetime(2026, 1, 5, tzinfo=UTC),
                    expires_at=datetime(2031, 1, 5, tzinfo=UTC))
    db.session.add(gift)
    db.session.flush()
    ledger.post(gift, kind=EntryKind.PURCHASE, amount_cents=5000,
                now=datetime(2026, 1, 5, tzinfo=UTC))
    # A treatment series X offers, and one client A bought (its reference is the booking's
    # too, like the gift card's).
    from marketplace.models import LateRule, RefundRule, SeriesOffer, SeriesPurchase, SeriesStatus

    offer = SeriesOffer(clinic_id=x.clinic.id, service_id=x.service.id, sessions=4,
                        price_cents=40000, validity_days=1095, refund_rule=RefundRule.PER_SESSION,
                        late_rule=LateRule.USED)
    db.session.add(offer)
    db.session.flush()
    db.session.add(SeriesPurchase(
        reference=booking.reference, offer_id=offer.id, clinic_id=x.clinic.id,
        service_id=x.service.id, client_id=client_a.id, sessions_total=4, price_cents=40000,
        validity_days=3650, refund_rule=RefundRule.PER_SESSION, late_rule=LateRule.USED,
        cancellation_hours=24, policy_text="Four sessions.", timezone=x.clinic.timezone,
        status=SeriesStatus.PAID, idempotency_key="world-series", intent_id="pi_world_series",
        paid_at=datetime(2026, 1, 5, tzinfo=UTC), expires_at=datetime(2035, 1, 5, tzinfo=UTC)))
    # Messages: A's question to X, answered by X, and A's report of the answer.
    thread = factories.create_thread(x.clinic, client_a, at=datetime(2031, 5, 1, 12, tzinfo=UTC),
                                     answer="Yes, behind the building.")
    answer = thread.messages[-1]
    from marketplace.models import MessageReport, MessageReportReason

    db.session.add(MessageReport(message=answer, reporter=client_a,
                                 reason=MessageReportReason.SPAM, text="Not what I asked."))
    entry, offer_token = _waitlist_of_a(x, client_a)
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
        "feed_token": feed_token,
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
        "offer_id": offer.id,
        "outcome": "completed",
        "thread_id": thread.id,
        "message_id": answer.id,
        "verdict": "dismiss",
        "entry_id": entry.id,
        "offer_token": offer_token,
        "photo_id": photo.id,
        "key": f"photos/{shown.digest}-{shown.widths[0]}.webp",
    }
    return users, args


def _waitlist_of_a(x, client_a):
    """Client A waiting at X, with a time held for them by an offer (its link's token)."""
    import secrets
    from datetime import UTC, date, datetime

    from marketplace.models import OfferState, WaitlistEntry, WaitlistOffer, db
    from marketplace.services.waitlist.offers import token_hash

    entry = WaitlistEntry(client_id=client_a.id, clinic_id=x.clinic.id, service_id=x.service.id,
                          first_day=date(2031, 5, 1), last_day=date(2031, 5, 20), morning=True,
                          created_at=datetime(2031, 4, 1, tzinfo=UTC))
    held = factories.create_booking(x, starts_at=datetime(2031, 5, 7, 15, tzinfo=UTC),
                                    client=client_a, status=BookingStatus.HELD,
                                    hold_expires_at=datetime(2031, 5, 7, 12, tzinfo=UTC))
    db.session.add(entry)
    db.session.flush()
    token = secrets.token_urlsafe(32)
    db.session.add(WaitlistOffer(entry_id=entry.id, booking_id=held.id,
                                 token_hash=token_hash(token), starts_at=held.starts_at,
                                 state=OfferState.OPEN, expires_at=held.hold_expires_at))
    return entry, token
