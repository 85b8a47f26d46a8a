"""A clinic's open slots on one local calendar day, or on a run of up to
``MAX_RANGE_DAYS`` days, for one service (and optionally one therapist): what the API's
availability endpoint answers, read from the open time kept as rows (``kept.py``): one
indexed query for a day or a range."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ...models import Clinic, Service, Therapist, db
from ..common.errors import FieldError
from ..common.local_time import zone
from ..common.rules import BookingRules
from . import openings
from .engine import Interval, Slot
from .openings import local_day
from .schedules import bookable_therapist_ids

MAX_RANGE_DAYS = 14


@dataclass
class DaySlots:
    clinic: Clinic
    service: Service
    day: date
    timezone: str
    slots: list[Slot]
    therapists: dict[int, Therapist]
    last_day: date | None = None  # the range's last day; None for one day

    @property
    def until(self) -> date:
        return self.last_day or self.day


def _service(clinic: Clinic, service_id: int) -> Service:
    service = db.session.scalar(
        select(Service).where(Service.id == service_id, Service.clinic_id == clinic.id,
                              Service.active.is_(True))
    )
    if service is None:
        raise FieldError("service", f"{clinic.name} has no bookable service with the id "
                           f"{service_id}; the clinic's details list its services.")
    return service


def _therapist(clinic: Clinic, service: Service, slug: str) -> Therapist:
    therapist = db.session.scalar(
        select(Therapist).where(Therapist.slug == slug, Therapist.clinic_id == clinic.id,
                                Therapist.active.is_(True))
    )
    if therapist is None or therapist.id not in bookable_therapist_ids(service, therapist.id):
        raise FieldError("therapist", f"No therapist “{slug[:60]}” gives {service.name} "
                           f"at {clinic.name}.")
    return therapist


def _day(day: date | None, tz: str, *, now: datetime, horizon_days: int,
         field: str = "date") -> date:
    today = now.astimezone(zone(tz)).date()
    if day is None:
        return today
    if day < today:
        raise FieldError(field, f"{day.isoformat()} has passed in the clinic's time zone; "
                           "choose today or a later date.")
    if day > today + timedelta(days=horizon_days):
        raise FieldError(field, f"Clinics take bookings up to {horizon_days} days ahead.")
    return day


def _range(first: date | None, last: date, tz: str, *, now: datetime,
           horizon_days: int) -> tuple[date, date]:
    first = _day(first, tz, now=now, horizon_days=horizon_days, field="from")
    last = _day(last, tz, now=now, horizon_days=horizon_days, field="to")
    if last < first:
        raise FieldError("to", f"to ({last.isoformat()}) is before from "
                         f"({first.isoformat()}).")
    if (last - first).days >= MAX_RANGE_DAYS:
        raise FieldError("to", f"Ask for at most {MAX_RANGE_DAYS} days at a time "
                         f"(from {first.isoformat()} to "
                         f"{(first + timedelta(days=MAX_RANGE_DAYS - 1)).isoformat()}).")
    return first, last


def day_slots(clinic: Clinic, *, service_id: int, day: date | None, therapist: str | None,
              now: datetime, rules: BookingRules, until: date | None = None) -> DaySlots:
    """Open slots of a service on ``day`` (the clinic's local date; today if None), or
    from ``day`` through ``until`` (at most ``MAX_RANGE_DAYS`` days) when ``until`` is
    given.

    Raises FieldError naming ``service``, ``therapist``, ``date``, ``from`` or ``to``.
    """
    service = _service(clinic, service_id)
    chosen = _therapist(clinic, service, therapist) if therapist else None
    tz = clinic.locations[0].timezone if clinic.locations else "UTC"
    horizon = rules.horizon_days
    if until is None:
        day = last = _day(day, tz, now=now, horizon_days=horizon)
    else:
        day, last = _range(day, until, tz, now=now, horizon_days=horizon)
    window = Interval(local_day(day, tz).start, local_day(last, tz).end)
    slots = openings.slots(service, window=window, now=now, rules=rules,
                           therapist_id=chosen.id if chosen else None)
    ids = {s.therapist_id for s in slots}
    therapists = {t.id: t for t in clinic.therapists if t.id in ids}
    return DaySlots(clinic, service, day, tz, slots, therapists,
                    last_day=last if until is not None else None)
