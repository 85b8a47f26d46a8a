"""The clinic cancels a booking from its console: always the whole deposit back
(through the real localstripe), a reason for the client, the money page agrees."""

from datetime import timedelta

from sqlalchemy import select

from marketplace.models import AuditLog, BookingStatus, OutboxEmail, Party, PaymentStatus, db
from marketplace.services import booking as bookings
from marketplace.services.clinics import money as clinic_money
from tests.support import factories
from tests.support.booking import confirmed, days_ahead


def test_a_clinic_cancellation_refunds_the_whole_deposit(stripe_app, client, auth, gateway,
                                                          create_bookable_clinic):
    # A 72-hour window and a visit tomorrow: a client could no longer get the deposit back.
    b = create_bookable_clinic(cancellation_window_hours=72)
    booking = confirmed(stripe_app, b, days_ahead(b, 1, 11), client=factories.create_user(),
                        gateway=gateway)
    db.session.commit()
    auth.session_for(b.owner)
    url = f"/owner/clinics/{b.clinic.slug}/bookings/{booking.reference}"
    page = client.get(url).get_data(as_text=True)
    assert "Cancel this booking" in page
    assert "deposit of <strong>$23</strong> is refunded in full" in page

    missing = client.post(f"{url}/cancel", data={"reason": "", "confirm": ""})
    assert missing.status_code == 422
    assert "Tick the box to confirm" in missing.get_data(as_text=True)

    done = client.post(f"{url}/cancel", data={"reason": "Our therapist is ill, sorry.",
                                              "confirm": "y"})
    assert done.status_code == 303
    assert "Their deposit of $23 is refunded." in client.get(url).get_data(as_text=True)
    db.session.expire_all()
    booking = db.session.get(type(booking), booking.id)
    assert booking.status is BookingStatus.CANCELLED
    assert booking.cancelled_by is Party.CLINIC
    assert booking.cancel_reason == "Our therapist is ill, sorry."
    payment = bookings.paid_payment(booking)
    assert (payment.status, payment.refunded_cents) == (PaymentStatus.REFUNDED, 2300)
    assert gateway.refunded_amount(payment.intent_id) == 2300
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "booking.cancel"))
    assert (entry.actor_id, entry.detail["by"], entry.detail["refund_cents"]) == (
        b.owner.id, "clinic", 2300)
    subjects = db.session.scalars(select(OutboxEmail.subject)).all()
    assert any(s.startswith("Cancelled:") for s in subjects)
    # The money page counts it as refunded.
    tz = b.location.timezone
    p = clinic_money.period("week", anchor=None, first=None, last=None, tz=tz,
                            now=payment.succeeded_at)
    summary = clinic_money.deposits(clinic=b.clinic, p=p, tz=tz)
    assert (summary.taken, summary.refunded, summary.kept, summary.open) == (2300, 2300, 0, 0)
    # Nothing more to cancel.
    again = client.post(f"{url}/cancel", data={"reason": "Again", "confirm": "y"})
    assert again.status_code == 409
    assert "it cannot be cancelled" in again.get_data(as_text=True)


def test_a_visit_that_is_over_is_marked_not_cancelled(app, client, auth,
                                                      create_bookable_clinic, create_booking):
    b = create_bookable_clinic()
    from marketplace.models import utcnow

    over = create_booking(b, starts_at=utcnow() - timedelta(hours=3),
                          client=factories.create_user())
    db.session.commit()
    auth.session_for(b.owner)
    url = f"/owner/clinics/{b.clinic.slug}/bookings/{over.reference}"
    assert "Cancel this booking" not in client.get(url).get_data(as_text=True)
    refused = client.post(f"{url}/cancel", data={"reason": "Too late", "confirm": "y"})
    assert refused.status_code == 409
    assert "mark it completed or a no-show" in refused.get_data(as_text=True)
    db.session.refresh(over)
    assert over.status is BookingStatus.CONFIRMED
