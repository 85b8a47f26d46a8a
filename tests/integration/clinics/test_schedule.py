"""The clinic's schedule (local days across DST, statuses, time off), a booking's
page and its outcome (completed / no-show, allowed transitions only)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from marketplace.models import (
    AuditLog,
    BookingStatus,
    ScreeningOutcome,
    TimeOff,
    db,
    utcnow,
)
from marketplace.services.clinics import bookings as clinic_bookings
from marketplace.services.clinics import schedule as cs
from marketplace.services.common.errors import Conflict
from marketplace.services.common.local_time import local_day_bounds
from tests.support.factories import create_user

DENVER = ZoneInfo("America/Denver")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=DENVER).astimezone(UTC)


@pytest.fixture
def denver(create_bookable_clinic):
    return create_bookable_clinic("80210")


def week(b, first: date, **kw):
    return cs.schedule(clinic=b.clinic, location=b.location, first_day=first, days=7,
                       now=at(2026, 3, 1, 8), **kw)


def starts(cell) -> list[str]:
    return [e.starts_at.astimezone(DENVER).strftime("%a %H:%M") for e in cell.entries]


def test_local_days_are_23_24_or_25_hours():
    start, end = local_day_bounds(date(2026, 3, 8), "America/Denver")
    assert end - start == timedelta(hours=23)
    start, end = local_day_bounds(date(2026, 11, 1), "America/Denver")
    assert end - start == timedelta(hours=25)


def test_the_week_across_spring_forward_keeps_wall_clock_times(app, denver, create_booking):
    for args in [(2026, 3, 7, 9), (2026, 3, 8, 9), (2026, 3, 8, 23, 30), (2026, 3, 9, 9)]:
        create_booking(denver, starts_at=at(*args), client=create_user())
    sched = week(denver, date(2026, 3, 2))
    t = denver.therapist.id
    assert starts(sched.cell(t, date(2026, 3, 7))) == ["Sat 09:00"]
    # Sunday (23 hours long) keeps its late-evening visit; Monday's is next week.
    assert starts(sched.cell(t, date(2026, 3, 8))) == ["Sun 09:00", "Sun 23:30"]
    assert sched.booking_count == 3
    following = week(denver, date(2026, 3, 9))
    assert starts(following.cell(t, date(2026, 3, 9))) == ["Mon 09:00"]
    assert following.cell(t, date(2026, 3, 9)).hours == [(time(9), time(17))]


def test_statuses_shown_and_hidden(app, denver, create_booking):
    now = at(2026, 3, 1, 8)
    shown = {
        BookingStatus.CONFIRMED: {}, BookingStatus.COMPLETED: {}, BookingStatus.NO_SHOW: {},
        BookingStatus.HELD: {"hold_expires_at": now + timedelta(minutes=5)},
    }
    hidden = {
        BookingStatus.CANCELLED: {}, BookingStatus.EXPIRED: {},
        BookingStatus.HELD: {"hold_expires_at": now - timedelta(minutes=5)},
    }
    for hour, (status, extra) in enumerate([*shown.items(), *hidden.items()], start=9):
        create_booking(denver, starts_at=at(2026, 3, 3, hour), status=status, **extra)
    cell = week(denver, date(2026, 3, 2)).cell(denver.therapist.id, date(2026, 3, 3))
    assert sorted(e.booking.status.value for e in cell.entries) == sorted(
        s.value for s in shown)


def test_time_off_spreads_over_the_days_it_touches(app, denver):
    db.session.add(TimeOff(therapist=denver.therapist, starts_at=at(2026, 3, 4, 15),
                           ends_at=at(2026, 3, 6, 0), reason="Course"))
    db.session.flush()
    sched = week(denver, date(2026, 3, 2))
    wed = sched.cell(denver.therapist.id, date(2026, 3, 4)).entries
    thu = sched.cell(denver.therapist.id, date(2026, 3, 5)).entries
    assert [(e.all_day, e.time_off.reason) for e in wed] == [(False, "Course")]
    assert wed[0].starts_at == at(2026, 3, 4, 15)
    assert [e.all_day for e in thu] == [True]
    assert sched.cell(denver.therapist.id, date(2026, 3, 6)).entries == []


def test_the_schedule_costs_the_same_queries_for_a_busy_week(app, denver, create_booking,
                                                             count_queries):
    create_booking(denver, starts_at=at(2026, 3, 3, 9), client=create_user())
    db.session.expire_all()
    with count_queries() as one:
        week(denver, date(2026, 3, 2))
    for day in range(2, 9):
        for hour in (10, 12, 14):
            create_booking(denver, starts_at=at(2026, 3, day, hour), client=create_user())
    db.session.expire_all()
    with count_queries() as many:
        sched = week(denver, date(2026, 3, 2))
    assert sched.booking_count == 22
    # clinic, location, therapists, bookings (+ clients, services), time off, hours
    assert many.count == one.count <= 8


# --- over HTTP -----------------------------------------------------------------------------


@pytest.fixture
def signed_in(client, auth, denver):
    db.session.commit()
    auth.session_for(denver.owner)
    return denver


def test_week_and_day_pages_and_their_fragments(client, signed_in, create_booking):
    client_user = create_user(name="Casey Needham", phone="303-555-0100")
    b = create_booking(signed_in, starts_at=at(2031, 3, 11, 10), client=client_user,
                       screening_outcome=ScreeningOutcome.GENTLE_ONLY)
    db.session.commit()
    base = f"/owner/clinics/{signed_in.clinic.slug}/schedule"
    page = client.get(base, query_string={"date": "2031-03-12"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Week of March 10, 2031" in body
    assert "10:00 AM" in body
    assert "Casey Needham" in body
    assert "gentle work only" in body
    fragment = client.htmx("GET", f"{base}?date=2031-03-11&view=day")
    assert fragment.status_code == 200
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Tuesday March 11, 2031" in fragment.get_data(as_text=True)
    assert b.reference in fragment.get_data(as_text=True)
    other = client.get(base, query_string={"date": "2031-03-11", "therapist": "999999"})
    assert other.status_code == 422
    assert "from the list" in other.get_data(as_text=True)
    bad = client.get(base, query_string={"date": "2031-02-30"})
    assert bad.status_code == 422
    assert "Showing this week instead" in bad.get_data(as_text=True)


def test_the_booking_page_shows_contact_money_and_screening(client, signed_in, create_booking):
    person = create_user(name="Robin Lake", phone="303-555-0111")
    b = create_booking(signed_in, starts_at=at(2031, 3, 11, 10), client=person,
                       screening_outcome=ScreeningOutcome.CLEARANCE)
    db.session.commit()
    page = client.get(f"/owner/clinics/{signed_in.clinic.slug}/bookings/{b.reference}")
    body = page.get_data(as_text=True)
    assert "Robin Lake" in body
    assert person.email in body
    assert "303-555-0111" in body
    assert "doctor&#39;s clearance needed" in body
    assert "(not confirmed)" in body
    assert "Tuesday March 11, 2031, 10:00 AM" in body
    assert "MDT" in body
    assert "once it has started" in body
    lower = client.get(f"/owner/clinics/{signed_in.clinic.slug}/bookings/{b.reference.lower()}")
    assert lower.status_code == 200
    missing = client.get(f"/owner/clinics/{signed_in.clinic.slug}/bookings/NOPE1234")
    assert missing.status_code == 404


def test_marking_follows_the_allowed_transitions(client, signed_in, create_booking):
    past = create_booking(signed_in, starts_at=utcnow() - timedelta(hours=3),
                          client=create_user())
    future = create_booking(signed_in, starts_at=utcnow() + timedelta(days=2),
                            client=create_user())
    db.session.commit()
    base = f"/owner/clinics/{signed_in.clinic.slug}/bookings"
    early = client.htmx("POST", f"{base}/{future.reference}/completed")
    assert early.status_code == 409
    assert "once it has started" in early.get_data(as_text=True)
    done = client.htmx("POST", f"{base}/{past.reference}/no-show")
    assert done.status_code == 200
    assert "marked a no-show" in done.get_data(as_text=True)
    assert "<html" not in done.get_data(as_text=True)
    fixed = client.post(f"{base}/{past.reference}/completed")
    assert fixed.status_code == 303
    db.session.refresh(past)
    assert past.status is BookingStatus.COMPLETED
    assert past.completed_at is not None
    again = client.post(f"{base}/{past.reference}/no-show")
    assert again.status_code == 409
    assert "A completed booking cannot be marked no-show." in again.get_data(as_text=True)
    actions = db.session.scalars(select(AuditLog.action).where(
        AuditLog.object_type == "booking", AuditLog.object_id == past.id))
    assert list(actions) == ["booking.no_show", "booking.complete"]


def test_mark_refuses_what_the_transitions_do_not_allow(app, denver, create_booking):
    cancelled = create_booking(denver, starts_at=at(2026, 3, 3, 9),
                               status=BookingStatus.CANCELLED)
    with pytest.raises(Conflict):
        clinic_bookings.mark(booking=cancelled, outcome=BookingStatus.COMPLETED,
                             actor=denver.owner, now=at(2026, 3, 4, 9))
    assert clinic_bookings.outcomes(cancelled, now=at(2026, 3, 4, 9)) == []


def test_the_overview_lists_visits_to_mark_and_coming_up(client, signed_in, create_booking):
    started = create_booking(signed_in, starts_at=utcnow() - timedelta(hours=2),
                             client=create_user(name="Past Person"))
    ahead = create_booking(signed_in, starts_at=utcnow() + timedelta(days=3),
                           client=create_user(name="Future Person"))
    create_booking(signed_in, starts_at=utcnow() + timedelta(days=4),
                   status=BookingStatus.CANCELLED, client=create_user(name="Gone Person"))
    db.session.commit()
    body = client.get(f"/owner/clinics/{signed_in.clinic.slug}").get_data(as_text=True)
    marks, ahead_part = body.split("Coming up", 1)
    assert started.reference in marks.split("Visits to mark", 1)[1]
    assert ahead.reference in ahead_part
    assert "Gone Person" not in body


def test_every_time_on_the_overview_carries_its_zone(client, signed_in, create_booking):
    from marketplace.services.common.local_time import zone

    started = create_booking(signed_in, starts_at=utcnow() - timedelta(hours=2),
                             client=create_user(name="Past Person"))
    ahead = create_booking(signed_in, starts_at=utcnow() + timedelta(days=3),
                           client=create_user(name="Future Person"))
    db.session.commit()
    body = client.get(f"/owner/clinics/{signed_in.clinic.slug}").get_data(as_text=True)
    marks, ahead_part = body.split("Visits to mark", 1)[1].split("Coming up", 1)
    for booking, part in ((started, marks), (ahead, ahead_part)):
        local = booking.starts_at.astimezone(zone(booking.timezone))
        label = f"{local.strftime('%-I:%M %p')} {local.tzname()}"  # "9:00 AM EST"
        assert label in part, (label, part)
        assert f'datetime="{local.isoformat()}"' in part
