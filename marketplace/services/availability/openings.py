"""Next open slots for search, profiles and comparison.

``first_by_clinic``, ``open_on``, ``service_openings`` and ``slots`` read the open time
kept as rows (``kept.py``): a fixed number of indexed queries, whatever the number of
clinics or bookings. The minimum notice and the horizon are applied here, for the
caller's ``now``; a hold that has lapsed but is not yet marked expired still hides its
time from the rows until ``expire-holds`` marks it (within a minute where that command
runs each minute), so the readers that list times a client picks from (a profile's
slots, the API) answer from the engine for the therapists such a hold touches.

The ``computed_*`` functions answer the same questions from the engine itself: the
source of truth the rows are tested against. They ask little of it:

- only the clinics that survived the SQL filters are asked about;
- ``availability.first_slot`` stops at a therapist's first free start, so a
  two-week look-ahead costs about what the first open day does;
- of a therapist's services, only those no other service of theirs dominates
  are tried: a service no longer and with no longer buffers than another fits
  wherever the other fits, so it opens no later.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from ...models import (
    Booking,
    BookingStatus,
    Location,
    OpeningRun,
    Service,
    Therapist,
    among,
    db,
    service_therapists,
)
from ..common.local_time import local_day_bounds
from ..common.rules import BookingRules
from . import kept
from .engine import (
    Interval,
    Slot,
    SlotRules,
    TherapistSchedule,
    any_therapist,
    first_slot,
    open_slots,
)
from .schedules import load_schedules, rules_for, service_slots
from .slot_times import SlotTime, slot_times

LOOKAHEAD_DAYS = 14


@dataclass(frozen=True)
class Opening:
    """One start time and every therapist free then ("any therapist")."""

    starts_at: datetime
    slots: tuple[Slot, ...]

    @property
    def timezone(self) -> str:
        return self.slots[0].timezone


def _offers(*conditions) -> list[sa.Row]:
    """(service, clinic, therapist, duration and buffers) for active services and givers."""
    stmt = (
        sa.select(
            Service.id.label("service_id"),
            Service.clinic_id,
            service_therapists.c.therapist_id,
            Service.duration_min,
            Service.buffer_before_min,
            Service.buffer_after_min,
        )
        .join(service_therapists, service_therapists.c.service_id == Service.id)
        .join(Therapist, Therapist.id == service_therapists.c.therapist_id)
        .where(
            Service.active.is_(True),
            Therapist.active.is_(True),
            Therapist.clinic_id == Service.clinic_id,
            *conditions,
        )
    )
    return list(db.session.execute(stmt))


def _clinic_offers(clinic_ids: Iterable[int], modality_ids: Iterable[int] | None) -> list[sa.Row]:
    """``_offers`` of these clinics, for services of these techniques (any when None)."""
    ids = list(clinic_ids)
    if not ids:
        return []
    conditions = [among(Service.clinic_id, ids)]
    if modality_ids is not None:
        conditions.append(Service.modality_id.in_(list(modality_ids)))
    return _offers(*conditions)


def _dominates(a: SlotRules, b: SlotRules) -> bool:
    return (
        a.duration <= b.duration
        and a.buffer_before <= b.buffer_before
        and a.buffer_after <= b.buffer_after
    )


def _undominated(rules: Iterable[SlotRules]) -> list[SlotRules]:
    """The rules worth trying: drop any that another no-longer rule dominates."""
    kept: list[SlotRules] = []
    ordered = sorted(
        set(rules), key=lambda r: (r.duration + r.buffer_before + r.buffer_after, r.duration)
    )
    for rule in ordered:
        if not any(_dominates(k, rule) for k in kept):
            kept.append(rule)
    return kept


Entry = tuple[TherapistSchedule, list[SlotRules]]


def _schedules(rows: list[sa.Row], *, now: datetime, window: Interval):
    """The schedules of every therapist in ``rows``, by id (three queries)."""
    ids = {row.therapist_id for row in rows}
    return {s.therapist_id: s for s in load_schedules(ids, window=window, now=now)}


def _entries(rows: list[sa.Row], key: str, *, now: datetime, rules: BookingRules, window: Interval,
             schedules: dict[int, TherapistSchedule] | None = None):
    """Schedules and rules per ``key`` (clinic_id or service_id)."""
    per_group: dict[tuple, set[SlotRules]] = defaultdict(set)
    for row in rows:
        per_group[(getattr(row, key), row.therapist_id)].add(rules_for(row, rules))
    if schedules is None:
        schedules = _schedules(rows, now=now, window=window)
    grouped: dict[int, list[Entry]] = defaultdict(list)
    for (group, tid), group_rules in per_group.items():
        grouped[group].append((schedules[tid], _undominated(group_rules)))
    return grouped


def _earliest(entries: list[Entry], edges: list[datetime], *, now: datetime) -> Slot | None:
    """The first open slot of any entry between the first and last of ``edges``."""
    if len(edges) < 2:
        return None
    window = Interval(edges[0], edges[-1])
    found = [slot for schedule, rules_list in entries for rules in rules_list
             if (slot := first_slot(schedule, rules, window=window, now=now))]
    return min(found) if found else None


def local_day(day: date, tz: str) -> Interval:
    """A calendar date in ``tz`` as a UTC interval (23 or 25 hours across DST changes)."""
    return Interval(*local_day_bounds(day, tz))


def _first_by(
    rows: list[sa.Row], key: str, *, now: datetime, rules: BookingRules, window: Interval,
    edges: Callable[[Entry], list[datetime]],
) -> dict[int, Slot]:
    """The first slot per group, each entry looking along its own ``edges``."""
    grouped = _entries(rows, key, now=now, rules=rules, window=window)
    found = {}
    for group, entries in grouped.items():
        slots = [_earliest([entry], edges(entry), now=now) for entry in entries]
        slots = [s for s in slots if s is not None]
        if slots:
            found[group] = min(slots)
    return found


def _soonest(rows: list[sa.Row], key: str, *, now: datetime, rules: BookingRules, days: int):
    """The first slot per group within ``days``."""
    window = Interval(now, now + timedelta(days=days))
    return _first_by(rows, key, now=now, rules=rules, window=window,
                     edges=lambda _entry: [window.start, window.end])


def computed_first_by_clinic(
    clinic_ids: Iterable[int], *, now: datetime, rules: BookingRules,
    modality_ids: Iterable[int] | None = None,
    days: int = LOOKAHEAD_DAYS,
) -> dict[int, Slot]:
    """Each clinic's first open slot within ``days``, for services of these techniques."""
    rows = _clinic_offers(clinic_ids, modality_ids)
    return _soonest(rows, "clinic_id", now=now, rules=rules, days=days) if rows else {}


