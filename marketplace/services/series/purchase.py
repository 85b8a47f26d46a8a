"""Buying a series: paid in full through the payment provider, with the guarantees
of a deposit (``booking/deposits.py``).

The purchase row, with our idempotency key ``series-<reference>-<attempt>``, is
committed before the provider hears of it; the intent is created (its id stored and
committed), then confirmed in a second call, so an answer lost to a timeout is
recovered by asking for that intent (the page, the webhook or ``reconcile-payments``),
never by charging again. A bank that asks for its 3-D Secure check leaves the
purchase pending with the intent waiting (``requires_action``): the client answers
it (offline, the stand-in's check; ``answer_bank_check``) and it is settled as any
other. ``settle`` only moves forward: the series is paid once.

The offer's rules and the clinic's cancellation window are copied onto the purchase
when it starts: what the client read before paying is what applies.

A gift card of the clinic may pay part or all of the price first (``gift_cards``); the
card payment is then for the rest (``card_cents``), and a declined or abandoned one
gives the gift part back to the card.
"""

from __future__ import annotations

import enum
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ...models import SeriesOffer, SeriesPurchase, SeriesStatus, User, db
from .. import audit
from ..booking.holds import check_bookable
from ..common.errors import Conflict, NotAllowed
from ..payments import IntentState, PaymentGateway, PaymentRefused, PaymentUnavailable
from . import gift_cards, notices, offers

#: An attempt without an intent yet is another request's, still talking to the provider.
IN_FLIGHT = timedelta(seconds=60)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_DECLINED = "The card was declined."
_GIFT_RETURNED = ("The earlier payment did not finish, so your gift card's part went back to "
                  "it. Nothing was charged; enter the code again or pay the whole price.")
_IN_FLIGHT = "Your payment is already being sent; this page updates when it is done."
_PLAIN_ERRORS = {
    "payment_intent_authentication_failure": "Your bank's security check was not passed.",
}


class Outcome(enum.StrEnum):
    PAID = "paid"
    DECLINED = "declined"
    REQUIRES_ACTION = "requires_action"  # the bank's 3-D Secure check waits for the client
    PROCESSING = "processing"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class PurchaseResult:
    outcome: Outcome
    message: str = ""
    client_secret: str | None = None


def policy_text(offer: SeriesOffer) -> str:
    """The rules shown before purchase and stored with it."""
    return " ".join([
        f"{offer.sessions} sessions of {offer.service.name}, valid for "
        f"{offers.validity_text(offer.validity_days)} from payment.",
        offers.late_text(offer, offer.clinic.cancellation_window_hours),
        offers.refund_text(offer)])


def start(*, client: User, offer: SeriesOffer, now: datetime) -> SeriesPurchase:
    """A series waiting for its payment, with the offer's rules copied on (the caller
    commits it before paying)."""
    check_bookable(offer.clinic, offer.service)
    reference = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    purchase = SeriesPurchase(
        reference=reference, offer_id=offer.id, clinic_id=offer.clinic_id,
        service_id=offer.service_id, client_id=client.id, sessions_total=offer.sessions,
        price_cents=offer.price_cents, currency="usd", validity_days=offer.validity_days,
        refund_rule=offer.refund_rule, refund_fee_cents=offer.refund_fee_cents,
        late_rule=offer.late_rule, cancellation_hours=offer.clinic.cancellation_window_hours,
        policy_text=policy_text(offer), timezone=offer.clinic.timezone,
        status=SeriesStatus.PENDING, idempotency_key=f"series-{reference}-1", attempts=1,
        created_at=now)
    db.session.add(purchase)
    db.session.flush()
    audit.record(actor=client, action="series.start", obj=purchase, clinic_id=offer.clinic_id,
                 now=now, detail={"offer_id": offer.id, "price_cents": offer.price_cents})
    return purchase


# --- paying ------------------------------------------------------------------------------


def pay(purchase: SeriesPurchase, *, payment_method: str, gateway: PaymentGateway,
        now: datetime) -> PurchaseResult:
    """Charge the series' price. Commits (its attempt before the provider is called)."""
    _lock(purchase)
    if purchase.status in (SeriesStatus.PAID, SeriesStatus.CLOSED):
        return PurchaseResult(Outcome.PAID)
    gift_before = purchase.gift_card_cents
    try:
        resumed = _resume(purchase, payment_method, gateway=gateway, now=now)
        if isinstance(resumed, PurchaseResult):
            return resumed
        if resumed is not None:
            return _finish(purchase, resumed, now=now)
        if purchase.gift_card_cents != gift_before:  # never charge more than the page said
            return PurchaseResult(Outcome.DECLINED, _GIFT_RETURNED)
        state = _create(purchase, payment_method, gateway=gateway)
        if isinstance(state, PurchaseResult):
            return state
        state = gateway.confirm_intent(state.id,
                                       idempotency_key=f"{purchase.idempotency_key}:c")
    except PaymentUnavailable as exc:
        db.session.commit()
        return PurchaseResult(Outcome.UNAVAILABLE, str(exc))
    except PaymentRefused as exc:
        db.session.rollback()
        return refresh(purchase, gateway=gateway, now=now) or PurchaseResult(
            Outcome.DECLINED, str(exc))
    return _finish(purchase, state, now=now)


