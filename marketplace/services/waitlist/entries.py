"""Joining and leaving a waitlist, and the lists the client and the clinic read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...models import (
    LIVE_ENTRY,
    LIVE_OFFER,
    BookingStatus,
    Clinic,
    EntryStatus,
    OfferState,
    Party,
    Service,
    Therapist,
    User,
    WaitlistEntry,
    WaitlistOffer,
    db,
)
from .. import audit
from .. import booking as bookings
from ..common.errors import Conflict, FieldError, NotFound
from ..common.local_time import local_today
from ..common.rules import BookingRules

#: How far ahead a waitlist may reach (never past the booking horizon either).
MAX_DAYS_AHEAD = 60
#: Live entries one client may have at once, across all clinics.
MAX_LIVE_ENTRIES = 20


@dataclass(frozen=True)
class Window:
    """What suits the client: local days (both included) and parts of the day."""

    first_day: date
    last_day: date
    morning: bool
    afternoon: bool
    evening: bool


def last_day_allowed(clinic: Clinic, *, now: datetime, rules: BookingRules) -> date:
    """The last local day a waitlist of ``clinic`` may name."""
    days = min(MAX_DAYS_AHEAD, rules.horizon_days)
    return local_today(clinic.timezone, now) + timedelta(days=days)


def check_window(window: Window, clinic: Clinic, *, now: datetime, rules: BookingRules) -> None:
    """Raise a FieldError naming the field unless the window is today or later, in order,
    within the horizon and has a part of the day."""
    today = local_today(clinic.timezone, now)
    if window.first_day < today:
        raise FieldError("first_day", "Choose a first day from today on.")
    if window.last_day < window.first_day:
        raise FieldError("last_day", "The last day cannot be before the first day.")
    latest = last_day_allowed(clinic, now=now, rules=rules)
    if window.last_day > latest:
        raise FieldError("last_day", f"Choose a last day up to {latest:%B} {latest.day}, "
                                     f"{latest.year}.")
    if not (window.morning or window.afternoon or window.evening):
        raise FieldError("morning", "Choose at least one part of the day.")


def join(
    *, client: User, clinic: Clinic, service: Service, therapist: Therapist | None,
    window: Window, now: datetime, rules: BookingRules,
) -> WaitlistEntry:
    """Put ``client`` on the waitlist of ``service`` (one therapist's, or anyone's)."""
    bookings.check_bookable(clinic, service)
    if therapist is not None and (therapist.clinic_id != clinic.id or not therapist.active
                                  or therapist not in service.therapists):
        raise FieldError("therapist", "Choose a therapist who gives this service, or anyone.")
    check_window(window, clinic, now=now, rules=rules)
    if _live_count(client) >= MAX_LIVE_ENTRIES:
        raise Conflict(f"You are on {MAX_LIVE_ENTRIES} waitlists already; leave one first.")
    if _same_live_entry(client, service, therapist) is not None:
        raise Conflict("You are already on this waitlist. Leave it first to change your "
                       "days or times.")
    entry = WaitlistEntry(
        client_id=client.id, clinic_id=clinic.id, service_id=service.id,
        therapist_id=therapist.id if therapist else None, first_day=window.first_day,
        last_day=window.last_day, morning=window.morning, afternoon=window.afternoon,
        evening=window.evening, status=EntryStatus.WAITING, created_at=now)
    db.session.add(entry)
    db.session.flush()
    audit.record(actor=client, action="waitlist.join", obj=entry, clinic_id=clinic.id, now=now)
    return entry


def _live_count(client: User) -> int:
    return db.session.scalar(select(func.count(WaitlistEntry.id)).where(
        WaitlistEntry.client_id == client.id, WaitlistEntry.status.in_(LIVE_ENTRY))) or 0


def _same_live_entry(client: User, service: Service, therapist: Therapist | None):
    same_therapist = (WaitlistEntry.therapist_id.is_(None) if therapist is None
                      else WaitlistEntry.therapist_id == therapist.id)
    return db.session.scalar(select(WaitlistEntry).where(
        WaitlistEntry.client_id == client.id, WaitlistEntry.service_id == service.id,
        same_therapist, WaitlistEntry.status.in_(LIVE_ENTRY)).limit(1))


def client_entry(client: User, entry_id: int) -> WaitlistEntry:
    """``client``'s own entry; anyone else's is NotFound too."""
    entry = db.session.get(WaitlistEntry, entry_id)
    if entry is None or entry.client_id != client.id:
        raise NotFound("No such waitlist entry.")
    return entry


def leave(*, entry: WaitlistEntry, client: User, now: datetime) -> WaitlistEntry:
    """Take ``client`` off a waitlist; a time held for them is let go for the next one."""
    if entry.client_id != client.id:
        raise NotFound("No such waitlist entry.")
    if entry.status not in LIVE_ENTRY:
        raise Conflict("You are no longer on this waitlist.")
    offer = live_offer(entry)
    if offer is not None:
        release_offer(offer, state=OfferState.DECLINED, actor=client, now=now)
    entry.status = EntryStatus.LEFT
    entry.ended_at = now
    audit.record(actor=client, action="waitlist.leave", obj=entry, clinic_id=entry.clinic_id,
                 now=now)
    return entry


def live_offer(entry: WaitlistEntry) -> WaitlistOffer | None:
    """The offer holding a time for ``entry`` right now, if any."""
    return next((o for o in entry.offers if o.state in LIVE_OFFER), None)


def release_offer(offer: WaitlistOffer, *, state: OfferState, actor: User | None,
                  now: datetime) -> None:
    """End a live offer (declined or lapsed) and let its held time go, unless it is paid."""
    booking = offer.booking
    if booking.status is BookingStatus.HELD:
        if bookings.open_payment(booking) is not None:
            raise Conflict("A payment for this time is in progress; it cannot be let go now.")
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.cancelled_by = Party.CLIENT if actor is not None else Party.SYSTEM
        booking.cancel_reason = "Waitlist offer declined" if state is OfferState.DECLINED \
            else "Waitlist offer lapsed"
    offer.state = state
    offer.answered_at = now


def client_entries(client: User, *, now: datetime) -> list[WaitlistEntry]:
    """The client's live entries and those ended in the last 30 days, newest first."""
    recent = now - timedelta(days=30)
    return list(db.session.scalars(
        select(WaitlistEntry)
        .where(WaitlistEntry.client_id == client.id,
               WaitlistEntry.status.in_(LIVE_ENTRY) | (WaitlistEntry.ended_at >= recent))
        .options(selectinload(WaitlistEntry.offers).selectinload(WaitlistOffer.booking),
                 selectinload(WaitlistEntry.clinic), selectinload(WaitlistEntry.service),
                 selectinload(WaitlistEntry.therapist))
        .order_by(WaitlistEntry.created_at.desc(), WaitlistEntry.id.desc()).limit(100)))


