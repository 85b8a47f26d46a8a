"""Load the availability engine's inputs from the database, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ...models import (
    BLOCKING_STATUSES,
    Booking,
    BookingStatus,
    Location,
    Service,
    Therapist,
    TimeOff,
    WorkingHours,
    among,
    db,
    service_therapists,
)
from ..common.rules import BookingRules
from .engine import Interval, Slot, SlotRules, TherapistSchedule, WeeklySpan, open_slots


def lock_therapists(therapist_ids: Iterable[int], *, shared: bool = False) -> None:
    """Hold the therapists' rows until commit, so schedule changes and new holds of
    one therapist are decided one after the other (PostgreSQL).

    A schedule change (hours, time off, deactivation) takes the exclusive lock;
    placing a hold takes the shared one, so holds do not wait for each other (the
    exclusion constraint decides between them) but a hold and a change do: the
    later of the two sees what the first committed. SQLite's ``BEGIN IMMEDIATE``
    already serialises every write transaction.
    """
    ids = sorted(set(therapist_ids))
    if ids and db.session.get_bind().dialect.name == "postgresql":
        stmt = select(Therapist.id).where(Therapist.id.in_(ids))
        db.session.execute(stmt.with_for_update(read=shared))


def rules_for(service: Service, rules: BookingRules) -> SlotRules:
    """The slot rules for a service under the site's settings."""
    return SlotRules(
        duration=timedelta(minutes=service.duration_min),
        buffer_before=timedelta(minutes=service.buffer_before_min),
        buffer_after=timedelta(minutes=service.buffer_after_min),
        step=rules.slot_step,
        min_notice=rules.min_notice,
        horizon=rules.horizon,
    )


def busy_filter(now: datetime):
    """SQL for "this booking occupies its therapist now": confirmed, or held and not lapsed."""
    return or_(
        Booking.status == BookingStatus.CONFIRMED,
        and_(Booking.status == BookingStatus.HELD, Booking.hold_expires_at > now),
    )


def load_schedules(
    therapist_ids: Iterable[int], *, window: Interval, now: datetime, session: Session | None = None
) -> list[TherapistSchedule]:
    """Weekly hours, time off and busy bookings of these therapists around ``window``.

    Three queries whatever the number of therapists. Lapsed holds are not busy (pass a
    ``now`` before every hold's end to count every hold). ``session`` is the app's by
    default (the openings kept as rows load through the session being flushed).
    """
    ids = sorted(set(therapist_ids))
    if not ids:
        return []
    session = session or db.session
    schedules = {tid: TherapistSchedule(therapist_id=tid, weekly=[]) for tid in ids}
    # Plain columns, not ORM objects: search loads thousands of these at once.
    hours = session.execute(
        select(
            WorkingHours.therapist_id, WorkingHours.weekday, WorkingHours.starts,
            WorkingHours.ends, WorkingHours.location_id, Location.timezone,
        )
        .join(Location, WorkingHours.location_id == Location.id)
        .where(among(WorkingHours.therapist_id, ids))
    ).all()
    for tid, weekday, starts, ends, location_id, tz in hours:
        schedules[tid].weekly.append(WeeklySpan(weekday, starts, ends, location_id, tz))
    # Widen by a day each side: buffers and long visits reach across the window edges.
    lo, hi = window.start - timedelta(days=1), window.end + timedelta(days=1)
    bookings = session.execute(
        select(Booking.therapist_id, Booking.blocked_from, Booking.blocked_until).where(
            among(Booking.therapist_id, ids),
            Booking.status.in_(BLOCKING_STATUSES),
            busy_filter(now),
            Booking.blocked_from < hi,
            Booking.blocked_until > lo,
        )
    ).all()
    for tid, start, end in bookings:
        schedules[tid].busy.append(Interval(start, end))
    time_off = session.execute(
        select(TimeOff.therapist_id, TimeOff.starts_at, TimeOff.ends_at).where(
            among(TimeOff.therapist_id, ids), TimeOff.starts_at < hi, TimeOff.ends_at > lo
        )
    ).all()
    for tid, start, end in time_off:
        schedules[tid].busy.append(Interval(start, end))
    return [schedules[tid] for tid in ids]


def bookable_therapist_ids(service: Service, therapist_id: int | None = None) -> list[int]:
    """Active therapists of the service's clinic who give it (optionally just one of them)."""
    stmt = (
        select(Therapist.id)
        .join(service_therapists, service_therapists.c.therapist_id == Therapist.id)
        .where(
            service_therapists.c.service_id == service.id,
            Therapist.active.is_(True),
            Therapist.clinic_id == service.clinic_id,
        )
    )
    if therapist_id is not None:
        stmt = stmt.where(Therapist.id == therapist_id)
    return list(db.session.scalars(stmt.order_by(Therapist.id)))


def service_slots(
    service: Service,
    *,
    window: Interval,
    now: datetime,
    rules: BookingRules,
    therapist_id: int | None = None,
) -> list[Slot]:
    """Open slots for ``service`` in ``window``: one therapist's, or everyone's who gives it.

    Ordered by start, then therapist; "any therapist" pickers group them with
    ``availability.any_therapist``. Four queries whatever the number of therapists.
    """
    ids = bookable_therapist_ids(service, therapist_id)
    schedules = load_schedules(ids, window=window, now=now)
    return open_slots(schedules, rules_for(service, rules), window=window, now=now)
