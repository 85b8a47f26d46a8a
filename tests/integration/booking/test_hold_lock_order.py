"""Two clients place holds at the same moment, each releasing a hold of theirs on the
therapist the other is booking. Each hold rewrites the kept openings of both therapists
(the one booked, the one released), so each transaction locks two therapists. Taken in
the order the writes come, the two would wait for each other and PostgreSQL would
abort one as a deadlock (a 503 for that client); taken up front in one order, the
second waits for the first and both holds land."""

from __future__ import annotations

import threading
import time as clock
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from marketplace.models import Booking, BookingStatus, Service, User, db
from marketplace.services import booking as bookings
from marketplace.services.availability import kept
from marketplace.services.booking import holds
from tests.support import factories
from tests.support.booking import booking_rules
from tests.support.faults import committed_app

pytestmark = pytest.mark.concurrency
PAUSE = 0.6  # how long each transaction waits between releasing and inserting


def _start(b, now: datetime, days: int, hour: int) -> datetime:
    """``hour`` o'clock local, ``days`` after ``now`` (the therapist works 9-17 daily)."""
    tz = ZoneInfo(b.location.timezone)
    day = (now.astimezone(tz) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=tz).astimezone(UTC)


@pytest.fixture
def world(tmp_path, now):
    """Two clinics of one therapist each; each client holds a time at the other's."""
    with committed_app(tmp_path, "holdorder") as (app, _url):
        with app.app_context():
            first, second = factories.create_bookable_clinic(), factories.create_bookable_clinic()
            ann, bob = factories.create_user(), factories.create_user()
            rules = booking_rules(app)
            kept.ensure_window(db.session, now=now, rules=rules)  # as `openings refresh` does
            for client, b in ((ann, second), (bob, first)):
                bookings.place_hold(service=b.service, therapist_id=b.therapist.id,
                                    starts_at=_start(b, now, 3, 10), client=client,
                                    hold_token=None, now=now, rules=rules)
            ids = {"ann": ann.id, "bob": bob.id,
                   "ann_books": (first.service.id, first.therapist.id,
                                 _start(first, now, 3, 13)),
                   "bob_books": (second.service.id, second.therapist.id,
                                 _start(second, now, 3, 13))}
            db.session.commit()
            db.session.remove()
        yield app, ids


def _hold(app, now: datetime, client_id: int, booking: tuple, outcome: dict,
          name: str) -> None:
    service_id, therapist_id, starts_at = booking
    with app.app_context():
        try:
            bookings.place_hold(
                service=db.session.get(Service, service_id), therapist_id=therapist_id,
                starts_at=starts_at, client=db.session.get(User, client_id), hold_token=None,
                now=now, rules=booking_rules(app))
            db.session.commit()
            outcome[name] = "held"
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test reads
            db.session.rollback()
            outcome[name] = f"{type(exc).__name__}: {exc}"
        finally:
            db.session.remove()


def test_crossing_holds_both_land_without_a_deadlock(world, now, monkeypatch):
    app, ids = world
    insert = holds._insert

    def slow_insert(booking):  # both have released their old hold before either inserts
        clock.sleep(PAUSE)
        return insert(booking)

    monkeypatch.setattr(holds, "_insert", slow_insert)
    outcome: dict = {}
    threads = [threading.Thread(target=_hold, args=(app, now, ids["ann"],
                                                    ids["ann_books"], outcome, "ann")),
               threading.Thread(target=_hold, args=(app, now, ids["bob"],
                                                    ids["bob_books"], outcome, "bob"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome == {"ann": "held", "bob": "held"}
    with app.app_context():
        live = db.session.execute(select(Booking.client_id, Booking.therapist_id).where(
            Booking.status == BookingStatus.HELD)).all()
        assert sorted(live) == sorted([(ids["ann"], ids["ann_books"][1]),
                                       (ids["bob"], ids["bob_books"][1])])