def clinic_waitlist(clinic: Clinic, *, now: datetime, service_id: int | None = None,
                    therapist_id: int | None = None, limit: int = 300) -> list[WaitlistEntry]:
    """A clinic's entries, queue order (live ones first), optionally of one service or
    therapist; ended ones for 30 days."""
    recent = now - timedelta(days=30)
    stmt = (select(WaitlistEntry)
            .where(WaitlistEntry.clinic_id == clinic.id,
                   WaitlistEntry.status.in_(LIVE_ENTRY) | (WaitlistEntry.ended_at >= recent))
            .options(selectinload(WaitlistEntry.offers).selectinload(WaitlistOffer.booking),
                     selectinload(WaitlistEntry.client), selectinload(WaitlistEntry.service),
                     selectinload(WaitlistEntry.therapist)))
    if service_id is not None:
        stmt = stmt.where(WaitlistEntry.service_id == service_id)
    if therapist_id is not None:
        stmt = stmt.where(WaitlistEntry.therapist_id == therapist_id)
    live_first = WaitlistEntry.status.in_(LIVE_ENTRY).desc()
    return list(db.session.scalars(
        stmt.order_by(live_first, WaitlistEntry.service_id, WaitlistEntry.created_at,
                      WaitlistEntry.id).limit(limit)))
