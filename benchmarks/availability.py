"""Availability costs: a week of open slots for a clinic with 10 therapists and 500
bookings, across a daylight-saving change (Denver, the week of March 9, 2031).

    .venv/bin/python benchmarks/availability.py                     # SQLite in a temp dir
    DATABASE_URL=postgresql://postgres@127.0.0.1/bench_slots .venv/bin/python \\
        benchmarks/availability.py                                  # that (empty) database

Prints the median of repeated runs for: the engine alone (inputs already
loaded), ``service_slots`` (its four queries plus the engine), and the slot
picker page through the Flask test client. The target is 20 ms for a week.
Then the availability API for the week (any therapist, one therapist) and ``/healthz``:
CPU per request in this process, in one session across requests ("warm"), and with
each request in a fresh session, interleaved, with each one's share of ``/healthz``'s
rate (the ratio to report: the machine is shared).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall
from pathlib import Path
from zoneinfo import ZoneInfo

import flask_migrate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from marketplace import create_app  # noqa: E402
from marketplace.models import Booking, BookingStatus, db  # noqa: E402
from marketplace.services.availability import engine as availability
from marketplace.services.availability import schedules  # noqa: E402
from marketplace.services.common.rules import BookingRules  # noqa: E402
from tests.support import factories  # noqa: E402

THERAPISTS = 10
BOOKINGS = 500
TZ = "America/Denver"
WEEK_START = date(2031, 3, 9)  # a Sunday: the clocks go forward that morning
NOW = datetime(2031, 3, 1, tzinfo=UTC)
TARGET_MS = 20.0


def database_url(tmp: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp / 'bench.db'}"


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def week_window() -> availability.Interval:
    tz = ZoneInfo(TZ)
    start = datetime.combine(WEEK_START, wall(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(WEEK_START + timedelta(days=7), wall(0), tzinfo=tz).astimezone(UTC)
    return availability.Interval(start, end)


def build_clinic(rng: random.Random):
    """10 therapists working 8:00-19:00 every day, one 60-minute service with a buffer."""
    b = factories.create_bookable_clinic(zip_code="80210")
    therapists = [b.therapist]
    for _ in range(THERAPISTS - 1):
        therapist = factories.create_therapist(b.clinic)
        therapists.append(therapist)
    for therapist in therapists:
        therapist.working_hours.clear()
        factories.create_hours(therapist, b.location, starts=wall(8), ends=wall(19))
    b.service.buffer_after_min = 15
    b.service.therapists = therapists
    db.session.flush()
    add_bookings(b, therapists, rng)
    db.session.commit()
    return b


def add_bookings(b, therapists, rng: random.Random) -> None:
    """500 non-overlapping held or confirmed bookings across the week."""
    tz = ZoneInfo(TZ)
    taken: set[tuple[int, date, int]] = set()
    rows = []
    while len(rows) < BOOKINGS:
        therapist = rng.choice(therapists)
        day = WEEK_START + timedelta(days=rng.randrange(7))
        hour = rng.randrange(8, 18)
        if (therapist.id, day, hour) in taken:
            continue
        taken.add((therapist.id, day, hour))
        starts = datetime.combine(day, wall(hour), tzinfo=tz).astimezone(UTC)
        status = BookingStatus.HELD if rng.random() < 0.1 else BookingStatus.CONFIRMED
        rows.append(Booking(
            reference=f"B{len(rows):07d}", clinic=b.clinic, location=b.location,
            therapist=therapist, service=b.service, status=status, starts_at=starts,
            ends_at=starts + timedelta(minutes=45), blocked_from=starts,
            blocked_until=starts + timedelta(minutes=45), timezone=TZ,
            hold_expires_at=NOW + timedelta(minutes=10) if status is BookingStatus.HELD else None,
            price_cents=11500, deposit_cents=2300, policy_deposit_kind=b.clinic.deposit_kind,
            policy_deposit_value=b.clinic.deposit_value, policy_cancellation_hours=24))
    db.session.add_all(rows)


def run(app) -> None:
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    b = build_clinic(random.Random(7))
    window = week_window()
    booking_rules = BookingRules.from_config(app.config)
    rules = schedules.rules_for(b.service, booking_rules)
    ids = schedules.bookable_therapist_ids(b.service)
    loaded = schedules.load_schedules(ids, window=window, now=NOW)
    slots = availability.open_slots(loaded, rules, window=window, now=NOW)
    starts = len(availability.any_therapist(slots))
    busy = sum(len(s.busy) for s in loaded)
    print(f"Clinic: {len(ids)} therapists, {busy} busy intervals in the week, "
          f"{len(slots)} open slots ({starts} distinct start times), {backend}")
    engine = median_ms(lambda: availability.open_slots(loaded, rules, window=window, now=NOW),
                       200)
    end_to_end = median_ms(lambda: schedules.service_slots(b.service, window=window, now=NOW,
                                                           rules=booking_rules), 50)
    report("engine alone (inputs loaded)", engine)
    report("service_slots (4 queries + engine)", end_to_end)
    app.config["BOOKING_HORIZON_DAYS"] = 4000  # the week is years ahead of today
    client = app.test_client()
    url = f"/clinics/{b.clinic.slug}/book?service={b.service.id}&date={WEEK_START.isoformat()}"
    assert client.get(url).status_code == 200
    report("slot picker page, a week strip (GET, test client)",
           median_ms(lambda: client.get(url), 30), target=False)
    # The availability API, a whole week in one request (from/to), CPU in this process.
    week = (f"/api/v1/clinics/{b.clinic.slug}/availability?service={b.service.id}"
            f"&from={WEEK_START.isoformat()}&to={(WEEK_START + timedelta(days=6)).isoformat()}")
    one = f"{week}&therapist={therapists_of(b)[0].slug}"
    for label, path in (("any of 10 therapists", week), ("one therapist", one)):
        response = client.get(path)
        assert response.status_code == 200, response.json
        print(f"API, a week in one request, {label}: {median_cpu_ms(client, path, 50):.2f} ms "
              f"CPU ({len(response.json['slots'])} slots)")
    print(f"/healthz for comparison: {median_cpu_ms(client, '/healthz', 50):.2f} ms CPU")
    # As served: each request in its own session and transaction (gunicorn ends the app
    # context after each), so nothing is remembered from the last one; interleaved, so a
    # change in the machine's load touches all three alike.
    paths = {"any of 10 therapists": week, "one therapist": one, "/healthz": "/healthz"}
    fresh = median_cpu_interleaved(client, list(paths.values()), 100)
    healthz = fresh["/healthz"]
    for label, path in paths.items():
        print(f"fresh session per request, {label}: {fresh[path]:.2f} ms CPU, "
              f"{100 * healthz / fresh[path]:.0f}% of /healthz's rate")


def therapists_of(b):
    return sorted(b.clinic.therapists, key=lambda t: t.id)


def median_cpu_ms(client, path: str, repeat: int) -> float:
    """This process's CPU per request (the app, SQLAlchemy and, on SQLite, the database)."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        client.get(path).get_data()
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def median_cpu_interleaved(client, paths: list[str], repeat: int) -> dict[str, float]:
    """This process's CPU per request for each path, each request in a fresh session (the
    session is closed between requests, outside the measured time)."""
    times: dict[str, list[float]] = {path: [] for path in paths}
    for _ in range(repeat):
        for path in paths:
            db.session.remove()
            started = time.process_time()
            client.get(path).get_data()
            times[path].append((time.process_time() - started) * 1000)
    return {path: statistics.median(found) for path, found in times.items()}


def report(label: str, ms: float, *, target: bool = True) -> None:
    verdict = ("under" if ms < TARGET_MS else "OVER") + f" the {TARGET_MS:.0f} ms target"
    print(f"{label}: {ms:.2f} ms" + (f" ({verdict})" if target else ""))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"APP_ENV": "testing", "SECRET_KEY": "bench", "RATE_LIMITS": False,
                          "SQLALCHEMY_DATABASE_URI": database_url(Path(tmp))})
        with app.app_context():
            flask_migrate.upgrade()
            run(app)
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