def computed_open_on(
    clinic_ids: Iterable[int], day: date, *, now: datetime, rules: BookingRules,
    modality_ids: Iterable[int] | None = None,
) -> dict[int, Slot]:
    """Clinics with an open slot on ``day`` in their own time zone, with the first one."""
    rows = _clinic_offers(clinic_ids, modality_ids)
    if not rows:
        return {}

    def edges(entry: Entry) -> list[datetime]:
        weekly = entry[0].weekly
        if not weekly:
            return []
        span = local_day(day, weekly[0].timezone)
        return [span.start, span.end]

    # Every US zone's version of ``day`` lies inside this UTC window.
    window = Interval(
        datetime.combine(day - timedelta(days=1), time(0), tzinfo=UTC),
        datetime.combine(day + timedelta(days=2), time(0), tzinfo=UTC),
    )
    return _first_by(rows, "clinic_id", now=now, rules=rules, window=window, edges=edges)


@dataclass
class ServiceOpenings:
    """Each service's first opening, and the open days of the one chosen, from one load."""

    first: dict[int, Slot]
    chosen: Service | None = None
    upcoming: list[Opening] = field(default_factory=list)


def computed_service_openings(
    services: list[Service], *, now: datetime, rules: BookingRules,
    choose: Callable[[dict[int, Slot]], Service | None], therapist_id: int | None = None,
    days: int = LOOKAHEAD_DAYS, want_days: int = 4,
) -> ServiceOpenings:
    """First openings of ``services`` within ``days`` (with one therapist, or anyone); then
    ``choose(first)`` picks a service whose start times on its next ``want_days`` open
    days are listed, with who is free. Four queries in all."""
    if not services:
        return ServiceOpenings({})
    conditions = [Service.id.in_([s.id for s in services])]
    if therapist_id is not None:
        conditions.append(service_therapists.c.therapist_id == therapist_id)
    rows = _offers(*conditions)
    window = Interval(now, now + timedelta(days=days))
    schedules = _schedules(rows, now=now, window=window)
    grouped = _entries(rows, "service_id", now=now, rules=rules, window=window,
                       schedules=schedules)
    first = {sid: slot for sid, entries in grouped.items()
             if (slot := _earliest(entries, [window.start, window.end], now=now))}
    result = ServiceOpenings(first, choose(first))
    if result.chosen is not None:
        givers = {r.therapist_id for r in rows if r.service_id == result.chosen.id}
        result.upcoming = _open_days([schedules[t] for t in sorted(givers)],
                                     rules_for(result.chosen, rules), now=now,
                                     end=window.end, want_days=want_days)
    return result


