"""No double booking under real concurrency: 20 processes race for one slot over
HTTP against a real server: gunicorn with 4 workers, as in production, on PostgreSQL or
on a SQLite file (WAL, ``BEGIN IMMEDIATE``: see marketplace/models/engine.py). Exactly
one hold wins; every other racer gets a clear "just taken" answer with other open times;
nobody gets a 500."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from marketplace.models import Booking, BookingStatus, db
from tests.conftest import ROOT
from tests.support import factories
from tests.support.faults import committed_app
from tests.support.servers import (
    popen_server,
    running_in_group,
    start_app_server,
    stop_process,
)

pytestmark = pytest.mark.concurrency
RACERS = 20


@pytest.fixture
def race_world(tmp_path, now):
    """A database of its own with one bookable clinic, committed for real."""
    with committed_app(tmp_path, "race") as (app, url):
        with app.app_context():
            b = factories.create_bookable_clinic()
            tz = ZoneInfo(b.location.timezone)
            day = (now.astimezone(tz) + timedelta(days=3)).date()  # open 9 to 5 every day
            start = datetime(day.year, day.month, day.day, 10, tzinfo=tz)
            world = {"slug": b.clinic.slug, "service": b.service.id, "therapist": b.therapist.id,
                     "start": start.isoformat(), "starts_at": start.astimezone(UTC)}
            db.session.commit()
            db.session.remove()
        yield app, url, world


def _server(url: str, tmp_path: Path) -> tuple[subprocess.Popen, int]:
    return start_app_server(url, tmp_path, workers=4, stderr=subprocess.PIPE)


def _race(port: int, world: dict, tmp_path: Path) -> list[dict]:
    go = tmp_path / "go"
    form = json.dumps({"service": world["service"], "therapist": world["therapist"],
                       "start": world["start"]})
    command = [sys.executable, str(ROOT / "tests" / "support" / "race_client.py"),
               f"http://127.0.0.1:{port}",
               f"/clinics/{world['slug']}/book?service={world['service']}",
               f"/clinics/{world['slug']}/book/hold", str(go), form]
    racers = [popen_server(command, stdout=subprocess.PIPE, text=True)
              for _ in range(RACERS)]
    try:
        for racer in racers:  # everyone has a session and a token before anyone posts
            assert racer.stdout.readline().strip() == "ready"
        go.touch()
        results = []
        for racer in racers:
            out, _ = racer.communicate(timeout=60)
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        for racer in racers:
            stop_process(racer)
    return results


def test_twenty_processes_race_for_one_slot_and_exactly_one_wins(race_world, tmp_path):
    app, url, world = race_world
    server, port = _server(url, tmp_path)
    started = time.monotonic()
    try:
        deadline = time.monotonic() + 20
        while len(running_in_group(server.pid)) < 1 + 4 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(running_in_group(server.pid)) == 1 + 4  # gunicorn's master and 4 workers
        results = _race(port, world, tmp_path)
    finally:
        errors = stop_process(server)
    elapsed = time.monotonic() - started
    statuses = sorted(r["status"] for r in results)
    assert statuses == [303] + [409] * (RACERS - 1), (statuses, errors[-2000:])
    winner = next(r for r in results if r["status"] == 303)
    assert "/book/" in winner["location"]
    for loser in (r for r in results if r["status"] == 409):
        assert loser["just_taken"]
        assert loser["offers"] >= 5  # other open times to choose from
    with app.app_context():
        held = db.session.scalar(select(func.count(Booking.id)).where(
            Booking.status == BookingStatus.HELD, Booking.starts_at == world["starts_at"]))
        assert held == 1
    # A guard against a hang (a lock wait that never ends), not a speed claim: the
    # twenty interpreters alone take 20-30 s to start on a busy 2-core machine.
    assert elapsed < 120
