"""The health intake inside the booking flow: screen the answers for the visit's
date and act on the outcome.

- proceed: the answers are saved (encrypted) and the client goes on to pay;
- gentle techniques only, for a moderate or deep service: that service is
  refused, the hold released (nothing stays held that the client cannot use),
  and the clinic's gentle services are offered instead;
- doctor's clearance: the client must confirm they have it; the booking then
  carries ``clearance_confirmed``, which the clinic sees;
- not now: the booking stops, the hold is released, and the advice is shown.

The answers are saved in every case, so a returning client can review and
reuse them next time (``reusable_answers``). Each reason names the answer that
caused it, so a client stopped by an answer that is no longer true (a medicine
left in a prefilled list, say) can change it on the spot: ``answer_again``
screens the changed answers and, when the service can now go ahead, holds the
same time again as a new booking.

The client shares the answers with the clinic only by consenting, per booking
(``consented``; without it nothing is screened or saved: ``FieldError`` on
``share_consent``). The answers come prefilled from the client's health profile
(``services/intake/profile.py``), or else from their last intake, and must be
confirmed; with ``keep_profile`` the submitted answers also become the profile.
The per-booking record stays the snapshot the screening judged and the clinic reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from ...models import (
    Booking,
    BookingStatus,
    IntakeRecord,
    Party,
    ScreeningOutcome,
    Service,
    User,
    db,
)
from .. import audit
from ..common.errors import FieldError, NotAllowed
from ..common.local_time import zone
from ..common.rules import BookingRules
from ..intake import profile as health_profile
from ..intake.keys import IntakeUnreadable
from ..intake.records import KeyRing, latest_intake, read_intake, save_intake
from ..intake.screening import IntakeAnswers, Screening, screen, service_allowed
from .holds import bookable_services, place_hold, require_live_hold

REFUSED_REASON = "The health screening allows gentle techniques only"
STOPPED_REASON = "The health screening says not now"


@dataclass(frozen=True)
class IntakeDecision:
    """What the answers mean for this booking."""

    screening: Screening
    go_ahead: bool = False  # on to the deposit
    needs_clearance: bool = False  # ask the client to confirm their doctor's clearance
    refused: bool = False  # this service is not safe; see ``alternatives``
    stopped: bool = False  # not now: the booking is over
    alternatives: list[Service] = field(default_factory=list)
    booking: Booking | None = None  # the booking to go on with (a new hold, after a change)


def visit_date(booking: Booking) -> date:
    """The visit's date in the clinic's zone: what the screening judges dates against."""
    return booking.starts_at.astimezone(zone(booking.timezone)).date()


def screen_for(booking: Booking, answers: IntakeAnswers) -> Screening:
    """The screening of ``answers`` for this booking's visit date."""
    return screen(answers, visit_date=visit_date(booking))


def submit_intake(
    booking: Booking,
    *,
    client: User,
    answers: IntakeAnswers,
    clearance_confirmed: bool,
    keyring: KeyRing,
    now: datetime,
    consented: bool,
    keep_profile: bool = False,
) -> IntakeDecision:
    """Screen and save the client's answers for this held booking, and act on the outcome.

    ``consented``: the client agreed to share the answers with this booking's clinic
    (required). ``keep_profile``: the answers also replace the client's health profile.
    """
    require_live_hold(booking, now)
    _require_consent(booking, consented)
    screening = screen_for(booking, answers)
    decision = _decide(booking, screening, clearance_confirmed)
    if decision.needs_clearance:
        return decision
    save_intake(client=client, clinic=booking.clinic, booking=booking, answers=answers,
                screening=screening, clearance_confirmed=clearance_confirmed, keyring=keyring,
                now=now, consented=True)
    if keep_profile:
        health_profile.save_profile(client=client, answers=answers, keyring=keyring, now=now,
                                    source="booking")
    if decision.stopped:
        _stop(booking, STOPPED_REASON, client=client, now=now)
    elif decision.refused:
        _stop(booking, REFUSED_REASON, client=client, now=now)
    return decision


def consent_message(booking: Booking) -> str:
    """Why the booking cannot go on without the client's consent."""
    return (f"Tick the box to share your answers with {booking.clinic.name}: the clinic "
            "needs them to treat you safely, so the booking cannot go on without it.")


def _require_consent(booking: Booking, consented: bool) -> None:
    if not consented:
        raise FieldError("share_consent", consent_message(booking))


def _decide(booking: Booking, screening: Screening, clearance_confirmed: bool) -> IntakeDecision:
    """What ``screening`` means for this booking's service (nothing saved or changed)."""
    intensity = booking.service.modality.intensity
    if screening.needs_clearance and not clearance_confirmed and service_allowed(
            screening, intensity):
        return IntakeDecision(screening, needs_clearance=True)
    if screening.outcome is ScreeningOutcome.NOT_NOW:
        return IntakeDecision(screening, stopped=True)
    if not service_allowed(screening, intensity):
        return IntakeDecision(screening, refused=True,
                              alternatives=allowed_services(booking, screening))
    return IntakeDecision(screening, go_ahead=True, booking=booking)


