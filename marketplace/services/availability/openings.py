"""Next open slots for search, profiles and comparison, from the availability engine.

Nothing here computes a slot itself: ``availability.therapist_slots`` does,
on schedules loaded by ``schedules.load_schedules`` (three queries for any
number of therapists). What this module adds is how little it asks of the
engine:

- only the clinics that survived the SQL filters are asked about;
- ``availability.first_slot`` stops at a therapist's first free start, so a
  two-week look-ahead costs about what the first open day does;
- of a therapist's services, only those no other service of theirs dominates
  are tried: a service no longer and with no longer buffers than another fits
  wherever the other fits, so it opens no later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from ...models import Service, Therapist, among, db, service_therapists
from ..common.local_time import local_day_bounds
from ..common.rules import BookingRules
from .engine import (
    Interval,
    Slot,
    SlotRules,
    TherapistSchedule,
    any_therapist,
    first_slot,
    open_slots,
)
from .schedules import load_schedules, rules_for

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


def first_by_clinic(
    clinic_ids: Iterable[int], *, now: datetime, rules: BookingRules,
    modality_ids: Iterable[int] | None = None,
    days: int = LOOKAHEAD_DAYS,
) -> dict[int, Slot]:
    """Each clinic's first open slot within ``days``, for services of these techniques."""
    rows = _clinic_offers(clinic_ids, modality_ids)
    return _soonest(rows, "clinic_id", now=now, rules=rules, days=days) if rows else {}


def open_on(
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


def service_openings(
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
