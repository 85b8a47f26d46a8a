"""The migrations build the schema the models describe, on this test run's database,
and the database itself refuses double bookings."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from marketplace.models import BookingStatus, db
from marketplace.models.engine import include_in_migrations


def test_migrated_schema_matches_the_models(app):
    context = MigrationContext.configure(
        db.session.connection(),
        opts={"compare_type": True, "include_object": include_in_migrations},
    )
    diff = compare_metadata(context, db.metadata)
    assert diff == []


def _overlapping_pair(b, create_booking, second_status=BookingStatus.HELD):
    start = datetime(2031, 3, 4, 15, 0, tzinfo=UTC)
    create_booking(b, starts_at=start, status=BookingStatus.CONFIRMED)
    with db.session.begin_nested():
        create_booking(b, starts_at=start + timedelta(minutes=30), status=second_status)


def test_database_refuses_overlapping_bookings_of_one_therapist(
    create_bookable_clinic, create_booking
):
    b = create_bookable_clinic()
    with pytest.raises(sa.exc.DatabaseError, match="ex_bookings_therapist_no_overlap"):
        _overlapping_pair(b, create_booking)


@pytest.mark.parametrize(
    "status",
    [
        BookingStatus.CANCELLED,
        BookingStatus.EXPIRED,
        BookingStatus.COMPLETED,
        BookingStatus.NO_SHOW,
    ],
)
def test_bookings_that_do_not_block_may_overlap(create_bookable_clinic, create_booking, status):
    b = create_bookable_clinic()
    _overlapping_pair(b, create_booking, second_status=status)
    assert _statuses_of(b) == sorted([BookingStatus.CONFIRMED.value, status.value])


def _statuses_of(b) -> list[str]:
    """The stored statuses of the therapist's bookings, read back from the database."""
    db.session.expire_all()
    rows = db.session.execute(sa.text("SELECT status FROM bookings WHERE therapist_id = :t"),
                              {"t": b.therapist.id}).scalars()
    return sorted(str(r) for r in rows)


def test_back_to_back_bookings_are_fine(create_bookable_clinic, create_booking):
    b = create_bookable_clinic()
    start = datetime(2031, 3, 4, 15, 0, tzinfo=UTC)
    create_booking(b, starts_at=start)
    create_booking(b, starts_at=start + timedelta(minutes=60))
    assert _statuses_of(b) == [BookingStatus.CONFIRMED.value] * 2


def test_reviving_a_cancelled_booking_into_a_taken_slot_is_refused(
    create_bookable_clinic, create_booking
):
    b = create_bookable_clinic()
    start = datetime(2031, 3, 4, 15, 0, tzinfo=UTC)
    create_booking(b, starts_at=start)
    cancelled = create_booking(b, starts_at=start, status=BookingStatus.CANCELLED)
    cancelled.status = BookingStatus.HELD
    with (
        pytest.raises(sa.exc.DatabaseError, match="ex_bookings_therapist_no_overlap"),
        db.session.begin_nested(),
    ):
        db.session.flush()


def test_naive_datetimes_are_refused(create_bookable_clinic, create_booking):
    b = create_bookable_clinic()
    with pytest.raises(sa.exc.StatementError, match="naive datetime"):
        create_booking(b, starts_at=datetime(2031, 3, 4, 15, 0))  # noqa: DTZ001


def test_timestamps_come_back_in_utc(create_bookable_clinic, create_booking):
    b = create_bookable_clinic()
    booking = create_booking(b, starts_at=datetime(2031, 3, 4, 15, 0, tzinfo=UTC))
    db.session.expire(booking)
    assert booking.starts_at == datetime(2031, 3, 4, 15, 0, tzinfo=UTC)
    assert booking.starts_at.utcoffset() == timedelta(0)
