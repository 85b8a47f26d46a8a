"""A clinic's day and week, per therapist, in one location's time zone.

Days are local calendar days: a day runs from local midnight to the next
local midnight, converted to UTC with ``zoneinfo``, so a spring-forward
Sunday is 23 hours long and a fall-back Sunday 25, and a 9:00 visit is on the
9:00 line either side of the change. Bookings sit on the day they start; time
off spreads over every day it touches, clipped to each. Five queries (bookings
with their clients and services, time off, hours) whatever the week holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ...models import Booking, BookingStatus, Clinic, Location, Therapist, TimeOff, WorkingHours, db
from ..common.local_time import local_day_bounds, local_today, zone

SHOWN = (
    BookingStatus.HELD,
    BookingStatus.CONFIRMED,
    BookingStatus.COMPLETED,
    BookingStatus.NO_SHOW,
)


@dataclass(frozen=True)
class Entry:
    """One thing in a therapist's day: a booking or (a day's part of) time off."""

    starts_at: datetime
    ends_at: datetime
    booking: Booking | None = None
    time_off: TimeOff | None = None
    all_day: bool = False


@dataclass
class Cell:
    """A therapist's day: weekly hours there (local wall-clock) and what fills it."""

    hours: list[tuple[time, time]] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Schedule:
    location: Location
    days: list[date]
    today: date
    therapists: list[Therapist]
    cells: dict[tuple[int, date], Cell]

    @property
    def timezone(self) -> str:
        return self.location.timezone

    def cell(self, therapist_id: int, day: date) -> Cell:
        return self.cells.get((therapist_id, day)) or Cell()

    @property
    def booking_count(self) -> int:
        return sum(1 for c in self.cells.values() for e in c.entries if e.booking is not None)




def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())




def schedule(
    *,
    clinic: Clinic,
    location: Location,
    first_day: date,
    days: int,
    now: datetime,
    therapist_id: int | None = None,
) -> Schedule:
    """``days`` local days from ``first_day`` at ``location``, per therapist."""
    tz = location.timezone
    day_list = [first_day + timedelta(days=i) for i in range(days)]
    start, _ = local_day_bounds(day_list[0], tz)
    _, end = local_day_bounds(day_list[-1], tz)
    therapists = [t for t in clinic.therapists if therapist_id in (None, t.id)]
    ids = [t.id for t in therapists]
    cells: dict[tuple[int, date], Cell] = defaultdict(Cell)
    bookings = _bookings(clinic, location, ids, start, end, now=now)
    for booking in bookings:
        day = booking.starts_at.astimezone(zone(tz)).date()
        cells[booking.therapist_id, day].entries.append(
            Entry(booking.starts_at, booking.ends_at, booking=booking)
        )
    _add_time_off(cells, ids, day_list, tz)
    _add_hours(cells, location, ids, day_list)
    for cell in cells.values():
        cell.entries.sort(key=lambda e: (not e.all_day, e.starts_at))
    busy = {b.therapist_id for b in bookings}
    shown = [t for t in therapists if t.active or t.id in busy]
    return Schedule(location, day_list, local_today(tz, now), shown, dict(cells))


def _bookings(clinic, location, ids, start, end, *, now) -> list[Booking]:
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Booking)
            .where(
                Booking.clinic_id == clinic.id,
                Booking.location_id == location.id,
                Booking.therapist_id.in_(ids),
                Booking.starts_at >= start,
                Booking.starts_at < end,
                Booking.status.in_(SHOWN),
                or_(Booking.status != BookingStatus.HELD, Booking.hold_expires_at > now),
            )
            .options(selectinload(Booking.client), selectinload(Booking.service))
            .order_by(Booking.starts_at)
        )
    )


def _add_time_off(cells, ids, day_list, tz) -> None:
    if not ids:
        return
    start, _ = local_day_bounds(day_list[0], tz)
    _, end = local_day_bounds(day_list[-1], tz)
    rows = db.session.scalars(
        select(TimeOff).where(
            TimeOff.therapist_id.in_(ids), TimeOff.starts_at < end, TimeOff.ends_at > start
        )
    ).all()
    for row in rows:
        for day in day_list:
            day_start, day_end = local_day_bounds(day, tz)
            if row.starts_at < day_end and row.ends_at > day_start:
                piece = Entry(
                    max(row.starts_at, day_start),
                    min(row.ends_at, day_end),
                    time_off=row,
                    all_day=row.starts_at <= day_start and row.ends_at >= day_end,
                )
                cells[row.therapist_id, day].entries.append(piece)


def _add_hours(cells, location, ids, day_list) -> None:
    if not ids:
        return
    rows = db.session.scalars(
        select(WorkingHours)
        .where(WorkingHours.location_id == location.id, WorkingHours.therapist_id.in_(ids))
        .order_by(WorkingHours.starts)
    ).all()
    for row in rows:
        for day in day_list:
            if day.weekday() == row.weekday:
                cells[row.therapist_id, day].hours.append((row.starts, row.ends))
