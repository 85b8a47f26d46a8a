"""Owner console latency: the week and day schedule of a busy clinic, the money page
of a busy month, the CSV exports of a year, and a refused hours change (the
stranding check over a year of bookings).

    .venv/bin/python benchmarks/owner_console.py                 # SQLite in a temp dir
    DATABASE_URL=postgresql://postgres@127.0.0.1/bench_owner .venv/bin/python \
        benchmarks/owner_console.py                              # that (empty) database

Server-side time through the Flask test client (no network), median and p95 of
repeated requests, with the SQL statements per request.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import flask_migrate
from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.reviews_admin import database_url, timed  # noqa: E402
from marketplace import create_app  # noqa: E402
from marketplace.models import (  # noqa: E402
    Booking,
    BookingStatus,
    Payment,
    PaymentStatus,
    db,
)
from tests.support import factories  # noqa: E402

THERAPISTS = 10
DAYS = 365  # of bookings, ending a week after the benchmark week
PER_THERAPIST_DAY = 6  # visits a day, 9:00 to 15:00
WEEK = datetime(2031, 3, 3, tzinfo=UTC)  # a Monday


def build(app) -> dict:
    with app.app_context():
        flask_migrate.upgrade()
        b = factories.create_bookable_clinic()
        therapists = [b.therapist] + [factories.create_therapist(b.clinic)
                                      for _ in range(THERAPISTS - 1)]
        for t in therapists[1:]:
            factories.create_hours(t, b.location)
        client = factories.create_user()
        first_id = (db.session.scalar(select(Booking.id).order_by(Booking.id.desc())) or 0) + 1
        bookings, payments, n = [], [], 0
        start_day = WEEK + timedelta(days=7 - DAYS)
        for day in range(DAYS):
            for t in therapists:
                for slot in range(PER_THERAPIST_DAY):
                    starts = start_day + timedelta(days=day, hours=14 + slot)  # 9:00 EST on
                    past = starts < WEEK
                    status = (BookingStatus.COMPLETED if past and n % 9 else
                              BookingStatus.CANCELLED if past else BookingStatus.CONFIRMED)
                    bookings.append(_booking(first_id + n, b, t.id, client.id, starts, status))
                    payments.append(_payment(first_id + n, starts, status))
                    n += 1
        db.session.execute(insert(Booking), bookings)
        db.session.execute(insert(Payment), payments)
        db.session.commit()
        tuesday = next(h for h in b.therapist.working_hours if h.weekday == 1)
        return {"slug": b.clinic.slug, "owner": b.owner.email, "bookings": n,
                "hours_id": tuesday.id, "location_id": b.location.id}


def _booking(booking_id, b, therapist_id, client_id, starts, status) -> dict:
    return {
        "id": booking_id, "reference": f"B{booking_id:09d}", "clinic_id": b.clinic.id,
        "location_id": b.location.id, "therapist_id": therapist_id,
        "service_id": b.service.id, "client_id": client_id, "status": status,
        "starts_at": starts, "ends_at": starts + timedelta(hours=1), "blocked_from": starts,
        "blocked_until": starts + timedelta(hours=1), "timezone": "America/New_York",
        "price_cents": 11500, "deposit_cents": 2300, "policy_deposit_kind": "percent",
        "policy_deposit_value": 20, "policy_cancellation_hours": 24,
        "created_at": starts - timedelta(days=5),
    }


def _payment(booking_id, starts, status) -> dict:
    refunded = status is BookingStatus.CANCELLED
    return {
        "booking_id": booking_id, "idempotency_key": f"bench-{booking_id}",
        "intent_id": f"pi_bench_{booking_id}", "amount_cents": 2300,
        "refunded_cents": 2300 if refunded else 0,
        "status": PaymentStatus.REFUNDED if refunded else PaymentStatus.SUCCEEDED,
        "succeeded_at": starts - timedelta(days=5), "created_at": starts - timedelta(days=5),
        "updated_at": starts - timedelta(days=5),
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "APP_ENV": "testing", "TESTING": True, "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database_url(Path(tmp)), "WTF_CSRF_ENABLED": False,
            "RATE_LIMITS": False, "MAIL_BACKEND": "file",
            "MAIL_OUTBOX_DIR": str(Path(tmp) / "outbox"),
        })
        started = time.perf_counter()
        data = build(app)
        backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
        print(f"built {data['bookings']} bookings with deposits ({THERAPISTS} therapists, "
              f"{DAYS} days) in {time.perf_counter() - started:.1f} s on {backend}")
        client = app.test_client()
        client.post("/login", data={"email": data["owner"], "password": factories.TEST_PASSWORD})
        base = f"/owner/clinics/{data['slug']}"
        rows = [
            ("week schedule (420 bookings shown)", f"{base}/schedule?date=2031-03-04", 20),
            ("day schedule (60 bookings)", f"{base}/schedule?date=2031-03-04&view=day", 20),
            ("money, one month", f"{base}/money?period=month&date=2031-02-10", 10),
            ("bookings CSV, a year", f"{base}/money/bookings.csv?date_from=2030-03-10"
             "&date_to=2031-03-09", 3),
            ("deposits CSV, a year", f"{base}/money/deposits.csv?date_from=2030-03-10"
             "&date_to=2031-03-09", 3),
        ]
        print(f"{'request':40} {'median ms':>10} {'p95 ms':>8} {'SQL':>5} {'bytes':>10}")
        for label, url, repeat in rows:
            median, p95, sql, size = timed(app, client, "GET", url, repeat)
            print(f"{label:40} {median:10.1f} {p95:8.1f} {sql:5d} {size:10d}")
        refused = _refused_hours_change(app, client, base, data)
        print(f"{'hours change refused (409)':40} {refused:10.1f}")
        with app.app_context():
            db.engine.dispose()


def _refused_hours_change(app, client, base, data) -> float:
    prefix = f"edit-{data['hours_id']}-"
    form = {f"{prefix}weekday": "1", f"{prefix}starts": "16:00", f"{prefix}ends": "17:00",
            f"{prefix}location_id": str(data["location_id"])}
    times = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.post(f"{base}/hours/{data['hours_id']}/edit", data=form,
                               headers={"HX-Request": "true"})
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 409, response.status_code
    return sorted(times)[len(times) // 2]


if __name__ == "__main__":
    main()
