"""The synthetic seed's bulk load: with SQLite's no-overlap triggers set aside, the rows
it loaded are checked against the same rule once before the triggers come back."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from marketplace.demo.synthetic.bulk import _sqlite_check_no_overlap

ROWS = [  # id, therapist, status, blocked from, blocked until
    (1, 1, "confirmed", "2026-12-07 10:00:00", "2026-12-07 11:00:00"),
    (2, 1, "confirmed", "2026-12-07 11:00:00", "2026-12-07 12:00:00"),  # touching is fine
    (3, 1, "cancelled", "2026-12-07 10:30:00", "2026-12-07 11:30:00"),  # not held/confirmed
    (4, 2, "held", "2026-12-07 10:30:00", "2026-12-07 11:30:00"),  # another therapist
]


def _bookings(rows):
    engine = sa.create_engine("sqlite://")
    connection = engine.connect()
    connection.exec_driver_sql(
        "CREATE TABLE bookings (id INTEGER PRIMARY KEY, therapist_id INTEGER, status TEXT, "
        "blocked_from TEXT, blocked_until TEXT)")
    connection.exec_driver_sql("INSERT INTO bookings VALUES (?, ?, ?, ?, ?)", rows)
    return connection


def test_rows_that_keep_the_rule_pass():
    _sqlite_check_no_overlap(_bookings(ROWS))


@pytest.mark.parametrize("status", ["held", "confirmed"])
def test_an_overlap_among_loaded_rows_is_refused(status):
    clash = (5, 1, status, "2026-12-07 11:59:00", "2026-12-07 12:30:00")
    with pytest.raises(sa.exc.IntegrityError, match="ex_bookings_therapist_no_overlap"):
        _sqlite_check_no_overlap(_bookings([*ROWS, clash]))
