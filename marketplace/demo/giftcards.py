"""The demo's gift card: Casey Client bought $50 at Solely Therapeutic Massage for
Robin Client three hours ago; it was sent at once, and Robin spent $23 of it on the
deposit of the upcoming myofascial release session (``DEMOU2S2``), which the card
paid in full. Casey's "Gift cards" page shows it with $27 left; the clinic's money
page shows the sale, the redemption and $27 outstanding.

Written like the seeded deposits: as already paid, without talking to a provider
(intent ``pi_seed_giftcard_...``; ``flask seed-payments`` later pays it at the local
Stripe stand-in), with its ledger rows posted through ``giftcards.ledger`` so the
balance is their sum. No e-mail is sent; Robin's code is published with the demo
sign-ins (``DEMO_GIFT_CODE``) so the $27 left can be spent while demonstrating.
Created once, found again by its reference.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..models import Booking, BookingStatus, EntryKind, GiftCard, GiftCardStatus, Payment, db
from ..services.common.local_time import local_today
from ..services.giftcards import codes, ledger, purchase
from .common import clinic_by_slug
from .data import SOLELY

REFERENCE = "DEMOGIFTS2"
#: Robin's code, published like the demo password (16 characters of the codes' alphabet).
DEMO_GIFT_CODE = "KNEADEDCARDS2627"
AMOUNT_CENTS = 50_00
BUYER, RECIPIENT = "client@demo.test", "client2@demo.test"
#: The demo booking whose deposit the card paid (``schedule.UPCOMING``).
REDEEMED_ON = "DEMOU2S2"
PAID_HOURS_AGO = 3


def ensure_demo_gift_card(users, now: datetime) -> GiftCard:
    """The demo card, created (paid, delivered, partly spent) when it is missing."""
    card = db.session.scalar(select(GiftCard).where(GiftCard.reference == REFERENCE))
    if card is not None:
        return card
    card = _paid_card(users, now)
    booking = db.session.scalar(select(Booking).where(Booking.reference == REDEEMED_ON))
    if booking is not None and _can_pay(booking, card):
        _redeem(card, booking)
    return card


def _paid_card(users, now: datetime) -> GiftCard:
    clinic = clinic_by_slug(SOLELY.slug)
    buyer, recipient = users[BUYER], users[RECIPIENT]
    paid_at = now - timedelta(hours=PAID_HOURS_AGO)
    card = GiftCard(
        reference=REFERENCE, clinic=clinic, buyer=buyer, amount_cents=AMOUNT_CENTS,
        currency="usd", recipient_name=recipient.name, recipient_email=recipient.email,
        message="For that shoulder. Enjoy!", deliver_on=local_today(clinic.timezone, paid_at),
        timezone=clinic.timezone, status=GiftCardStatus.ACTIVE, balance_cents=0,
        code_hash=codes.code_hash(DEMO_GIFT_CODE), code_last4=DEMO_GIFT_CODE[-4:],
        idempotency_key=f"seed:{REFERENCE}", intent_id=f"pi_seed_giftcard_{REFERENCE.lower()}",
        attempts=1, attempt_started_at=paid_at - timedelta(minutes=1),
        created_at=paid_at - timedelta(minutes=2), paid_at=paid_at, delivered_at=paid_at,
        expires_at=purchase.expiry_for(paid_at))
    db.session.add(card)
    ledger.lock(card)
    ledger.post(card, kind=EntryKind.PURCHASE, amount_cents=AMOUNT_CENTS, now=paid_at)
    return card


def _seeded_deposit(booking: Booking) -> Payment | None:
    return db.session.scalar(select(Payment).where(Payment.booking_id == booking.id))


def _can_pay(booking: Booking, card: GiftCard) -> bool:
    """Only a booking made after the card was bought, whose deposit is still the seed's
    own row (never sent to a provider), nothing of it refunded or paid by another card."""
    payment = _seeded_deposit(booking)
    return (booking.status is BookingStatus.CONFIRMED and booking.deposit_cents > 0
            and not booking.gift_card_cents and booking.created_at > card.paid_at
            and payment is not None and payment.intent_id.startswith("pi_seed_")
            and payment.amount_cents == booking.deposit_cents and not payment.refunded_cents)


def _redeem(card: GiftCard, booking: Booking) -> None:
    """The card pays what it can of the deposit when the booking was made; a seeded
    card payment keeps only the rest (and goes when nothing is left to pay)."""
    taken = min(card.balance_cents, booking.deposit_cents)
    ledger.lock(card)
    ledger.post(card, kind=EntryKind.REDEMPTION, amount_cents=taken, booking=booking,
                now=booking.created_at + timedelta(minutes=1))
    booking.gift_card_cents = taken
    payment = _seeded_deposit(booking)
    if booking.card_deposit_cents:
        payment.amount_cents = booking.card_deposit_cents
    else:
        db.session.delete(payment)
