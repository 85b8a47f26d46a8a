"""What the slot picker shows: open starts grouped by the clinic's local calendar day.

Days are the clinic's days (a Denver evening slot belongs to that Denver date,
whatever the visitor's zone); each start appears once, whoever would give it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ...models import Booking, Service
from ..availability.engine import Slot
from ..common.local_time import local_midnight, zone
from ..common.rules import BookingRules
from .changes import reschedule_slots
from .holds import slots_between

STRIP_DAYS = 7
LOOK_AHEAD_DAYS = 60


@dataclass
class Day:
    day: date
    slots: list[Slot] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many open starts the day has."""
        return len(self.slots)








def group_by_day(slots: list[Slot], *, first: date, days: int, tz: str) -> list[Day]:
    """One ``Day`` per local date from ``first``, each start listed once."""
    out = {first + timedelta(days=i): Day(first + timedelta(days=i)) for i in range(days)}
    seen: set[datetime] = set()
    for slot in slots:
        local_day = slot.starts_at.astimezone(zone(tz)).date()
        if local_day in out and slot.starts_at not in seen:
            seen.add(slot.starts_at)
            out[local_day].slots.append(slot)
    return list(out.values())


def week(
    service: Service, *, first: date, tz: str, therapist_id: int | None, now, rules: BookingRules,
    days: int = STRIP_DAYS,
) -> list[Day]:
    """Open starts of ``service`` on ``days`` local days from ``first``."""
    slots = slots_between(service, start=local_midnight(first, tz),
                          end=local_midnight(first + timedelta(days=days), tz),
                          therapist_id=therapist_id, now=now, rules=rules)
    return group_by_day(slots, first=first, days=days, tz=tz)


def reschedule_week(
    booking: Booking, *, first: date, therapist_id: int | None, now, rules: BookingRules,
    days: int = STRIP_DAYS,
) -> list[Day]:
    """The same, for moving ``booking`` (its own current time counts as free)."""
    tz = booking.timezone
    slots = reschedule_slots(booking, start=local_midnight(first, tz),
                             end=local_midnight(first + timedelta(days=days), tz),
                             therapist_id=therapist_id, now=now, rules=rules)
    return group_by_day(slots, first=first, days=days, tz=tz)


def next_open_day(
    service: Service, *, after: date, tz: str, therapist_id: int | None, now, rules: BookingRules
) -> date | None:
    """The first local day after ``after`` with an open start, within the booking horizon."""
    slots = slots_between(service, start=local_midnight(after + timedelta(days=1), tz),
                          end=local_midnight(after + timedelta(days=LOOK_AHEAD_DAYS), tz),
                          therapist_id=therapist_id, now=now, rules=rules)
    return slots[0].starts_at.astimezone(zone(tz)).date() if slots else None


def opening_day(
    service: Service, *, today: date, tz: str, therapist_id: int | None, now, rules: BookingRules
) -> date | None:
    """The first local day from ``today`` on with an open start, within the booking horizon:
    the day the picker opens on when the client has not chosen one."""
    strip = week(service, first=today, tz=tz, therapist_id=therapist_id, now=now, rules=rules)
    found = next((d.day for d in strip if d.slots), None)
    if found is not None:
        return found
    return next_open_day(service, after=strip[-1].day, tz=tz, therapist_id=therapist_id,
                         now=now, rules=rules)


def strip_start(chosen: date, today: date) -> date:
    """The first day of the seven-day strip that shows ``chosen``: weeks count from today."""
    if chosen <= today:
        return today
    return today + timedelta(days=((chosen - today).days // STRIP_DAYS) * STRIP_DAYS)