def stopped_by_screening(booking: Booking) -> bool:
    """Did the health screening end this booking (so its client may change an answer)?"""
    return (booking.status is BookingStatus.CANCELLED and booking.cancelled_by is Party.SYSTEM
            and booking.cancel_reason in (STOPPED_REASON, REFUSED_REASON))


def answer_again(
    stopped: Booking,
    *,
    client: User,
    answers: IntakeAnswers,
    clearance_confirmed: bool,
    keyring: KeyRing,
    now: datetime,
    rules: BookingRules,
    consented: bool,
    keep_profile: bool = False,
) -> IntakeDecision:
    """Changed answers for a booking the screening stopped.

    Screened again for the same visit date. If this service still cannot go
    ahead, the changed answers replace the stopped booking's and the outcome is
    shown again; if it can, the same time is held again as a new booking (raises
    ``SlotTaken`` when someone took it meanwhile) and the answers go with it.
    """
    if not stopped_by_screening(stopped) or stopped.client_id != client.id:
        raise NotAllowed("Only a booking the health screening stopped can be answered again.")
    _require_consent(stopped, consented)
    screening = screen_for(stopped, answers)
    decision = _decide(stopped, screening, clearance_confirmed)
    if decision.needs_clearance:
        return decision
    if not decision.go_ahead:
        save_intake(client=client, clinic=stopped.clinic, booking=stopped, answers=answers,
                    screening=screening, clearance_confirmed=clearance_confirmed,
                    keyring=keyring, now=now, consented=True)
        if keep_profile:
            health_profile.save_profile(client=client, answers=answers, keyring=keyring,
                                        now=now, source="booking")
        return decision
    booking = place_hold(service=stopped.service, therapist_id=stopped.therapist_id,
                         starts_at=stopped.starts_at, client=client, hold_token=None, now=now,
                         rules=rules)
    audit.record(actor=client, action="booking.answered_again", obj=booking, now=now,
                 detail={"stopped": stopped.reference})
    return submit_intake(booking, client=client, answers=answers,
                         clearance_confirmed=clearance_confirmed, keyring=keyring, now=now,
                         consented=consented, keep_profile=keep_profile)


def answers_given(booking: Booking, *, client: User, keyring: KeyRing,
                  now: datetime) -> IntakeAnswers | None:
    """The answers the client gave for this booking (to change them), if readable."""
    record = intake_of(booking)
    if record is None:
        return None
    try:
        return read_intake(record, viewer=client, keyring=keyring, now=now)[0]
    except IntakeUnreadable:
        return None


def _stop(booking: Booking, reason: str, *, client: User, now: datetime) -> None:
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at, booking.cancelled_by = now, Party.SYSTEM
    booking.cancel_reason = reason
    audit.record(actor=client, action="booking.screening_stop", obj=booking, now=now,
                 detail={"outcome": booking.screening_outcome.value})


def allowed_services(booking: Booking, screening: Screening) -> list[Service]:
    """The clinic's bookable services this screening allows (the gentle ones, say)."""
    return [s for s in bookable_services(booking.clinic)
            if service_allowed(screening, s.modality.intensity)]


def gentle_services(booking: Booking) -> list[Service]:
    """The clinic's gentle services: what a client refused a deeper one can book instead."""
    return [s for s in bookable_services(booking.clinic)
            if s.modality.intensity.value == "gentle"]


def intake_of(booking: Booking) -> IntakeRecord | None:
    """The intake answered for this booking, if any."""
    return db.session.scalar(select(IntakeRecord).where(IntakeRecord.booking_id == booking.id))


@dataclass(frozen=True)
class Earlier:
    """Answers the client gave before, to show prefilled for review."""

    answers: IntakeAnswers
    given_at: datetime
    from_profile: bool  # their health profile (else their last booking's intake)


def reusable_answers(client: User, *, keyring: KeyRing, now: datetime,
                     besides: Booking | None = None) -> Earlier | None:
    """The client's health profile, or else their last answers (any clinic, not those
    given for ``besides``), to show for review, with when they gave them."""
    try:
        profile = health_profile.read_profile(client, keyring=keyring)
    except IntakeUnreadable:
        profile = None  # a key since retired: the last intake, or they answer again
    if profile is not None:
        return Earlier(profile[0], profile[1], from_profile=True)
    record = latest_intake(client, besides=besides)
    if record is None:
        return None
    try:
        answers, _ = read_intake(record, viewer=client, keyring=keyring, now=now)
    except IntakeUnreadable:
        return None  # a key since retired: they simply answer again
    return Earlier(answers, record.reviewed_at or record.created_at, from_profile=False)
