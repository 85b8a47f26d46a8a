"""Reviews and admin console latency: the public reviews page of a clinic with many
reviews, the moderation queue when it is full, a moderation decision (which
recomputes the clinic's rating), and the audit-log CSV export.

    .venv/bin/python benchmarks/reviews_admin.py                 # SQLite in a temp dir
    DATABASE_URL=postgresql://postgres@127.0.0.1/bench_reviews .venv/bin/python \
        benchmarks/reviews_admin.py                              # that (empty) database

Server-side time through the Flask test client (no network), median and p95 of
repeated requests, with the SQL statements per request.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import flask_migrate
from sqlalchemy import event, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from marketplace import create_app  # noqa: E402
from marketplace.models import (  # noqa: E402
    AuditLog,
    Booking,
    BookingStatus,
    Review,
    ReviewStatus,
    Role,
    db,
    utcnow,
)
from marketplace.services.reviews import posting as reviews  # noqa: E402
from tests.support import factories  # noqa: E402

PUBLISHED = 2000  # reviews of one clinic
PENDING = 200  # waiting in the queue (it shows the oldest 50)
AUDIT_ROWS = 50_000


def database_url(tmp: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp / 'bench.db'}"


def build(app) -> dict:
    with app.app_context():
        flask_migrate.upgrade()
        b = factories.create_bookable_clinic()
        admin = factories.create_user(role=Role.ADMIN, email="bench-admin@example.test")
        client = factories.create_user()
        now = utcnow()
        booking_rows, review_rows = [], []
        first_id = (db.session.scalar(select(Booking.id).order_by(Booking.id.desc())) or 0) + 1
        for i in range(PUBLISHED + PENDING):
            starts = now - timedelta(days=1 + i % 80, minutes=i)
            booking_rows.append(
                {
                    "id": first_id + i,
                    "reference": f"BENCH{i:06d}",
                    "clinic_id": b.clinic.id,
                    "location_id": b.location.id,
                    "therapist_id": b.therapist.id,
                    "service_id": b.service.id,
                    "client_id": client.id,
                    "status": BookingStatus.COMPLETED,
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=1),
                    "blocked_from": starts,
                    "blocked_until": starts + timedelta(hours=1),
                    "timezone": "America/New_York",
                    "price_cents": 11500,
                    "deposit_cents": 2300,
                    "policy_deposit_kind": "percent",
                    "policy_deposit_value": 20,
                    "policy_cancellation_hours": 24,
                    "created_at": starts,
                }
            )
            review_rows.append(
                {
                    "booking_id": first_id + i,
                    "clinic_id": b.clinic.id,
                    "therapist_id": b.therapist.id,
                    "service_id": b.service.id,
                    "author_id": client.id,
                    "rating": 1 + i % 5,
                    "rating_pressure": 1 + i % 5,
                    "body": "Good pressure, listened well. " * 8,
                    "status": ReviewStatus.PUBLISHED if i < PUBLISHED else ReviewStatus.PENDING,
                    "created_at": starts + timedelta(days=1),
                    "response_body": "Thank you for coming in." if i % 3 == 0 else None,
                }
            )
        db.session.execute(insert(Booking), booking_rows)
        db.session.execute(insert(Review), review_rows)
        db.session.execute(
            insert(AuditLog),
            [
                {
                    "actor_id": admin.id,
                    "action": "review.approve",
                    "object_type": "review",
                    "object_id": i,
                    "clinic_id": b.clinic.id,
                    "detail": {"reason": "=looks fine" if i % 10 == 0 else ""},
                    "created_at": now - timedelta(minutes=i),
                }
                for i in range(AUDIT_ROWS)
            ],
        )
        reviews.refresh_clinic_rating(b.clinic.id)
        db.session.commit()
        pending_id = db.session.scalar(
            select(Review.id).where(Review.status == ReviewStatus.PENDING).order_by(Review.id)
        )
        return {
            "slug": b.clinic.slug,
            "admin": admin.email,
            "clinic_id": b.clinic.id,
            "pending_id": pending_id,
        }


def timed(app, client, method, url, repeat, **kwargs):
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    times = []
    for _ in range(repeat):
        statements.clear()
        started = time.perf_counter()
        response = client.open(url, method=method, **kwargs)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code < 400, (url, response.status_code)
    event.remove(engine, "before_cursor_execute", count)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, len(statements), len(response.data)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "APP_ENV": "testing",
                "TESTING": True,
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": database_url(Path(tmp)),
                "WTF_CSRF_ENABLED": False,
                "RATE_LIMITS": False,
                "MAIL_BACKEND": "file",
                "MAIL_OUTBOX_DIR": str(Path(tmp) / "outbox"),
            }
        )
        started = time.perf_counter()
        data = build(app)
        backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
        print(
            f"built {PUBLISHED} published + {PENDING} pending reviews, {AUDIT_ROWS} audit "
            f"rows in {time.perf_counter() - started:.1f} s on {backend}"
        )
        client = app.test_client()
        client.post("/login", data={"email": data["admin"], "password": factories.TEST_PASSWORD})
        rows = [
            ("public reviews page (page 1 of 200)", "GET", f"/clinics/{data['slug']}/reviews", 50),
            ("public reviews page 150", "GET", f"/clinics/{data['slug']}/reviews?page=150", 50),
            ("owner reviews page", "GET", f"/owner/clinics/{data['slug']}/reviews", 30),
            ("moderation queue (50 shown)", "GET", "/admin/moderation", 30),
            ("audit log page (filtered)", "GET", "/admin/audit?action=review", 30),
            ("audit CSV, 50,000 rows", "GET", "/admin/audit.csv", 3),
        ]
        print(f"{'request':40} {'median ms':>10} {'p95 ms':>8} {'SQL':>5} {'bytes':>10}")
        for label, method, url, repeat in rows:
            median, p95, sql, size = timed(app, client, method, url, repeat)
            print(f"{label:40} {median:10.1f} {p95:8.1f} {sql:5d} {size:10d}")
        approve = f"/admin/reviews/{data['pending_id']}/approve"
        median, p95, sql, size = timed(
            app, client, "POST", approve, 1, headers={"HX-Request": "true"}
        )
        print(
            f"{'approve (htmx; rating over 2,001)':40} {median:10.1f} {p95:8.1f} {sql:5d} "
            f"{size:10d}"
        )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