def _open_days(schedules: list[TherapistSchedule], rules: SlotRules, *, now: datetime,
               end: datetime, want_days: int) -> list[Opening]:
    """Start times on the next ``want_days`` days with openings, computed a day at a time."""
    found: list[Slot] = []
    open_days = 0
    start = now
    while start < end and open_days < want_days:
        step = Interval(start, min(end, start + timedelta(days=1)))
        slots = open_slots(schedules, rules, window=step, now=now)
        open_days += 1 if slots else 0
        found.extend(slots)
        start = step.end
    grouped = any_therapist(found)
    return [Opening(at, tuple(grouped[at])) for at in sorted(grouped)]


# --- reading the rows ----------------------------------------------------------------------

R = OpeningRun


def first_from(cutoff):
    """SQL: a run's first start at or after ``cutoff`` (epoch seconds, or a bound
    parameter), for runs that reach it (``last_s >= cutoff``): integer arithmetic, the
    same on both databases."""
    if isinstance(cutoff, int):
        cutoff = sa.literal(cutoff, sa.BigInteger)
    ahead = (cutoff - R.first_s + R.step_s - 1) // sa.func.nullif(R.step_s, 0)
    return sa.case((R.first_s >= cutoff, R.first_s), else_=R.first_s + ahead * R.step_s)


# A run holds the starts of one local day, and no local day lasts more than 25 hours, so
# a run that starts before ``end`` has its last start before ``end + RUN_SPAN_S``. Saying
# so bounds the reads of ``ix_opening_runs_clinic_last`` by the window asked about (two
# weeks), not by every kept day after it (two months).
RUN_SPAN_S = 26 * 3600


def reaching(cutoff, end) -> list[sa.ColumnElement[bool]]:
    """Conditions for the runs with a start in [cutoff, end), both bounds on ``last_s``
    (so an index on a clinic's or a service's ``last_s`` stops at the window's end)."""
    return [R.last_s >= cutoff, R.last_s < end + RUN_SPAN_S, R.first_s < end]


def day_bounds(day: date, cutoff: int, end: int) -> tuple[int, int]:
    """[cutoff, end) narrowed to the moments a start on local date ``day`` can have in any
    zone (UTC-12 to UTC+14): the same starts, a window of a day and a half instead of
    the horizon, so the index reads of a date stop at the date."""
    midnight = kept.seconds(datetime.combine(day, time(), tzinfo=UTC))
    return max(cutoff, midnight - 14 * 3600), min(end, midnight + 36 * 3600)


def bounds(now: datetime, rules: BookingRules, days: int | None = None) -> tuple[int, int]:
    """Bookable starts in epoch seconds: [now + notice, min(now + horizon, now + days))."""
    end = now + rules.horizon
    if days is not None:
        end = min(end, now + timedelta(days=days))
    return kept.seconds(now + rules.min_notice), kept.seconds(end)


