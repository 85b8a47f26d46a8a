"""One person holds an offer for a slot at a time, under real concurrency: several
processes run the waitlist job at once on one freed slot, and a job races a client
booking that slot directly through the site (gunicorn, as in production). On
PostgreSQL and on a SQLite file."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from marketplace.models import (
    Booking,
    BookingStatus,
    EntryStatus,
    OfferState,
    WaitlistEntry,
    WaitlistOffer,
    db,
    utcnow,
)
from tests.conftest import ROOT
from tests.support import factories
from tests.support.faults import committed_app
from tests.support.servers import popen_server, start_app_server, stop_process
from tests.support.waitlist import fill_day, free, target_day

pytestmark = pytest.mark.concurrency
JOBS = 4


@pytest.fixture
def freed_world(tmp_path):
    """A committed database: a day filled but for one freed hour, three clients waiting."""
    with committed_app(tmp_path, "waitlist-race") as (app, url):
        with app.app_context():
            now = utcnow()
            b = factories.create_bookable_clinic()
            day = target_day(b, now)
            freed = fill_day(b, day)
            clients = [factories.create_user() for _ in range(3)]
            entries = [WaitlistEntry(client_id=c.id, clinic_id=b.clinic.id,
                                     service_id=b.service.id, first_day=day, last_day=day,
                                     morning=True, afternoon=True,
                                     created_at=now - timedelta(hours=3 - i))
                       for i, c in enumerate(clients)]
            db.session.add_all(entries)
            free(freed)
            world = {"slug": b.clinic.slug, "service": b.service.id,
                     "therapist": b.therapist.id, "starts_at": freed.starts_at,
                     "start": freed.starts_at.astimezone(ZoneInfo(b.location.timezone)).isoformat(),
                     "first_entry": entries[0].id}
            db.session.commit()
            db.session.remove()
        yield app, url, world


def _job(url: str, tmp_path, go) -> subprocess.Popen:
    command = [sys.executable, str(ROOT / "tests" / "support" / "waitlist_racer.py"), url,
               str(tmp_path / "outbox"), str(go)]
    return popen_server(command, stdout=subprocess.PIPE, text=True)


def _result(process: subprocess.Popen) -> dict:
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0, out
    return json.loads(out.strip().splitlines()[-1])


def _held_on_slot(world) -> list[Booking]:
    return list(db.session.scalars(select(Booking).where(
        Booking.status == BookingStatus.HELD, Booking.starts_at == world["starts_at"])))


def test_jobs_racing_make_one_offer_to_the_first_in_line(freed_world, tmp_path):
    app, url, world = freed_world
    go = tmp_path / "go"
    jobs = [_job(url, tmp_path, go) for _ in range(JOBS)]
    try:
        for job in jobs:
            assert job.stdout.readline().strip() == "ready"
        go.touch()
        results = [_result(job) for job in jobs]
    finally:
        for job in jobs:
            stop_process(job)
    assert sum(len(r["offered"]) for r in results) == 1, results
    with app.app_context():
        (offer,) = db.session.scalars(select(WaitlistOffer)).all()
        assert offer.entry_id == world["first_entry"]
        assert offer.state is OfferState.OPEN
        assert [b.id for b in _held_on_slot(world)] == [offer.booking_id]
        waiting = db.session.scalar(select(func.count(WaitlistEntry.id)).where(
            WaitlistEntry.status == EntryStatus.WAITING))
        assert waiting == 2


def test_a_job_racing_a_direct_booking_one_wins_the_other_is_told(freed_world, tmp_path):
    app, url, world = freed_world
    server, port = start_app_server(url, tmp_path, workers=2, stderr=subprocess.PIPE)
    go = tmp_path / "go"
    form = json.dumps({"service": world["service"], "therapist": world["therapist"],
                       "start": world["start"]})
    direct = popen_server(
        [sys.executable, str(ROOT / "tests" / "support" / "race_client.py"),
         f"http://127.0.0.1:{port}", f"/clinics/{world['slug']}/book?service={world['service']}",
         f"/clinics/{world['slug']}/book/hold", str(go), form],
        stdout=subprocess.PIPE, text=True)
    job = _job(url, tmp_path, go)
    try:
        assert direct.stdout.readline().strip() == "ready"
        assert job.stdout.readline().strip() == "ready"
        go.touch()
        booked = json.loads(direct.communicate(timeout=120)[0].strip().splitlines()[-1])
        offered = _result(job)
    finally:
        stop_process(direct)
        stop_process(job)
        errors = stop_process(server)
    with app.app_context():
        held = _held_on_slot(world)
        offers = db.session.scalars(select(WaitlistOffer)).all()
        assert len(held) == 1, errors[-2000:]
        if booked["status"] == 303:  # the direct booking won: no offer was made
            assert offers == []
            assert offered["offered"] == []
            assert held[0].client_id is None  # the anonymous racer's hold
        else:  # the offer's hold won: the client is told "just taken", with other times
            assert booked["status"] == 409, booked
            assert booked["just_taken"]
            (offer,) = offers
            assert offer.booking_id == held[0].id
            assert offer.entry_id == world["first_entry"]
