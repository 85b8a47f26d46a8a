"""Holds: placing one, who wins a contested slot, lapsed holds, claiming an anonymous hold."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from marketplace.models import (
    BookingStatus,
    ClinicStatus,
    DepositKind,
    Payment,
    db,
)
from marketplace.services import booking as bookings
from marketplace.services.booking import holds
from marketplace.services.common.errors import NotFound
from tests.support import factories
from tests.support.booking import booking_rules, hold, local

NOW = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)
DAY = datetime(2031, 3, 4).date()  # a Tuesday
NY = "America/New_York"


def test_a_hold_keeps_the_slot_prices_it_and_snapshots_the_policy(app, create_bookable_clinic):
    b = create_bookable_clinic(deposit_kind=DepositKind.PERCENT, deposit_value=20,
                               cancellation_window_hours=48, policy_text="48 hours, please.")
    client = factories.create_user()
    booking = hold(app, b, local(NY, DAY, 10), client=client, now=NOW)
    assert booking.status is BookingStatus.HELD
    assert booking.starts_at == datetime(2031, 3, 4, 15, 0, tzinfo=UTC)  # 10:00 EST
    assert booking.ends_at - booking.starts_at == timedelta(minutes=60)
    assert booking.hold_expires_at == NOW + timedelta(minutes=app.config["HOLD_MINUTES"])
    assert (booking.price_cents, booking.discount_cents, booking.deposit_cents) == (11500, 0, 2300)
    assert booking.policy_cancellation_hours == 48
    assert booking.policy_text == "48 hours, please."
    assert booking.timezone == NY
    assert len(booking.reference) == 8
    b.clinic.deposit_value = 50  # a later change of policy changes nothing already held
    db.session.flush()
    db.session.refresh(booking)
    assert booking.deposit_cents == 2300


def test_a_taken_slot_raises_slot_taken(app, create_bookable_clinic):
    b = create_bookable_clinic()
    hold(app, b, local(NY, DAY, 10), client=factories.create_user(), now=NOW)
    with pytest.raises(bookings.SlotTaken, match="just taken"):
        hold(app, b, local(NY, DAY, 10, 30), client=factories.create_user(), now=NOW)


def test_the_database_refuses_an_overlap_even_without_the_python_check(app,
                                                                      create_bookable_clinic):
    b = create_bookable_clinic()
    first = hold(app, b, local(NY, DAY, 10), client=factories.create_user(), now=NOW)
    clash = holds._new_hold(b.service, _slot_of(first), client=None, hold_token=None,
                               now=NOW, hold_minutes=10)
    assert holds._insert(clash) is False
    with pytest.raises(IntegrityError, match="ex_bookings_therapist_no_overlap"), \
            db.session.begin_nested():
        db.session.add(holds._new_hold(b.service, _slot_of(first), client=None,
                                          hold_token=None, now=NOW, hold_minutes=10))


def _slot_of(booking):
    from marketplace.services.availability.engine import Slot

    return Slot(booking.starts_at, booking.therapist_id, booking.ends_at, booking.location_id,
                booking.timezone)


def test_a_lapsed_hold_frees_its_slot_and_is_marked_expired(app, create_bookable_clinic):
    b = create_bookable_clinic()
    old = hold(app, b, local(NY, DAY, 10), client=factories.create_user(), now=NOW)
    later = NOW + timedelta(minutes=app.config["HOLD_MINUTES"], seconds=1)
    new = hold(app, b, local(NY, DAY, 10), client=factories.create_user(), now=later)
    db.session.refresh(old)
    assert old.status is BookingStatus.EXPIRED
    assert new.status is BookingStatus.HELD


def test_any_therapist_goes_to_whoever_is_free(app, create_bookable_clinic):
    b = create_bookable_clinic()
    second = factories.create_therapist(b.clinic)
    factories.create_hours(second, b.location)
    b.service.therapists.append(second)
    db.session.flush()
    first = hold(app, b, local(NY, DAY, 10), client=factories.create_user(), now=NOW,
                 therapist_id=None)
    other = hold(app, b, local(NY, DAY, 10), client=factories.create_user(), now=NOW,
                 therapist_id=None)
    assert {first.therapist_id, other.therapist_id} == {b.therapist.id, second.id}
    with pytest.raises(bookings.SlotTaken):
        hold(app, b, local(NY, DAY, 10), client=factories.create_user(), now=NOW,
             therapist_id=None)


@pytest.mark.parametrize("when", [
    local(NY, DAY, 10, 5),  # off the 15-minute grid
    local(NY, DAY, 8),  # before opening
    local(NY, DAY, 16, 30),  # would end after closing
    NOW + timedelta(minutes=30),  # inside the minimum notice
    NOW + timedelta(days=90),  # past the booking horizon
])
def test_a_time_that_is_not_an_open_slot_cannot_be_held(app, create_bookable_clinic, when):
    b = create_bookable_clinic()
    with pytest.raises(bookings.SlotTaken):
        hold(app, b, when, client=factories.create_user(), now=NOW)


@pytest.mark.parametrize("status", [ClinicStatus.PENDING, ClinicStatus.SUSPENDED])
def test_unpublished_and_suspended_clinics_cannot_be_booked(app, create_bookable_clinic, status):
    b = create_bookable_clinic(status=status)
    with pytest.raises(bookings.NotBookable):
        hold(app, b, local(NY, DAY, 10), now=NOW)


def test_an_inactive_service_cannot_be_booked(app, create_bookable_clinic):
    b = create_bookable_clinic()
    b.service.active = False
    with pytest.raises(bookings.NotBookable):
        hold(app, b, local(NY, DAY, 10), now=NOW)


def test_one_slot_at_a_time_a_new_hold_releases_the_previous_one(app, create_bookable_clinic):
    b = create_bookable_clinic()
    client = factories.create_user()
    first = hold(app, b, local(NY, DAY, 10), client=client, now=NOW)
    second = hold(app, b, local(NY, DAY, 14), client=client, now=NOW)
    db.session.refresh(first)
    assert first.status is BookingStatus.CANCELLED
    assert second.status is BookingStatus.HELD
    # ...and the released time is open again for anyone.
    hold(app, b, local(NY, DAY, 10), client=factories.create_user(), now=NOW)


def test_anonymous_holds_are_one_per_browser_too(app, create_bookable_clinic):
    b = create_bookable_clinic()
    token = bookings.new_hold_token()
    first = hold(app, b, local(NY, DAY, 10), token=token, now=NOW)
    hold(app, b, local(NY, DAY, 14), token=token, now=NOW)
    db.session.refresh(first)
    assert first.status is BookingStatus.CANCELLED


def test_an_anonymous_hold_goes_to_the_client_who_signs_in_with_its_token(app,
                                                                          create_bookable_clinic):
    b = create_bookable_clinic()
    token = bookings.new_hold_token()
    anonymous = hold(app, b, local(NY, DAY, 10), token=token, now=NOW)
    assert anonymous.client_id is None
    stranger = factories.create_user()
    with pytest.raises(NotFound):
        bookings.claim_hold(anonymous, client=stranger, token="x" * 43, now=NOW)
    client = factories.create_user()
    earlier = hold(app, b, local(NY, DAY, 14), client=client, now=NOW)
    bookings.claim_hold(anonymous, client=client, token=token, now=NOW)
    assert anonymous.client_id == client.id
    db.session.refresh(earlier)
    assert earlier.status is BookingStatus.CANCELLED  # still one slot at a time
    with pytest.raises(NotFound):  # claimed: nobody else can take it over
        bookings.claim_hold(anonymous, client=stranger, token=token, now=NOW)


def test_release_frees_the_slot(app, create_bookable_clinic):
    b = create_bookable_clinic()
    client = factories.create_user()
    booking = hold(app, b, local(NY, DAY, 10), client=client, now=NOW)
    bookings.release_hold(booking, actor=client, now=NOW)
    assert booking.status is BookingStatus.CANCELLED
    hold(app, b, local(NY, DAY, 10), client=factories.create_user(), now=NOW)


def test_expire_lapsed_holds_marks_only_lapsed_holds(app, create_bookable_clinic):
    b = create_bookable_clinic()
    live = hold(app, b, local(NY, DAY, 10), client=factories.create_user(), now=NOW)
    old = hold(app, b, local(NY, DAY, 13), client=factories.create_user(),
               now=NOW - timedelta(hours=1))
    assert bookings.expire_lapsed_holds(now=NOW) == 1
    db.session.refresh(live)
    db.session.refresh(old)
    assert (live.status, old.status) == (BookingStatus.HELD, BookingStatus.EXPIRED)


def test_nearby_slots_offers_open_times_around_a_taken_one(app, create_bookable_clinic):
    b = create_bookable_clinic()
    taken = local(NY, DAY, 10)
    hold(app, b, taken, client=factories.create_user(), now=NOW)
    near = bookings.nearby_slots(b.service, around=taken, therapist_id=None, now=NOW,
                                 rules=booking_rules(app))
    assert len(near) == 8
    assert taken not in {s.starts_at for s in near}
    assert near == sorted(near)


def test_no_payment_without_a_booking_is_enforced_by_the_database(app):
    db.session.add(Payment(booking_id=None, idempotency_key="orphan", amount_cents=100))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count(Payment.id)).where(
        Payment.idempotency_key == "orphan")) == 0


def test_a_hold_respects_the_services_buffers(app, create_bookable_clinic):
    b = create_bookable_clinic()
    b.service.buffer_after_min = 15
    db.session.flush()
    first = hold(app, b, local(NY, DAY, 10), client=factories.create_user(), now=NOW)
    assert first.blocked_until == first.ends_at + timedelta(minutes=15)
    with pytest.raises(bookings.SlotTaken):  # 11:00 would start inside the 15-minute buffer
        hold(app, b, local(NY, DAY, 11), client=factories.create_user(), now=NOW)
    hold(app, b, local(NY, DAY, 11, 15), client=factories.create_user(), now=NOW)
