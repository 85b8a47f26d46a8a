"""Book the course: the remaining sessions on a weekly or every-N-days pattern with one
therapist, planned against the engine (a taken week gets its nearest open times), held
all at once or not at all, refused past the booking horizon or with no session left, and
booked with the health answers given once (screened again for each day)."""

from datetime import timedelta

import pytest

from marketplace.models import BookingStatus, IntakeRecord, db
from marketplace.services.booking import holds
from marketplace.services.booking import intake_step as booking_intake
from marketplace.services.common.errors import Conflict, FieldError
from marketplace.services.intake.records import keyring_for
from marketplace.services.intake.screening import IntakeAnswers
from marketplace.services.series import course, sessions
from tests.support import factories
from tests.support.booking import booking_rules, days_ahead
from tests.support.series import create_offer, paid


def _series(b, now, **offer):
    client = factories.create_user()
    return client, paid(create_offer(b, now=now, **offer), client, now=now)


def _plan(app, b, row, now, *, days=2, hour=10, every=7):
    return course.plan(row, therapist_id=b.therapist.id,
                       first_start=days_ahead(b, days, hour, now=now), every_days=every,
                       now=now, rules=booking_rules(app))


def test_an_open_pattern_is_held_all_at_once(app, create_bookable_clinic, now):
    b = create_bookable_clinic()
    client, row = _series(b, now)
    plan = _plan(app, b, row, now)
    assert plan.complete
    assert len(plan.sessions) == 4
    assert [s.wanted for s in plan.sessions] == [days_ahead(b, 2 + 7 * i, 10, now=now)
                                                 for i in range(4)]
    held = course.hold(row, client=client, therapist_id=b.therapist.id,
                       starts=[s.wanted for s in plan.sessions], now=now,
                       rules=booking_rules(app))
    db.session.commit()
    assert len(held) == 4
    assert {h.status for h in held} == {BookingStatus.HELD}
    assert {h.series_purchase_id for h in held} == {row.id}
    assert {h.deposit_cents for h in held} == {0}
    assert sessions.sessions_left(row, now) == 0
    with pytest.raises(Conflict, match="no sessions left"):
        _plan(app, b, row, now)


def test_a_taken_week_gets_its_nearest_open_times(app, create_bookable_clinic, now):
    b = create_bookable_clinic()
    client, row = _series(b, now)
    taken = days_ahead(b, 9, 10, now=now)
    factories.create_booking(b, starts_at=taken, client=factories.create_user())
    plan = _plan(app, b, row, now)
    assert not plan.complete
    second = plan.sessions[1]
    assert (second.number, second.wanted, second.open) == (2, taken, False)
    assert second.alternatives
    assert second.alternatives[0] != taken
    assert all(abs(a - taken) < timedelta(days=3, hours=12) for a in second.alternatives)
    starts = [s.wanted if s.open else s.alternatives[0] for s in plan.sessions]
    held = course.hold(row, client=client, therapist_id=b.therapist.id, starts=starts,
                       now=now, rules=booking_rules(app))
    assert len(held) == 4


def test_a_time_taken_after_planning_holds_nothing(app, create_bookable_clinic, now):
    b = create_bookable_clinic()
    client, row = _series(b, now)
    plan = _plan(app, b, row, now)
    factories.create_booking(b, starts_at=plan.sessions[2].wanted,
                             client=factories.create_user())
    db.session.commit()
    with pytest.raises(holds.SlotTaken, match="nothing was held"):
        course.hold(row, client=client, therapist_id=b.therapist.id,
                    starts=[s.wanted for s in plan.sessions], now=now,
                    rules=booking_rules(app))
    db.session.rollback()  # as the view does: every hold of the course goes
    db.session.refresh(row)
    assert sessions.sessions_left(row, now) == 4
    assert [b for b in row.bookings if b.status is BookingStatus.HELD] == []


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"days": 2, "every": 28}, "first_start"),  # the fourth visit is past 60 days
    ({"days": 70}, "first_start"),
    ({"days": -2}, "first_start"),
    ({"every": 0}, "every_days"),
    ({"every": 29}, "every_days"),
])
def test_a_pattern_outside_the_horizon_or_nonsense_is_refused(app, create_bookable_clinic,
                                                              now, kwargs, field):
    b = create_bookable_clinic()
    _, row = _series(b, now)
    with pytest.raises(FieldError) as refused:
        _plan(app, b, row, now, **kwargs)
    assert refused.value.field == field


def test_booking_the_course_with_the_answers_given_once(app, create_bookable_clinic, now):
    b = create_bookable_clinic()
    client, row = _series(b, now)
    plan = _plan(app, b, row, now)
    held = course.hold(row, client=client, therapist_id=b.therapist.id,
                       starts=[s.wanted for s in plan.sessions], now=now,
                       rules=booking_rules(app))
    keyring = keyring_for(app.config)
    with pytest.raises(Exception, match="health questions"):
        course.confirm(row, client=client, keyring=keyring, now=now)
    booking_intake.submit_intake(held[0], client=client, answers=IntakeAnswers(
        notes="Left shoulder"), clearance_confirmed=False, keyring=keyring, now=now,
        consented=True)
    booked = course.confirm(row, client=client, keyring=keyring, now=now)
    db.session.commit()
    assert {b.status for b in booked} == {BookingStatus.CONFIRMED}
    assert db.session.scalar(db.select(db.func.count(IntakeRecord.id)).where(
        IntakeRecord.booking_id.in_([b.id for b in booked]))) == 4
    assert sessions.sessions_left(row, now) == 0


def _course_args(b, now, **overrides):
    first = days_ahead(b, 2, 10, now=now).astimezone(
        __import__("zoneinfo").ZoneInfo(b.location.timezone))
    values = {"therapist_id": str(b.therapist.id), "first_day": first.date().isoformat(),
              "first_time": "10:00", "every": "7"}
    values.update(overrides)
    return values


def test_the_course_pages_plan_hold_and_refuse_bad_input(client, auth, app,
                                                         create_bookable_clinic, now):
    b = create_bookable_clinic()
    buyer, row = _series(b, now)
    auth.login(buyer)
    url = f"/series/{row.reference}/course"
    assert "Find the times" in client.get(url).get_data(as_text=True)
    page = client.get(url, query_string=_course_args(b, now))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Hold all 4 visits" in text
    names = sorted(set(__import__("re").findall(r'name="(starts-\d)" value="([^"]+)"', text)))
    assert len(names) == 4
    for bad in ({"first_day": "2026-02-31"}, {"every": "days", "every_days": "0"},
                {"therapist_id": "999"}, {"first_time": "25:00"},
                {"first_day": "2100-01-01"}):
        response = client.get(url, query_string=_course_args(b, now, **bad))
        assert response.status_code == 422, bad
    response = client.htmx("GET", url, query_string=_course_args(b, now))
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)
    form = {"therapist_id": str(b.therapist.id), **dict(names)}
    response = client.post(url, data=form)
    assert response.status_code == 303
    db.session.refresh(row)
    assert len(course.held_course(row, now)) == 4
    assert client.post(url, data={"therapist_id": "x", "starts-0": "nonsense"}
                       ).status_code == 422
