"""Offering freed time to waiting clients: the job, and the client's answer.

``run`` (``flask waitlist offer``, cron every minute) does three things, each
item in its own transaction so any number of runs on any number of hosts may
overlap:

1. settle live offers: a confirmed booking books the entry; a hold declined,
   let go or run out ends the offer and puts the entry back in the queue;
2. expire entries whose last day has gone by;
3. for each service with waiting entries, ask the availability engine once for
   its open slots over the days those entries name, then walk the entries
   oldest first and hold the first slot that suits each one. The entry is
   claimed by a conditional UPDATE (waiting -> offered: only one run can win it)
   and the slot by an ordinary hold, so the database's no-overlap constraint
   decides between two runs, and between a run and a client booking directly.

The work is bounded by the waiting entries (and the slots of their services over
their days), never by the catalogue. A slot once offered to an entry is never
offered to it again, so a declined or lapsed time goes to the next in line.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import distinct, select, update

from ...models import (
    LIVE_OFFER,
    BookingStatus,
    EntryStatus,
    OfferState,
    Service,
    User,
    WaitlistEntry,
    WaitlistOffer,
    db,
)
from .. import audit
from .. import booking as bookings
from ..availability.engine import Slot
from ..common.errors import Conflict, DomainError, NotFound
from ..common.local_time import local_midnight, local_today
from ..common.rules import BookingRules
from . import entries, matching, notifications

CONFIRMED_STATES = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


@dataclass
class Report:
    """What one run did."""

    booked: int = 0
    lapsed: int = 0
    expired: int = 0
    offered: list[int] = field(default_factory=list)  # the offers' ids

    def lines(self) -> list[str]:
        return [f"Offers booked: {self.booked}", f"Offers lapsed or declined: {self.lapsed}",
                f"Entries expired: {self.expired}", f"Offers made: {len(self.offered)}"]


def run(*, now: datetime, rules: BookingRules) -> Report:
    """Settle offers, expire entries, and offer open time to the waiting, first come first
    served. Commits as it goes; safe to run twice at once."""
    report = Report()
    settle_offers(now=now, report=report)
    report.expired = expire_entries(now=now)
    db.session.commit()
    for service_id in waiting_services():
        offer_service(service_id, now=now, rules=rules, report=report)
    return report


# --- 1. settling --------------------------------------------------------------------------


def settle_offers(*, now: datetime, report: Report) -> None:
    """Move each live offer on by its booking's state (one commit per offer)."""
    ids = db.session.scalars(select(WaitlistOffer.id).where(
        WaitlistOffer.state.in_(LIVE_OFFER)).order_by(WaitlistOffer.id)).all()
    for offer_id in ids:
        offer = db.session.get(WaitlistOffer, offer_id, with_for_update=True)
        if offer is None or offer.state not in LIVE_OFFER:
            continue
        outcome = settle(offer, now=now)
        if outcome is OfferState.BOOKED:
            report.booked += 1
        elif outcome is OfferState.LAPSED:
            report.lapsed += 1
        db.session.commit()


def settle(offer: WaitlistOffer, *, now: datetime) -> OfferState:
    """The offer's state after looking at its booking (booked, lapsed, or still live)."""
    booking, entry = offer.booking, offer.entry
    if booking.status in CONFIRMED_STATES:
        offer.state = OfferState.BOOKED
        entry.status = EntryStatus.BOOKED
        entry.ended_at = now
    elif bookings.hold_is_live(booking, now):
        return offer.state
    else:
        if booking.status is BookingStatus.HELD:  # lapsed: free its time now
            if bookings.open_payment(booking) is not None:
                return offer.state  # the bank's answer decides; reconcile settles it
            bookings.expire_lapsed_holds(now=now, therapist_ids=[booking.therapist_id])
        offer.state = OfferState.LAPSED
        offer.answered_at = offer.answered_at or now
        _back_in_line(entry)
    return offer.state


def _back_in_line(entry: WaitlistEntry) -> None:
    if entry.status is EntryStatus.OFFERED:
        entry.status = EntryStatus.WAITING


def expire_entries(*, now: datetime) -> int:
    """Mark waiting entries whose last day has gone by (in their clinic's zone) expired."""
    stale = db.session.scalars(select(WaitlistEntry).where(
        WaitlistEntry.status == EntryStatus.WAITING,
        WaitlistEntry.last_day < (now + timedelta(days=1)).date())).all()
    count = 0
    for entry in stale:
        if entry.last_day < local_today(entry.clinic.timezone, now):
            entry.status = EntryStatus.EXPIRED
            entry.ended_at = now
            count += 1
    return count


# --- 2. offering --------------------------------------------------------------------------


def waiting_services() -> list[int]:
    """The services someone is waiting for."""
    return list(db.session.scalars(select(distinct(WaitlistEntry.service_id)).where(
        WaitlistEntry.status == EntryStatus.WAITING).order_by(WaitlistEntry.service_id)))


def waiting_entries(service_id: int, *, first: date, last: date):
    """The waiting entries of a service whose days meet [first, last], oldest first
    (read through ``ix_waitlist_entries_match``)."""
    return list(db.session.scalars(select(WaitlistEntry).where(
        WaitlistEntry.service_id == service_id, WaitlistEntry.status == EntryStatus.WAITING,
        WaitlistEntry.first_day <= last, WaitlistEntry.last_day >= first,
    ).order_by(WaitlistEntry.created_at, WaitlistEntry.id)))


