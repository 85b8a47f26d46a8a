"""Open time kept as rows (``OpeningRun``), true in the same transaction as every change.

What the rows hold: every start the engine (``engine.py``) gives each active therapist
for each active service they give, on each local day of the window, with no minimum
notice, no horizon and every hold counted as busy (a lapsed hold stops counting when
``expire-holds`` marks it, which refreshes its days). Readers (``openings.py``,
``day_slots.py``, search's statement) apply the notice and the horizon for their own
``now``.

How they stay true:

- an ORM hook (``install``) notes, at each flush, the therapists and days a change may
  have moved: a booking placed, confirmed, cancelled or moved (the days around its
  blocked span, before and after), hours, time off, a therapist's activity or clinic, a
  service's length, buffers, technique, activity or givers, a location's zone; after the
  flush it rewrites exactly those rows in the same transaction;
- statements that bypass the ORM (holds expired or released in bulk) call ``touch``;
- ``ensure_window`` moves the window forward as days pass (``flask openings refresh``
  does it ahead of time, so a request never has to) and rebuilds everything when the
  slot grid changes; ``check`` recomputes every row and reports any difference.

Computing a day is arithmetic, not a walk: on a day whose UTC offset does not change
inside a span, the span's starts are a plain grid and each busy interval removes one
range of it, so a run of starts is a few integer operations (``_grid_runs``). Days with
a change of offset, or with overlapping spans, take the engine's own candidates
(``_walked_runs``). ``tests/integration/availability/test_kept.py`` proves, with
hypothesis, that the rows equal the engine after any sequence of changes.
"""

from __future__ import annotations

import bisect
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ...models import (
    Booking,
    Location,
    OpeningRun,
    OpeningWindow,
    Service,
    Therapist,
    TimeOff,
    WorkingHours,
    service_therapists,
)
from ..common.local_time import zone
from ..common.rules import BookingRules
from .engine import (
    Interval,
    SlotRules,
    TherapistSchedule,
    WeeklySpan,
    _BusyIndex,
    _exists,
    _span_candidates,
)
from .schedules import load_schedules

log = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Before every hold's end: computing with this "now" counts every hold as busy.
_LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
#: Days kept beyond the booking horizon, so the window moves once a day, not per request.
AHEAD_DAYS = 2
#: A booking change refreshes its therapist's local days this far either side of it.
AROUND_DAYS = 2
#: Therapists computed together when the whole window is rebuilt.
CHUNK = 400
#: Above this many therapists, their services are read as an id range (see ``_offers``).
RANGE_AFTER = 50
_PENDING = "openings_pending"
_TABLE = OpeningRun.__table__
_ALL = None  # "every day of the window"


def seconds(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds())


def moment(value: int) -> datetime:
    return EPOCH + timedelta(seconds=value)


# --- the window ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    first_day: date
    last_day: date
    step_min: int


def _read_window(session: Session, *, lock: bool = False) -> OpeningWindow:
    stmt = sa.select(OpeningWindow).where(OpeningWindow.id == 1)
    if lock and session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = session.scalar(stmt)
    if row is None:  # a database made before the migration inserted it
        row = OpeningWindow(id=1)
        session.add(row)
        session.flush()
    return row


_WINDOW = (sa.select(OpeningWindow.first_day, OpeningWindow.last_day, OpeningWindow.step_min)
           .where(OpeningWindow.id == 1))


def window_columns() -> list:
    """The window's first day, last day and grid as scalar subqueries, for a reader to
    ask in its own statement (``window_from`` makes them a ``Window``)."""
    return [sa.select(column).where(OpeningWindow.id == 1).scalar_subquery().label(name)
            for name, column in (("window_first_day", OpeningWindow.first_day),
                                 ("window_last_day", OpeningWindow.last_day),
                                 ("window_step_min", OpeningWindow.step_min))]


def window_from(row) -> Window | None:
    """The window from a row with ``window_columns``."""
    if row.window_first_day is None:
        return None
    return Window(row.window_first_day, row.window_last_day, row.window_step_min)


