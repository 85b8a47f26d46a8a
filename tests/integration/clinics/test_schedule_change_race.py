"""A client's hold and an owner's schedule change for the same therapist, at the
same moment, in two real transactions: whichever commits first, the other sees it.
No hold lands in hours the owner has just removed, and no hours are removed under
a hold that has just been placed (PostgreSQL: row locks on the therapist; SQLite:
one writer at a time)."""

from __future__ import annotations

import threading
import time as clock
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from marketplace.models import Booking, Therapist, User, WorkingHours, db, utcnow
from marketplace.services import booking as bookings
from marketplace.services.clinics import hours
from marketplace.services.clinics.stranding import WouldStrand
from tests.support import factories
from tests.support.booking import booking_rules
from tests.support.faults import committed_app

pytestmark = pytest.mark.concurrency
PAUSE = 0.6  # how long the first transaction stays open after taking its locks


@pytest.fixture
def world(tmp_path):
    """A database of its own: one bookable clinic, committed for real."""
    with committed_app(tmp_path, "schedrace") as (app, _url):
        with app.app_context():
            b = factories.create_bookable_clinic()
            tz = ZoneInfo(b.location.timezone)
            day = (datetime.now(UTC).astimezone(tz) + timedelta(days=3)).date()
            ids = {"therapist": b.therapist.id, "service": b.service.id, "owner": b.owner.id,
                   "start": datetime(day.year, day.month, day.day, 10, tzinfo=tz).astimezone(UTC),
                   "weekday": day.weekday()}
            db.session.commit()
            db.session.remove()
        yield app, ids


def _hours_row(ids) -> WorkingHours:
    return db.session.scalar(select(WorkingHours).where(
        WorkingHours.therapist_id == ids["therapist"], WorkingHours.weekday == ids["weekday"]))


def _remove_hours(app, ids, started: threading.Event, outcome: dict) -> None:
    with app.app_context():
        try:
            owner = db.session.get(User, ids["owner"])
            hours.delete_hours(hours=_hours_row(ids), actor=owner, now=utcnow())
            started.set()
            clock.sleep(PAUSE)
            db.session.commit()
            outcome["owner"] = "removed"
        except WouldStrand:
            db.session.rollback()
            outcome["owner"] = "refused"
        finally:
            started.set()
            db.session.remove()


def _hold(app, ids, started: threading.Event | None, outcome: dict) -> None:
    with app.app_context():
        try:
            therapist = db.session.get(Therapist, ids["therapist"])
            service = next(s for s in therapist.services if s.id == ids["service"])
            bookings.place_hold(service=service, therapist_id=therapist.id,
                                starts_at=ids["start"], client=factories.create_user(),
                                hold_token=None, now=utcnow(), rules=booking_rules(app))
            if started is not None:
                started.set()
                clock.sleep(PAUSE)
            db.session.commit()
            outcome["client"] = "held"
        except bookings.SlotTaken:
            db.session.rollback()
            outcome["client"] = "taken"
        finally:
            if started is not None:
                started.set()
            db.session.remove()


def _run(first, second) -> None:
    started = threading.Event()
    a = threading.Thread(target=first, args=(started,))
    a.start()
    assert started.wait(30)
    b = threading.Thread(target=second)
    b.start()
    a.join(60)
    b.join(60)


def test_a_hold_waits_for_hours_being_removed_and_then_finds_them_gone(world):
    app, ids = world
    outcome: dict = {}
    _run(lambda ev: _remove_hours(app, ids, ev, outcome), lambda: _hold(app, ids, None, outcome))
    assert outcome == {"owner": "removed", "client": "taken"}
    with app.app_context():
        assert db.session.scalar(select(Booking.id)) is None


def test_hours_being_removed_wait_for_a_hold_and_then_refuse(world):
    app, ids = world
    outcome: dict = {}
    _run(lambda ev: _hold(app, ids, ev, outcome),
         lambda: _remove_hours(app, ids, threading.Event(), outcome))
    assert outcome == {"client": "held", "owner": "refused"}
    with app.app_context():
        assert _hours_row(ids) is not None
        assert db.session.scalar(select(Booking.id)) is not None
