"""Book the course under real concurrency: eight signed-in clients, each with a series
of four sessions, post their course in the same instant over HTTP to gunicorn with 4
workers (PostgreSQL's exclusion constraint, or SQLite under ``BEGIN IMMEDIATE``). Half
want four Tuesdays from one week, half the same times from a week later, so every two
courses share at least three times and each racer's first or last time is contested by
only half the others: exactly one course is held, whole; every other racer is told
nothing was held and holds nothing at all (all or nothing); nobody gets a 500."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace.models import Booking, BookingStatus, SeriesPurchase, db
from tests.conftest import ROOT
from tests.support import factories
from tests.support.booking import days_ahead
from tests.support.faults import committed_app
from tests.support.series import create_offer, paid
from tests.support.servers import popen_server, running_in_group, start_app_server, stop_process

pytestmark = pytest.mark.concurrency
RACERS = 8


def _world(app, now):
    b = factories.create_bookable_clinic()
    offer = create_offer(b, now=now)
    racers = []
    for index in range(RACERS):
        client = factories.create_user()
        row = paid(offer, client, now=now)
        first = days_ahead(b, 3 + 7 * (index % 2), 10, now=now)
        starts = [first + timedelta(days=7 * week) for week in range(4)]
        racers.append({"email": client.email, "reference": row.reference,
                       "form": {"therapist_id": str(b.therapist.id),
                                **{f"starts-{i}": s.isoformat() for i, s in enumerate(starts)}}})
    db.session.commit()
    return racers


def _race(port: int, racers: list[dict], tmp_path) -> list[dict]:
    go = tmp_path / "go"
    procs = [popen_server([sys.executable, str(ROOT / "tests" / "support" / "course_racer.py"),
                           f"http://127.0.0.1:{port}", r["email"], factories.TEST_PASSWORD,
                           r["reference"], str(go), json.dumps(r["form"])],
                          stdout=subprocess.PIPE, text=True) for r in racers]
    try:
        for proc in procs:
            assert proc.stdout.readline().strip() == "ready"
        go.touch()
        results = []
        for proc, racer in zip(procs, racers, strict=True):
            out, _ = proc.communicate(timeout=120)
            results.append({**json.loads(out.strip().splitlines()[-1]),
                            "reference": racer["reference"]})
    finally:
        for proc in procs:
            stop_process(proc)
    return results


def test_racing_courses_hold_one_whole_course_and_nothing_else(tmp_path):
    now = datetime.now(UTC)
    with committed_app(tmp_path, "courserace") as (app, url):
        with app.app_context():
            racers = _world(app, now)
            db.session.remove()
        server, port = start_app_server(url, tmp_path, workers=4, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 20
            while len(running_in_group(server.pid)) < 5 and time.monotonic() < deadline:
                time.sleep(0.1)
            results = _race(port, racers, tmp_path)
        finally:
            errors = stop_process(server)
        statuses = sorted(r["status"] for r in results)
        assert statuses == [303] + [409] * (RACERS - 1), (statuses, errors[-2000:])
        assert all(r["nothing_held"] for r in results if r["status"] == 409)
        winner = next(r["reference"] for r in results if r["status"] == 303)
        with app.app_context():
            held = db.session.execute(
                select(SeriesPurchase.reference, Booking.starts_at)
                .join(Booking, Booking.series_purchase_id == SeriesPurchase.id)
                .where(Booking.status == BookingStatus.HELD)).all()
            assert {ref for ref, _ in held} == {winner}
            assert len(held) == 4
