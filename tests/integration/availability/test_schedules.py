"""Loading availability inputs from the database."""

from datetime import UTC, datetime, time, timedelta

from marketplace.models import BookingStatus, TimeOff, db
from marketplace.services.availability.engine import Interval, open_slots
from marketplace.services.availability.schedules import load_schedules, rules_for
from tests.support.booking import booking_rules

NOW = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)
DAY = Interval(datetime(2031, 3, 4, 5, 0, tzinfo=UTC), datetime(2031, 3, 5, 5, 0, tzinfo=UTC))


def slots_for(app, b):
    schedules = load_schedules([b.therapist.id], window=DAY, now=NOW)
    return {s.starts_at for s in open_slots(schedules, rules_for(b.service, booking_rules(app)),
                                            window=DAY, now=NOW)}


def test_confirmed_and_live_holds_block_but_lapsed_holds_do_not(app, create_bookable_clinic,
                                                                  create_booking):
    b = create_bookable_clinic()
    ten = datetime(2031, 3, 4, 15, 0, tzinfo=UTC)  # 10:00 in St. Petersburg
    noon = datetime(2031, 3, 4, 17, 0, tzinfo=UTC)
    two = datetime(2031, 3, 4, 19, 0, tzinfo=UTC)
    create_booking(b, starts_at=ten, status=BookingStatus.CONFIRMED)
    create_booking(b, starts_at=noon, status=BookingStatus.HELD,
                   hold_expires_at=NOW + timedelta(minutes=5))
    create_booking(b, starts_at=two, status=BookingStatus.HELD,
                   hold_expires_at=NOW - timedelta(minutes=1))
    open_starts = slots_for(app, b)
    assert ten not in open_starts
    assert noon not in open_starts
    assert two in open_starts


def test_time_off_blocks(app, create_bookable_clinic):
    b = create_bookable_clinic()
    db.session.add(TimeOff(therapist=b.therapist, starts_at=DAY.start, ends_at=DAY.end))
    db.session.flush()
    assert slots_for(app, b) == set()


def test_three_queries_whatever_the_number_of_therapists(app, create_bookable_clinic,
                                                          count_queries):
    clinics = [create_bookable_clinic() for _ in range(4)]
    with count_queries() as q:
        load_schedules([c.therapist.id for c in clinics], window=DAY, now=NOW)
    assert q.count == 3


def test_service_slots_offers_every_giver_or_just_the_one_asked_for(app, create_bookable_clinic):
    from marketplace.services.availability.schedules import service_slots
    from tests.support import factories

    b = create_bookable_clinic()
    second = factories.create_therapist(b.clinic)
    factories.create_hours(second, b.location, starts=time(13), ends=time(17))
    b.service.therapists = [b.therapist, second]
    idle = factories.create_therapist(b.clinic, active=False)
    factories.create_hours(idle, b.location)
    b.service.therapists.append(idle)
    db.session.flush()

    everyone = service_slots(b.service, window=DAY, now=NOW, rules=booking_rules(app))
    assert {s.therapist_id for s in everyone} == {b.therapist.id, second.id}
    assert everyone == sorted(everyone)
    only_second = service_slots(b.service, window=DAY, now=NOW, rules=booking_rules(app),
                                therapist_id=second.id)
    assert only_second
    assert {s.therapist_id for s in only_second} == {second.id}
    assert service_slots(b.service, window=DAY, now=NOW, rules=booking_rules(app),
                         therapist_id=idle.id) == []
