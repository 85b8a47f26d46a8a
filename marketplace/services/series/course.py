"""Book the course: the series' remaining sessions with one therapist on a weekly (or
every-N-days) pattern, held all at once or not at all.

``plan`` reads the pattern's wanted times against the availability engine and, for a
time that is not open, proposes the nearest open times of that week (or of that
N-day stretch) with the same therapist. ``hold`` then holds every chosen time in one
transaction: each is a hold placed by ``booking.holds.place_hold`` (the database's
no-overlap constraint decides a contested slot) and drawn from the series; the first
time that cannot be held raises, and the caller rolls back every hold of the course.
``confirm`` books the held course with the health answers the client gave for one of
its visits, screened again for each visit's own day.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ...models import Booking, BookingStatus, ScreeningOutcome, SeriesPurchase, User
from ..availability.schedules import lock_therapists
from ..booking import checkout
from ..booking import intake_step as booking_intake
from ..booking.holds import SlotTaken, hold_is_live, place_hold, slots_between
from ..common.errors import Conflict, FieldError, NotAllowed
from ..common.local_time import zone
from ..common.rules import BookingRules
from ..intake.records import read_intake, save_intake
from ..intake.screening import service_allowed
from . import sessions

#: The course's holds last this long: the client confirms them all together.
COURSE_HOLD_MINUTES = 30
MAX_EVERY_DAYS = 28
ALTERNATIVES = 4


@dataclass
class PlannedSession:
    number: int  # 1 for the first session of the course
    wanted: datetime  # UTC
    open: bool
    alternatives: list[datetime] = field(default_factory=list)  # UTC, nearest first


@dataclass
class CoursePlan:
    therapist_id: int
    every_days: int
    sessions: list[PlannedSession]

    @property
    def complete(self) -> bool:
        """Every wanted time is open: the course can be held as planned."""
        return all(s.open for s in self.sessions)


def _check_pattern(purchase: SeriesPurchase, *, therapist_id: int | None, every_days: int,
                   now: datetime) -> int:
    if purchase.client is None:
        raise NotAllowed("No such series.")
    left = sessions.sessions_left(purchase, now)
    if left <= 0:
        raise Conflict("This series has no sessions left to book.")
    if not 1 <= every_days <= MAX_EVERY_DAYS:
        raise FieldError("every_days", f"Choose every 1 to {MAX_EVERY_DAYS} days.")
    if therapist_id is None or therapist_id not in {
            t.id for t in purchase.service.therapists if t.active}:
        raise FieldError("therapist_id", "Choose a therapist who gives this service.")
    return left


def wanted_times(first: datetime, *, count: int, every_days: int, tz: str) -> list[datetime]:
    """The pattern's times in UTC, the same wall-clock time in the clinic's zone each
    time (so a course keeps its hour across a daylight-saving change)."""
    local = first.astimezone(zone(tz))
    return [(local + timedelta(days=i * every_days)).astimezone(first.tzinfo)
            for i in range(count)]


def _check_window(times: list[datetime], purchase: SeriesPurchase, *, now: datetime,
                  rules: BookingRules) -> None:
    if times[0] <= now:
        raise FieldError("first_start", "Choose a first visit in the future.")
    horizon = now + rules.horizon
    if times[-1] > horizon:
        raise FieldError("first_start", (
            f"The last visit of this pattern falls after the booking horizon of "
            f"{rules.horizon_days} days. Choose an earlier start or visits closer together."))
    if times[-1] >= purchase.expires_at:
        raise FieldError("first_start", "The last visit of this pattern falls after the "
                                        "series expires. Choose visits closer together.")


def plan(purchase: SeriesPurchase, *, therapist_id: int | None, first_start: datetime,
         every_days: int, now: datetime, rules: BookingRules) -> CoursePlan:
    """The pattern's times for the sessions left, each open or with its nearest open
    alternatives (same therapist, same week or stretch)."""
    left = _check_pattern(purchase, therapist_id=therapist_id, every_days=every_days, now=now)
    times = wanted_times(first_start, count=left, every_days=every_days, tz=purchase.timezone)
    _check_window(times, purchase, now=now, rules=rules)
    half = timedelta(days=every_days) / 2 if every_days > 1 else timedelta(hours=12)
    slots = slots_between(purchase.service, start=max(now, times[0] - half),
                          end=times[-1] + half, therapist_id=therapist_id, now=now, rules=rules)
    starts = sorted({s.starts_at for s in slots if s.starts_at < purchase.expires_at})
    open_times = set(starts)
    planned = []
    for number, wanted in enumerate(times, start=1):
        if wanted in open_times:
            planned.append(PlannedSession(number, wanted, True))
            continue
        taken_days = {_day(t, purchase.timezone) for t in times if t != wanted}
        near = [s for s in starts if abs(s - wanted) < half
                and _day(s, purchase.timezone) not in taken_days]
        near.sort(key=lambda s: (abs(s - wanted), s))
        planned.append(PlannedSession(number, wanted, False, near[:ALTERNATIVES]))
    return CoursePlan(therapist_id, every_days, planned)


def _day(moment: datetime, tz: str):
    return moment.astimezone(zone(tz)).date()


def hold(purchase: SeriesPurchase, *, client: User, therapist_id: int | None,
         starts: list[datetime], now: datetime, rules: BookingRules) -> list[Booking]:
    """Hold every chosen time for the course and draw each from the series, or none.

    Does not commit: the caller commits on success and rolls back on any error, so a
    time that someone else took meanwhile (``SlotTaken``, naming it) leaves nothing held.
    """
    if client.id != purchase.client_id:
        raise NotAllowed("No such series.")
    starts = sorted(set(starts))
    if not starts:
        raise FieldError("starts", "Choose a time for each session.")
    left = _check_pattern(purchase, therapist_id=therapist_id, every_days=1, now=now)
    if len(starts) > left:
        raise FieldError("starts", f"This series has {left} sessions left; "
                                   f"{len(starts)} times were chosen.")
    _check_window(starts, purchase, now=now, rules=rules)
    # Courses of one therapist are decided one after another: two overlapping courses
    # inserting in turn would otherwise wait on each other's uncommitted holds (the
    # constraint) and openings (kept's lock) at once, a deadlock. Single holds wait too.
    lock_therapists([therapist_id], shared=False)
    sessions.lock(purchase)
    held = []
    for start in starts:
        try:
            booking = place_hold(service=purchase.service, therapist_id=therapist_id,
                                 starts_at=start, client=client, hold_token=None, now=now,
                                 rules=rules, hold_minutes=COURSE_HOLD_MINUTES,
                                 release_others=False)
        except SlotTaken as exc:
            raise SlotTaken(f"The time on {_label(start, purchase.timezone)} was just taken "
                            "or is no longer open, so nothing was held. Please plan the "
                            "course again.") from exc
        held.append(sessions.draw(booking, purchase, now=now))
    return held


def _label(moment: datetime, tz: str) -> str:
    local = moment.astimezone(zone(tz))
    return f"{local:%A %B} {local.day} at {local:%-I:%M %p}"


def held_course(purchase: SeriesPurchase, now: datetime) -> list[Booking]:
    """The series' live holds, soonest first (the course waiting to be confirmed)."""
    return [b for b in purchase.bookings if hold_is_live(b, now)]


