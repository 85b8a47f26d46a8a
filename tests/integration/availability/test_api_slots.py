"""The availability API, written straight from the kept rows, answers exactly the engine's
slots written the straightforward way (a datetime per start and end, converted through
the clinic's zone): over a week with Denver's spring-forward Sunday, for any therapist
and for one; and with a lapsed hold not yet marked expired (the engine answers then)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from marketplace.models import BookingStatus, Therapist, db
from marketplace.services.availability import kept
from marketplace.services.availability.engine import Interval
from marketplace.services.availability.schedules import service_slots
from marketplace.services.common.local_time import local_day_bounds, zone
from marketplace.services.common.rules import BookingRules
from tests.support import factories

NOW = datetime(2027, 3, 10, 15, 7, tzinfo=UTC)  # a Wednesday; Sunday 14th springs forward
FIRST, LAST = date(2027, 3, 11), date(2027, 3, 17)
TZ = "America/Denver"


def _clinic():
    b = factories.create_bookable_clinic(zip_code="80210")
    other = factories.create_therapist(b.clinic)
    factories.create_hours(other, b.location, starts=time(1), ends=time(12))  # over 2:00
    b.service.therapists = [b.therapist, other]
    b.service.buffer_after_min = 15
    db.session.flush()
    for n, therapist in enumerate([b.therapist, other, b.therapist]):
        factories.create_booking(
            b, therapist=therapist, status=BookingStatus.CONFIRMED,
            starts_at=local_day_bounds(FIRST + timedelta(days=n), TZ)[0] + timedelta(hours=17))
    db.session.commit()
    return b, other


def _engine(app, b, *, now: datetime, therapist_id: int | None = None) -> list[dict]:
    window = Interval(local_day_bounds(FIRST, TZ)[0], local_day_bounds(LAST, TZ)[1])
    slots = service_slots(b.service, window=window, now=now,
                          rules=BookingRules.from_config(app.config), therapist_id=therapist_id)
    names = {t.id: t for t in db.session.query(Therapist)}
    return [{"starts_at": s.starts_at.astimezone(zone(s.timezone)).isoformat(),
             "ends_at": s.ends_at.astimezone(zone(s.timezone)).isoformat(),
             "therapist": names[s.therapist_id].slug,
             "therapist_name": names[s.therapist_id].name} for s in slots]


def _url(b, therapist: Therapist | None = None) -> str:
    url = (f"/api/v1/clinics/{b.clinic.slug}/availability?service={b.service.id}"
           f"&from={FIRST.isoformat()}&to={LAST.isoformat()}")
    return url + (f"&therapist={therapist.slug}" if therapist else "")


@pytest.mark.parametrize("one", [False, True])
def test_a_week_from_the_rows_is_the_engines_week(app, client, one):
    with time_machine.travel(NOW, tick=False):
        b, other = _clinic()
        response = client.get(_url(b, other if one else None))
        assert response.status_code == 200, response.json
        data = response.json
        expected = _engine(app, b, now=NOW, therapist_id=other.id if one else None)
    assert data["slots"] == expected
    assert len(expected) > 100
    offsets = {s["starts_at"][-6:] for s in data["slots"]}
    assert offsets == {"-07:00", "-06:00"}  # both sides of the change


def test_a_lapsed_hold_not_yet_marked_is_open_as_the_engine_says(app, client):
    with time_machine.travel(NOW, tick=False):
        b, _other = _clinic()
        held_at = local_day_bounds(FIRST, TZ)[0] + timedelta(hours=10)
        factories.create_booking(b, starts_at=held_at, status=BookingStatus.HELD,
                                 hold_expires_at=NOW + timedelta(minutes=10))
        db.session.commit()
        during = client.get(_url(b, b.therapist)).json["slots"]
    later = NOW + timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        after = client.get(_url(b, b.therapist)).json["slots"]
        expected = _engine(app, b, now=later, therapist_id=b.therapist.id)
    local = held_at.astimezone(zone(TZ)).isoformat()
    assert local not in {s["starts_at"] for s in during}
    assert local in {s["starts_at"] for s in after}
    assert after == expected


def test_the_api_moves_a_window_left_behind_and_keeps_it(app, client):
    with time_machine.travel(NOW - timedelta(days=5), tick=False):
        b, _other = _clinic()
        kept.ensure_window(db.session, now=NOW - timedelta(days=5),
                           rules=BookingRules.from_config(app.config))
        db.session.commit()
        behind = kept.current_window(db.session)
    with time_machine.travel(NOW, tick=False):
        response = client.get(_url(b))
        assert response.status_code == 200, response.json
        expected = _engine(app, b, now=NOW)
        moved = kept.current_window(db.session)
        assert kept.check(db.session) == (0, 0)
    assert response.json["slots"] == expected
    assert moved.first_day > behind.first_day
    assert moved.last_day > behind.last_day