# The first start of most clinics and services is within a day or two: the first look
# reads that much, and only the keys with nothing in it are looked for further on.
FIRST_LOOK_S = 2 * 86400
_KEYS = {"clinic": R.clinic_id, "service": R.service_id}


@functools.lru_cache(maxsize=32)
def _first_statement(key_name: str, *, modalities: bool, day: bool, therapist: bool,
                     excluding: bool) -> sa.Select:
    """Built once per shape, values bound at each call: each key's first start in
    [:cutoff, :end) among the keys in :ids, then the runs that start then (a handful)."""
    key = _KEYS[key_name]
    cutoff, end = sa.bindparam("cutoff", type_=sa.BigInteger), sa.bindparam(
        "end", type_=sa.BigInteger)
    conditions = [*reaching(cutoff, end), key.in_(sa.bindparam("ids", expanding=True))]
    if modalities:
        conditions.append(R.modality_id.in_(sa.bindparam("modality_ids", expanding=True)))
    if day:
        conditions.append(R.day == sa.bindparam("day"))
    if therapist:
        conditions.append(R.therapist_id == sa.bindparam("therapist_id"))
    if excluding:
        conditions.append(key.not_in(sa.bindparam("found", expanding=True)))
    start = first_from(cutoff)
    firsts = (sa.select(key.label("key"), sa.func.min(start).label("start_s"))
              .where(*conditions).group_by(key).subquery("firsts"))
    return (
        sa.select(firsts.c.key, firsts.c.start_s, R.therapist_id, R.duration_s,
                  R.location_id, Location.timezone)
        .join(R, sa.and_(key == firsts.c.key, start == firsts.c.start_s))
        .join(Location, Location.id == R.location_id)
        .where(firsts.c.start_s < end, *conditions)
    )


def _first_per(key_name: str, ids: list[int], *, cutoff: int, end: int,
               modality_ids: Iterable[int] | None = None, day: date | None = None,
               therapist_id: int | None = None) -> dict[int, Slot]:
    """The first bookable start per clinic or service (``key_name``) among ``ids``, in
    [cutoff, end); ties go to the lowest therapist id, as the engine's ``min(Slot)``.
    Two grouped reads at most: the first ``FIRST_LOOK_S``, then the rest of the window
    for the keys that had nothing in it."""
    params = {"ids": ids, "cutoff": cutoff}
    shape = {"modalities": modality_ids is not None, "day": day is not None,
             "therapist": therapist_id is not None}
    if modality_ids is not None:
        params["modality_ids"] = sorted(modality_ids)
    if day is not None:
        params["day"] = day
    if therapist_id is not None:
        params["therapist_id"] = therapist_id
    best: dict[int, tuple] = {}
    near = end if day is not None else min(end, cutoff + FIRST_LOOK_S)
    conn = db.session.connection()
    for row in conn.execute(_first_statement(key_name, **shape, excluding=False),
                            {**params, "end": near}):
        _keep_least(best, row)
    if near < end and len(best) < len(ids):
        more = {**params, "end": end, "found": list(best) or [0]}
        for row in conn.execute(_first_statement(key_name, **shape, excluding=True), more):
            _keep_least(best, row)
    return {k: _slot(row.start_s, row) for k, (_, row) in best.items()}


def _keep_least(best: dict[int, tuple], row) -> None:
    order = (row.therapist_id, row.duration_s, row.location_id)
    held = best.get(row.key)
    if held is None or order < held[0]:
        best[row.key] = (order, row)


def _slot(start_s: int, row) -> Slot:
    starts = kept.moment(start_s)
    return Slot(starts, row.therapist_id, starts + timedelta(seconds=row.duration_s),
                row.location_id, row.timezone)


def _ensure(now: datetime, rules: BookingRules) -> None:
    kept.ensure_covered(db.session, now=now, rules=rules)


def first_by_clinic(
    clinic_ids: Iterable[int], *, now: datetime, rules: BookingRules,
    modality_ids: Iterable[int] | None = None, days: int = LOOKAHEAD_DAYS,
) -> dict[int, Slot]:
    """Each clinic's first open slot within ``days``, for services of these techniques."""
    ids = list(clinic_ids)
    if not ids:
        return {}
    _ensure(now, rules)
    cutoff, end = bounds(now, rules, days)
    return _first_per("clinic", ids, cutoff=cutoff, end=end, modality_ids=modality_ids)


