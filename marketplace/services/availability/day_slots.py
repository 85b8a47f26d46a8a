"""A clinic's open slots on one local calendar day, or on a run of up to
``MAX_RANGE_DAYS`` days, for one service (and optionally one therapist): what the API's
availability endpoint answers, read from the open time kept as rows (``kept.py``).

Two statements: one finds the published clinic, its zone, the service, the therapist
asked for (if any), whether a lapsed hold of the service's givers is still counted and
the kept window (moved here, if behind, like ``web/openings_window.py`` does for other
readers); one reads the runs with their therapists' names. The slots are
written straight from the runs (``slot_times``). Where a lapsed hold is found the answer
comes from the engine (``openings.slots``), written the straightforward way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import Row, Select, and_, bindparam, exists, select

from ...models import (
    Booking,
    BookingStatus,
    Clinic,
    ClinicStatus,
    Location,
    Service,
    Therapist,
    db,
    service_therapists,
)
from ..common.errors import FieldError, NotFound
from ..common.local_time import zone
from ..common.rules import BookingRules
from ..common.slugs import is_slug
from . import kept, openings
from .engine import Interval
from .openings import local_day
from .slot_times import SlotTime, from_slots

MAX_RANGE_DAYS = 14


class ClinicName(NamedTuple):
    slug: str
    name: str


class ServiceName(NamedTuple):
    id: int
    name: str
    duration_min: int


@dataclass
class DaySlots:
    clinic: ClinicName
    service: ServiceName
    day: date
    timezone: str
    times: list[SlotTime]  # each slot's local start and end, in the engine's order
    therapists: dict[int, tuple[str, str]]  # id -> (slug, name), of those with slots
    last_day: date | None = None  # the range's last day; None for one day
    window_moved: bool = False  # the kept window had to move first: the caller commits

    @property
    def until(self) -> date:
        return self.last_day or self.day


def _lookup_statement(with_therapist: bool) -> Select:
    """The clinic (published, by slug), its first location's zone, the service (active,
    the clinic's, by id), the therapist (active, the clinic's, giving it, by slug) and
    whether a lapsed hold not yet marked expired touches the service's givers; and the
    kept window (so the check that it covers today costs no statement of its own)."""
    zone_of = (select(Location.timezone).where(Location.clinic_id == Clinic.id)
               .order_by(Location.id).limit(1).scalar_subquery())
    givers = select(service_therapists.c.therapist_id).where(
        service_therapists.c.service_id == bindparam("service_id"))
    lapsed = exists().where(
        Booking.status == BookingStatus.HELD, Booking.hold_expires_at <= bindparam("now"),
        Booking.therapist_id.in_(givers), Booking.blocked_from < bindparam("until"),
        Booking.blocked_until > bindparam("since"))
    stmt = (
        select(Clinic.slug, Clinic.name, Service.id.label("service_id"),
               Service.name.label("service_name"), Service.duration_min,
               zone_of.label("timezone"), lapsed.label("lapsed"), *kept.window_columns())
        .select_from(Clinic)
        .outerjoin(Service, and_(Service.id == bindparam("service_id"),
                                 Service.clinic_id == Clinic.id, Service.active.is_(True)))
        .where(Clinic.slug == bindparam("slug"), Clinic.status == ClinicStatus.PUBLISHED)
    )
    if with_therapist:
        gives = exists().where(service_therapists.c.service_id == Service.id,
                               service_therapists.c.therapist_id == Therapist.id)
        stmt = stmt.add_columns(Therapist.id.label("therapist_id")).outerjoin(
            Therapist, and_(Therapist.slug == bindparam("therapist"),
                            Therapist.clinic_id == Clinic.id, Therapist.active.is_(True),
                            gives))
    return stmt


#: built once: a request only binds its values
_LOOKUP = {False: _lookup_statement(False), True: _lookup_statement(True)}


def _lookup(slug: str, service_id: int, therapist: str | None, *, now: datetime,
            first: date, last: date) -> Row:
    """The lookup's row; NotFound for a clinic not published. The lapsed-hold check looks
    at UTC days wide enough for every zone's version of ``first`` to ``last``."""
    row = None
    if is_slug(slug):
        db.session.flush()  # as ``session.execute`` would; then a plain row
        row = db.session.connection().execute(_LOOKUP[therapist is not None], {
            "slug": slug, "service_id": service_id, "therapist": therapist, "now": now,
            "since": datetime.combine(first - timedelta(days=2), time(0), tzinfo=UTC),
            "until": datetime.combine(last + timedelta(days=3), time(0), tzinfo=UTC),
        }).first()
    if row is None:
        raise NotFound("No published clinic has this address.")
    if row.service_id is None:
        raise FieldError("service", f"{row.name} has no bookable service with the id "
                           f"{service_id}; the clinic's details list its services.")
    if therapist and row.therapist_id is None:
        raise FieldError("therapist", f"No therapist “{therapist[:60]}” gives "
                           f"{row.service_name} at {row.name}.")
    return row


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


def day_slots(slug: str, *, service_id: int, day: date | None, therapist: str | None,
              now: datetime, rules: BookingRules, until: date | None = None) -> DaySlots:
    """Open slots of a service of the published clinic ``slug`` on ``day`` (the clinic's
    local date; today if None), or from ``day`` through ``until`` (at most
    ``MAX_RANGE_DAYS`` days) when ``until`` is given.

    Raises NotFound for a clinic not published, and FieldError naming ``service``,
    ``therapist``, ``date``, ``from`` or ``to``.
    """
    first = day or now.date()
    found = _lookup(slug, service_id, therapist, now=now, first=first, last=until or first)
    moved = kept.ensure_covered(db.session, now=now, rules=rules, seen=kept.window_from(found))
    tz = found.timezone or "UTC"
    horizon = rules.horizon_days
    if until is None:
        day = last = _day(day, tz, now=now, horizon_days=horizon)
    else:
        day, last = _range(day, until, tz, now=now, horizon_days=horizon)
    window = Interval(local_day(day, tz).start, local_day(last, tz).end)
    therapist_id = found.therapist_id if therapist else None
    if found.lapsed:
        times, names = _computed(service_id, window=window, now=now, rules=rules,
                                 therapist_id=therapist_id)
    else:
        times, names = openings.written_slots(service_id, window=window, now=now, rules=rules,
                                              therapist_id=therapist_id)
    return DaySlots(ClinicName(slug, found.name),
                    ServiceName(found.service_id, found.service_name, found.duration_min),
                    day, tz, times, names, last_day=last if until is not None else None,
                    window_moved=moved)


def _computed(service_id: int, *, window: Interval, now: datetime, rules: BookingRules,
              therapist_id: int | None) -> tuple[list[SlotTime], dict[int, tuple[str, str]]]:
    """The slots and names when a lapsed hold may still be counted in the rows."""
    service = db.session.get(Service, service_id)
    slots = openings.slots(service, window=window, now=now, rules=rules,
                           therapist_id=therapist_id)
    ids = {s.therapist_id for s in slots}
    names = {row.id: (row.slug, row.name) for row in db.session.execute(
        select(Therapist.id, Therapist.slug, Therapist.name).where(Therapist.id.in_(ids)))
    } if ids else {}
    return from_slots(slots), names