def current_window(session: Session) -> Window | None:
    """The window as stored: a plain row through the session's connection, as every
    request that reads open time asks (only this module writes it, and flushes)."""
    row = session.connection().execute(_WINDOW).first()
    if row is None or row.first_day is None:
        return None
    return Window(row.first_day, row.last_day, row.step_min)


def needed(now: datetime, rules: BookingRules) -> tuple[date, date]:
    """The UTC dates that hold every US local day from ``now`` to the horizon."""
    return (now - timedelta(days=1)).date(), (now + rules.horizon + timedelta(days=1)).date()


def covers(window: Window | None, now: datetime, rules: BookingRules) -> bool:
    if window is None or window.step_min != rules.slot_step_minutes:
        return False
    first, last = needed(now, rules)
    return window.first_day <= first and window.last_day >= last


def ensure_window(session: Session, *, now: datetime, rules: BookingRules) -> Window:
    """The window, moved forward (or rebuilt) first if it does not cover ``now``'s needs."""
    window = current_window(session)
    if covers(window, now, rules):
        return window
    row = _read_window(session, lock=True)  # one mover at a time (PostgreSQL)
    window = current_window(session)
    if covers(window, now, rules):
        return window
    first, last = needed(now, rules)
    last += timedelta(days=AHEAD_DAYS)
    same_grid = window is not None and window.step_min == rules.slot_step_minutes
    if same_grid and window.first_day <= first <= window.last_day:
        session.connection().execute(_TABLE.delete().where(_TABLE.c.day < first))
        if last > window.last_day:
            _fill(session, _all_therapists(session), window.last_day + timedelta(days=1), last,
                  rules.slot_step_minutes)
        last = max(last, window.last_day)
        log.info("openings window moved to %s..%s", first, last)
    else:
        session.connection().execute(_TABLE.delete())
        _fill(session, _all_therapists(session), first, last, rules.slot_step_minutes)
        log.info("openings rebuilt for %s..%s", first, last)
    row.first_day, row.last_day, row.step_min = first, last, rules.slot_step_minutes
    session.flush()
    return Window(first, last, rules.slot_step_minutes)


_READ_WINDOW = "kept_openings_read_window"


def ensure_covered(session: Session, *, now: datetime, rules: BookingRules,
                   seen: Window | None = None) -> bool:
    """For readers: ``ensure_window`` once per transaction. A window that covers ``now``
    is remembered until the transaction ends (a later ``now`` or another slot grid checks
    again); returns True when the window had to move (the caller commits that work).
    ``seen`` is the window as the caller read it in this transaction, in a statement of
    its own (``window_columns``): when it covers, nothing more is asked.
    The writers' hook always reads the window afresh (``current_window``)."""
    remembered = session.info.get(_READ_WINDOW)
    if remembered is not None and covers(remembered, now, rules):
        return False
    if seen is not None and covers(seen, now, rules):
        session.info[_READ_WINDOW] = seen
        return False
    window = current_window(session)
    moved = not covers(window, now, rules)
    if moved:
        window = ensure_window(session, now=now, rules=rules)
    session.info[_READ_WINDOW] = window
    return moved


def _forget_read_window(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_READ_WINDOW, None)


def rebuild(session: Session, *, now: datetime, rules: BookingRules) -> int:
    """Every row afresh (after a bulk load); returns how many runs there are."""
    row = _read_window(session, lock=True)
    row.first_day = None
    session.info.pop(_READ_WINDOW, None)
    session.flush()
    ensure_window(session, now=now, rules=rules)
    return session.scalar(sa.select(sa.func.count()).select_from(OpeningRun))


def _all_therapists(session: Session) -> list[int]:
    return list(session.scalars(
        sa.select(Therapist.id).where(Therapist.active.is_(True)).order_by(Therapist.id)))


# --- computing runs ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Offer:
    service_id: int
    clinic_id: int
    modality_id: int
    duration: int  # seconds
    before: int
    after: int