def answered_visit(purchase: SeriesPurchase) -> Booking | None:
    """A visit of the series whose health answers the client gave (and shared)."""
    done = [b for b in purchase.bookings if b.screening_outcome is not None
            and b.status in (BookingStatus.HELD, BookingStatus.CONFIRMED, BookingStatus.COMPLETED)
            and booking_intake.intake_of(b) is not None]
    return max(done, key=lambda b: b.id) if done else None


def confirm(purchase: SeriesPurchase, *, client: User, keyring, now: datetime) -> list[Booking]:
    """Book every held session of the course with the answers given for one of its
    visits, each screened again for its own day. Does not commit; nothing is booked
    if one visit's day is ruled out (the message names it)."""
    if client.id != purchase.client_id:
        raise NotAllowed("No such series.")
    held = held_course(purchase, now)
    if not held:
        raise Conflict("No session of this course is held any more. Plan the course again.")
    source = answered_visit(purchase)
    if source is None:
        raise checkout.NotReady("Answer the health questions for one visit of the course "
                                "first.")
    answers, _ = read_intake(booking_intake.intake_of(source), viewer=client,
                             keyring=keyring, now=now)
    for booking in held:
        if booking.id != source.id:
            _screen(booking, answers, client=client, keyring=keyring, now=now,
                    clearance=source.clearance_confirmed)
        checkout.require_ready_to_pay(booking)
        if not checkout.confirm(booking, payment=None, now=now):
            raise SlotTaken(f"The time on {_label(booking.starts_at, purchase.timezone)} is "
                            "no longer held. Please plan the course again.")
    return held


def _screen(booking: Booking, answers, *, client: User, keyring, now: datetime,
            clearance: bool) -> None:
    screening = booking_intake.screen_for(booking, answers)
    allowed = service_allowed(screening, booking.service.modality.intensity)
    if screening.outcome is ScreeningOutcome.NOT_NOW or not allowed or (
            screening.needs_clearance and not clearance):
        why = " ".join(screening.reasons) or screening.summary
        raise Conflict(f"Your health answers rule out the visit on "
                       f"{_label(booking.starts_at, booking.timezone)}: {why} "
                       "Cancel that time, or call the clinic.")
    save_intake(client=client, clinic=booking.clinic, booking=booking, answers=answers,
                screening=screening, clearance_confirmed=clearance, keyring=keyring, now=now,
                consented=True)
