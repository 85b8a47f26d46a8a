"""Listing management in the services: every change audited, ZIP codes geocoded
offline with their time zone, and changes that would strand upcoming bookings
refused with the list of those bookings."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from marketplace.models import (
    AuditLog,
    BookingStatus,
    DepositKind,
    PromotionKind,
    WorkingHours,
    db,
    per_60,
)
from marketplace.services.clinics import hours, listings, offerings, promotions, therapists
from marketplace.services.clinics.stranding import WouldStrand
from marketplace.services.common.errors import Conflict, FieldError
from tests.support.factories import create_modality, create_therapist, create_user

NOW = datetime(2031, 3, 3, 12, tzinfo=UTC)  # a Monday
NEXT_WEEK = datetime(2031, 3, 11, 15, tzinfo=UTC)  # Tuesday 11:00 EDT


def actions(clinic_id: int) -> list[str]:
    return list(db.session.scalars(
        select(AuditLog.action).where(AuditLog.clinic_id == clinic_id).order_by(AuditLog.id)
    ))


def location_data(**overrides) -> listings.LocationData:
    values = {"name": "Main", "address_line1": "200 Central Ave", "address_line2": None,
              "city": None, "zip_code": "33701", "phone": None}
    values.update(overrides)
    return listings.LocationData(**values)


def therapist_data(t, **overrides) -> therapists.TherapistData:
    values = {"name": t.name, "credentials": t.credentials, "licence_number": t.licence_number,
              "licence_state": t.licence_state, "practicing_since": t.practicing_since,
              "bio": t.bio, "active": t.active, "modality_ids": [m.id for m in t.modalities]}
    values.update(overrides)
    return therapists.TherapistData(**values)


def service_data(s, **overrides) -> offerings.ServiceData:
    values = {"name": s.name, "modality_id": s.modality_id, "description": s.description,
              "duration_min": s.duration_min, "price_cents": s.price_cents,
              "buffer_before_min": s.buffer_before_min, "buffer_after_min": s.buffer_after_min,
              "includes_consultation": s.includes_consultation, "active": s.active,
              "therapist_ids": [t.id for t in s.therapists]}
    values.update(overrides)
    return offerings.ServiceData(**values)


# --- profile and policy ------------------------------------------------------------------


def test_profile_changes_are_audited_with_what_changed(app, create_bookable_clinic):
    b = create_bookable_clinic()
    data = listings.ProfileData(name="Renamed Clinic", tagline=None, description="New words",
                                phone=b.clinic.phone, email=None, website=None)
    changed = listings.update_profile(clinic=b.clinic, data=data, actor=b.owner, now=NOW)
    assert changed["name"][1] == "Renamed Clinic"
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "clinic.profile_update"))
    assert entry.actor_id == b.owner.id
    assert entry.clinic_id == b.clinic.id
    assert entry.detail["changed"]["name"] == [changed["name"][0], "Renamed Clinic"]
    # Saving the same again changes nothing and records nothing.
    assert listings.update_profile(clinic=b.clinic, data=data, actor=b.owner, now=NOW) == {}
    assert actions(b.clinic.id).count("clinic.profile_update") == 1


def test_policy_change_leaves_existing_bookings_their_policy(app, create_bookable_clinic,
                                                             create_booking):
    b = create_bookable_clinic()
    booking = create_booking(b, starts_at=NEXT_WEEK)
    data = listings.PolicyData(deposit_kind=DepositKind.FIXED, deposit_value=3000,
                               cancellation_window_hours=48, policy_text="Pay $30 ahead.",
                               intake_note=None)
    listings.update_policy(clinic=b.clinic, data=data, actor=b.owner, now=NOW)
    assert (b.clinic.deposit_kind, b.clinic.deposit_value) == (DepositKind.FIXED, 3000)
    assert booking.policy_deposit_kind is DepositKind.PERCENT
    assert booking.policy_cancellation_hours == 24
    with pytest.raises(FieldError) as refused:
        listings.update_policy(
            clinic=b.clinic,
            data=listings.PolicyData(DepositKind.PERCENT, 120, 24, "", None),
            actor=b.owner, now=NOW,
        )
    assert refused.value.field == "deposit_percent"


# --- locations ---------------------------------------------------------------------------


def test_a_new_location_is_geocoded_offline_with_its_time_zone(app, create_bookable_clinic):
    b = create_bookable_clinic()
    location = listings.create_location(clinic=b.clinic, data=location_data(zip_code="80210"),
                                        actor=b.owner, now=NOW)
    assert (location.city, location.state, location.timezone) == ("Denver", "CO",
                                                                  "America/Denver")
    assert 39 < location.latitude < 40
    assert "location.create" in actions(b.clinic.id)
    with pytest.raises(FieldError) as refused:
        listings.create_location(clinic=b.clinic, data=location_data(zip_code="00000"),
                                 actor=b.owner, now=NOW)
    assert refused.value.field == "zip_code"


def test_moving_a_location_to_another_zone_is_refused_under_bookings(
    app, create_bookable_clinic, create_booking
):
    b = create_bookable_clinic()
    # 9:30 EDT: inside 9-17 in New York, 7:30 in Denver, before the same hours open there.
    booking = create_booking(b, starts_at=datetime(2031, 3, 11, 13, 30, tzinfo=UTC))
    with pytest.raises(WouldStrand) as refused:
        listings.update_location(location=b.location, data=location_data(zip_code="80210"),
                                 actor=b.owner, now=NOW)
    assert refused.value.bookings == [booking]
    assert "America/Denver" in str(refused.value)
    # Without the booking (cancelled), the move is allowed and audited.
    booking.status = BookingStatus.CANCELLED
    changed = listings.update_location(location=b.location, data=location_data(zip_code="80210"),
                                       actor=b.owner, now=NOW)
    assert changed["timezone"] == ["America/New_York", "America/Denver"]


def test_a_location_with_bookings_or_the_last_one_stays(app, create_bookable_clinic,
                                                        create_booking):
    b = create_bookable_clinic()
    with pytest.raises(Conflict, match="at least one location"):
        listings.delete_location(location=b.location, actor=b.owner, now=NOW)
    second = listings.create_location(clinic=b.clinic, data=location_data(zip_code="80210"),
                                      actor=b.owner, now=NOW)
    third = listings.create_location(clinic=b.clinic, data=location_data(name="Annex"),
                                     actor=b.owner, now=NOW)
    create_booking(b, starts_at=NEXT_WEEK)
    with pytest.raises(WouldStrand):
        listings.delete_location(location=b.location, actor=b.owner, now=NOW)
    create_booking(b, starts_at=NOW - timedelta(days=30), location=third,
                   status=BookingStatus.COMPLETED)
    with pytest.raises(Conflict, match="Past bookings"):
        listings.delete_location(location=third, actor=b.owner, now=NOW)
    db.session.add(WorkingHours(therapist=b.therapist, location=second, weekday=5,
                                starts=time(18), ends=time(20)))
    db.session.flush()
    listings.delete_location(location=second, actor=b.owner, now=NOW)
    assert [loc.id for loc in b.clinic.locations] == [b.location.id, third.id]
    assert db.session.scalar(select(WorkingHours).where(WorkingHours.starts == time(18))) is None
    assert actions(b.clinic.id)[-1] == "location.delete"


# --- therapists --------------------------------------------------------------------------


def test_a_therapist_with_upcoming_bookings_cannot_be_deactivated(
    app, create_bookable_clinic, create_booking
):
    b = create_bookable_clinic()
    upcoming = create_booking(b, starts_at=NEXT_WEEK)
    create_booking(b, starts_at=NOW - timedelta(days=3), status=BookingStatus.COMPLETED)
    with pytest.raises(WouldStrand) as refused:
        therapists.update_therapist(therapist=b.therapist, data=therapist_data(
            b.therapist, active=False), actor=b.owner, now=NOW)
    assert refused.value.bookings == [upcoming]
    assert b.therapist.active
    upcoming.status = BookingStatus.CANCELLED
    therapists.update_therapist(therapist=b.therapist, data=therapist_data(
        b.therapist, active=False), actor=b.owner, now=NOW)
    assert not b.therapist.active


def test_a_lapsed_hold_strands_nothing(app, create_bookable_clinic, create_booking):
    b = create_bookable_clinic()
    create_booking(b, starts_at=NEXT_WEEK, status=BookingStatus.HELD,
                   hold_expires_at=NOW - timedelta(minutes=1))
    therapists.update_therapist(therapist=b.therapist, data=therapist_data(
        b.therapist, active=False), actor=b.owner, now=NOW)
    assert not b.therapist.active


def test_therapists_are_created_with_techniques_and_a_new_licence_is_unchecked(
    app, create_bookable_clinic
):
    b = create_bookable_clinic()
    nmt, cupping = create_modality(), create_modality("cupping")
    data = therapists.TherapistData(
        name=b.therapist.name, credentials="LMT", licence_number="MA123", licence_state="FL",
        practicing_since=2015, bio="", active=True, modality_ids=[nmt.id, cupping.id],
    )
    new = therapists.create_therapist(clinic=b.clinic, data=data, actor=b.owner, now=NOW)
    assert new.slug != b.therapist.slug  # same name, its own slug
    assert {m.slug for m in new.modalities} == {"neuromuscular-therapy", "cupping"}
    new.licence_checked_at = NOW
    changed = therapists.update_therapist(therapist=new, data=therapist_data(
        new, licence_number="MA999"), actor=b.owner, now=NOW)
    assert "licence_number" in changed
    assert new.licence_checked_at is None
    with pytest.raises(FieldError):
        therapists.update_therapist(therapist=new, data=therapist_data(
            new, practicing_since=2040), actor=b.owner, now=NOW)
    assert [
        a for a in actions(b.clinic.id) if a.startswith("therapist.")
    ] == ["therapist.create", "therapist.update"]


# --- services ----------------------------------------------------------------------------


def test_price_and_duration_keep_the_per_60_price_true(app, create_bookable_clinic):
    b = create_bookable_clinic()
    changed = offerings.update_service(service=b.service, data=service_data(
        b.service, price_cents=16500, duration_min=90), actor=b.owner, now=NOW)
    assert b.service.price_per_60_cents == per_60(16500, 90) == 11000
    assert changed["price_cents"] == [11500, 16500]


def test_a_service_with_bookings_ahead_stays_offered_and_given(
    app, create_bookable_clinic, create_booking
):
    b = create_bookable_clinic()
    other = create_therapist(b.clinic)
    b.service.therapists.append(other)
    booking = create_booking(b, starts_at=NEXT_WEEK)
    with pytest.raises(WouldStrand):
        offerings.update_service(service=b.service, data=service_data(b.service, active=False),
                                 actor=b.owner, now=NOW)
    with pytest.raises(WouldStrand) as refused:
        offerings.update_service(service=b.service, data=service_data(
            b.service, therapist_ids=[other.id]), actor=b.owner, now=NOW)
    assert refused.value.bookings == [booking]
    # Price and length may change: the booking keeps its own.
    offerings.update_service(service=b.service, data=service_data(
        b.service, price_cents=20000, duration_min=90), actor=b.owner, now=NOW)
    assert (booking.price_cents, booking.ends_at - booking.starts_at) == (11500,
                                                                          timedelta(hours=1))
    # Taking the service from the therapist without bookings is fine.
    offerings.update_service(service=b.service, data=service_data(
        b.service, therapist_ids=[b.therapist.id]), actor=b.owner, now=NOW)
    assert b.service.therapists == [b.therapist]


def test_a_service_names_only_this_clinics_therapists(app, create_bookable_clinic):
    b, stranger = create_bookable_clinic(), create_bookable_clinic()
    with pytest.raises(FieldError) as refused:
        offerings.create_service(clinic=b.clinic, data=service_data(
            b.service, therapist_ids=[stranger.therapist.id]), actor=b.owner, now=NOW)
    assert refused.value.field == "therapist_ids"


# --- hours and time off ------------------------------------------------------------------


def span_data(weekdays, starts="09:00", ends="17:00", location=None):
    return hours.SpanData(weekdays, location, time.fromisoformat(starts),
                          time.fromisoformat(ends))


def tuesday(b) -> WorkingHours:
    return next(h for h in b.therapist.working_hours if h.weekday == 1)


def test_hours_under_a_booking_cannot_be_shortened_or_removed(
    app, create_bookable_clinic, create_booking
):
    b = create_bookable_clinic()
    booking = create_booking(b, starts_at=NEXT_WEEK)  # Tuesday 11:00-12:00 EDT
    with pytest.raises(WouldStrand) as refused:
        hours.update_hours(hours=tuesday(b), data=span_data([1], "12:00", "17:00",
                                                            b.location.id),
                           actor=b.owner, now=NOW)
    assert refused.value.bookings == [booking]
    with pytest.raises(WouldStrand):
        hours.delete_hours(hours=tuesday(b), actor=b.owner, now=NOW)
    # Shortening around the booking is fine.
    hours.update_hours(hours=tuesday(b), data=span_data([1], "10:00", "13:00", b.location.id),
                       actor=b.owner, now=NOW)
    assert (tuesday(b).starts, tuesday(b).ends) == (time(10), time(13))
    # A free day can go.
    monday = next(h for h in b.therapist.working_hours if h.weekday == 0)
    hours.delete_hours(hours=monday, actor=b.owner, now=NOW)
    assert 0 not in {h.weekday for h in b.therapist.working_hours}
    assert {"hours.update", "hours.delete"} <= set(actions(b.clinic.id))


def test_hours_never_overlap_on_a_day(app, create_bookable_clinic):
    b = create_bookable_clinic()
    with pytest.raises(FieldError, match="already works"):
        hours.add_hours(therapist=b.therapist, data=span_data([2], "16:00", "19:00",
                                                              b.location.id),
                        actor=b.owner, now=NOW)
    monday = next(h for h in b.therapist.working_hours if h.weekday == 0)
    hours.delete_hours(hours=monday, actor=b.owner, now=NOW)
    added = hours.add_hours(therapist=b.therapist, data=span_data([0], "08:00", "12:00",
                                                                  b.location.id),
                            actor=b.owner, now=NOW)
    assert [(h.weekday, h.starts) for h in added] == [(0, time(8))]
    with pytest.raises(FieldError):
        hours.add_hours(therapist=b.therapist, data=span_data([0], "12:00", "12:00",
                                                              b.location.id),
                        actor=b.owner, now=NOW)


def test_time_off_over_a_visit_is_refused(app, create_bookable_clinic, create_booking):
    b = create_bookable_clinic()
    booking = create_booking(b, starts_at=NEXT_WEEK)
    first, last = hours.local_range(date(2031, 3, 11), None, date(2031, 3, 11), None,
                                    b.location.timezone)
    with pytest.raises(WouldStrand) as refused:
        hours.add_time_off(therapist=b.therapist, starts_at=first, ends_at=last, reason="",
                           actor=b.owner, now=NOW)
    assert refused.value.bookings == [booking]
    # The afternoon after the visit is free to take.
    first, last = hours.local_range(date(2031, 3, 11), time(12), date(2031, 3, 11), None,
                                    b.location.timezone)
    off = hours.add_time_off(therapist=b.therapist, starts_at=first, ends_at=last,
                             reason="Dentist", actor=b.owner, now=NOW)
    hours.delete_time_off(time_off=off, actor=b.owner, now=NOW)
    assert [
        a for a in actions(b.clinic.id) if a.startswith("time_off.")
    ] == ["time_off.create", "time_off.delete"]


def test_whole_days_off_follow_daylight_saving(app):
    # March 8, 2026 is 23 hours long in New York; November 1, 25.
    first, last = hours.local_range(date(2026, 3, 8), None, date(2026, 3, 8), None,
                                    "America/New_York")
    assert last - first == timedelta(hours=23)
    first, last = hours.local_range(date(2026, 11, 1), None, date(2026, 11, 1), None,
                                    "America/New_York")
    assert last - first == timedelta(hours=25)


# --- promotions --------------------------------------------------------------------------


def promotion_data(**overrides) -> promotions.PromotionData:
    values = {"code": "ACU25", "title": "$25 off acupuncture", "description": "",
              "kind": PromotionKind.AMOUNT, "value": 2500, "modality_id": None,
              "starts_on": None, "ends_on": None, "max_redemptions": None,
              "per_client_limit": 1, "active": True}
    values.update(overrides)
    return promotions.PromotionData(**values)


def test_promotion_codes_are_unique_and_sane(app, create_bookable_clinic):
    b = create_bookable_clinic()
    promo = promotions.create_promotion(clinic=b.clinic, data=promotion_data(), actor=b.owner,
                                        now=NOW)
    for bad, field in [
        (promotion_data(), "code"),
        (promotion_data(code="A!"), "code"),
        (promotion_data(code="PCT", kind=PromotionKind.PERCENT, value=150), "value"),
        (promotion_data(code="DATES", starts_on=date(2031, 5, 1), ends_on=date(2031, 4, 1)),
         "ends_on"),
    ]:
        with pytest.raises(FieldError) as refused:
            promotions.create_promotion(clinic=b.clinic, data=bad, actor=b.owner, now=NOW)
        assert refused.value.field == field
    promo.redemptions_count = 4
    with pytest.raises(FieldError, match="used 4 times"):
        promotions.update_promotion(promotion=promo, data=promotion_data(max_redemptions=3),
                                    actor=b.owner, now=NOW)
    # Another clinic may use the same code.
    other = create_user()
    promotions.create_promotion(clinic=create_bookable_clinic().clinic, data=promotion_data(),
                                actor=other, now=NOW)


def test_time_off_is_described_in_local_words(app, create_bookable_clinic):
    from marketplace.models import TimeOff

    tz = "America/New_York"
    whole = TimeOff(starts_at=hours.local_range(date(2026, 12, 12), None, date(2026, 12, 16),
                                                None, tz)[0],
                    ends_at=hours.local_range(date(2026, 12, 12), None, date(2026, 12, 16),
                                              None, tz)[1])
    assert hours.describe_time_off(whole, tz) == "Sat Dec 12 to Wed Dec 16, 2026 (whole days)"
    first, last = hours.local_range(date(2026, 3, 8), None, date(2026, 3, 8), None, tz)
    assert hours.describe_time_off(TimeOff(starts_at=first, ends_at=last), tz) == (
        "Sun Mar 8, 2026 (all day)")
    first, last = hours.local_range(date(2026, 3, 9), time(12), date(2026, 3, 9), time(14), tz)
    assert hours.describe_time_off(TimeOff(starts_at=first, ends_at=last), tz) == (
        "Mon Mar 9, 2026, 12:00 PM to 2:00 PM")


def test_a_therapist_with_an_accented_name_keeps_its_letters_in_the_slug(
    app, create_bookable_clinic
):
    b = create_bookable_clinic()
    data = therapists.TherapistData(
        name="Zoë Müller-Peña", credentials="LMT", licence_number="MA124", licence_state="FL",
        practicing_since=2015, bio="", active=True, modality_ids=[create_modality().id],
    )
    new = therapists.create_therapist(clinic=b.clinic, data=data, actor=b.owner, now=NOW)
    assert new.slug == "zoe-muller-pena"
