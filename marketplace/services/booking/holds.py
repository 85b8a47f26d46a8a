"""Bookings from hold to confirmation.

A client picks an open slot and gets a *hold*: a ``held`` booking row that
keeps the therapist's time for ``HOLD_MINUTES`` while they sign in, answer the
health intake and pay the deposit. Whether a contested slot can be held is
decided by the database (the PostgreSQL exclusion constraint, or SQLite's
trigger under ``BEGIN IMMEDIATE``), never by a read-then-write in Python.
A lapsed hold stays ``held`` in the table until someone needs its time: the
next hold on that therapist marks it ``expired`` in the same transaction.

No Flask in here: "now", the acting user and the settings are passed in.
Cancelling and rescheduling live in ``changes``; checkout steps in ``checkout``.
"""

from __future__ import annotations

import hmac
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from ...models import (
    Booking,
    BookingStatus,
    Clinic,
    ClinicStatus,
    Payment,
    PaymentStatus,
    Service,
    User,
    db,
)
from .. import audit
from ..availability import kept
from ..availability.engine import Interval, Slot
from ..availability.schedules import bookable_therapist_ids, lock_therapists, service_slots
from ..common.errors import Conflict, NotFound
from ..common.rules import BookingRules
from . import pricing

OVERLAP = "ex_bookings_therapist_no_overlap"
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I
#: What a booking reference in a URL may look like (made ones are 8 letters of the
#: alphabet above; any case is read as upper case).
REFERENCE_PATTERN = r"[A-Za-z0-9]{1,12}"
#: Payment attempts that may still move money: a hold with one is not touched.
OPEN_PAYMENT = (PaymentStatus.CREATED, PaymentStatus.PROCESSING, PaymentStatus.REQUIRES_ACTION)
PAID = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)


class SlotTaken(Conflict):
    """The time is no longer open (someone just took it, or it never was)."""


class HoldLapsed(Conflict):
    """The hold ran out, or was released, before the booking was finished."""


class NotBookable(NotFound):
    """The clinic or service does not take bookings (unpublished, suspended, inactive)."""


# --- finding a booking ---------------------------------------------------------------------


def is_reference(text: str | None) -> bool:
    """Whether ``text`` has a booking reference's shape (it may still name nothing)."""
    return bool(text) and re.fullmatch(REFERENCE_PATTERN, text) is not None


def by_reference(reference: str) -> Booking:
    """The booking with this reference, whoever's it is; raises NotFound."""
    booking = None
    if is_reference(reference):
        booking = db.session.scalar(select(Booking).where(Booking.reference == reference.upper()))
    if booking is None:
        raise NotFound("No such booking.")
    return booking


def client_booking(client: User, reference: str) -> Booking:
    """``client``'s own booking with this reference; anyone else's is NotFound too."""
    booking = by_reference(reference)
    if booking.client_id != client.id:
        raise NotFound("No such booking.")
    return booking


# --- what can be booked ------------------------------------------------------------------


def check_bookable(clinic: Clinic, service: Service | None = None) -> None:
    """Raise ``NotBookable`` unless the clinic is published (and the service its own, active)."""
    if clinic.status is not ClinicStatus.PUBLISHED:
        raise NotBookable(f"{clinic.name} is not taking bookings here right now.")
    if service is not None and (service.clinic_id != clinic.id or not service.active):
        raise NotBookable("That service is not offered any more.")


def bookable_services(clinic: Clinic) -> list[Service]:
    """The clinic's active services that someone gives, by name."""
    return [s for s in clinic.services if s.active and any(t.active for t in s.therapists)]


def slots_between(
    service: Service, *, start: datetime, end: datetime, therapist_id: int | None, now,
    rules: BookingRules,
) -> list[Slot]:
    """Open slots of ``service`` starting in [start, end), one therapist's or anyone's."""
    return service_slots(
        service, window=Interval(start, end), now=now, rules=rules, therapist_id=therapist_id
    )


def nearby_slots(
    service: Service, *, around: datetime, therapist_id: int | None, now,
    rules: BookingRules, limit: int = 8,
) -> list[Slot]:
    """Up to ``limit`` open starts (one per time) from two hours before ``around`` onwards."""
    start = max(around - timedelta(hours=2), now)
    found: list[Slot] = []
    for days in (1, 7, 30):  # look a day ahead, then a week, then a month
        slots = slots_between(service, start=start, end=start + timedelta(days=days),
                              therapist_id=therapist_id, now=now, rules=rules)
        found = _one_per_start(slots)
        if len(found) >= limit:
            break
    return found[:limit]


def _one_per_start(slots: list[Slot]) -> list[Slot]:
    seen: set[datetime] = set()
    out = []
    for slot in slots:
        if slot.starts_at not in seen:
            seen.add(slot.starts_at)
            out.append(slot)
    return out


