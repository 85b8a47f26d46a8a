"""Buying a gift card: the card is paid in full through the payment provider with the
same guarantees as a deposit (``booking/deposits.py``).

The card row, with our idempotency key ``giftcard-<reference>-<attempt>``, is committed
before the provider hears of it; the intent is created, its id stored and committed,
then confirmed in a second call, so an answer lost to a timeout is recovered by asking
for that intent (the page, the webhook or ``reconcile-payments``), never by charging
again. ``settle`` applies what the provider says and only moves forward: the purchase
credit, the receipt and the delivery happen once, on the move into ``paid``.

A card whose bank asks for 3-D Secure leaves the intent in ``requires_action``: the
answer is ``Outcome.REQUIRES_ACTION`` with the intent's client secret, the buyer answers
their bank (Stripe.js; offline ``answer_bank_check`` plays the bank), and ``refresh``
asks the provider how it went. Paying again with another card meanwhile cancels that
intent first, so the check answered late can never charge as well.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ...models import Clinic, EntryKind, GiftCard, GiftCardStatus, User, db
from .. import audit
from ..common.errors import FieldError
from ..common.local_time import local_today
from ..payments import (
    PLAIN_ERRORS,
    IntentState,
    PaymentGateway,
    PaymentRefused,
    PaymentUnavailable,
)
from . import delivery, ledger, notices

MIN_CENTS, MAX_CENTS = 25_00, 500_00  # whole dollars only
PRESETS_CENTS = (25_00, 50_00, 100_00, 150_00)
#: A card can be sent on any day from today to this many days ahead (the clinic's days).
MAX_AHEAD_DAYS = 365
#: A card is valid this many years after it was paid for; then what is left expires.
VALID_YEARS = 5
#: An attempt without an intent yet is another request's, still talking to the provider.
IN_FLIGHT = timedelta(seconds=60)
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_DECLINED = "The card was declined."
_IN_FLIGHT = "Your payment is already being sent; this page updates when it is done."
PAID_STATUSES = (GiftCardStatus.PAID, GiftCardStatus.ACTIVE, GiftCardStatus.EXPIRED)


class Outcome(enum.StrEnum):
    PAID = "paid"
    DECLINED = "declined"
    REQUIRES_ACTION = "requires_action"  # the bank's 3-D Secure check waits for the buyer
    PROCESSING = "processing"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class PurchaseResult:
    outcome: Outcome
    message: str = ""
    client_secret: str | None = None  # with REQUIRES_ACTION: for Stripe.js's check


def check_amount(amount_cents: int) -> None:
    """Raise a ``FieldError`` unless the amount is whole dollars within the bounds."""
    if amount_cents % 100 or not MIN_CENTS <= amount_cents <= MAX_CENTS:
        raise FieldError("amount", f"Choose a whole-dollar amount from ${MIN_CENTS // 100} "
                                   f"to ${MAX_CENTS // 100}.")


def check_delivery_day(day: date, *, tz: str, now: datetime) -> None:
    """Raise a ``FieldError`` unless ``day`` is today or up to a year ahead (in ``tz``)."""
    today = local_today(tz, now)
    if day < today:
        raise FieldError("deliver_on", "Choose today or a later day for the e-mail.")
    if day > today + timedelta(days=MAX_AHEAD_DAYS):
        raise FieldError("deliver_on", "Choose a day within a year from today.")


def start(*, buyer: User, clinic: Clinic, amount_cents: int, recipient_name: str,
          recipient_email: str, message: str, deliver_on: date | None,
          now: datetime) -> GiftCard:
    """A card waiting for its payment (the caller commits it before paying)."""
    tz = clinic.timezone
    deliver_on = deliver_on or local_today(tz, now)
    check_amount(amount_cents)
    check_delivery_day(deliver_on, tz=tz, now=now)
    reference = "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(10))
    card = GiftCard(
        reference=reference, clinic=clinic, buyer=buyer, amount_cents=amount_cents,
        currency="usd", recipient_name=recipient_name.strip()[:100],
        recipient_email=recipient_email.strip()[:254], message=(message or "").strip()[:500],
        deliver_on=deliver_on, timezone=tz, status=GiftCardStatus.PENDING,
        idempotency_key=f"giftcard-{reference}-1", attempts=1, created_at=now)
    db.session.add(card)
    db.session.flush()
    audit.record(actor=buyer, action="gift_card.start", obj=card, clinic_id=clinic.id, now=now,
                 detail={"amount_cents": amount_cents, "deliver_on": deliver_on.isoformat()})
    return card


# --- paying ------------------------------------------------------------------------------


def pay(card: GiftCard, *, payment_method: str, gateway: PaymentGateway,
        now: datetime) -> PurchaseResult:
    """Charge the card's amount. Commits (its attempt before the provider is called).

    A retry resumes an attempt the provider may still charge (the same card while its
    bank's check waits: the check again); a new attempt starts only when the last one
    definitely cannot charge (another card: the waiting intent is cancelled first).
    """
    ledger.lock(card)
    if card.status in PAID_STATUSES:
        return PurchaseResult(Outcome.PAID)
    try:
        resumed = _resume(card, payment_method, gateway=gateway, now=now)
        if isinstance(resumed, PurchaseResult):
            return resumed
        if resumed is not None:
            return _finish(card, resumed, gateway=gateway, now=now)
        state = _create(card, payment_method, gateway=gateway)
        if isinstance(state, PurchaseResult):
            return state
        state = gateway.confirm_intent(state.id, idempotency_key=f"{card.idempotency_key}:c")
    except PaymentUnavailable as exc:
        db.session.commit()
        return PurchaseResult(Outcome.UNAVAILABLE, str(exc))
    except PaymentRefused as exc:
        db.session.rollback()
        return refresh(card, gateway=gateway, now=now) or PurchaseResult(
            Outcome.DECLINED, str(exc))
    return _finish(card, state, gateway=gateway, now=now)


def _resume(card: GiftCard, payment_method: str, *, gateway,
            now: datetime) -> IntentState | PurchaseResult | None:
    """The open attempt's state when it may still charge, a result when another request
    is still making it (a double click), or None after starting a new attempt."""
    fresh = card.attempt_started_at is not None and card.attempt_started_at > now - IN_FLIGHT
    if card.status is GiftCardStatus.PENDING and card.intent_id is None:
        if fresh:
            return PurchaseResult(Outcome.PROCESSING, _IN_FLIGHT)
        _new_attempt(card, now)  # never confirmed, so it cannot have charged
        return None
    if card.status is GiftCardStatus.PENDING:
        state = gateway.retrieve_intent(card.intent_id)
        if state.status in ("succeeded", "processing"):
            return state
        if fresh and state.status == "requires_confirmation":
            return PurchaseResult(Outcome.PROCESSING, _IN_FLIGHT)
        if state.status == "requires_action" and state.payment_method == payment_method:
            return state  # the same card again: its bank's check is still waiting
        if state.status in ("requires_confirmation", "requires_action"):
            state = gateway.cancel_intent(state.id)  # another card now: it must never charge
        settle(card, state, now=now)
        db.session.commit()
    _new_attempt(card, now)
    return None


def _new_attempt(card: GiftCard, now: datetime) -> None:
    if card.intent_id is not None or card.status is GiftCardStatus.DECLINED:
        card.attempts += 1
        card.idempotency_key = f"giftcard-{card.reference}-{card.attempts}"
    card.intent_id, card.status, card.failure_message = None, GiftCardStatus.PENDING, None
    card.attempt_started_at = now
    db.session.commit()  # our record of the attempt exists before the provider hears of it


def _create(card: GiftCard, payment_method: str, *, gateway):
    try:
        state = gateway.create_intent(
            amount=card.amount_cents, payment_method=payment_method,
            metadata={"gift_card": card.reference, "kind": "gift_card"},
            idempotency_key=card.idempotency_key)
    except (PaymentUnavailable, PaymentRefused) as exc:
        card.status, card.failure_message = GiftCardStatus.DECLINED, str(exc)[:500]
        db.session.commit()  # never confirmed, so it cannot charge
        outcome = Outcome.UNAVAILABLE if isinstance(exc, PaymentUnavailable) else Outcome.DECLINED
        return PurchaseResult(outcome, str(exc))
    card.intent_id = state.id
    db.session.commit()
    return state


def refresh(card: GiftCard, *, gateway: PaymentGateway, now: datetime) -> PurchaseResult | None:
    """Ask the provider how the open attempt stands (back from the bank's check, or the
    page polling while processing). None when no attempt is open."""
    if card.status is not GiftCardStatus.PENDING or card.intent_id is None:
        return None
    try:
        state = gateway.retrieve_intent(card.intent_id)
    except (PaymentUnavailable, PaymentRefused) as exc:
        return PurchaseResult(Outcome.UNAVAILABLE, str(exc))
    return _finish(card, state, gateway=gateway, now=now)


def answer_bank_check(card: GiftCard, *, approve: bool, gateway: PaymentGateway,
                      now: datetime) -> PurchaseResult | None:
    """Offline only: the buyer plays their bank in the 3-D Secure check the open attempt
    waits for, then the attempt is settled as after the real check. Commits. None when
    no attempt is open (it was settled meanwhile)."""
    ledger.lock(card)  # a double click waits here, then finds the card settled
    if card.status in PAID_STATUSES:
        return PurchaseResult(Outcome.PAID)
    if card.status is not GiftCardStatus.PENDING or card.intent_id is None:
        return None
    try:
        state = gateway.retrieve_intent(card.intent_id)
        if state.status == "requires_action":
            state = gateway.answer_bank_check(state.id, client_secret=state.client_secret or "",
                                              approve=approve)
    except (PaymentUnavailable, PaymentRefused) as exc:
        db.session.commit()
        return PurchaseResult(Outcome.UNAVAILABLE, str(exc))
    return _finish(card, state, gateway=gateway, now=now)


def _finish(card: GiftCard, state: IntentState, *, gateway, now) -> PurchaseResult:
    stale = card.attempt_started_at is None or card.attempt_started_at <= now - IN_FLIGHT
    if state.status == "requires_confirmation" and stale:
        state = gateway.cancel_intent(state.id)  # created, never confirmed: it must not charge
    result = settle(card, state, now=now)
    db.session.commit()
    return result


# --- settling what the provider says ------------------------------------------------------


def settle(card: GiftCard, state: IntentState, *, now: datetime) -> PurchaseResult:
    """Apply the provider's state of the card's intent. Does not commit; safe to repeat."""
    ledger.lock(card)
    if card.status in PAID_STATUSES:
        return PurchaseResult(Outcome.PAID)
    if state.id != card.intent_id:
        return PurchaseResult(Outcome.PROCESSING)  # an older attempt's news: not ours now
    if state.status == "succeeded":
        if state.amount != card.amount_cents or state.currency.lower() != card.currency:
            return PurchaseResult(Outcome.PROCESSING, "The amount paid differs from the card.")
        _mark_paid(card, now)
        return PurchaseResult(Outcome.PAID)
    if state.status in ("requires_payment_method", "canceled"):
        card.status = GiftCardStatus.DECLINED
        message = PLAIN_ERRORS.get(state.error_code or "") or state.error_message
        card.failure_message = (message or _DECLINED)[:500]
        return PurchaseResult(Outcome.DECLINED, card.failure_message)
    if state.status == "requires_action":
        return PurchaseResult(Outcome.REQUIRES_ACTION, client_secret=state.client_secret)
    return PurchaseResult(Outcome.PROCESSING)


def _mark_paid(card: GiftCard, now: datetime) -> None:
    card.status, card.paid_at, card.failure_message = GiftCardStatus.PAID, now, None
    card.expires_at = expiry_for(now)
    ledger.post(card, kind=EntryKind.PURCHASE, amount_cents=card.amount_cents, now=now)
    audit.record(actor=None, action="gift_card.paid", obj=card, clinic_id=card.clinic_id,
                 now=now, detail={"amount_cents": card.amount_cents,
                                  "intent_id": card.intent_id})
    notices.receipt(card)
    if card.deliver_on <= local_today(card.timezone, now):
        delivery.deliver(card, now=now)


def expiry_for(paid_at: datetime) -> datetime:
    """``VALID_YEARS`` after payment, to the second (29 February becomes 28 February)."""
    try:
        return paid_at.replace(year=paid_at.year + VALID_YEARS)
    except ValueError:
        return paid_at.replace(year=paid_at.year + VALID_YEARS, day=28)


def card_for_intent(intent_id: str | None, metadata: dict) -> GiftCard | None:
    """Our card for a provider intent: by its id, or (our record lost the id to a timeout)
    by the reference in the intent's metadata, if that card's attempt has no intent yet."""
    if not intent_id:
        return None
    card = db.session.scalar(select(GiftCard).where(GiftCard.intent_id == intent_id))
    if card is not None:
        return card
    reference = metadata.get("gift_card") if isinstance(metadata, dict) else None
    if not isinstance(reference, str) or len(reference) > 12:
        return None
    card = db.session.scalar(select(GiftCard).where(GiftCard.reference == reference))
    if card is None or card.intent_id is not None or card.status is not GiftCardStatus.PENDING:
        return None
    return card


def by_reference(reference: str) -> GiftCard | None:
    """The card with this reference (any case), or None."""
    return db.session.scalar(select(GiftCard).where(GiftCard.reference == reference.upper()))
