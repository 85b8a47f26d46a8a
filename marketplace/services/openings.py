"""Next open slots for search, profiles and comparison, from the availability engine.

Nothing here computes a slot itself: ``availability.therapist_slots`` does,
on schedules loaded by ``schedules.load_schedules`` (three queries for any
number of therapists). What this module adds is how little it asks of the
engine:

- only the clinics that survived the SQL filters are asked about;
- the look-ahead grows in steps (the next day, the next four, then two weeks)
  and stops at the first step with an opening, so the common case computes
  one day of slots per therapist;
- of a therapist's services, only those no other service of theirs dominates
  are tried: a service no longer and with no longer buffers than another fits
  wherever the other fits, so it opens no later.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from ..models import Service, Therapist, db, service_therapists
from .availability import (
    Interval,
    Slot,
    SlotRules,
    TherapistSchedule,
    any_therapist,
    therapist_slots,
    zone,
)
from .schedules import load_schedules, rules_for, service_slots

LOOKAHEAD_DAYS = 14
_STEPS_DAYS = (1, 4)  # then LOOKAHEAD_DAYS


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


def _entries(rows: list[sa.Row], key: str, *, now: datetime, config, window: Interval):
    """Schedules and rules per ``key`` (clinic_id or service_id), in three more queries."""
    rules: dict[tuple, set[SlotRules]] = defaultdict(set)
    for row in rows:
        rules[(getattr(row, key), row.therapist_id)].add(rules_for(row, config))
    therapist_ids = {tid for _, tid in rules}
    schedules = {
        s.therapist_id: s
        for s in load_schedules(therapist_ids, window=window, now=now)
    }
    grouped: dict[int, list[Entry]] = defaultdict(list)
    for (group, tid), group_rules in rules.items():
        grouped[group].append((schedules[tid], _undominated(group_rules)))
    return grouped


def _earliest(entries: list[Entry], edges: list[datetime], *, now: datetime) -> Slot | None:
    """The first open slot of any entry, looking one step of ``edges`` further at a time."""
    for lo, hi in zip(edges, edges[1:], strict=False):
        window = Interval(lo, hi)
        best: Slot | None = None
        for schedule, rules_list in entries:
            for rules in rules_list:
                slots = therapist_slots(schedule, rules, window=window, now=now)
                if slots and (best is None or slots[0] < best):
                    best = slots[0]
        if best is not None:
            return best
    return None


def _steps(now: datetime, days: int) -> list[datetime]:
    return [now] + [now + timedelta(days=d) for d in (*_STEPS_DAYS, days) if d <= days]


def local_day(day: date, tz: str) -> Interval:
    """A calendar date in ``tz`` as a UTC interval (23 or 25 hours across DST changes)."""
    start = datetime.combine(day, time(0), tzinfo=zone(tz)).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone(tz)).astimezone(UTC)
    return Interval(start, end)


def _first_by(
    rows: list[sa.Row], key: str, *, now: datetime, config, window: Interval,
    edges: Callable[[Entry], list[datetime]],
) -> dict[int, Slot]:
    """The first slot per group, each entry looking along its own ``edges``."""
    grouped = _entries(rows, key, now=now, config=config, window=window)
    found = {}
    for group, entries in grouped.items():
        slots = [_earliest([entry], edges(entry), now=now) for entry in entries]
        slots = [s for s in slots if s is not None]
        if slots:
            found[group] = min(slots)
    return found


def _soonest(rows: list[sa.Row], key: str, *, now: datetime, config, days: int):
    """The first slot per group within ``days``, all of a group's entries stepping together."""
    window = Interval(now, now + timedelta(days=days))
    grouped = _entries(rows, key, now=now, config=config, window=window)
    found = {}
    for group, entries in grouped.items():
        slot = _earliest(entries, _steps(now, days), now=now)
        if slot is not None:
            found[group] = slot
    return found


def first_by_clinic(
    clinic_ids: Iterable[int], *, now: datetime, config, modality_ids: Iterable[int] | None = None,
    days: int = LOOKAHEAD_DAYS,
) -> dict[int, Slot]:
    """Each clinic's first open slot within ``days``, for services of these techniques."""
    ids = list(clinic_ids)
    if not ids:
        return {}
    conditions = [Service.clinic_id.in_(ids)]
    if modality_ids is not None:
        conditions.append(Service.modality_id.in_(list(modality_ids)))
    return _soonest(_offers(*conditions), "clinic_id", now=now, config=config, days=days)


def open_on(
    clinic_ids: Iterable[int], day: date, *, now: datetime, config,
    modality_ids: Iterable[int] | None = None,
) -> dict[int, Slot]:
    """Clinics with an open slot on ``day`` in their own time zone, with the first one."""
    ids = list(clinic_ids)
    if not ids:
        return {}
    conditions = [Service.clinic_id.in_(ids)]
    if modality_ids is not None:
        conditions.append(Service.modality_id.in_(list(modality_ids)))

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
    return _first_by(
        _offers(*conditions), "clinic_id", now=now, config=config, window=window, edges=edges
    )


def first_by_service(
    services: Iterable[Service], *, now: datetime, config, therapist_id: int | None = None,
    days: int = LOOKAHEAD_DAYS,
) -> dict[int, Slot]:
    """Each service's first open slot within ``days`` (with one therapist, or anyone)."""
    ids = [s.id for s in services]
    if not ids:
        return {}
    conditions = [Service.id.in_(ids)]
    if therapist_id is not None:
        conditions.append(service_therapists.c.therapist_id == therapist_id)
    return _soonest(_offers(*conditions), "service_id", now=now, config=config, days=days)


def upcoming(
    service: Service, *, now: datetime, config, therapist_id: int | None = None,
    days: int = 7, limit: int | None = None,
) -> list[Opening]:
    """The start times of ``service`` within ``days`` (the first ``limit``), with who is free."""
    slots = service_slots(
        service, window=Interval(now, now + timedelta(days=days)), now=now, config=config,
        therapist_id=therapist_id,
    )
    grouped = any_therapist(slots)
    return [Opening(start, tuple(grouped[start])) for start in sorted(grouped)[:limit]]
