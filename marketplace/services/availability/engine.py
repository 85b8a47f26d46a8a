"""The availability engine: open slots from weekly hours, time off and bookings.

Pure Python, no database and no Flask: callers load the inputs (see
````availability/schedules.py````) and pass "now" in. Weekly hours are wall-clock
times in the location's time zone; every instant handed in or out is an
aware UTC datetime.

Rules a slot obeys:
- the visit (``starts_at``..``ends_at``) lies inside one weekly span of the
  therapist's hours, measured in that location's local time on that date;
- slot starts fall on a wall-clock grid (every ``step`` minutes from the
  span's start), so 9:00, 9:15, ... stay 9:00, 9:15 across DST changes;
- local times that do not exist (the spring-forward gap) are skipped;
- the blocked span (visit plus the service's buffers) overlaps no busy
  interval (held or confirmed bookings, with their own buffers, and time off);
- it starts at least ``min_notice`` after now and at most ``horizon`` ahead.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from ..common.local_time import zone


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open span of time [start, end) in UTC."""

    start: datetime
    end: datetime

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class WeeklySpan:
    """Working hours on one weekday (0 = Monday) at one location, in its local time."""

    weekday: int
    starts: time
    ends: time
    location_id: int
    timezone: str


@dataclass
class TherapistSchedule:
    therapist_id: int
    weekly: list[WeeklySpan]
    busy: list[Interval] = field(default_factory=list)  # bookings (with buffers) and time off


@dataclass(frozen=True)
class SlotRules:
    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    step: timedelta = timedelta(minutes=15)
    min_notice: timedelta = timedelta(hours=2)
    horizon: timedelta = timedelta(days=60)


@dataclass(frozen=True, order=True)
class Slot:
    starts_at: datetime
    therapist_id: int
    ends_at: datetime
    location_id: int
    timezone: str

    def local_start(self) -> datetime:
        return self.starts_at.astimezone(zone(self.timezone))


def local_dates(window: Interval, tz: str) -> Iterator[date]:
    """Every local calendar date in ``tz`` that the UTC window touches."""
    first = window.start.astimezone(zone(tz)).date()
    last = (window.end - timedelta(microseconds=1)).astimezone(zone(tz)).date()
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _exists(local: datetime) -> bool:
    """False for wall-clock times skipped by a spring-forward change."""
    round_trip = local.astimezone(UTC).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def _span_candidates(span: WeeklySpan, day: date, rules: SlotRules) -> Iterator[datetime]:
    """Slot starts (UTC) on the wall-clock grid of one span on one date."""
    tz = zone(span.timezone)
    opens = datetime.combine(day, span.starts, tzinfo=tz)
    closes = datetime.combine(day, span.ends, tzinfo=tz)
    if opens.utcoffset() == closes.utcoffset() and _exists(opens) and _exists(closes):
        # No change of offset inside the span (every day but two a year): the wall-clock
        # grid is a plain UTC grid, with no zone lookup per candidate.
        start, closes_utc = opens.astimezone(UTC), closes.astimezone(UTC)
        while start < closes_utc and start + rules.duration <= closes_utc:
            yield start
            start += rules.step
        return
    yield from _walk_candidates(span, day, rules)


def _walk_candidates(span: WeeklySpan, day: date, rules: SlotRules) -> Iterator[datetime]:
    """The grid walked in wall-clock time, for days when the offset changes in the span."""
    tz = zone(span.timezone)
    opens = datetime.combine(day, span.starts, tzinfo=tz)
    closes_utc = datetime.combine(day, span.ends, tzinfo=tz).astimezone(UTC)
    opens_utc = opens.astimezone(UTC)
    local = opens
    while True:
        if _exists(local):
            start = local.astimezone(UTC)
            if start + rules.duration > closes_utc:
                return
            if start >= opens_utc:
                yield start
        local = local + rules.step  # wall-clock arithmetic: same tzinfo, offset recomputed
        if local.replace(tzinfo=None) >= datetime.combine(day, span.ends):
            return


