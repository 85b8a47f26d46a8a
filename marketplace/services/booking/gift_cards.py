"""Paying a deposit (or part of it) with a gift card, and giving that part back.

The card's row is locked while its balance is read and debited (``giftcards.ledger``),
so two checkouts spending one card are decided in turn. The debited amount is kept on
the booking (``bookings.gift_card_cents``); the card pays the rest of the deposit or
all of it, in which case the booking is confirmed at once. The part goes back to the
card (a ``return`` ledger row) when the card payment for the rest fails, when the
hold ends without a booking (released, lapsed: ``return_unused``, run by the jobs),
and when a confirmed booking is cancelled under a policy that refunds the deposit.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, or_, select

from ...models import (
    Booking,
    BookingStatus,
    EntryKind,
    GiftCard,
    GiftCardEntry,
    GiftCardStatus,
    User,
    db,
)
from .. import audit
from ..common.errors import Conflict, FieldError, NotAllowed
from ..common.local_time import describe_time
from ..giftcards import codes, ledger
from . import checkout, holds
from .holds import HoldLapsed, hold_is_live, open_payment, require_live_hold


class GiftCardRefused(FieldError):
    """A code that cannot pay this deposit; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__("code", message)


_UNKNOWN = "We do not know that gift card code. Check it against the e-mail and try again."


def find_card(code: str) -> GiftCard | None:
    """The delivered card with this code, found by the code's hash."""
    plain = codes.normalise(code)
    if plain is None:
        return None
    return db.session.scalar(
        select(GiftCard).where(GiftCard.code_hash == codes.code_hash(plain)))


def usable_card(code: str, *, clinic, now: datetime) -> GiftCard:
    """The card with ``code``, locked, if it can pay at ``clinic`` now (its lapsed holds'
    shares returned first); raises GiftCardRefused saying why not."""
    card = find_card(code)
    if card is None:
        raise GiftCardRefused(_UNKNOWN)
    if card.clinic_id != clinic.id:
        raise GiftCardRefused(f"This gift card is for {card.clinic.name}; it cannot pay "
                              f"at {clinic.name}.")
    ledger.lock(card)
    return_unused(card=card, now=now)
    if card.status is GiftCardStatus.EXPIRED or (card.expires_at and card.expires_at <= now):
        raise GiftCardRefused(
            f"This gift card expired on {describe_time(card.expires_at, card.timezone)}.")
    if card.status is not GiftCardStatus.ACTIVE:
        raise GiftCardRefused(_UNKNOWN)
    if card.balance_cents <= 0:
        raise GiftCardRefused("This gift card has been used up.")
    return card


def redeem_gift_card(booking: Booking, *, code: str, client: User, now: datetime) -> int:
    """Pay the held booking's deposit from the card with ``code``, as much as its balance
    allows; returns the cents taken. Confirms the booking when the card pays it all."""
    _check_redeemable(booking, client, now)
    card = usable_card(code, clinic=booking.clinic, now=now)
    taken = min(card.balance_cents, booking.deposit_cents)
    ledger.post(card, kind=EntryKind.REDEMPTION, amount_cents=taken, booking=booking, now=now)
    booking.gift_card_cents = taken
    audit.record(actor=client, action="gift_card.redeem", obj=booking, now=now,
                 detail={"gift_card": card.reference, "amount_cents": taken})
    if booking.card_deposit_cents == 0 and not checkout.confirm(booking, payment=None, now=now):
        raise HoldLapsed("Your hold on this time ran out, so the slot was released.")
    return taken


def _check_redeemable(booking: Booking, client: User, now: datetime) -> None:
    if booking.client_id != client.id:
        raise NotAllowed("Only the client who holds this time can pay for it.")
    require_live_hold(booking, now)
    checkout.require_ready_to_pay(booking)
    if booking.deposit_cents <= 0:
        raise Conflict("This booking needs no deposit.")
    if open_payment(booking) is not None:
        raise Conflict("A card payment is in progress; a gift card cannot be added now.")
    if booking.gift_card_cents > 0:
        raise Conflict("A gift card already pays part of this deposit; remove it first.")


def remove_gift_card(booking: Booking, *, client: User, now: datetime) -> int:
    """Take the gift card off a held booking; its part goes back to the card."""
    if booking.client_id != client.id:
        raise NotAllowed("Only the client who holds this time can change its payment.")
    require_live_hold(booking, now)
    if open_payment(booking) is not None:
        raise Conflict("A card payment is in progress; the gift card cannot be removed now.")
    return give_back(booking, now=now)


def give_back(booking: Booking, *, now: datetime, amount: int | None = None) -> int:
    """Return the gift card part of a booking's deposit (or ``amount`` of it) to the card.
    Does not commit; returns the cents returned (0 when there is nothing to return)."""
    card, held = ledger.applied_to(booking)
    amount = held if amount is None else min(amount, held)
    if card is None or amount <= 0:
        return 0
    ledger.lock(card)
    ledger.post(card, kind=EntryKind.RETURN, amount_cents=amount, booking=booking, now=now)
    if card.status is GiftCardStatus.EXPIRED:  # value coming back after the expiry date
        ledger.post(card, kind=EntryKind.EXPIRY, amount_cents=amount, now=now)
    if booking.confirmed_at is None:
        booking.gift_card_cents = 0
    audit.record(actor=None, action="gift_card.return", obj=booking, now=now,
                 detail={"gift_card": card.reference, "amount_cents": amount})
    return amount


def release_hold(booking: Booking, *, actor: User | None, now: datetime) -> None:
    """The client lets the held time go; a gift card part goes back to the card."""
    holds.release_hold(booking, actor=actor, now=now)
    give_back(booking, now=now)


def after_failed_payment(booking: Booking, *, now: datetime) -> int:
    """The card payment for the rest of a deposit failed: the gift card part goes back."""
    if booking.gift_card_cents <= 0 or booking.confirmed_at is not None:
        return 0
    return give_back(booking, now=now)


def return_unused(*, now: datetime, card: GiftCard | None = None) -> int:
    """Give back the gift card part of every hold that ended without a booking (let go,
    lapsed, stopped), for one card or all. Does not commit; returns how many."""
    unused = or_(
        Booking.status.in_((BookingStatus.CANCELLED, BookingStatus.EXPIRED)),
        and_(Booking.status == BookingStatus.HELD, Booking.hold_expires_at <= now),
    )
    query = (select(Booking).join(GiftCardEntry, GiftCardEntry.booking_id == Booking.id)
             .where(Booking.gift_card_cents > 0, Booking.confirmed_at.is_(None), unused)
             .group_by(Booking.id).having(func.sum(GiftCardEntry.amount_cents) < 0)
             .order_by(Booking.id))
    if card is not None:
        query = query.where(GiftCardEntry.gift_card_id == card.id)
    count = 0
    for booking in db.session.scalars(query).all():
        if open_payment(booking) is not None or (
                booking.status is BookingStatus.HELD and hold_is_live(booking, now)):
            continue  # its payment may still confirm it
        if give_back(booking, now=now):
            count += 1
    return count
