"""Therapists' weekly hours (per location, in its wall-clock time) and time off.

Adding hours strands nothing. Shortening, moving or removing a span is refused
when an upcoming booking inside it would fall outside the hours left; time off
is refused when it overlaps an upcoming visit (``stranding``). Spans of one
therapist on one weekday never overlap: one person, one place at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from ...models import Booking, Therapist, TimeOff, User, WorkingHours, db
from ..audit import diff as changes
from ..availability import schedules
from ..availability.engine import WeeklySpan
from ..common.errors import Conflict, FieldError
from ..common.local_time import zone
from . import stranding

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TIME_OFF_MAX_DAYS = 366


@dataclass(frozen=True)
class SpanData:
    weekdays: Sequence[int]
    location_id: int
    starts: time
    ends: time


def _check_span(therapist: Therapist, data: SpanData, *, ignore: WorkingHours | None = None):
    if not data.weekdays or set(data.weekdays) - set(range(7)):
        raise FieldError("weekdays", "Choose at least one day of the week.")
    if data.starts >= data.ends:
        raise FieldError("ends", "The end must be after the start (spans end by midnight).")
    if data.location_id not in {loc.id for loc in therapist.clinic.locations}:
        raise FieldError("location_id", "Choose one of this clinic's locations.")
    for other in therapist.working_hours:
        if other is ignore or other.weekday not in data.weekdays:
            continue
        if other.starts < data.ends and data.starts < other.ends:
            raise FieldError(
                "starts",
                f"{therapist.name} already works {other.starts:%H:%M}-{other.ends:%H:%M} on "
                f"{WEEKDAYS[other.weekday]}s. Change that span instead.",
            )


def weekly_spans(rows: Iterable[WorkingHours]) -> list[WeeklySpan]:
    """Rows as the availability engine's spans, in their location's zone."""
    return [
        WeeklySpan(h.weekday, h.starts, h.ends, h.location_id, h.location.timezone) for h in rows
    ]


def _refuse_if_stranding(therapist: Therapist, after: list[WeeklySpan], *, now: datetime):
    schedules.lock_therapists([therapist.id])
    bookings = stranding.upcoming(Booking.therapist_id == therapist.id, now=now)
    stranding.refuse_if(
        stranding.uncovered(bookings, before=weekly_spans(therapist.working_hours), after=after),
        "Those hours have clients booked in them.",
    )


def add_hours(
    *, therapist: Therapist, data: SpanData, actor: User, now: datetime
) -> list[WorkingHours]:
    """Add one span of hours on each chosen weekday."""
    _check_span(therapist, data)
    rows = [
        WorkingHours(weekday=day, location_id=data.location_id, starts=data.starts,
                     ends=data.ends)
        for day in sorted(set(data.weekdays))
    ]
    therapist.working_hours.extend(rows)
    db.session.flush()
    for row in rows:
        changes.record(row, "hours.create", actor=actor, now=now, clinic_id=therapist.clinic_id,
                       therapist_id=therapist.id, span=_describe(row))
    return rows


def update_hours(*, hours: WorkingHours, data: SpanData, actor: User, now: datetime) -> dict:
    """Change one span (its weekday, place or times)."""
    therapist = hours.therapist
    _check_span(therapist, data, ignore=hours)
    if len(data.weekdays) != 1:
        raise FieldError("weekdays", "Choose one day for this span.")
    new = WeeklySpan(data.weekdays[0], data.starts, data.ends, data.location_id,
                     _zone_of(therapist, data.location_id))
    others = weekly_spans(h for h in therapist.working_hours if h is not hours)
    _refuse_if_stranding(therapist, [*others, new], now=now)
    before = _describe(hours)
    changed = changes.apply(hours, {"weekday": data.weekdays[0], "location_id": data.location_id,
                                    "starts": data.starts, "ends": data.ends})
    db.session.flush()
    db.session.refresh(hours, ["location"])
    changes.record(hours, "hours.update", actor=actor, now=now, changed=changed,
                   clinic_id=therapist.clinic_id, therapist_id=therapist.id, was=before)
    return changed


def delete_hours(*, hours: WorkingHours, actor: User, now: datetime) -> None:
    """Remove one span of hours."""
    therapist = hours.therapist
    others = weekly_spans(h for h in therapist.working_hours if h is not hours)
    _refuse_if_stranding(therapist, others, now=now)
    changes.record(hours, "hours.delete", actor=actor, now=now, clinic_id=therapist.clinic_id,
                   therapist_id=therapist.id, span=_describe(hours))
    therapist.working_hours.remove(hours)
    db.session.flush()


def _zone_of(therapist: Therapist, location_id: int) -> str:
    return next(loc.timezone for loc in therapist.clinic.locations if loc.id == location_id)


def _describe(hours: WorkingHours) -> str:
    return f"{WEEKDAYS[hours.weekday]} {hours.starts:%H:%M}-{hours.ends:%H:%M} @{hours.location_id}"


# --- time off --------------------------------------------------------------------------------


def local_range(
    first: date, first_time: time | None, last: date, last_time: time | None, tz: str
) -> tuple[datetime, datetime]:
    """A local span as UTC instants: whole days when the times are left out.

    "Mar 8 to Mar 9" without times is from midnight on the 8th to midnight
    after the 9th, however long those days are (DST).
    """
    start = datetime.combine(first, first_time or time(0), tzinfo=zone(tz))
    if last_time is None:
        end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone(tz))
    else:
        end = datetime.combine(last, last_time, tzinfo=zone(tz))
    return start.astimezone(UTC), end.astimezone(UTC)


def describe_time_off(row: TimeOff, tz: str) -> str:
    """ "Sat Dec 12 to Wed Dec 16, 2026 (whole days)", or the times when it has them."""
    start, end = row.starts_at.astimezone(zone(tz)), row.ends_at.astimezone(zone(tz))
    if start.time() == end.time() == time(0):
        last = (end - timedelta(days=1)).date()
        if last == start.date():
            return f"{start:%a %b %-d, %Y} (all day)"
        return f"{start:%a %b %-d} to {last:%a %b %-d, %Y} (whole days)"
    if start.date() == end.date():
        return f"{start:%a %b %-d, %Y}, {start:%-I:%M %p} to {end:%-I:%M %p}"
    return f"{start:%a %b %-d, %-I:%M %p} to {end:%a %b %-d, %Y, %-I:%M %p}"


def add_time_off(
    *, therapist: Therapist, starts_at: datetime, ends_at: datetime, reason: str,
    actor: User, now: datetime,
) -> TimeOff:
    """Block time in a therapist's calendar; refused over an upcoming visit."""
    if starts_at >= ends_at:
        raise FieldError("ends_on", "The time off must end after it starts.")
    if ends_at <= now:
        raise FieldError("ends_on", "That time has already passed.")
    if ends_at - starts_at > timedelta(days=TIME_OFF_MAX_DAYS):
        raise FieldError("ends_on", f"Add at most {TIME_OFF_MAX_DAYS} days at a time.")
    schedules.lock_therapists([therapist.id])
    stranding.refuse_if(
        stranding.upcoming(
            Booking.therapist_id == therapist.id,
            Booking.starts_at < ends_at,
            Booking.ends_at > starts_at,
            now=now,
        ),
        f"{therapist.name} has clients booked then.",
    )
    row = TimeOff(starts_at=starts_at, ends_at=ends_at, reason=reason, created_at=now)
    therapist.time_off.append(row)
    db.session.flush()
    changes.record(row, "time_off.create", actor=actor, now=now, clinic_id=therapist.clinic_id,
                   therapist_id=therapist.id, starts_at=starts_at.isoformat(),
                   ends_at=ends_at.isoformat(), reason=reason)
    return row


def delete_time_off(*, time_off: TimeOff, actor: User, now: datetime) -> None:
    """Remove time off (the therapist is bookable in it again)."""
    therapist = time_off.therapist
    if time_off.ends_at <= now:
        raise Conflict("That time off is over; it stays in the record.")
    changes.record(time_off, "time_off.delete", actor=actor, now=now,
                   clinic_id=therapist.clinic_id, therapist_id=therapist.id,
                   starts_at=time_off.starts_at.isoformat(), ends_at=time_off.ends_at.isoformat())
    therapist.time_off.remove(time_off)
    db.session.flush()