def open_on(
    clinic_ids: Iterable[int], day: date, *, now: datetime, rules: BookingRules,
    modality_ids: Iterable[int] | None = None,
) -> dict[int, Slot]:
    """Clinics with an open slot on ``day`` in their own time zone, with the first one."""
    ids = list(clinic_ids)
    if not ids:
        return {}
    _ensure(now, rules)
    cutoff, end = day_bounds(day, *bounds(now, rules))
    return _first_per("clinic", ids, cutoff=cutoff, end=end, modality_ids=modality_ids,
                      day=day)


def _lapsed(therapist_ids, *, now: datetime, lo: datetime, hi: datetime) -> bool:
    """True when a hold of these therapists (a list, or a subquery of their ids) has
    lapsed but is not yet marked expired."""
    if isinstance(therapist_ids, sa.Select):
        among_them = Booking.therapist_id.in_(therapist_ids)
    else:
        ids = list(therapist_ids)
        if not ids:
            return False
        among_them = Booking.therapist_id.in_(ids)
    return db.session.scalar(sa.select(sa.exists().where(
        Booking.status == BookingStatus.HELD, Booking.hold_expires_at <= now, among_them,
        Booking.blocked_from < hi + timedelta(days=1),
        Booking.blocked_until > lo - timedelta(days=1))))


def _runs(conditions: list, *, cutoff: int, end: int) -> list[sa.Row]:
    return db.session.execute(
        sa.select(R.therapist_id, R.location_id, R.first_s, R.last_s, R.step_s, R.duration_s,
                  Location.timezone)
        .join(Location, Location.id == R.location_id)
        .where(*reaching(cutoff, end), *conditions)
    ).all()


