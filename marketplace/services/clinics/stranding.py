"""Listing changes that would strand bookings clients already hold.

A booking is *upcoming* while it occupies its therapist (confirmed, or held
and not lapsed) and has not ended. An owner's change is refused, with the list
of upcoming bookings it would strand, when it would leave one of them:

- outside the therapist's weekly hours (hours removed or shortened, moved to
  another location, or the location's time zone changed);
- with a therapist who no longer works (deactivated) or is off (time off
  overlapping the visit);
- for a service that is no longer offered (deactivated) or no longer given by
  its therapist.

Price, duration, buffers and policy changes strand nothing: a booking keeps
the times, price and policy it was made with.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...models import Booking, db
from ..availability.engine import WeeklySpan
from ..availability.schedules import busy_filter
from ..common.errors import Conflict
from ..common.local_time import zone


class WouldStrand(Conflict):
    """The change would strand upcoming bookings; ``bookings`` lists them."""

    def __init__(self, message: str, bookings: Sequence[Booking]) -> None:
        super().__init__(message)
        self.bookings = list(bookings)


def upcoming(*conditions, now: datetime) -> list[Booking]:
    """Upcoming bookings matching ``conditions``, soonest first, with what pages show."""
    return list(
        db.session.scalars(
            select(Booking)
            .where(busy_filter(now), Booking.ends_at > now, *conditions)
            .options(selectinload(Booking.client), selectinload(Booking.service),
                     selectinload(Booking.therapist))
            .order_by(Booking.starts_at, Booking.id)
        )
    )


def refuse_if(bookings: Sequence[Booking], message: str) -> None:
    """Raise ``WouldStrand`` when ``bookings`` is not empty."""
    if bookings:
        count = len(bookings)
        noun = "booking" if count == 1 else "bookings"
        raise WouldStrand(f"{message} It would strand {count} upcoming {noun}.", bookings)


def covered(booking: Booking, spans: Iterable[WeeklySpan]) -> bool:
    """True when the visit lies inside one weekly span at its location, in local time."""
    for span in spans:
        if span.location_id != booking.location_id:
            continue
        tz = zone(span.timezone)
        day = booking.starts_at.astimezone(tz).date()
        if day.weekday() != span.weekday:
            continue
        opens = datetime.combine(day, span.starts, tzinfo=tz).astimezone(UTC)
        closes = datetime.combine(day, span.ends, tzinfo=tz).astimezone(UTC)
        if opens <= booking.starts_at and booking.ends_at <= closes:
            return True
    return False


def uncovered(
    bookings: Iterable[Booking],
    *,
    before: Sequence[WeeklySpan],
    after: Sequence[WeeklySpan],
) -> list[Booking]:
    """Bookings inside the weekly hours ``before`` a change and outside them ``after``.

    A booking already outside the hours (placed by hand, say) is not the change's doing.
    """
    return [b for b in bookings if covered(b, before) and not covered(b, after)]
