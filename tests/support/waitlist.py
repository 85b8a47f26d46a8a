"""Waitlist fixtures: a day filled with visits, one of which is cancelled to free time,
and entries joined through the service."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from marketplace.models import BookingStatus, db
from marketplace.services import waitlist
from marketplace.services.common.local_time import local_today
from tests.support import factories
from tests.support.booking import booking_rules, local


def target_day(b, now: datetime, days: int = 5) -> date:
    """A local day ``days`` ahead at the clinic (it is open 9 to 5 every day)."""
    return local_today(b.location.timezone, now) + timedelta(days=days)


def fill_day(b, day: date, *, free_from: int = 12, free_to: int = 13):
    """Confirmed visits over the whole day; the one from ``free_from`` to ``free_to`` is
    returned, to be cancelled (the time it frees is the only open time that day)."""
    tz = b.location.timezone
    spans = [(9, free_from), (free_from, free_to), (free_to, 17)]
    made = []
    for start, end in spans:
        if start == end:
            continue
        starts_at, ends_at = local(tz, day, start), local(tz, day, end)
        made.append(factories.create_booking(
            b, starts_at=starts_at, ends_at=ends_at, blocked_from=starts_at,
            blocked_until=ends_at, client=factories.create_user()))
    return next(m for m in made if m.starts_at == local(tz, day, free_from))


def free(booking) -> None:
    """Cancel a visit (as the clinic would), freeing its time."""
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = booking.created_at
    db.session.flush()


def join(app, b, client, day: date, *, now: datetime, last: date | None = None,
         parts=("morning", "afternoon"), therapist=None):
    window = waitlist.Window(first_day=day, last_day=last or day, **{
        p: p in parts for p in ("morning", "afternoon", "evening")})
    entry = waitlist.join(client=client, clinic=b.clinic, service=b.service,
                          therapist=therapist, window=window, now=now,
                          rules=booking_rules(app))
    db.session.flush()
    return entry


def run(app, now: datetime):
    return waitlist.run(now=now, rules=booking_rules(app))