def _lock(purchase: SeriesPurchase) -> None:
    db.session.flush()
    db.session.refresh(purchase, with_for_update=True)


def _resume(purchase: SeriesPurchase, payment_method: str, *, gateway,
            now: datetime) -> IntentState | PurchaseResult | None:
    """The open attempt's state when it may still charge, a result when another request
    is still making it, or None after starting a new attempt."""
    fresh = purchase.attempt_started_at is not None and \
        purchase.attempt_started_at > now - IN_FLIGHT
    if purchase.status is SeriesStatus.PENDING and purchase.intent_id is None:
        if fresh:
            return PurchaseResult(Outcome.PROCESSING, _IN_FLIGHT)
        _new_attempt(purchase, now)  # never confirmed, so it cannot have charged
        return None
    if purchase.status is SeriesStatus.PENDING:
        state = gateway.retrieve_intent(purchase.intent_id)
        if state.status in ("succeeded", "processing"):
            return state
        if state.status == "requires_action" and state.payment_method == payment_method:
            return state  # the same card: its bank's check is still waiting
        if state.status in ("requires_confirmation", "requires_action"):
            state = gateway.cancel_intent(state.id)  # another card now: this one never charges
        settle(purchase, state, now=now)
        db.session.commit()
    _new_attempt(purchase, now)
    return None


def _new_attempt(purchase: SeriesPurchase, now: datetime) -> None:
    if purchase.intent_id is not None or purchase.status is SeriesStatus.DECLINED:
        purchase.attempts += 1
        purchase.idempotency_key = f"series-{purchase.reference}-{purchase.attempts}"
    purchase.intent_id, purchase.status, purchase.failure_message = (
        None, SeriesStatus.PENDING, None)
    purchase.attempt_started_at = now
    db.session.commit()  # our record of the attempt exists before the provider hears of it


def _create(purchase: SeriesPurchase, payment_method: str, *, gateway):
    try:
        state = gateway.create_intent(
            amount=purchase.card_cents, payment_method=payment_method,
            metadata={"series": purchase.reference, "kind": "series"},
            idempotency_key=purchase.idempotency_key)
    except (PaymentUnavailable, PaymentRefused) as exc:
        purchase.status, purchase.failure_message = SeriesStatus.DECLINED, str(exc)[:500]
        gift_cards.give_back(purchase, now=purchase.attempt_started_at or purchase.created_at)
        db.session.commit()  # never confirmed, so it cannot charge
        outcome = Outcome.UNAVAILABLE if isinstance(exc, PaymentUnavailable) else \
            Outcome.DECLINED
        return PurchaseResult(outcome, str(exc))
    purchase.intent_id = state.id
    db.session.commit()
    return state


def refresh(purchase: SeriesPurchase, *, gateway: PaymentGateway,
            now: datetime) -> PurchaseResult | None:
    """Ask the provider how the open attempt stands (the page polls while processing)."""
    if purchase.status is not SeriesStatus.PENDING or purchase.intent_id is None:
        return None
    try:
        state = gateway.retrieve_intent(purchase.intent_id)
    except (PaymentUnavailable, PaymentRefused) as exc:
        return PurchaseResult(Outcome.UNAVAILABLE, str(exc))
    return _finish(purchase, state, now=now)


def answer_bank_check(purchase: SeriesPurchase, *, approve: bool, gateway: PaymentGateway,
                      now: datetime) -> PurchaseResult | None:
    """Offline only: the client plays their bank in the 3-D Secure check the attempt
    waits for; then it is settled as after the real check. None when none waits."""
    if purchase.status is not SeriesStatus.PENDING or purchase.intent_id is None:
        return None
    try:
        state = gateway.retrieve_intent(purchase.intent_id)
        if state.status == "requires_action":
            state = gateway.answer_bank_check(state.id, client_secret=state.client_secret or "",
                                              approve=approve)
    except (PaymentUnavailable, PaymentRefused) as exc:
        return PurchaseResult(Outcome.UNAVAILABLE, str(exc))
    return _finish(purchase, state, now=now)


def _finish(purchase: SeriesPurchase, state: IntentState, *, now) -> PurchaseResult:
    result = settle(purchase, state, now=now)
    db.session.commit()
    return result


# --- settling what the provider says ------------------------------------------------------


