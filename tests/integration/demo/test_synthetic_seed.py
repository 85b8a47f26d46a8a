"""``flask seed --synthetic N`` writes exactly the same rows for a given seed and size,
however it loads them: a digest of every row (with a fixed clock, on a fresh SQLite
database) against the one the row-by-row loader wrote before the bulk load; and the
indexes and triggers the bulk load sets aside are all back, as they were."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import func, select, text

from marketplace import create_app
from marketplace.models import Booking, Clinic, ClinicPrice, Location, OpeningRun, db
from marketplace.services.availability import kept
from marketplace.services.common.rules import BookingRules
from marketplace.services.discovery import prices as kept_prices
from marketplace.services.discovery.search import SearchQuery, search
from tests.conftest import base_config, migrate

CLOCK = datetime(2026, 12, 6, 15, 30, tzinfo=UTC)
# Digests of every row ``seed --synthetic N`` (random seed 7) writes at CLOCK (the loader
# before the bulk load gave the same); they must never change by accident. Languages and
# amenities added two tables; without them the digests were still the earlier ones
# (0413461b... for 40, 3fd62f02... for 700): every other row stayed as it was. Gift cards
# added a column to bookings (gift_card_cents, 0 in every synthetic booking): before it,
# 14fc3344... for 40 and af19aa21... for 700. Tables the seed leaves empty no longer
# count (3666697b... and e20acbf7... when they did), so a new feature's table does not
# change these. Treatment series added a column to bookings (series_purchase_id, null in
# every synthetic booking): before it, 9f59bda9... for 40 and 591b63b3... for 700.
DIGESTS = {
    40: "dab61a808ce14a5ff525d66a788aa570188c9c410bc31d0e974a8f58d19888a6",
    700: "52e11f417e3cdfc7780a035e9ef0f019ad24e657b57f4af180f3387a373cd9dc",  # two rounds
}


def _schema(path: Path) -> set[tuple]:
    conn = sqlite3.connect(path)
    rows = set(conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                            "WHERE type IN ('index', 'trigger')"))
    conn.close()
    return rows


def _digest(path: Path) -> str:
    """Every row of every table the seed writes, in key order; the password hash
    (salted, so different each run) replaced by whether it is the same for every
    synthetic account. The schema's version and the data derived from those rows (the
    kept open time, the kept lowest prices, the spatial index, the stored rating rank)
    are left out: they have
    their own tests."""
    conn = sqlite3.connect(path)
    digest = hashlib.sha256()
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search_fts_%' AND name NOT LIKE 'locations_rtree%' "
        "AND name NOT LIKE 'opening_%' AND name NOT IN ('alembic_version', 'clinic_prices') "
        "ORDER BY name")]
    for table in tables:
        cursor = conn.execute(f'SELECT rowid, * FROM "{table}"' if table == "search_fts"  # noqa: S608
                              else f'SELECT * FROM "{table}"')  # noqa: S608
        columns = [c[0] for c in cursor.description]
        rows = cursor.fetchall()
        if not rows:  # a table the seed leaves empty (a newer feature's) changes nothing
            continue
        if "rating_rank" in columns:
            at = columns.index("rating_rank")
            columns.pop(at)
            rows = [(*row[:at], *row[at + 1:]) for row in rows]
        if "password_hash" in columns:
            at = columns.index("password_hash")
            hashes = {row[at] for row in rows}
            rows = [(*row[:at], len(hashes), *row[at + 1:]) for row in rows]
        digest.update(f"{table} {columns}\n".encode())
        for row in sorted(rows, key=repr):
            digest.update(repr(row).encode())
            digest.update(b"\n")
    conn.close()
    return digest.hexdigest()


@pytest.mark.parametrize("clinics", sorted(DIGESTS))
def test_synthetic_rows_are_the_same_for_a_seed_and_size(tmp_path, clinics):
    path = tmp_path / "synthetic.db"
    app = create_app(base_config(f"sqlite:///{path}", tmp_path))
    migrate(app)
    schema = _schema(path)
    with time_machine.travel(CLOCK, tick=False), app.app_context():
        result = app.test_cli_runner().invoke(args=["seed", "--synthetic", str(clinics)])
        assert result.exit_code == 0, result.output
        assert db.session.scalar(select(func.count(Clinic.id))) == clinics
        assert db.session.scalar(select(func.count(Booking.id))) > clinics * 10
        # derived data is rebuilt after the load: the spatial index holds every location,
        # so a radius search finds the synthetic clinics, and the kept open time exists
        boxes = db.session.execute(text("SELECT count(*) FROM locations_rtree")).scalar_one()
        assert boxes == db.session.scalar(select(func.count(Location.id)))
        found = search(SearchQuery(near="33701", radius_mi=25), now=CLOCK, rules=BookingRules())
        assert found.total > 0
        assert kept.check(db.session) == (0, 0)
        assert db.session.scalar(select(func.count(OpeningRun.id))) > clinics
        assert kept_prices.check(db.session) == (0, 0)
        assert db.session.scalar(select(func.count()).select_from(ClinicPrice)) > clinics
        db.session.remove()
        db.engine.dispose()
    assert _digest(path) == DIGESTS[clinics]
    assert _schema(path) == schema  # the indexes and triggers the load set aside are back
