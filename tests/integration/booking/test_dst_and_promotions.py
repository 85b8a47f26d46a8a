"""Bookings across daylight-saving changes (Denver and St. Petersburg, both change
days), promotion codes, and the seed clinics booked end to end."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from marketplace.models import (
    BookingStatus,
    Clinic,
    DepositKind,
    Promotion,
    PromotionKind,
    Service,
    db,
)
from marketplace.services import booking as bookings
from marketplace.services.booking import deposits, ics
from marketplace.services.booking import intake_step as booking_intake
from marketplace.services.booking.pricing import PromotionRefused
from marketplace.services.common.local_time import describe_time
from marketplace.services.intake.records import keyring_for
from marketplace.services.intake.screening import IntakeAnswers
from tests.support import factories
from tests.support.booking import booking_rules, hold, local

DENVER, NY = "America/Denver", "America/New_York"
SPRING, FALL = date(2027, 3, 14), date(2027, 11, 7)  # US changes in 2027


@pytest.mark.parametrize(("zip_code", "tz", "day", "utc_hour", "abbr"), [
    ("80210", DENVER, SPRING, 15, "MDT"),  # 9:00 MDT = 15:00 UTC (after the jump)
    ("80210", DENVER, FALL, 16, "MST"),  # 9:00 MST = 16:00 UTC (after falling back)
    ("33701", NY, SPRING, 13, "EDT"),
    ("33701", NY, FALL, 14, "EST"),
])
def test_a_nine_oclock_booking_on_a_change_day_is_stored_in_utc_and_shown_local(
        app, create_bookable_clinic, client, monkeypatch, zip_code, tz, day, utc_hour, abbr):
    b = create_bookable_clinic(zip_code=zip_code)
    # The picker shows the 9:00 slot of that day with its zone, and its local offset.
    monkeypatch.setitem(app.config, "BOOKING_HORIZON_DAYS", 800)
    page = client.get(f"/clinics/{b.clinic.slug}/book?service={b.service.id}&date={day}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"9:00 AM {abbr}" in text
    offset = datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo(tz)).strftime("%z")
    assert f'value="{day.isoformat()}T09:00:00{offset[:3]}:{offset[3:]}"' in text
    # Holding it stores UTC, and every place that shows it says 9:00 local.
    now = datetime.combine(day - timedelta(days=3), datetime.min.time(), tzinfo=UTC)
    booking = hold(app, b, local(tz, day, 9), client=factories.create_user(), now=now)
    assert booking.starts_at == datetime(day.year, day.month, day.day, utc_hour, tzinfo=UTC)
    assert booking.ends_at - booking.starts_at == timedelta(hours=1)
    assert describe_time(booking.starts_at, booking.timezone) == \
        f"{day:%a %b} {day.day}, 9:00 AM {abbr}"
    invite = ics.booking_invite(booking, organizer="b@kneaded.test", site_name="Kneaded",
                                manage_url="http://x/", now=now)
    assert f"DTSTART;TZID={tz}:{day:%Y%m%d}T090000".encode() in invite


def test_the_hour_before_and_after_a_change_agree_across_the_gap(app, create_bookable_clinic):
    b = create_bookable_clinic(zip_code="80210")
    now = datetime(2027, 3, 1, tzinfo=UTC)
    before = hold(app, b, local(DENVER, date(2027, 3, 13), 9), client=factories.create_user(),
                  now=now)
    after = hold(app, b, local(DENVER, SPRING, 9), client=factories.create_user(), now=now)
    assert after.starts_at - before.starts_at == timedelta(hours=23)  # one hour lost overnight
    for booking in (before, after):
        assert booking.starts_at.astimezone(ZoneInfo(DENVER)).hour == 9


# --- promotions -----------------------------------------------------------------------------


def _acupuncture_clinic():
    """Like the Denver clinic: a fixed $25 deposit, acupuncture at $95 and ACU25 for $25 off."""
    b = factories.create_bookable_clinic(zip_code="80210", deposit_kind=DepositKind.FIXED,
                                         deposit_value=2500)
    acupuncture = factories.create_modality("acupuncture", name="Acupuncture")
    acu = factories.create_service(b.clinic, therapists=[b.therapist], modality=acupuncture,
                                   name="Acupuncture", price_cents=9500)
    db.session.add(Promotion(clinic=b.clinic, code="ACU25", title="$25 off acupuncture",
                             kind=PromotionKind.AMOUNT, value=2500, modality=acupuncture))
    db.session.flush()
    return b, acu


def test_the_acupuncture_code_takes_25_dollars_off_acupuncture(app):
    b, acu = _acupuncture_clinic()
    b.service = acu
    booking = hold(app, b, local(DENVER, date(2031, 3, 4), 10), client=factories.create_user(),
                   now=datetime(2031, 3, 1, tzinfo=UTC))
    bookings.apply_promotion(booking, code=" acu25 ", now=datetime(2031, 3, 1, tzinfo=UTC))
    assert (booking.price_cents, booking.discount_cents, booking.deposit_cents) == (
        9500, 2500, 2500)
    assert booking.amount_due_cents == 4500
    bookings.remove_promotion(booking, now=datetime(2031, 3, 1, tzinfo=UTC))
    assert (booking.discount_cents, booking.promotion_id) == (0, None)


def test_a_code_that_does_not_apply_says_why(app):
    b, _ = _acupuncture_clinic()
    now = datetime(2031, 3, 1, tzinfo=UTC)
    booking = hold(app, b, local(DENVER, date(2031, 3, 4), 10), client=factories.create_user(),
                   now=now)
    with pytest.raises(PromotionRefused, match="only to Acupuncture"):
        bookings.apply_promotion(booking, code="ACU25", now=now)
    with pytest.raises(PromotionRefused, match="no promotion with the code NOPE"):
        bookings.apply_promotion(booking, code="nope", now=now)
    assert booking.discount_cents == 0


def test_a_percent_deposit_follows_the_discounted_price(app, create_bookable_clinic):
    b = create_bookable_clinic()  # 20% deposit on $115
    db.session.add(Promotion(clinic=b.clinic, code="HALF", title="Half off",
                             kind=PromotionKind.PERCENT, value=50))
    now = datetime(2031, 3, 1, tzinfo=UTC)
    booking = hold(app, b, local(NY, date(2031, 3, 4), 10), client=factories.create_user(),
                   now=now)
    bookings.apply_promotion(booking, code="HALF", now=now)
    assert (booking.discount_cents, booking.deposit_cents) == (5750, 1150)


# --- the seed clinics -------------------------------------------------------------------------


def test_the_st_petersburg_seed_clinic_books_nmt_with_its_deposit(app, gateway):
    from marketplace.demo import seed

    seed.seed_demo(now=datetime.now(UTC))
    clinic = db.session.scalar(select(Clinic).where(Clinic.name == "Solely Therapeutic Massage"))
    nmt = db.session.scalar(select(Service).where(
        Service.clinic_id == clinic.id,
        Service.name == "Therapeutic massage with neuromuscular therapy"))
    tz = clinic.locations[0].timezone
    assert tz == NY
    now = datetime.now(UTC)
    slots = bookings.nearby_slots(nmt, around=now + timedelta(days=2), therapist_id=None,
                                  now=now, rules=booking_rules(app))
    client = factories.create_user()
    booking = bookings.place_hold(service=nmt, therapist_id=None, starts_at=slots[0].starts_at,
                                  client=client, hold_token=None, now=now, rules=booking_rules(app))
    assert booking.deposit_cents == 2300  # 20% of $115
    decision = booking_intake.submit_intake(booking, client=client, answers=IntakeAnswers(),
                                            clearance_confirmed=False,
                                            keyring=keyring_for(app.config), now=now,
                                            consented=True)
    assert decision.go_ahead
    result = deposits.pay_deposit(booking, payment_method="pm_card_visa", gateway=gateway,
                                  now=now)
    assert result.outcome is deposits.Outcome.CONFIRMED
    assert booking.status is BookingStatus.CONFIRMED
    assert gateway.retrieve_intent(result.payment.intent_id).amount == 2300


def test_the_denver_seed_clinics_acupuncture_code_applies_at_booking(app):
    from marketplace.demo import seed

    now = datetime.now(UTC)
    seed.seed_demo(now=now)
    clinic = db.session.scalar(select(Clinic).where(Clinic.name == "Center for Massage Therapy"))
    acupuncture = db.session.scalar(select(Service).where(
        Service.clinic_id == clinic.id, Service.name == "Acupuncture"))
    slots = bookings.nearby_slots(acupuncture, around=now + timedelta(days=2), therapist_id=None,
                                  now=now, rules=booking_rules(app))
    booking = bookings.place_hold(service=acupuncture, therapist_id=None,
                                  starts_at=slots[0].starts_at, client=factories.create_user(),
                                  hold_token=None, now=now, rules=booking_rules(app))
    assert (booking.price_cents, booking.deposit_cents) == (9500, 2500)  # fixed $25 deposit
    bookings.apply_promotion(booking, code="acu25", now=now)
    assert (booking.discount_cents, booking.deposit_cents, booking.amount_due_cents) == (
        2500, 2500, 4500)
    assert booking.timezone == DENVER
