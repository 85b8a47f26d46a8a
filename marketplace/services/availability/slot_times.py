"""Open slots as the API writes them: each start and end a local ISO 8601 string
(``2031-03-10T08:15:00-06:00``), computed straight from the kept runs.

The kept runs (``opening_runs``: first, last and step in epoch seconds) are written from
integers, with no datetime per slot. For each zone a request touches, ``_Clock`` asks
the zone for its UTC offset at each UTC midnight around the request's instants; where
two neighbouring midnights disagree it finds the second the offset changes by bisection
(the zone asked about 17 times), so every instant's offset is then a lookup, exact on
change days too, and a run that crosses a change (the 1:45 MST, 3:00 MDT of a
spring-forward morning are one 15-minute run in UTC) is written right slot by slot.
This assumes, as the engine's grid does (``engine._span_candidates``, for a span within
a day), that a zone does not change its offset twice within a day. Each instant's text
is made once per request (many therapists share a start): the date from a cache, the
clock from a table, the offset as ``isoformat`` writes it.

``from_slots`` writes slots the engine computed the straightforward way (a datetime
converted through its zone and written by ``isoformat``).
``tests/unit/availability/test_slot_times.py`` checks with hypothesis, in zones with
DST changes (Denver's spring-forward, Lord Howe's 30-minute shift, St. John's half-hour
zone), that both ways give exactly the same strings in the same order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from ..common.local_time import zone
from .engine import Slot

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
#: "HH:MM:00" for every minute of a day (starts and ends are on the minute)
_CLOCK = [f"{m // 60:02d}:{m % 60:02d}:00" for m in range(24 * 60)]


#: One open slot: (start_s, therapist_id, end_s, location_id, starts_at, ends_at), the
#: times local ISO 8601 strings with their offset; plain tuples (made by the hundred per
#: request) ordered like ``Slot`` (start, therapist, end, location).
SlotTime = tuple[int, int, int, int, str, str]


def offset_text(seconds: int) -> str:
    """A UTC offset as ``isoformat`` writes it: ``-06:00``, ``+10:30``, ``+00:00``
    (with seconds only when there are any)."""
    sign = "-" if seconds < 0 else "+"
    hh, rest = divmod(abs(seconds), 3600)
    mm, ss = divmod(rest, 60)
    return f"{sign}{hh:02d}:{mm:02d}:{ss:02d}" if ss else f"{sign}{hh:02d}:{mm:02d}"


def _offset(tz, instant_s: int) -> int:
    """The zone's UTC offset at an instant (epoch seconds), in seconds."""
    delta = (EPOCH + timedelta(seconds=instant_s)).astimezone(tz).utcoffset()
    return delta.days * 86400 + delta.seconds


def _exact(tz, instant_s: int) -> str:
    """The straightforward way: a datetime, converted, written."""
    return (EPOCH + timedelta(seconds=instant_s)).astimezone(tz).isoformat()


class _Clock:
    """One zone's local ISO strings for instants in [earliest, latest] (epoch seconds)."""

    def __init__(self, tz, earliest: int, latest: int) -> None:
        self.texts: dict[int, str] = {}
        self._dates: dict[int, str] = {}
        self._changes: list[int] = []  # the instants the offset changes, in order
        first_day, last_day = earliest // 86400, -(-latest // 86400)
        before = _offset(tz, first_day * 86400)
        self._offsets = [before]  # _offsets[i] holds from _changes[i - 1] to _changes[i]
        for day in range(first_day + 1, last_day + 1):
            after = _offset(tz, day * 86400)
            if after != before:  # one change in this day: the first second of ``after``
                old, new = (day - 1) * 86400, day * 86400
                while new - old > 1:
                    middle = (old + new) // 2
                    if _offset(tz, middle) == before:
                        old = middle
                    else:
                        new = middle
                self._changes.append(new)
                self._offsets.append(after)
                before = after
        self._suffixes = {offset: offset_text(offset) for offset in self._offsets}

    def write(self, instant_s: int) -> str:
        """The instant's text, made and remembered."""
        offset = self._offsets[bisect_right(self._changes, instant_s)] if self._changes \
            else self._offsets[0]
        day, second = divmod(instant_s + offset, 86400)
        prefix = self._dates.get(day)
        if prefix is None:
            prefix = self._dates[day] = date.fromordinal(_EPOCH_ORDINAL + day).isoformat() + "T"
        minute, sec = divmod(second, 60)
        clock = _CLOCK[minute] if not sec else f"{minute // 60:02d}:{minute % 60:02d}:{sec:02d}"
        text = self.texts[instant_s] = prefix + clock + self._suffixes[offset]
        return text


def slot_times(runs: Sequence, *, lo: int, hi: int) -> list[SlotTime]:
    """Every start of these runs in [lo, hi) (epoch seconds), with its end, written in its
    location's zone; ordered as the engine orders slots. Each run is a row (or tuple)
    that starts (therapist_id, location_id, first_s, last_s, step_s, duration_s,
    timezone); columns after those are ignored."""
    spans: dict[str, tuple[int, int]] = {}
    for _therapist, _location, first, last, _step, duration, tz, *_ in runs:
        span = spans.get(tz)
        spans[tz] = (min(span[0], first), max(span[1], last + duration)) if span \
            else (first, last + duration)
    clocks = {tz: _Clock(zone(tz), *span) for tz, span in spans.items()}
    found: list[SlotTime] = []
    add = found.append
    for therapist, location, first, last, step, duration, tz, *_ in runs:
        step = step or 1
        if first < lo:
            first += -(-(lo - first) // step) * step  # the first on its grid at or after lo
        clock = clocks[tz]
        texts, write = clock.texts, clock.write
        for start in range(first, min(last, hi - 1) + 1, step):
            end = start + duration
            add((start, therapist, end, location,
                 texts.get(start) or write(start), texts.get(end) or write(end)))
    found.sort()
    return found


def from_slots(slots: Iterable[Slot]) -> list[SlotTime]:
    """Slots the engine computed, written the straightforward way (a datetime each)."""
    found = []
    for slot in slots:
        tz = zone(slot.timezone)
        found.append((int((slot.starts_at - EPOCH).total_seconds()), slot.therapist_id,
                      int((slot.ends_at - EPOCH).total_seconds()), slot.location_id,
                      slot.starts_at.astimezone(tz).isoformat(),
                      slot.ends_at.astimezone(tz).isoformat()))
    return found