def offer_service(service_id: int, *, now: datetime, rules: BookingRules,
                  report: Report) -> None:
    """Offer the open slots of one service to its waiting entries, oldest first."""
    service = db.session.get(Service, service_id)
    tz = service.clinic.timezone
    today = local_today(tz, now)
    queue = waiting_entries(service_id, first=today, last=today + timedelta(
        days=rules.horizon_days + 1))
    if not queue:
        return
    slots = _open_slots(service, queue, now=now, rules=rules)
    for entry in queue:
        offer = offer_entry(entry, slots, now=now, rules=rules)
        db.session.commit()
        if offer is not None:
            report.offered.append(offer.id)
            slots = [s for s in slots if not _clashes(s, offer)]


def _open_slots(service: Service, queue: list[WaitlistEntry], *, now: datetime,
                rules: BookingRules) -> list[Slot]:
    """The service's open slots over the days the queue names (the engine's answer)."""
    tz = service.clinic.timezone
    first = min(e.first_day for e in queue)
    last = max(e.last_day for e in queue)
    start = max(now, local_midnight(first, tz))
    end = min(now + rules.horizon, local_midnight(last + timedelta(days=1), tz))
    if end <= start:
        return []
    return bookings.slots_between(service, start=start, end=end, therapist_id=None, now=now,
                               rules=rules)


def _clashes(slot: Slot, offer: WaitlistOffer) -> bool:
    booking = offer.booking
    return slot.therapist_id == booking.therapist_id and (
        slot.starts_at < booking.blocked_until and booking.blocked_from < slot.ends_at)


def offer_entry(entry: WaitlistEntry, slots: list[Slot], *, now: datetime,
                rules: BookingRules) -> WaitlistOffer | None:
    """Hold the first slot that suits ``entry`` and e-mail the offer; None when none does
    (or another run has the entry)."""
    offered_before = {o.starts_at for o in entry.offers}
    for slot in slots:
        minutes = matching.offer_minutes(slot, now=now, rules=rules)
        if not minutes or slot.starts_at in offered_before or not matching.suits(entry, slot):
            continue
        try:
            with db.session.begin_nested():
                return _make_offer(entry, slot, minutes=minutes, now=now, rules=rules)
        except _EntryGone:
            return None
        except DomainError:  # taken meanwhile, or no longer bookable: the next slot
            continue
    return None


class _EntryGone(Exception):
    """Another run offered this entry something, or the client left, meanwhile."""


def _make_offer(entry: WaitlistEntry, slot: Slot, *, minutes: int, now: datetime,
                rules: BookingRules) -> WaitlistOffer:
    claimed = db.session.execute(
        update(WaitlistEntry)
        .where(WaitlistEntry.id == entry.id, WaitlistEntry.status == EntryStatus.WAITING)
        .values(status=EntryStatus.OFFERED),
        execution_options={"synchronize_session": False})
    if claimed.rowcount != 1:
        raise _EntryGone
    booking = bookings.place_hold(
        service=entry.service, therapist_id=slot.therapist_id, starts_at=slot.starts_at,
        client=entry.client, hold_token=None, now=now, rules=rules, hold_minutes=minutes,
        release_others=False)
    token = secrets.token_urlsafe(32)
    offer = WaitlistOffer(entry_id=entry.id, booking_id=booking.id, token_hash=token_hash(token),
                          starts_at=slot.starts_at, state=OfferState.OPEN,
                          expires_at=booking.hold_expires_at, created_at=now)
    db.session.add(offer)
    db.session.flush()
    db.session.refresh(entry)
    notifications.offer_made(offer, token=token)
    audit.record(actor=None, action="waitlist.offer", obj=offer, clinic_id=entry.clinic_id,
                 detail={"booking": booking.reference}, now=now)
    return offer


# --- the client's answer ------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def offer_for(token: str, *, client: User) -> WaitlistOffer:
    """The offer the e-mailed link names, if it is ``client``'s; NotFound otherwise."""
    offer = None
    if token and len(token) <= 100:
        offer = db.session.scalar(select(WaitlistOffer).where(
            WaitlistOffer.token_hash == token_hash(token)))
    if offer is None or offer.entry.client_id != client.id:
        raise NotFound("This waitlist offer does not exist, or is not yours.")
    return offer


def require_open(offer: WaitlistOffer, *, now: datetime) -> None:
    """Raise Conflict (with what happened) unless the offer's time is still held."""
    if offer.state is OfferState.BOOKED or offer.booking.status in CONFIRMED_STATES:
        raise Conflict("You booked this time already.")
    if offer.state not in LIVE_OFFER or not bookings.hold_is_live(offer.booking, now):
        raise Conflict("This offer has ended: the time was only held for you until "
                       "the offer ran out or was declined.")


def accept(offer: WaitlistOffer, *, client: User, now: datetime):
    """Go ahead with the offered time: the held booking, whose next step is the intake."""
    if offer.entry.client_id != client.id:
        raise NotFound("This waitlist offer does not exist, or is not yours.")
    require_open(offer, now=now)
    if offer.state is OfferState.OPEN:
        offer.state = OfferState.ACCEPTED
        offer.answered_at = now
        audit.record(actor=client, action="waitlist.accept", obj=offer,
                     clinic_id=offer.entry.clinic_id, now=now)
    return offer.booking


def decline(offer: WaitlistOffer, *, client: User, now: datetime) -> WaitlistOffer:
    """Turn the offered time down: it goes to the next in line; the client keeps waiting."""
    if offer.entry.client_id != client.id:
        raise NotFound("This waitlist offer does not exist, or is not yours.")
    require_open(offer, now=now)
    entries.release_offer(offer, state=OfferState.DECLINED, actor=client, now=now)
    _back_in_line(offer.entry)
    audit.record(actor=client, action="waitlist.decline", obj=offer,
                 clinic_id=offer.entry.clinic_id, now=now)
    return offer
