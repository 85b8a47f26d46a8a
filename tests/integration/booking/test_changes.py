"""Cancel and reschedule under the policy in force at booking time, with refunds
through the real localstripe."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace.models import AuditLog, BookingStatus, OutboxEmail, Party, PaymentStatus, db
from marketplace.services import booking as bookings
from marketplace.services.booking.changes import MAX_RESCHEDULES, cancellation_terms
from marketplace.services.common.errors import Conflict, NotAllowed
from marketplace.services.payments import PaymentGateway
from tests.support import factories
from tests.support.booking import (
    booking_rules,
    confirmed,
    days_ahead,
    hold,
)


def now():
    return datetime.now(UTC)


def _booked(app, b, gateway, *, days=3, hour=10, client=None):
    return confirmed(app, b, days_ahead(b, days, hour), client=client or factories.create_user(),
                     gateway=gateway)


def _subjects():
    return db.session.scalars(select(OutboxEmail.subject)).all()


def test_a_client_cancelling_inside_the_free_window_gets_the_deposit_back(
        app, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    booking = _booked(app, b, gateway, days=3)
    assert cancellation_terms(booking, now=now()) == (2300, 0)
    result = bookings.cancel(booking, by=Party.CLIENT, actor=booking.client, reason="Ill",
                             now=now(), gateway=gateway)
    assert (result.refund_cents, result.kept_cents, result.refund_pending) == (2300, 0, False)
    assert booking.status is BookingStatus.CANCELLED
    assert booking.cancelled_by is Party.CLIENT
    assert booking.cancel_reason == "Ill"
    payment = bookings.paid_payment(booking)
    assert payment.status is PaymentStatus.REFUNDED
    assert payment.refunded_cents == 2300
    assert gateway.refunded_amount(payment.intent_id) == 2300
    assert any(s.startswith("Cancelled:") for s in _subjects())
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "booking.cancel"))
    # The time is open again.
    hold(app, b, booking.starts_at, client=factories.create_user())


def test_a_late_client_cancellation_keeps_the_deposit(app, create_bookable_clinic, gateway):
    b = create_bookable_clinic(cancellation_window_hours=72)
    booking = _booked(app, b, gateway, days=1, hour=16)
    assert cancellation_terms(booking, now=now()) == (0, 2300)
    result = bookings.cancel(booking, by=Party.CLIENT, actor=booking.client, reason="",
                             now=now(), gateway=gateway)
    assert (result.refund_cents, result.kept_cents) == (0, 2300)
    payment = bookings.paid_payment(booking)
    assert payment.status is PaymentStatus.SUCCEEDED
    assert payment.refunded_cents == 0
    assert gateway.refunded_amount(payment.intent_id) == 0


def test_the_policy_at_booking_time_applies_not_todays(app, create_bookable_clinic, gateway):
    b = create_bookable_clinic(cancellation_window_hours=24)
    booking = _booked(app, b, gateway, days=2, hour=16)
    b.clinic.cancellation_window_hours = 720  # the clinic tightens its policy later
    db.session.commit()
    result = bookings.cancel(booking, by=Party.CLIENT, actor=booking.client, reason="",
                             now=now(), gateway=gateway)
    assert result.refund_cents == 2300


@pytest.mark.parametrize("party", [Party.CLINIC, Party.ADMIN])
def test_a_clinic_or_admin_cancellation_always_refunds_the_whole_deposit(
        app, create_bookable_clinic, gateway, party):
    b = create_bookable_clinic(cancellation_window_hours=72)
    booking = _booked(app, b, gateway, days=1, hour=16)  # long past the free window
    actor = b.owner if party is Party.CLINIC else factories.create_user(role="admin")
    result = bookings.cancel(booking, by=party, actor=actor, reason="Therapist ill",
                             now=now(), gateway=gateway)
    assert (result.refund_cents, result.kept_cents) == (2300, 0)
    assert gateway.refunded_amount(bookings.paid_payment(booking).intent_id) == 2300


def test_only_the_client_cancels_as_the_client(app, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    booking = _booked(app, b, gateway)
    with pytest.raises(NotAllowed):
        bookings.cancel(booking, by=Party.CLIENT, actor=factories.create_user(), reason="",
                        now=now(), gateway=gateway)
    assert booking.status is BookingStatus.CONFIRMED


def test_a_cancelled_booking_cannot_be_cancelled_again(app, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    booking = _booked(app, b, gateway)
    bookings.cancel(booking, by=Party.CLINIC, actor=b.owner, reason="", now=now(),
                    gateway=gateway)
    with pytest.raises(Conflict):
        bookings.cancel(booking, by=Party.CLINIC, actor=b.owner, reason="", now=now(),
                        gateway=gateway)
    assert bookings.paid_payment(booking).refunded_cents == 2300  # refunded once


def test_a_refund_the_provider_could_not_take_is_owed_not_lost(app, create_bookable_clinic,
                                                              gateway):
    from marketplace.services.booking.reconcile import reconcile_payments
    from tests.support.servers import free_port

    b = create_bookable_clinic()
    booking = _booked(app, b, gateway)
    down = PaymentGateway.from_config({**app.config,
                                       "STRIPE_API_BASE": f"http://127.0.0.1:{free_port()}"})
    result = bookings.cancel(booking, by=Party.CLIENT, actor=booking.client, reason="",
                             now=now(), gateway=down)
    assert result.refund_pending
    assert result.refund_cents == 2300
    assert booking.status is BookingStatus.CANCELLED  # the cancellation stands
    payment = bookings.paid_payment(booking)
    assert payment.refunded_cents == 0
    report = reconcile_payments(gateway=gateway, now=now())
    assert report.refunded == 1
    db.session.refresh(payment)
    assert payment.refunded_cents == 2300
    assert gateway.refunded_amount(payment.intent_id) == 2300
    assert reconcile_payments(gateway=gateway, now=now()).refunded == 0  # and only once


def test_releasing_a_hold_through_cancel_moves_no_money(app, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    booking = hold(app, b, days_ahead(b, 3), client=factories.create_user())
    result = bookings.cancel(booking, by=Party.CLIENT, actor=booking.client, reason="",
                             now=now(), gateway=gateway)
    assert (result.refund_cents, result.kept_cents) == (0, 0)
    assert booking.status is BookingStatus.CANCELLED


# --- reschedule --------------------------------------------------------------------------


def test_rescheduling_moves_the_booking_and_keeps_its_deposit(app, create_bookable_clinic,
                                                              gateway):
    b = create_bookable_clinic()
    booking = _booked(app, b, gateway, days=3, hour=10)
    payment = bookings.paid_payment(booking)
    old_start = booking.starts_at
    new_start = days_ahead(b, 4, 14)
    bookings.reschedule(booking, starts_at=new_start, therapist_id=None, actor=booking.client,
                        now=now(), rules=booking_rules(app))
    db.session.commit()
    assert booking.starts_at == new_start
    assert booking.status is BookingStatus.CONFIRMED
    assert booking.reschedule_count == 1
    assert bookings.paid_payment(booking).id == payment.id
    assert any(s.startswith("Moved:") for s in _subjects())
    hold(app, b, old_start, client=factories.create_user())  # the old time is free again


def test_a_booking_can_move_to_a_time_overlapping_its_own(app, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    booking = _booked(app, b, gateway, days=3, hour=10)
    later = booking.starts_at + timedelta(minutes=30)
    bookings.reschedule(booking, starts_at=later, therapist_id=b.therapist.id,
                        actor=booking.client, now=now(), rules=booking_rules(app))
    assert booking.starts_at == later


def test_rescheduling_onto_a_taken_time_is_refused(app, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    booking = _booked(app, b, gateway, days=3, hour=10)
    taken = days_ahead(b, 4, 11)
    hold(app, b, taken, client=factories.create_user())
    with pytest.raises(bookings.SlotTaken):
        bookings.reschedule(booking, starts_at=taken, therapist_id=None, actor=booking.client,
                            now=now(), rules=booking_rules(app))
    assert booking.starts_at == days_ahead(b, 3, 10)


def test_rescheduling_is_closed_inside_the_window_and_after_three_moves(
        app, create_bookable_clinic, gateway):
    b = create_bookable_clinic(cancellation_window_hours=72, phone="727-555-0100")
    late = _booked(app, b, gateway, days=1, hour=16)
    with pytest.raises(Conflict, match="727-555-0100"):
        bookings.reschedule(late, starts_at=days_ahead(b, 5), therapist_id=None,
                            actor=late.client, now=now(), rules=booking_rules(app))
    early = _booked(app, b, gateway, days=10, hour=10)
    early.reschedule_count = MAX_RESCHEDULES
    with pytest.raises(Conflict, match="already moved"):
        bookings.reschedule(early, starts_at=days_ahead(b, 11), therapist_id=None,
                            actor=early.client, now=now(), rules=booking_rules(app))
    with pytest.raises(NotAllowed):
        bookings.reschedule(early, starts_at=days_ahead(b, 11), therapist_id=None,
                            actor=factories.create_user(), now=now(), rules=booking_rules(app))


def test_a_cancelled_booking_gives_its_promotion_code_back(app, create_bookable_clinic, gateway):
    from marketplace.models import Promotion, PromotionKind
    from marketplace.services.booking import deposits
    from marketplace.services.booking.pricing import PromotionRefused, find_promotion
    from tests.support.booking import hold

    b = create_bookable_clinic()
    promo = Promotion(clinic=b.clinic, code="ONCE", title="One use only",
                      kind=PromotionKind.AMOUNT, value=1000, max_redemptions=1)
    db.session.add(promo)
    client = factories.create_user()
    booking = hold(app, b, days_ahead(b, 3, 10), client=client)
    bookings.apply_promotion(booking, code="ONCE", now=now())
    db.session.commit()  # the code is applied in a request of its own
    deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=gateway, now=now())
    assert booking.status is BookingStatus.CONFIRMED
    assert promo.redemptions_count == 1
    with pytest.raises(PromotionRefused, match="fully redeemed"):
        find_promotion(b.clinic, b.service, "ONCE", today=now().date())

    bookings.cancel(booking, by=Party.CLIENT, actor=client, reason="", now=now(), gateway=gateway)
    assert promo.redemptions_count == 0
    assert find_promotion(b.clinic, b.service, "ONCE", today=now().date()) is promo