def settle(purchase: SeriesPurchase, state: IntentState, *, now: datetime) -> PurchaseResult:
    """Apply the provider's state of the purchase's intent. Does not commit; safe to repeat."""
    _lock(purchase)
    if purchase.status in (SeriesStatus.PAID, SeriesStatus.CLOSED):
        return PurchaseResult(Outcome.PAID)
    if state.id != purchase.intent_id:
        return PurchaseResult(Outcome.PROCESSING)  # an older attempt's news: not ours now
    if state.status == "succeeded":
        if state.amount != purchase.card_cents or \
                state.currency.lower() != purchase.currency:
            return PurchaseResult(Outcome.PROCESSING, "The amount paid differs from the series.")
        _mark_paid(purchase, now)
        return PurchaseResult(Outcome.PAID)
    if state.status in ("requires_payment_method", "canceled"):
        purchase.status = SeriesStatus.DECLINED
        message = _PLAIN_ERRORS.get(state.error_code or "") or state.error_message
        purchase.failure_message = (message or _DECLINED)[:500]
        gift_cards.give_back(purchase, now=now)  # the gift part goes back to the card
        return PurchaseResult(Outcome.DECLINED, purchase.failure_message)
    if state.status == "requires_action":
        return PurchaseResult(Outcome.REQUIRES_ACTION, client_secret=state.client_secret)
    return PurchaseResult(Outcome.PROCESSING)


def _mark_paid(purchase: SeriesPurchase, now: datetime) -> None:
    purchase.status, purchase.paid_at, purchase.failure_message = SeriesStatus.PAID, now, None
    purchase.expires_at = now + timedelta(days=purchase.validity_days)
    audit.record(actor=None, action="series.paid", obj=purchase, clinic_id=purchase.clinic_id,
                 now=now, detail={"price_cents": purchase.price_cents,
                                  "gift_card_cents": purchase.gift_card_cents,
                                  "intent_id": purchase.intent_id})
    notices.receipt(purchase)


# --- a gift card paying (part of) it -------------------------------------------------------


def payment_open(purchase: SeriesPurchase, now: datetime) -> bool:
    """A card payment for the series is with the provider (or being sent to it)."""
    if purchase.status is not SeriesStatus.PENDING:
        return False
    if purchase.intent_id is not None:
        return True
    return purchase.attempt_started_at is not None and \
        purchase.attempt_started_at > now - IN_FLIGHT


def redeem_gift_card(purchase: SeriesPurchase, *, code: str, client: User,
                     now: datetime) -> int:
    """Pay the unpaid series from the gift card with ``code``, as much as its balance
    allows; returns the cents taken. When it pays the whole price the series is paid at
    once with no card payment (an earlier declined attempt's intent is forgotten, so
    nothing is ever refunded to it). Does not commit."""
    _check_gift_card_change(purchase, client, now)
    if purchase.gift_card_cents > 0:
        raise Conflict("A gift card already pays part of this series; remove it first.")
    taken = gift_cards.take(purchase, code=code, client=client, now=now)
    if purchase.card_cents == 0:
        purchase.intent_id = None
        _mark_paid(purchase, now)
    return taken


def remove_gift_card(purchase: SeriesPurchase, *, client: User, now: datetime) -> int:
    """Take the gift card off an unpaid series; its part goes back to the card."""
    _check_gift_card_change(purchase, client, now)
    return gift_cards.give_back(purchase, now=now)


def _check_gift_card_change(purchase: SeriesPurchase, client: User, now: datetime) -> None:
    if purchase.client_id != client.id:
        raise NotAllowed("Only the client who buys this series can change its payment.")
    _lock(purchase)
    if purchase.status in (SeriesStatus.PAID, SeriesStatus.CLOSED):
        raise Conflict("This series is paid already.")
    if payment_open(purchase, now):
        raise Conflict("A card payment is in progress; the gift card cannot be changed now.")


# --- finding a purchase -------------------------------------------------------------------


def purchase_for_intent(intent_id: str | None, metadata: dict) -> SeriesPurchase | None:
    """Our series for a provider intent: by its id, or (our record lost the id to a
    timeout) by the reference in the intent's metadata, if that attempt has no intent."""
    if not intent_id:
        return None
    found = db.session.scalar(
        select(SeriesPurchase).where(SeriesPurchase.intent_id == intent_id))
    if found is not None:
        return found
    reference = metadata.get("series") if isinstance(metadata, dict) else None
    if not isinstance(reference, str) or len(reference) > 12:
        return None
    found = by_reference(reference)
    if found is None or found.intent_id is not None or found.status is not SeriesStatus.PENDING:
        return None
    return found


def by_reference(reference: str) -> SeriesPurchase | None:
    """The series with this reference (any case), or None."""
    if not reference or len(reference) > 12:
        return None
    return db.session.scalar(
        select(SeriesPurchase).where(SeriesPurchase.reference == reference.upper()))
