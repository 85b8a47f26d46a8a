"""What the slot picker shows: a clinic's services and therapists, and its open starts
grouped by the clinic's local calendar day (``load_picker`` builds the whole ``Picker``
from the client's choices; the booking view reads those from the request).

Days are the clinic's days (a Denver evening slot belongs to that Denver date,
whatever the visitor's zone); each start appears once, whoever would give it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ...models import Booking, Clinic, Service, Therapist
from ..availability.engine import Slot
from ..common.local_time import local_midnight, local_today, zone
from ..common.rules import BookingRules
from .changes import reschedule_slots
from .holds import bookable_services, slots_between

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


@dataclass
class Picker:
    """Everything the picker shows, for the client's choices of service, therapist and day."""

    clinic: Clinic
    tz: str
    services: list[Service]
    service: Service | None = None
    therapists: list[Therapist] = field(default_factory=list)
    therapist: str = "any"  # a therapist's id, or "any"
    day: date | None = None
    today: date | None = None
    days: list[Day] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    selected: datetime | None = None
    next_open: date | None = None
    opened_later: bool = False  # today has no open times: the picker opened on a later day
    earlier: date | None = None
    later: date | None = None
    alternatives: list[Slot] = field(default_factory=list)


def load_picker(
    clinic: Clinic, *, service_id: int | None, therapist: str, day: date | None,
    selected: datetime | None, now: datetime, rules: BookingRules,
) -> Picker:
    """The picker for these choices: the service among the clinic's bookable ones (None if
    it is not one), the therapist if they give it (else "any"), and the week showing
    ``day``, or the selected time's day, or the first day with open times."""
    tz = clinic.timezone
    picker = Picker(clinic, tz, bookable_services(clinic), today=local_today(tz, now))
    picker.service = next((s for s in picker.services if s.id == service_id), None)
    if picker.service is None:
        return picker
    picker.therapists = [t for t in picker.service.therapists if t.active]
    if therapist != "any" and int(therapist) not in {t.id for t in picker.therapists}:
        therapist = "any"  # chosen for another service: show everyone who gives this one
    picker.therapist = therapist
    picker.selected = selected
    chosen = day or (selected.astimezone(zone(tz)).date() if selected else None)
    if chosen is None:  # no day asked for: open on the first day with open times
        opening = opening_day(picker.service, today=picker.today, tz=tz,
                              therapist_id=_therapist_id(therapist), now=now, rules=rules)
        chosen = opening or picker.today
        picker.opened_later = chosen != picker.today
    _load_days(picker, max(chosen, picker.today), now=now, rules=rules)
    return picker


def _therapist_id(therapist: str) -> int | None:
    return None if therapist == "any" else int(therapist)


def _load_days(picker: Picker, chosen: date, *, now, rules: BookingRules) -> None:
    first = strip_start(chosen, picker.today)
    therapist_id = _therapist_id(picker.therapist)
    picker.days = week(picker.service, first=first, tz=picker.tz, therapist_id=therapist_id,
                       now=now, rules=rules)
    picker.day = chosen
    picker.slots = next((d.slots for d in picker.days if d.day == chosen), [])
    if not picker.slots:
        picker.next_open = next_open_day(picker.service, after=chosen, tz=picker.tz,
                                         therapist_id=therapist_id, now=now, rules=rules)
    horizon = picker.today + rules.horizon
    picker.earlier = first - timedelta(days=7) if first > picker.today else None
    later = first + timedelta(days=7)
    picker.later = later if later <= horizon else None


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