# --- holds ---------------------------------------------------------------------------------


def place_hold(
    *,
    service: Service,
    therapist_id: int | None,
    starts_at: datetime,
    client: User | None,
    hold_token: str | None,
    now: datetime,
    rules: BookingRules,
    hold_minutes: int | None = None,
    release_others: bool = True,
) -> Booking:
    """Hold ``starts_at`` for ``service`` (one therapist, or whoever is free) for a few minutes.

    Raises ``SlotTaken`` when no therapist can take it; the caller offers
    ``nearby_slots``. A client (or anonymous visitor, by ``hold_token``) holds
    one slot at a time: their other live holds are released here, unless
    ``release_others`` is False (a waitlist offer never takes away a time the
    client is booking). ``hold_minutes`` replaces ``HOLD_MINUTES`` for this hold.
    """
    check_bookable(service.clinic, service)
    givers = bookable_therapist_ids(service, therapist_id)
    # Wait for any schedule change of these therapists in flight, then read their hours.
    lock_therapists(givers, shared=True)
    # Every therapist whose kept openings this hold rewrites (the givers, and whoever the
    # holder's other holds are with), locked in one order before the first write.
    kept.lock(db.session, [*givers, *(_holders_therapists(client, hold_token)
                                      if release_others else ())])
    candidates = slots_between(service, start=starts_at, end=starts_at + timedelta(minutes=1),
                               therapist_id=therapist_id, now=now, rules=rules)
    candidates = [s for s in candidates if s.starts_at == starts_at]
    if not candidates:
        raise SlotTaken(_taken_message())
    expire_lapsed_holds(now=now, therapist_ids=[s.therapist_id for s in candidates])
    if release_others:
        release_other_holds(client=client, hold_token=hold_token, keep_id=None, now=now)
    hold_minutes = hold_minutes or rules.hold_minutes
    for slot in candidates:
        booking = _new_hold(service, slot, client=client, hold_token=hold_token, now=now,
                            hold_minutes=hold_minutes)
        if _insert(booking):
            return booking
    raise SlotTaken(_taken_message())


def _taken_message() -> str:
    return "Sorry, that time was just taken or is no longer open. Here are other open times."


def new_hold_token() -> str:
    """A fresh secret for an anonymous hold (it travels in the browser's cookie)."""
    return secrets.token_urlsafe(32)


def _new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def _new_hold(service: Service, slot: Slot, *, client, hold_token, now, hold_minutes) -> Booking:
    clinic = service.clinic
    quote = pricing.quote(service, clinic)
    return Booking(
        reference=_new_reference(),
        clinic_id=clinic.id,
        location_id=slot.location_id,
        therapist_id=slot.therapist_id,
        service_id=service.id,
        client_id=client.id if client is not None else None,
        hold_token=hold_token or new_hold_token(),
        status=BookingStatus.HELD,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        blocked_from=slot.starts_at - timedelta(minutes=service.buffer_before_min),
        blocked_until=slot.ends_at + timedelta(minutes=service.buffer_after_min),
        timezone=slot.timezone,
        hold_expires_at=now + timedelta(minutes=hold_minutes),
        currency="usd",
        price_cents=quote.price_cents,
        discount_cents=quote.discount_cents,
        deposit_cents=quote.deposit_cents,
        policy_deposit_kind=clinic.deposit_kind,
        policy_deposit_value=clinic.deposit_value,
        policy_cancellation_hours=clinic.cancellation_window_hours,
        policy_text=clinic.policy_text or "",
        created_at=now,
    )


def _insert(booking: Booking) -> bool:
    """Add the booking; False if the database refuses it as an overlap."""
    try:
        with db.session.begin_nested():
            db.session.add(booking)
    except IntegrityError as exc:
        if OVERLAP not in str(exc.orig):
            raise
        return False
    return True


def is_overlap(exc: IntegrityError) -> bool:
    """True when the database refused a write because the therapist is already busy."""
    return OVERLAP in str(exc.orig)


#: What the openings kept as rows need of a booking changed by one statement.
_SPAN = (Booking.therapist_id, Booking.blocked_from, Booking.blocked_until)