def _offers(session: Session, therapist_ids: list[int]) -> dict[int, list[_Offer]]:
    """Active services each active therapist gives at their own clinic. A long list of
    ids (a rebuild's chunk) is asked for as the range it spans, the others dropped
    here: SQLite answers a long ``IN`` list here by reading every service."""
    wanted = set(therapist_ids)
    giver = service_therapists.c.therapist_id
    among_ids = (giver.between(min(wanted), max(wanted)) if len(wanted) > RANGE_AFTER
                 else giver.in_(sorted(wanted)))
    stmt = (
        sa.select(service_therapists.c.therapist_id, Service.id, Service.clinic_id,
                  Service.modality_id, Service.duration_min, Service.buffer_before_min,
                  Service.buffer_after_min)
        .join(Service, Service.id == service_therapists.c.service_id)
        .join(Therapist, Therapist.id == service_therapists.c.therapist_id)
        .where(among_ids, Service.active.is_(True), Therapist.active.is_(True),
               Therapist.clinic_id == Service.clinic_id)
    )
    found: dict[int, list[_Offer]] = defaultdict(list)
    for tid, sid, cid, mid, duration, before, after in session.execute(stmt):
        if tid in wanted:
            found[tid].append(_Offer(sid, cid, mid, duration * 60, before * 60, after * 60))
    return found


@dataclass(frozen=True)
class Run:
    location_id: int
    day: date
    first_s: int
    last_s: int
    step_s: int

    def starts(self) -> range:
        return range(self.first_s, self.last_s + 1, self.step_s or 1)


def _runs_of(starts: Iterable[tuple[int, int]], day: date) -> list[Run]:
    """Runs of (start, location) pairs in time order: equal steps at one location."""
    runs: list[Run] = []
    first = last = step = location = None
    for start, loc in starts:
        if first is not None and loc == location and (step is None or start - last == step):
            step = start - last if step is None else step
            last = start
            continue
        if first is not None:
            runs.append(Run(location, day, first, last, step or 0))
        first = last = start
        step, location = None, loc
    if first is not None:
        runs.append(Run(location, day, first, last, step or 0))
    return runs