class _BusyIndex:
    """Busy intervals sorted by start, for fast overlap checks."""

    def __init__(self, busy: Iterable[Interval]) -> None:
        self._intervals = sorted(busy)
        self._starts = [i.start for i in self._intervals]
        # The latest end among intervals up to each index: lets one bisect
        # answer "does anything starting before X reach past Y?".
        self._max_end: list[datetime] = []
        running = None
        for interval in self._intervals:
            running = interval.end if running is None or interval.end > running else running
            self._max_end.append(running)

    def overlaps(self, candidate: Interval) -> bool:
        i = bisect.bisect_left(self._starts, candidate.end)  # intervals starting before its end
        return i > 0 and self._max_end[i - 1] > candidate.start


def therapist_slots(
    schedule: TherapistSchedule, rules: SlotRules, *, window: Interval, now: datetime
) -> list[Slot]:
    """Open slots of one therapist in ``window``, in time order."""
    earliest = max(window.start, now + rules.min_notice)
    latest = min(window.end, now + rules.horizon)
    if earliest >= latest:
        return []
    busy = _BusyIndex(schedule.busy)
    slots: list[Slot] = []
    for tz in {s.timezone for s in schedule.weekly}:
        spans = [s for s in schedule.weekly if s.timezone == tz]
        for day in local_dates(Interval(earliest, latest), tz):
            for span in spans:
                if span.weekday != day.weekday():
                    continue
                for start in _span_candidates(span, day, rules):
                    if start < earliest or start >= latest:
                        continue
                    end = start + rules.duration
                    blocked = Interval(start - rules.buffer_before, end + rules.buffer_after)
                    if not busy.overlaps(blocked):
                        slots.append(Slot(start, schedule.therapist_id, end, span.location_id, tz))
    slots.sort()
    return _dedupe(slots)


def first_slot(
    schedule: TherapistSchedule, rules: SlotRules, *, window: Interval, now: datetime
) -> Slot | None:
    """``therapist_slots(...)[0]`` without computing the rest: the same rules, but it
    stops at the first free start, so a long look-ahead costs what the first day does."""
    earliest = max(window.start, now + rules.min_notice)
    latest = min(window.end, now + rules.horizon)
    if earliest >= latest:
        return None
    busy = _BusyIndex(schedule.busy)
    best: Slot | None = None
    for tz in {s.timezone for s in schedule.weekly}:
        spans = [s for s in schedule.weekly if s.timezone == tz]
        for day in local_dates(Interval(earliest, latest), tz):
            found = [
                slot for span in spans if span.weekday == day.weekday()
                if (slot := _first_in_span(schedule.therapist_id, span, day, rules, busy, earliest,
                                           latest))
            ]
            if found:  # a later local day of this zone cannot start earlier
                best = min([*found, best] if best else found)
                break
    return best


def _first_in_span(
    therapist_id: int, span: WeeklySpan, day: date, rules: SlotRules, busy: _BusyIndex,
    earliest: datetime, latest: datetime,
) -> Slot | None:
    for start in _span_candidates(span, day, rules):
        if start >= latest:
            return None
        if start < earliest:
            continue
        end = start + rules.duration
        if not busy.overlaps(Interval(start - rules.buffer_before, end + rules.buffer_after)):
            return Slot(start, therapist_id, end, span.location_id, span.timezone)
    return None


def _dedupe(slots: list[Slot]) -> list[Slot]:
    """One slot per start (overlapping weekly spans could offer the same start twice)."""
    out: list[Slot] = []
    for slot in slots:
        if not out or out[-1].starts_at != slot.starts_at:
            out.append(slot)
    return out


def open_slots(
    schedules: Iterable[TherapistSchedule], rules: SlotRules, *, window: Interval, now: datetime
) -> list[Slot]:
    """Open slots of every therapist given, ordered by start then therapist."""
    slots: list[Slot] = []
    for schedule in schedules:
        slots.extend(therapist_slots(schedule, rules, window=window, now=now))
    slots.sort()
    return slots


def any_therapist(slots: Iterable[Slot]) -> dict[datetime, list[Slot]]:
    """Group slots by start time: "any therapist" offers a start if anyone is free."""
    grouped: dict[datetime, list[Slot]] = {}
    for slot in slots:
        grouped.setdefault(slot.starts_at, []).append(slot)
    return grouped


def first_open(
    schedules: Iterable[TherapistSchedule], rules: SlotRules, *, window: Interval, now: datetime
) -> Slot | None:
    """The earliest open slot, or None."""
    best: Slot | None = None
    for schedule in schedules:
        slots = therapist_slots(schedule, rules, window=window, now=now)
        if slots and (best is None or slots[0] < best):
            best = slots[0]
    return best
