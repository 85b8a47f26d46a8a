"""Health intake costs: screening, sealing and opening one intake, and re-encrypting
every stored intake under a new key (``rotate-intake-keys``).

    .venv/bin/python benchmarks/intake.py                     # SQLite in a temp dir
    DATABASE_URL=postgresql://postgres@127.0.0.1/bench_intake .venv/bin/python \
        benchmarks/intake.py                                  # that (empty) database
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import flask_migrate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from marketplace import create_app  # noqa: E402
from marketplace.models import db, utcnow  # noqa: E402
from marketplace.services.intake import records as intake  # noqa: E402
from marketplace.services.intake.records import KeyRing  # noqa: E402
from marketplace.services.intake.screening import IntakeAnswers, screen  # noqa: E402
from tests.support import factories  # noqa: E402

RECORDS = 5000
BATCH = 500
OLD = KeyRing.generate_key()
NEW = KeyRing.generate_key()
ANSWERS = IntakeAnswers(
    contraindications=frozenset({"stroke", "advanced_osteoporosis", "recent_surgery"}),
    medications="Warfarin 5 mg; metoprolol 25 mg",
    surgery_date=date(2026, 1, 10),
    notes="Left shoulder and neck, desk job. Prefers moderate pressure. " * 3,
)


def database_url(tmp: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp / 'bench.db'}"


def per_call_us(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1e6)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {
                "APP_ENV": "testing",
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": database_url(Path(tmp)),
                "INTAKE_KEYS": f"old:{OLD}",
            }
        )
        with app.app_context():
            flask_migrate.upgrade()
            run(app)
            db.engine.dispose()


def run(app) -> None:
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
    visit = date(2026, 3, 1)
    print(f"screen(): {per_call_us(lambda: screen(ANSWERS, visit_date=visit), 2000):.1f} µs")
    b = factories.create_bookable_clinic()
    client = factories.create_user()
    old = KeyRing.from_config(f"old:{OLD}")
    now = utcnow()
    screening = screen(ANSWERS, visit_date=visit)

    def save():
        return intake.save_intake(
            client=client, clinic=b.clinic, booking=None, answers=ANSWERS,
            screening=screening, clearance_confirmed=False, keyring=old, now=now,
        )  # fmt: skip

    started = time.perf_counter()
    records = [save() for _ in range(RECORDS)]
    db.session.commit()
    elapsed = time.perf_counter() - started
    print(f"save_intake: {RECORDS} in {elapsed:.2f} s ({elapsed / RECORDS * 1e3:.2f} ms each, "
          f"with 2 flushes each) on {backend}")  # fmt: skip
    record = records[-1]
    read_us = per_call_us(
        lambda: intake.read_intake(record, viewer=client, keyring=old, now=now), 500
    )
    print(f"read_intake by the client (decrypt + parse): {read_us:.0f} µs")
    size = len(record.ciphertext)
    print(f"ciphertext size: {size} bytes (nonce 12 + padded JSON + tag 16)")

    both = KeyRing.from_config(f"new:{NEW},old:{OLD}")
    started = time.perf_counter()
    after, rotated = 0, 0
    while True:
        batch = intake.rotate(both, after_id=after, batch_size=BATCH)
        db.session.commit()
        rotated, after = rotated + batch.rotated, batch.last_id
        if batch.done:
            break
    elapsed = time.perf_counter() - started
    print(f"rotate: {rotated} records in {elapsed:.2f} s ({rotated / elapsed:,.0f} a second, "
          f"batches of {BATCH}); keys in use now {intake.keys_in_use()}")  # fmt: skip
    started = time.perf_counter()
    again = intake.rotate(both, batch_size=BATCH)
    print(f"rotate again (nothing to do): {again.rotated} in "
          f"{(time.perf_counter() - started) * 1e3:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