class _Busy:
    """A therapist's busy intervals in epoch seconds, for "what touches this span"."""

    def __init__(self, busy: list[Interval]) -> None:
        pairs = sorted((seconds(i.start), seconds(i.end)) for i in busy)
        self.pairs = pairs
        self.starts = [p[0] for p in pairs]
        self.reach: list[int] = []
        running = None
        for _, end in pairs:
            running = end if running is None or end > running else running
            self.reach.append(running)

    def touching(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Intervals that start before ``hi`` and end after ``lo``."""
        i = bisect.bisect_left(self.starts, hi) - 1
        found = []
        while i >= 0 and self.reach[i] > lo:
            if self.pairs[i][1] > lo:
                found.append(self.pairs[i])
            i -= 1
        return found


@lru_cache(maxsize=65536)
def _fast_span(tz_name: str, day: date, starts: time, ends: time) -> tuple[int, int] | None:
    """A span's UTC bounds in seconds when its offset does not change, else None (many
    therapists share hours, so this is cached)."""
    tz = zone(tz_name)
    opens = datetime.combine(day, starts, tzinfo=tz)
    closes = datetime.combine(day, ends, tzinfo=tz)
    if opens.utcoffset() == closes.utcoffset() and _exists(opens) and _exists(closes):
        return seconds(opens.astimezone(UTC)), seconds(closes.astimezone(UTC))
    return None


def _grid_runs(span: WeeklySpan, day: date, bounds: tuple[int, int], offer: _Offer, step: int,
               busy: _Busy) -> list[Run]:
    """The engine's rule on a plain grid: starts ``opens + k*step`` whose visit fits before
    closing and whose blocked span (visit and buffers) meets no busy interval."""
    opens, closes = bounds
    if closes - offer.duration < opens:
        return []
    last_k = (closes - offer.duration - opens) // step
    free = [(0, last_k)]
    reach = opens + last_k * step + offer.duration + offer.after
    for b_start, b_end in sorted(busy.touching(opens - offer.before, reach)):
        # a start s is blocked when b_start - duration - after < s < b_end + before
        k_from = (b_start - offer.duration - offer.after - opens) // step + 1
        k_to = -((opens - b_end - offer.before) // step) - 1  # ceil((b_end+before-opens)/step)-1
        if k_from > k_to:
            continue
        kept = []
        for a, b in free:
            if k_to < a or k_from > b:
                kept.append((a, b))
                continue
            if a < k_from:
                kept.append((a, k_from - 1))
            if k_to < b:
                kept.append((k_to + 1, b))
        free = kept
    return [Run(span.location_id, day, opens + a * step, opens + b * step,
                step if b > a else 0) for a, b in free]


def _walked_runs(spans: list[WeeklySpan], day: date, offer: _Offer, rules: SlotRules,
                 busy: _BusyIndex) -> list[Run]:
    """The engine's own candidates for one local day (offset changes, overlapping spans);
    one start per time, the lowest location first, as the engine keeps."""
    found: dict[int, int] = {}
    before, after = timedelta(seconds=offer.before), timedelta(seconds=offer.after)
    for span in sorted(spans, key=lambda s: s.location_id, reverse=True):
        for start in _span_candidates(span, day, rules):
            end = start + rules.duration
            if not busy.overlaps(Interval(start - before, end + after)):
                found[seconds(start)] = span.location_id
    return _runs_of(sorted(found.items()), day)


def _overlapping(spans: list[WeeklySpan]) -> bool:
    ordered = sorted(spans, key=lambda s: s.starts)
    return any(a.ends > b.starts for a, b in zip(ordered, ordered[1:], strict=False))


def therapist_runs(schedule: TherapistSchedule, offers: list[_Offer], first_day: date,
                   last_day: date, step_min: int) -> Iterator[tuple[_Offer, Run]]:
    """Runs of one therapist for each of these services on each local day from first to
    last."""
    step = step_min * 60
    by_weekday: dict[int, list[tuple[list[WeeklySpan], bool]]] = defaultdict(list)
    grouped: dict[tuple[str, int], list[WeeklySpan]] = defaultdict(list)
    for span in schedule.weekly:
        grouped[(span.timezone, span.weekday)].append(span)
    for (_tz, weekday), spans in grouped.items():
        by_weekday[weekday].append((spans, _overlapping(spans)))
    busy = _Busy(schedule.busy)
    busy_index: _BusyIndex | None = None
    day = first_day
    while day <= last_day:
        for spans, overlapping in by_weekday.get(day.weekday(), ()):
            bounds = [_fast_span(s.timezone, day, s.starts, s.ends) for s in spans]
            if not overlapping and all(bounds):
                for offer in offers:
                    for span, b in zip(spans, bounds, strict=True):
                        for run in _grid_runs(span, day, b, offer, step, busy):
                            yield offer, run
                continue
            busy_index = busy_index or _BusyIndex(schedule.busy)
            for offer in offers:
                for run in _walked_runs(spans, day, offer, _rules(offer, step), busy_index):
                    yield offer, run
        day += timedelta(days=1)


def _rules(offer: _Offer, step: int) -> SlotRules:
    return SlotRules(duration=timedelta(seconds=offer.duration),
                     buffer_before=timedelta(seconds=offer.before),
                     buffer_after=timedelta(seconds=offer.after), step=timedelta(seconds=step))


def compute(session: Session, therapist_ids: Iterable[int], first_day: date, last_day: date,
            step_min: int) -> list[dict]:
    """The rows of these therapists for these local days (three queries, then arithmetic)."""
    ids = sorted(set(therapist_ids))
    offers = _offers(session, ids) if ids else {}
    if not offers:
        return []
    # Every zone's local days first..last lie inside this UTC span (UTC-12 to UTC+14).
    window = Interval(datetime.combine(first_day - timedelta(days=1), time(0), tzinfo=UTC),
                      datetime.combine(last_day + timedelta(days=2), time(0), tzinfo=UTC))
    schedules = load_schedules(list(offers), window=window, now=_LONG_AGO, session=session)
    rows = []
    for schedule in schedules:
        mine = offers[schedule.therapist_id]
        for offer, run in therapist_runs(schedule, mine, first_day, last_day, step_min):
            rows.append({
                "therapist_id": schedule.therapist_id, "service_id": offer.service_id,
                "clinic_id": offer.clinic_id, "modality_id": offer.modality_id,
                "location_id": run.location_id, "day": run.day, "first_s": run.first_s,
                "last_s": run.last_s, "step_s": run.step_s, "duration_s": offer.duration,
            })
    return rows


def _fill(session: Session, therapist_ids: list[int], first_day: date, last_day: date,
          step_min: int) -> None:
    for i in range(0, len(therapist_ids), CHUNK):
        rows = compute(session, therapist_ids[i : i + CHUNK], first_day, last_day, step_min)
        if rows:
            session.connection().execute(_TABLE.insert(), rows)


def refresh(session: Session, changes: dict[int, tuple[date, date] | None]) -> None:
    """Rewrite the rows of these therapists: on the days given, or all (None)."""
    window = current_window(session)
    if window is None or not changes:
        return
    lock(session, changes)
    groups: dict[tuple[date, date], list[int]] = defaultdict(list)
    for tid, days in changes.items():
        first, last = days or (window.first_day, window.last_day)
        first, last = max(first, window.first_day), min(last, window.last_day)
        if first <= last:
            groups[(first, last)].append(tid)
    for (first, last), ids in groups.items():
        session.connection().execute(_TABLE.delete().where(
            _TABLE.c.therapist_id.in_(ids), _TABLE.c.day >= first, _TABLE.c.day <= last))
        _fill(session, sorted(ids), first, last, window.step_min)


def lock(session: Session, therapist_ids: Iterable[int]) -> None:
    """One rewrite per therapist at a time (PostgreSQL; SQLite serialises writers): a
    second transaction waits, then deletes what the first wrote and sees its booking.

    Held until commit, and taken again at no cost. A transaction that will rewrite
    several therapists takes them all here, in one order, before its first write (see
    ``before_flush`` and ``booking.holds``): taken as the writes come, two transactions
    crossing two therapists would each wait for the other.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for tid in sorted(set(therapist_ids)):
        session.execute(sa.text("SELECT pg_advisory_xact_lock(7211, :id)"), {"id": tid})


