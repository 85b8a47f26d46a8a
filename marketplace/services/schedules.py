"""Load the availability engine's inputs from the database, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select

from ..models import (
    BLOCKING_STATUSES,
    Booking,
    BookingStatus,
    Location,
    Service,
    TimeOff,
    WorkingHours,
    db,
)
from .availability import Interval, SlotRules, TherapistSchedule, WeeklySpan


def rules_for(service: Service, config) -> SlotRules:
    """The slot rules for a service under the site's settings."""
    return SlotRules(
        duration=timedelta(minutes=service.duration_min),
        buffer_before=timedelta(minutes=service.buffer_before_min),
        buffer_after=timedelta(minutes=service.buffer_after_min),
        step=timedelta(minutes=int(config["SLOT_STEP_MINUTES"])),
        min_notice=timedelta(minutes=int(config["MIN_NOTICE_MINUTES"])),
        horizon=timedelta(days=int(config["BOOKING_HORIZON_DAYS"])),
    )


def busy_filter(now: datetime):
    """SQL for "this booking occupies its therapist now": confirmed, or held and not lapsed."""
    return or_(
        Booking.status == BookingStatus.CONFIRMED,
        and_(Booking.status == BookingStatus.HELD, Booking.hold_expires_at > now),
    )


def load_schedules(
    therapist_ids: Iterable[int], *, window: Interval, now: datetime
) -> list[TherapistSchedule]:
    """Weekly hours, time off and busy bookings of these therapists around ``window``.

    Three queries whatever the number of therapists. Lapsed holds are not busy.
    """
    ids = sorted(set(therapist_ids))
    if not ids:
        return []
    schedules = {tid: TherapistSchedule(therapist_id=tid, weekly=[]) for tid in ids}
    hours = db.session.execute(
        select(WorkingHours, Location.timezone)
        .join(Location, WorkingHours.location_id == Location.id)
        .where(WorkingHours.therapist_id.in_(ids))
    ).all()
    for wh, tz in hours:
        schedules[wh.therapist_id].weekly.append(
            WeeklySpan(wh.weekday, wh.starts, wh.ends, wh.location_id, tz)
        )
    # Widen by a day each side: buffers and long visits reach across the window edges.
    lo, hi = window.start - timedelta(days=1), window.end + timedelta(days=1)
    bookings = db.session.execute(
        select(Booking.therapist_id, Booking.blocked_from, Booking.blocked_until).where(
            Booking.therapist_id.in_(ids),
            Booking.status.in_(BLOCKING_STATUSES),
            busy_filter(now),
            Booking.blocked_from < hi,
            Booking.blocked_until > lo,
        )
    ).all()
    for tid, start, end in bookings:
        schedules[tid].busy.append(Interval(start, end))
    time_off = db.session.execute(
        select(TimeOff.therapist_id, TimeOff.starts_at, TimeOff.ends_at).where(
            TimeOff.therapist_id.in_(ids), TimeOff.starts_at < hi, TimeOff.ends_at > lo
        )
    ).all()
    for tid, start, end in time_off:
        schedules[tid].busy.append(Interval(start, end))
    return [schedules[tid] for tid in ids]
