"""The open time kept as rows always equals what the availability engine computes.

Hypothesis builds a clinic (two therapists, three services of random lengths and buffers,
random weekly hours, sometimes overlapping or at a second location, in a zone with
daylight-saving changes) and then applies any sequence of the changes the product makes:
holds placed, confirmed, cancelled, moved or lapsed and expired in bulk; time off added
and removed; hours added, changed and removed; a service's length, buffers, activity and
givers changed; a therapist made inactive and active again. After the sequence the rows,
read back through the readers, give exactly the engine's slots for every service and
therapist, and ``kept.check`` finds nothing to add or remove.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError

from marketplace.models import BookingStatus, Service, TimeOff, WorkingHours, db
from marketplace.services.availability import kept, openings
from marketplace.services.availability.engine import Interval
from marketplace.services.availability.schedules import service_slots
from marketplace.services.booking import expire_lapsed_holds
from marketplace.services.common.rules import BookingRules
from tests.support import factories

RULES = BookingRules(horizon_days=21)
# A Monday morning: the window spans the spring-forward change of March 14, 2027.
NOW = datetime(2027, 3, 1, 14, 7, tzinfo=UTC)
LENGTHS = (30, 45, 60, 90)
BUFFERS = (0, 5, 10, 15, 30)


def _world(data):
    zip_code = data.draw(st.sampled_from(["33701", "80210"]), label="zip")
    b = factories.create_bookable_clinic(zip_code=zip_code)
    second = factories.create_location(b.clinic, zip_code)
    other = factories.create_therapist(b.clinic)
    therapists = [b.therapist, other]
    for span in list(b.therapist.working_hours):
        db.session.delete(span)
    db.session.flush()
    db.session.expire(b.therapist, ["working_hours"])
    for therapist in therapists:
        for weekday in data.draw(st.sets(st.integers(0, 6), max_size=5), label="days"):
            for _ in range(data.draw(st.integers(1, 2), label="spans")):
                opens = data.draw(st.integers(12, 40), label="opens") * 15  # 3:00-10:00
                length = data.draw(st.integers(4, 40), label="length") * 15
                location = data.draw(st.sampled_from([b.location, second]), label="loc")
                ends = min(opens + length, 23 * 60 + 45)
                db.session.add(WorkingHours(
                    therapist=therapist, location=location, weekday=weekday,
                    starts=time(opens // 60, opens % 60), ends=time(ends // 60, ends % 60)))
    services = [b.service]
    for _ in range(2):
        services.append(factories.create_service(b.clinic, therapists=[other]))
    for service in services:
        service.duration_min = data.draw(st.sampled_from(LENGTHS), label="duration")
        service.buffer_before_min = data.draw(st.sampled_from(BUFFERS), label="before")
        service.buffer_after_min = data.draw(st.sampled_from(BUFFERS), label="after")
    services[1].therapists = therapists
    db.session.flush()
    return b, therapists, services


def _book(b, therapist, service, starts_at, status):
    booking_b = factories.Bookable(b.clinic, b.location, therapist, service, b.owner)
    extra = {"hold_expires_at": NOW + timedelta(minutes=10)} if status is BookingStatus.HELD \
        else {}
    try:
        with db.session.begin_nested():
            return factories.create_booking(booking_b, starts_at=starts_at, status=status, **extra)
    except IntegrityError:  # the therapist is busy then: the database refused the overlap
        return None


def _apply(data, b, therapists, services, bookings, time_off):
    kind = data.draw(st.sampled_from([
        "book", "book", "book", "cancel", "move", "lapse", "time_off", "time_back",
        "hours", "service", "givers", "therapist"]), label="change")
    therapist = data.draw(st.sampled_from(therapists), label="therapist")
    if kind == "book":
        service = data.draw(st.sampled_from(services), label="service")
        offset = data.draw(st.integers(0, 20 * 24 * 4), label="quarter") * 15
        starts_at = NOW.replace(minute=0) + timedelta(minutes=offset)
        status = data.draw(st.sampled_from([BookingStatus.HELD, BookingStatus.CONFIRMED]))
        booking = _book(b, therapist, service, starts_at, status)
        if booking is not None:
            bookings.append(booking)
    elif kind in ("cancel", "move", "lapse") and bookings:
        booking = data.draw(st.sampled_from(bookings), label="booking")
        if kind == "cancel":
            booking.status = BookingStatus.CANCELLED
        elif kind == "move":
            shift = timedelta(minutes=data.draw(st.integers(-96, 96), label="shift") * 15)
            try:
                with db.session.begin_nested():
                    for field in ("starts_at", "ends_at", "blocked_from", "blocked_until"):
                        setattr(booking, field, getattr(booking, field) + shift)
            except IntegrityError:
                db.session.refresh(booking)
        elif booking.status is BookingStatus.HELD:
            booking.hold_expires_at = NOW - timedelta(minutes=1)
            db.session.flush()
            expire_lapsed_holds(now=NOW)
    elif kind == "time_off":
        start = NOW + timedelta(hours=data.draw(st.integers(0, 20 * 24), label="off_at"))
        hours = data.draw(st.integers(1, 60), label="off_hours")
        row = TimeOff(therapist=therapist, starts_at=start, ends_at=start + timedelta(hours=hours))
        db.session.add(row)
        time_off.append(row)
    elif kind == "time_back" and time_off:
        db.session.delete(time_off.pop(data.draw(st.integers(0, len(time_off) - 1))))
    elif kind == "hours":
        spans = list(therapist.working_hours)
        if spans and data.draw(st.booleans(), label="remove"):
            db.session.delete(data.draw(st.sampled_from(spans), label="span"))
            db.session.flush()
            db.session.expire(therapist, ["working_hours"])
        elif spans:
            span = data.draw(st.sampled_from(spans), label="span")
            span.ends = time(data.draw(st.integers(14, 22), label="ends"), 30)
        else:
            db.session.add(WorkingHours(therapist=therapist, location=b.location,
                                        weekday=data.draw(st.integers(0, 6)),
                                        starts=time(9), ends=time(17)))
    elif kind == "service":
        service = data.draw(st.sampled_from(services), label="service")
        service.duration_min = data.draw(st.sampled_from(LENGTHS), label="duration")
        service.buffer_after_min = data.draw(st.sampled_from(BUFFERS), label="after")
        service.active = data.draw(st.booleans(), label="active") or service is services[0]
    elif kind == "givers":
        service = data.draw(st.sampled_from(services[1:]), label="service")
        service.therapists = data.draw(st.sampled_from([[], therapists[:1], therapists]))
    elif kind == "therapist":
        therapist.active = not therapist.active
    db.session.flush()


def _assert_rows_equal_engine(services, therapists):
    everything = Interval(NOW, NOW + RULES.horizon)
    for service in services:
        db.session.refresh(service)
        for therapist in (None, *therapists):
            tid = therapist.id if therapist is not None else None
            engine = service_slots(service, window=everything, now=NOW, rules=RULES,
                                   therapist_id=tid) if service.active else []
            rows = openings.slots(service, window=everything, now=NOW, rules=RULES,
                                  therapist_id=tid)
            assert rows == engine, (service.id, tid)
    assert kept.check(db.session) == (0, 0)


def _assert_readers_equal_engine(b, services):
    """Search's and the profile's readers give what the engine computes for them."""
    clinic = [b.clinic.id]
    modalities = {s.modality_id for s in services}
    for wanted in (None, modalities):
        assert openings.first_by_clinic(clinic, now=NOW, rules=RULES, modality_ids=wanted) == \
            openings.computed_first_by_clinic(clinic, now=NOW, rules=RULES, modality_ids=wanted)
        for days in (0, 1, 6, 13):
            day = (NOW + timedelta(days=days)).date()
            assert openings.open_on(clinic, day, now=NOW, rules=RULES, modality_ids=wanted) == \
                openings.computed_open_on(clinic, day, now=NOW, rules=RULES,
                                          modality_ids=wanted)
    active = [s for s in services if s.active]
    rows = openings.service_openings(active, now=NOW, rules=RULES, choose=_first)
    engine = openings.computed_service_openings(active, now=NOW, rules=RULES, choose=_first)
    assert (rows.first, rows.chosen, rows.upcoming) == \
        (engine.first, engine.chosen, engine.upcoming)


def _first(first: dict) -> Service | None:
    """The service whose first opening is soonest (as a profile picks by default)."""
    if not first:
        return None
    return db.session.get(Service, min(first, key=lambda sid: (first[sid], sid)))


@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_the_rows_equal_the_engine_after_any_sequence_of_changes(app, data):
    savepoint = db.session.begin_nested()
    try:
        b, therapists, services = _world(data)
        kept.ensure_window(db.session, now=NOW, rules=RULES)
        bookings, time_off = [], []
        for _ in range(data.draw(st.integers(1, 12), label="changes")):
            _apply(data, b, therapists, services, bookings, time_off)
        _assert_rows_equal_engine(services, therapists)
        _assert_readers_equal_engine(b, services)
    finally:
        savepoint.rollback()
        db.session.expunge_all()


def test_rows_follow_a_hold_and_its_expiry(app):
    b = factories.create_bookable_clinic()
    kept.ensure_window(db.session, now=NOW, rules=RULES)
    window = Interval(NOW, NOW + timedelta(days=3))
    before = openings.slots(b.service, window=window, now=NOW, rules=RULES)
    target = before[5]
    hold = factories.create_booking(b, starts_at=target.starts_at, status=BookingStatus.HELD,
                                    hold_expires_at=NOW + timedelta(minutes=10))
    during = openings.slots(b.service, window=window, now=NOW, rules=RULES)
    assert target.starts_at not in {s.starts_at for s in during}
    # Lapsed but not yet marked: the reader answers from the engine, so the time is back.
    later = NOW + timedelta(minutes=11)
    assert openings.slots(b.service, window=window, now=later, rules=RULES) == service_slots(
        b.service, window=window, now=later, rules=RULES)
    assert expire_lapsed_holds(now=later) == 1
    assert hold.status is BookingStatus.EXPIRED
    assert kept.check(db.session) == (0, 0)
    assert target.starts_at in {s.starts_at for s in openings.slots(
        b.service, window=window, now=later, rules=RULES)}


def test_the_window_moves_forward_as_days_pass(app):
    b = factories.create_bookable_clinic()
    first = kept.ensure_window(db.session, now=NOW, rules=RULES)
    assert kept.ensure_window(db.session, now=NOW + timedelta(hours=1), rules=RULES) == first
    later = NOW + timedelta(days=5)
    moved = kept.ensure_window(db.session, now=later, rules=RULES)
    assert moved.first_day > first.first_day
    assert moved.last_day > first.last_day
    assert kept.check(db.session) == (0, 0)
    window = Interval(later, later + RULES.horizon)
    assert openings.slots(b.service, window=window, now=later, rules=RULES) == service_slots(
        b.service, window=window, now=later, rules=RULES)


def test_a_new_slot_grid_rebuilds_the_rows(app):
    b = factories.create_bookable_clinic()
    kept.ensure_window(db.session, now=NOW, rules=RULES)
    half_hourly = BookingRules(horizon_days=21, slot_step_minutes=30)
    window = Interval(NOW, NOW + timedelta(days=7))
    assert openings.slots(b.service, window=window, now=NOW, rules=half_hourly) == \
        service_slots(b.service, window=window, now=NOW, rules=half_hourly)
    assert kept.current_window(db.session).step_min == 30