def touch(session: Session, bookings: Iterable[tuple[int, datetime, datetime]]) -> None:
    """Refresh around bookings changed by a statement the ORM hook does not see:
    (therapist_id, blocked_from, blocked_until) each."""
    changes: dict[int, tuple[date, date] | None] = {}
    for tid, start, end in bookings:
        _widen(changes, tid, _around(start, end))
    refresh(session, changes)


# --- following the ORM --------------------------------------------------------------------

_WATCHED = {
    Booking: ("status", "therapist_id", "blocked_from", "blocked_until"),
    WorkingHours: ("therapist_id", "location_id", "weekday", "starts", "ends"),
    TimeOff: ("therapist_id", "starts_at", "ends_at"),
    Therapist: ("active", "clinic_id", "services"),
    Service: ("active", "clinic_id", "modality_id", "duration_min", "buffer_before_min",
              "buffer_after_min", "therapists"),
    Location: ("timezone",),
}


def _around(start: datetime | None, end: datetime | None) -> tuple[date, date] | None:
    if start is None or end is None:
        return _ALL
    return ((start - timedelta(days=AROUND_DAYS)).date(),
            (end + timedelta(days=AROUND_DAYS)).date())


def _widen(changes: dict, tid: int | None, days: tuple[date, date] | None) -> None:
    if tid is None:
        return
    if tid in changes and (changes[tid] is _ALL or days is _ALL):
        changes[tid] = _ALL
    elif tid in changes:
        old = changes[tid]
        changes[tid] = (min(old[0], days[0]), max(old[1], days[1]))
    else:
        changes[tid] = days


def _values(obj, attr: str) -> list:
    """The attribute's value now and, for a changed object, before."""
    history = inspect(obj).attrs[attr].history
    return [v for v in (*history.added, *history.unchanged, *history.deleted) if v is not None]


def _changed(obj, attrs: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[a].history.has_changes() for a in attrs)


