"""Paying for something in full through the payment provider: a gift card, a series.

The guarantees of a deposit (``booking/deposits.py``): the row, with our idempotency
key ``<key_prefix>-<reference>-<attempt>``, is committed before the provider hears of
it; the intent is created, its id stored and committed, then confirmed in a second call
(key ``...:c``), so an answer lost to a timeout is recovered by asking for that intent
(the page, the webhook or ``reconcile-payments``), never by charging again. ``settle``
applies what the provider says and only moves forward: what paying does happens once,
on the move into paid.

A card whose bank asks for 3-D Secure leaves the intent in ``requires_action``: the
answer is ``Outcome.REQUIRES_ACTION`` with the intent's client secret, the buyer answers
their bank (Stripe.js; offline ``answer_bank_check`` plays the bank), and ``refresh``
asks the provider how it went. Paying again with another card meanwhile cancels that
intent first, so the check answered late can never charge as well.

What differs by purchase (its statuses, the amount, what paying or a decline does) is a
subclass of ``PaidInFull`` in that domain's ``purchase`` module.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar, Generic, TypeVar

from ..models import db
from .payments import (
    PLAIN_ERRORS,
    IntentState,
    PaymentGateway,
    PaymentRefused,
    PaymentUnavailable,
)

#: An attempt without an intent yet is another request's, still talking to the provider.
IN_FLIGHT = timedelta(seconds=60)
_DECLINED = "The card was declined."
_IN_FLIGHT = "Your payment is already being sent; this page updates when it is done."

Row = TypeVar("Row", bound=Any)  # a GiftCard or a SeriesPurchase


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


class PaidInFull(Generic[Row]):
    """Paying one kind of purchase. The row has ``reference``, ``status``, ``intent_id``,
    ``idempotency_key``, ``attempts``, ``attempt_started_at``, ``failure_message``,
    ``currency`` and ``created_at``; a subclass says the rest."""

    #: The intent metadata's key for our reference, and its ``kind``.
    name: ClassVar[str]
    #: Our idempotency keys are ``<key_prefix>-<reference>-<attempt>``.
    key_prefix: ClassVar[str]
    pending: ClassVar[enum.Enum]
    declined: ClassVar[enum.Enum]
    paid: ClassVar[tuple[enum.Enum, ...]]
    #: Said (processing) when the provider's success is for another amount.
    amount_differs: ClassVar[str]
    #: Said (declined, nothing charged) when the amount to charge changed while the open
    #: attempt was settled (a series' gift card part goes back on a decline).
    amount_changed: ClassVar[str] = ""
    # Guards a gift card's payment has and a series' (so far) has not:
    #: A fresh attempt's intent not yet confirmed is another request's: wait for it.
    waits_for_unconfirmed: ClassVar[bool] = True
    #: An intent created and never confirmed, its attempt over ``IN_FLIGHT`` old, is
    #: cancelled before settling, so it can never charge.
    cancels_stale_unconfirmed: ClassVar[bool] = True
    #: The offline bank check locks the row first (a double click waits, then finds it
    #: settled) and answers ``PAID`` for a paid one.
    bank_check_locks: ClassVar[bool] = True

    def amount(self, row: Row) -> int:
        """The cents the card is charged."""
        raise NotImplementedError

    def mark_paid(self, row: Row, now: datetime) -> None:
        """Move the row into paid and do what paying does (once)."""
        raise NotImplementedError

    def on_declined(self, row: Row, *, now: datetime) -> None:
        """After the row is marked declined (nothing charged), in the same transaction."""

    def lock(self, row: Row) -> None:
        """Lock the row for the rest of the transaction and read it fresh."""
        db.session.flush()
        db.session.refresh(row, with_for_update=True)

    # --- paying --------------------------------------------------------------------------

    def pay(self, row: Row, *, payment_method: str, gateway: PaymentGateway,
            now: datetime) -> PurchaseResult:
        """Charge the row's amount. Commits (its attempt before the provider is called).

        A retry resumes an attempt the provider may still charge (the same card while its
        bank's check waits: the check again); a new attempt starts only when the last one
        definitely cannot charge (another card: the waiting intent is cancelled first).
        """
        self.lock(row)
        if row.status in self.paid:
            return PurchaseResult(Outcome.PAID)
        amount_before = self.amount(row)
        try:
            resumed = self._resume(row, payment_method, gateway=gateway, now=now)
            if isinstance(resumed, PurchaseResult):
                return resumed
            if resumed is not None:
                return self._finish(row, resumed, gateway=gateway, now=now)
            if self.amount(row) != amount_before:  # never charge more than the page said
                return PurchaseResult(Outcome.DECLINED, self.amount_changed)
            state = self._create(row, payment_method, gateway=gateway)
            if isinstance(state, PurchaseResult):
                return state
            state = gateway.confirm_intent(state.id,
                                           idempotency_key=f"{row.idempotency_key}:c")
        except PaymentUnavailable as exc:
            db.session.commit()
            return PurchaseResult(Outcome.UNAVAILABLE, str(exc))
        except PaymentRefused as exc:
            db.session.rollback()
            return self.refresh(row, gateway=gateway, now=now) or PurchaseResult(
                Outcome.DECLINED, str(exc))
        return self._finish(row, state, gateway=gateway, now=now)

    def _resume(self, row: Row, payment_method: str, *, gateway: PaymentGateway,
                now: datetime) -> IntentState | PurchaseResult | None:
        """The open attempt's state when it may still charge, a result when another request
        is still making it (a double click), or None after starting a new attempt."""
        fresh = row.attempt_started_at is not None and row.attempt_started_at > now - IN_FLIGHT
        if row.status is self.pending and row.intent_id is None:
            if fresh:
                return PurchaseResult(Outcome.PROCESSING, _IN_FLIGHT)
            self._new_attempt(row, now)  # never confirmed, so it cannot have charged
            return None
        if row.status is self.pending:
            state = gateway.retrieve_intent(row.intent_id)
            if state.status in ("succeeded", "processing"):
                return state
            if self.waits_for_unconfirmed and fresh and \
                    state.status == "requires_confirmation":
                return PurchaseResult(Outcome.PROCESSING, _IN_FLIGHT)
            if state.status == "requires_action" and state.payment_method == payment_method:
                return state  # the same card again: its bank's check is still waiting
            if state.status in ("requires_confirmation", "requires_action"):
                state = gateway.cancel_intent(state.id)  # another card now: it must never charge
            self.settle(row, state, now=now)
            db.session.commit()
        self._new_attempt(row, now)
        return None

    def _new_attempt(self, row: Row, now: datetime) -> None:
        if row.intent_id is not None or row.status is self.declined:
            row.attempts += 1
            row.idempotency_key = f"{self.key_prefix}-{row.reference}-{row.attempts}"
        row.intent_id, row.status, row.failure_message = None, self.pending, None
        row.attempt_started_at = now
        db.session.commit()  # our record of the attempt exists before the provider hears of it

    def _create(self, row: Row, payment_method: str, *,
                gateway: PaymentGateway) -> IntentState | PurchaseResult:
        try:
            state = gateway.create_intent(
                amount=self.amount(row), payment_method=payment_method,
                metadata={self.name: row.reference, "kind": self.name},
                idempotency_key=row.idempotency_key)
        except (PaymentUnavailable, PaymentRefused) as exc:
            row.status, row.failure_message = self.declined, str(exc)[:500]
            self.on_declined(row, now=row.attempt_started_at or row.created_at)
            db.session.commit()  # never confirmed, so it cannot charge
            outcome = Outcome.UNAVAILABLE if isinstance(exc, PaymentUnavailable) else \
                Outcome.DECLINED
            return PurchaseResult(outcome, str(exc))
        row.intent_id = state.id
        db.session.commit()
        return state

    def refresh(self, row: Row, *, gateway: PaymentGateway,
                now: datetime) -> PurchaseResult | None:
        """Ask the provider how the open attempt stands (back from the bank's check, or the
        page polling while processing). None when no attempt is open."""
        if row.status is not self.pending or row.intent_id is None:
            return None
        try:
            state = gateway.retrieve_intent(row.intent_id)
        except (PaymentUnavailable, PaymentRefused) as exc:
            return PurchaseResult(Outcome.UNAVAILABLE, str(exc))
        return self._finish(row, state, gateway=gateway, now=now)

    def answer_bank_check(self, row: Row, *, approve: bool, gateway: PaymentGateway,
                          now: datetime) -> PurchaseResult | None:
        """Offline only: the buyer plays their bank in the 3-D Secure check the open attempt
        waits for, then the attempt is settled as after the real check. Commits. None when
        no attempt is open (it was settled meanwhile)."""
        if self.bank_check_locks:
            self.lock(row)
            if row.status in self.paid:
                return PurchaseResult(Outcome.PAID)
        if row.status is not self.pending or row.intent_id is None:
            return None
        try:
            state = gateway.retrieve_intent(row.intent_id)
            if state.status == "requires_action":
                state = gateway.answer_bank_check(
                    state.id, client_secret=state.client_secret or "", approve=approve)
        except (PaymentUnavailable, PaymentRefused) as exc:
            db.session.commit()  # the row's lock goes
            return PurchaseResult(Outcome.UNAVAILABLE, str(exc))
        return self._finish(row, state, gateway=gateway, now=now)

    def _finish(self, row: Row, state: IntentState, *, gateway: PaymentGateway,
                now: datetime) -> PurchaseResult:
        stale = row.attempt_started_at is None or row.attempt_started_at <= now - IN_FLIGHT
        if self.cancels_stale_unconfirmed and state.status == "requires_confirmation" \
                and stale:
            state = gateway.cancel_intent(state.id)  # created, never confirmed: must not charge
        result = self.settle(row, state, now=now)
        db.session.commit()
        return result

    # --- settling what the provider says ---------------------------------------------------

    def settle(self, row: Row, state: IntentState, *, now: datetime) -> PurchaseResult:
        """Apply the provider's state of the row's intent. Does not commit; safe to repeat."""
        self.lock(row)
        if row.status in self.paid:
            return PurchaseResult(Outcome.PAID)
        if state.id != row.intent_id:
            return PurchaseResult(Outcome.PROCESSING)  # an older attempt's news: not ours now
        if state.status == "succeeded":
            if state.amount != self.amount(row) or state.currency.lower() != row.currency:
                return PurchaseResult(Outcome.PROCESSING, self.amount_differs)
            self.mark_paid(row, now)
            return PurchaseResult(Outcome.PAID)
        if state.status in ("requires_payment_method", "canceled"):
            row.status = self.declined
            message = PLAIN_ERRORS.get(state.error_code or "") or state.error_message
            row.failure_message = (message or _DECLINED)[:500]
            self.on_declined(row, now=now)
            return PurchaseResult(Outcome.DECLINED, row.failure_message)
        if state.status == "requires_action":
            return PurchaseResult(Outcome.REQUIRES_ACTION, client_secret=state.client_secret)
        return PurchaseResult(Outcome.PROCESSING)
