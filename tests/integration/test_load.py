"""The short version of ``benchmarks/load``: about 10 s of mixed traffic (search,
profiles and availability, bookings racing for the same times and paying) from
separate processes against gunicorn with 4 workers and production settings, on 200
synthetic clinics; then the invariants.

It runs on whichever database the suite runs on: PostgreSQL when ``DATABASE_URL``
names one, otherwise a SQLite file (WAL, ``BEGIN IMMEDIATE``) shared by the four
workers. Latency is not judged here (CI machines vary, and the suite runs beside
it); the 60 s run in ``benchmarks/`` holds the search p99 target.
"""

from __future__ import annotations

import pytest

from benchmarks.load import run
from tests.support.databases import drop_database, fresh_database_url

pytestmark = pytest.mark.concurrency


def test_a_short_mixed_load_has_no_errors_and_keeps_every_invariant(tmp_path):
    url = fresh_database_url(tmp_path, "load")
    try:
        report = run.run(database=url, clinics=200, seconds=10, clients=4, workers=4,
                         work_dir=tmp_path)
    finally:
        drop_database(url)
    run.print_report(report)
    assert run.failures(report, full=False) == []
    kinds = report["kinds"]
    assert kinds["search"]["count"] > kinds["profile"]["count"] > 0
    assert kinds["booking"]["count"] > 0
    bookings = report["bookings"]
    assert bookings.get("held", 0) > 0
    assert bookings.get("paid", 0) > 0
    assert report["invariants"]["charges"] == bookings["paid"]  # each paid once, no more
    log = report["request_log"]
    assert log["lines"] >= report["requests"]  # every request logged...
    assert log["with_id_and_duration"] == log["lines"]  # ...with its id and duration