def _touched(session: Session) -> tuple[dict, set[int], set[int]]:
    """Therapist days, services and locations this flush may have moved."""
    changes: dict[int, tuple[date, date] | None] = {}
    services: set[int] = set()
    locations: set[int] = set()
    dirty = session.dirty
    for obj in (*session.new, *session.deleted, *dirty):
        attrs = _WATCHED.get(type(obj))
        if attrs is None or (obj in dirty and not _changed(obj, attrs)):
            continue
        if isinstance(obj, Booking):
            starts, ends = _values(obj, "blocked_from"), _values(obj, "blocked_until")
            days = _around(min(starts, default=None), max(ends, default=None))
            for tid in _values(obj, "therapist_id"):
                _widen(changes, tid, days)
        elif isinstance(obj, TimeOff):
            starts, ends = _values(obj, "starts_at"), _values(obj, "ends_at")
            for tid in _values(obj, "therapist_id"):
                _widen(changes, tid, _around(min(starts, default=None), max(ends, default=None)))
        elif isinstance(obj, WorkingHours):
            for tid in _values(obj, "therapist_id"):
                _widen(changes, tid, _ALL)
        elif isinstance(obj, Therapist):
            _widen(changes, obj.id, _ALL)
        elif isinstance(obj, Service):
            services.add(obj.id)
        elif isinstance(obj, Location):
            locations.add(obj.id)
    services.discard(None)
    locations.discard(None)
    return changes, services, locations


def _before_flush(session: Session, _context, _instances) -> None:
    """Lock the therapists this flush will rewrite before it writes a row (see ``lock``)."""
    changes = _touched(session)[0]
    if changes:
        lock(session, changes)


def _after_flush(session: Session, _context) -> None:
    changes, services, locations = _touched(session)
    if changes or services or locations:
        pending = session.info.setdefault(_PENDING, [{}, set(), set()])
        for tid, days in changes.items():
            _widen(pending[0], tid, days)
        pending[1].update(services)
        pending[2].update(locations)


def _after_flush_postexec(session: Session, _context) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    changes, services, locations = pending
    if current_window(session) is None:
        return
    if services:  # givers now, and whoever had rows of these services
        ids = set(session.scalars(sa.select(service_therapists.c.therapist_id).where(
            service_therapists.c.service_id.in_(services))))
        ids |= set(session.scalars(sa.select(OpeningRun.therapist_id).where(
            OpeningRun.service_id.in_(services)).distinct()))
        for tid in ids:
            _widen(changes, tid, _ALL)
    if locations:
        for tid in session.scalars(sa.select(WorkingHours.therapist_id).where(
                WorkingHours.location_id.in_(locations)).distinct()):
            _widen(changes, tid, _ALL)
    refresh(session, changes)


def install() -> None:
    """Keep the rows in step with every ORM session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_flush_postexec", _after_flush_postexec)
        event.listen(Session, "after_transaction_end", _forget_read_window)


# --- checking -----------------------------------------------------------------------------


def stored(session: Session, therapist_ids: Iterable[int] | None = None) -> set[tuple]:
    stmt = sa.select(OpeningRun.therapist_id, OpeningRun.service_id, OpeningRun.clinic_id,
                     OpeningRun.modality_id, OpeningRun.location_id, OpeningRun.day,
                     OpeningRun.first_s, OpeningRun.last_s, OpeningRun.step_s,
                     OpeningRun.duration_s)
    if therapist_ids is not None:
        stmt = stmt.where(OpeningRun.therapist_id.in_(list(therapist_ids)))
    return {tuple(r) for r in session.execute(stmt)}


def _as_tuple(row: dict) -> tuple:
    return (row["therapist_id"], row["service_id"], row["clinic_id"], row["modality_id"],
            row["location_id"], row["day"], row["first_s"], row["last_s"], row["step_s"],
            row["duration_s"])


def check(session: Session) -> tuple[int, int]:
    """Recompute every row of the window; returns (rows missing, rows that should not be)."""
    window = current_window(session)
    if window is None:
        return 0, 0
    missing = extra = 0
    ids = sorted(set(_all_therapists(session)) | set(session.scalars(
        sa.select(OpeningRun.therapist_id).distinct())))
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        want = {_as_tuple(r) for r in compute(session, chunk, window.first_day,
                                              window.last_day, window.step_min)}
        have = stored(session, chunk)
        missing += len(want - have)
        extra += len(have - want)
    return missing, extra