def _decoded(runs: list[sa.Row], *, lo: int, hi: int) -> list[Slot]:
    """Every start of these runs in [lo, hi), as slots ordered like the engine's (sorted
    as plain tuples first: the same order as ``Slot``'s, at a fraction of the cost)."""
    starts = []
    for run in runs:
        step = run.step_s or 1
        first = run.first_s
        if first < lo:
            first += -(-(lo - first) // step) * step  # the first on its grid at or after lo
        starts.extend((start, run.therapist_id, run.duration_s, run.location_id, run.timezone)
                      for start in range(first, min(run.last_s, hi - 1) + 1, step))
    starts.sort()
    moment, second = kept.moment, timedelta(seconds=1)
    return [Slot(moment(start), therapist, moment(start) + duration * second, location, tz)
            for start, therapist, duration, location, tz in starts]


def slots(service: Service, *, window: Interval, now: datetime, rules: BookingRules,
          therapist_id: int | None = None) -> list[Slot]:
    """``schedules.service_slots`` read from the rows: the service's open slots in
    ``window``, one therapist's or everyone's, ordered by start then therapist."""
    _ensure(now, rules)
    givers = [therapist_id] if therapist_id is not None else sa.select(
        service_therapists.c.therapist_id).where(service_therapists.c.service_id == service.id)
    if _lapsed(givers, now=now, lo=window.start, hi=window.end):
        return service_slots(service, window=window, now=now, rules=rules,
                             therapist_id=therapist_id)
    cutoff, end = bounds(now, rules)
    lo, hi = max(cutoff, kept.seconds(window.start)), min(end, kept.seconds(window.end))
    if lo >= hi:
        return []
    conditions = [R.service_id == service.id,
                  R.day >= (window.start - timedelta(days=1)).date(),
                  R.day <= (window.end + timedelta(days=1)).date()]
    if therapist_id is not None:
        conditions.append(R.therapist_id == therapist_id)
    return _decoded(_runs(conditions, cutoff=lo, end=hi), lo=lo, hi=hi)


def _written_statement(one_therapist: bool) -> sa.Select:
    stmt = (
        sa.select(R.therapist_id, R.location_id, R.first_s, R.last_s, R.step_s, R.duration_s,
                  Location.timezone, Therapist.slug, Therapist.name)
        .join(Location, Location.id == R.location_id)
        .join(Therapist, Therapist.id == R.therapist_id)
        .where(R.service_id == sa.bindparam("service_id"),
               R.day >= sa.bindparam("first_day"), R.day <= sa.bindparam("last_day"),
               R.last_s >= sa.bindparam("lo"), R.first_s < sa.bindparam("hi"))
    )
    if one_therapist:
        stmt = stmt.where(R.therapist_id == sa.bindparam("therapist_id"))
    return stmt


#: built once: a request only binds its values (no statement built or keyed again)
_WRITTEN = {False: _written_statement(False), True: _written_statement(True)}


def written_slots(service_id: int, *, window: Interval, now: datetime, rules: BookingRules,
                  therapist_id: int | None = None,
                  ) -> tuple[list[SlotTime], dict[int, tuple[str, str]]]:
    """``slots`` as the API writes them, read from the rows in one statement: each slot's
    local times (``slot_times``), and each therapist's slug and name. For a caller that
    has found no lapsed hold among the service's givers (else ``slots``)."""
    _ensure(now, rules)
    cutoff, end = bounds(now, rules)
    lo, hi = max(cutoff, kept.seconds(window.start)), min(end, kept.seconds(window.end))
    if lo >= hi:
        return [], {}
    db.session.flush()  # as ``session.execute`` would; then plain rows, no ORM result
    runs = db.session.connection().execute(_WRITTEN[therapist_id is not None], {
        "service_id": service_id, "therapist_id": therapist_id, "lo": lo, "hi": hi,
        "first_day": (window.start - timedelta(days=1)).date(),
        "last_day": (window.end + timedelta(days=1)).date()}).all()
    return slot_times(runs, lo=lo, hi=hi), {run[0]: (run[7], run[8]) for run in runs}


def service_openings(
    services: list[Service], *, now: datetime, rules: BookingRules,
    choose: Callable[[dict[int, Slot]], Service | None], therapist_id: int | None = None,
    days: int = LOOKAHEAD_DAYS, want_days: int = 4,
) -> ServiceOpenings:
    """First openings of ``services`` within ``days`` (with one therapist, or anyone); then
    ``choose(first)`` picks a service whose start times on its next ``want_days`` open
    days (24-hour steps from now) are listed, with who is free. Read from the rows."""
    if not services:
        return ServiceOpenings({})
    _ensure(now, rules)
    ids = [s.id for s in services]
    window = Interval(now, now + timedelta(days=days))
    givers = db.session.scalars(sa.select(service_therapists.c.therapist_id).where(
        service_therapists.c.service_id.in_(ids)))
    if therapist_id is not None:
        givers = [therapist_id]
    if _lapsed(givers, now=now, lo=window.start, hi=window.end):
        return computed_service_openings(services, now=now, rules=rules, choose=choose,
                                         therapist_id=therapist_id, days=days,
                                         want_days=want_days)
    cutoff, end = bounds(now, rules, days)
    conditions = [R.service_id.in_(ids)]
    if therapist_id is not None:
        conditions.append(R.therapist_id == therapist_id)
    result = ServiceOpenings(_first_per("service", ids, cutoff=cutoff, end=end,
                                        therapist_id=therapist_id))
    result.chosen = choose(result.first)
    if result.chosen is not None:
        chosen = [R.service_id == result.chosen.id, *conditions[1:]]
        found = _decoded(_runs(chosen, cutoff=cutoff, end=end), lo=cutoff, hi=end)
        result.upcoming = _first_days(found, now=now, want_days=want_days)
    return result


def _first_days(found: list[Slot], *, now: datetime, want_days: int) -> list[Opening]:
    """The openings in the first ``want_days`` 24-hour steps from ``now`` that have any."""
    day = timedelta(days=1)
    steps = sorted({(slot.starts_at - now) // day for slot in found})[:want_days]
    kept_steps = set(steps)
    grouped = any_therapist(s for s in found if (s.starts_at - now) // day in kept_steps)
    return [Opening(at, tuple(grouped[at])) for at in sorted(grouped)]