def expire_lapsed_holds(*, now: datetime, therapist_ids: list[int] | None = None) -> int:
    """Mark holds whose time ran out ``expired`` (all, or those of some therapists)."""
    lapsed = (Booking.status == BookingStatus.HELD, Booking.hold_expires_at <= now)
    if therapist_ids is None:  # every therapist with a lapsed hold, as they are now
        therapist_ids = list(db.session.scalars(
            select(Booking.therapist_id).where(*lapsed).distinct()))
    therapist_ids = sorted(set(therapist_ids))
    if not therapist_ids:
        return 0
    kept.lock(db.session, therapist_ids)  # before the rows, as every writer does
    stmt = update(Booking).where(*lapsed, Booking.therapist_id.in_(therapist_ids))
    changed = db.session.execute(
        stmt.values(status=BookingStatus.EXPIRED).returning(*_SPAN),
        execution_options={"synchronize_session": False},
    ).all()
    if changed:
        db.session.expire_all()
        kept.touch(db.session, changed)
    return len(changed)


def release_other_holds(
    *, client: User | None, hold_token: str | None, keep_id: int | None, now: datetime
) -> int:
    """Release the holder's other live holds (one slot at a time), unless money is moving."""
    owners = _holder(client, hold_token)
    if not owners:
        return 0
    kept.lock(db.session, _holders_therapists(client, hold_token))
    paying = select(Payment.booking_id).where(Payment.status.in_(OPEN_PAYMENT + PAID))
    stmt = (
        update(Booking)
        .where(or_(*owners), Booking.status == BookingStatus.HELD, Booking.id.not_in(paying))
        .values(status=BookingStatus.CANCELLED, cancelled_at=now, cancel_reason="Replaced by "
                "another hold")
    )
    if keep_id is not None:
        stmt = stmt.where(Booking.id != keep_id)
    changed = db.session.execute(
        stmt.returning(*_SPAN), execution_options={"synchronize_session": False}).all()
    if changed:
        db.session.expire_all()
        kept.touch(db.session, changed)
    return len(changed)


def _holder(client: User | None, hold_token: str | None) -> list:
    """Conditions for "held by them": a client's bookings, or an anonymous visitor's."""
    owners = []
    if client is not None:
        owners.append(Booking.client_id == client.id)
    if hold_token:
        owners.append(Booking.hold_token == hold_token)
    return owners


def _holders_therapists(client: User | None, hold_token: str | None) -> list[int]:
    """The therapists of the holder's holds."""
    owners = _holder(client, hold_token)
    if not owners:
        return []
    return list(db.session.scalars(select(Booking.therapist_id).where(
        or_(*owners), Booking.status == BookingStatus.HELD).distinct()))


def hold_is_live(booking: Booking, now: datetime) -> bool:
    """True while the hold still keeps the slot."""
    return (
        booking.status is BookingStatus.HELD
        and booking.hold_expires_at is not None
        and booking.hold_expires_at > now
    )


def require_live_hold(booking: Booking, now: datetime) -> None:
    """Raise ``HoldLapsed`` (with a message that says what happened) unless the hold is live."""
    if booking.status is BookingStatus.CONFIRMED:
        raise Conflict("This booking is already confirmed.")
    if not hold_is_live(booking, now):
        raise HoldLapsed("Your hold on this time ran out, so the slot was released.")


def token_matches(booking: Booking, token: str | None) -> bool:
    """Constant-time check that ``token`` is this anonymous hold's."""
    return bool(token and booking.hold_token) and hmac.compare_digest(booking.hold_token, token)


def claim_hold(booking: Booking, *, client: User, token: str | None, now: datetime) -> Booking:
    """Give an anonymous hold to the client who just signed in; the token proves it was theirs."""
    if booking.client_id == client.id:
        return booking
    if booking.client_id is not None or not token_matches(booking, token):
        raise NotFound("No such booking.")
    booking.client_id = client.id
    db.session.flush()
    release_other_holds(client=client, hold_token=None, keep_id=booking.id, now=now)
    return booking


def release_hold(booking: Booking, *, actor: User | None, now: datetime) -> None:
    """The client lets the slot go before paying."""
    if booking.status is not BookingStatus.HELD:
        raise Conflict("Only a held slot can be released.")
    if open_payment(booking) is not None:
        raise Conflict("A payment for this booking is in progress; it cannot be released now.")
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.cancel_reason = "Hold released"
    audit.record(actor=actor, action="booking.release", obj=booking, now=now)


# --- payments seen from the booking ----------------------------------------------------------


def open_payment(booking: Booking) -> Payment | None:
    """The payment attempt that may still move money, if any."""
    return db.session.scalar(
        select(Payment)
        .where(Payment.booking_id == booking.id, Payment.status.in_(OPEN_PAYMENT))
        .order_by(Payment.id.desc())
        .limit(1)
    )


def paid_payment(booking: Booking) -> Payment | None:
    """The payment that took this booking's deposit, if any."""
    return db.session.scalar(
        select(Payment)
        .where(Payment.booking_id == booking.id, Payment.status.in_(PAID))
        .order_by(Payment.id)
        .limit(1)
    )
