"""Buying a series: paid in full through the payment provider, with the guarantees
of a deposit (``booking/deposits.py``), by the flow every purchase paid in full shares
(``services/paid_in_full.py``): ``pay``, ``refresh``, ``answer_bank_check`` (offline,
3-D Secure) and ``settle``. The purchase row, with our idempotency key
``series-<reference>-<attempt>``, is committed before the provider hears of it;
``settle`` only moves forward: the series is paid once.

The offer's rules and the clinic's cancellation window are copied onto the purchase
when it starts: what the client read before paying is what applies.

A gift card of the clinic may pay part or all of the price first (``gift_cards``); the
card payment is then for the rest (``card_cents``), and a declined or abandoned one
gives the gift part back to the card.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from ...models import SeriesOffer, SeriesPurchase, SeriesStatus, User, db
from .. import audit
from ..booking.holds import check_bookable
from ..common.errors import Conflict, NotAllowed
from ..paid_in_full import IN_FLIGHT, PaidInFull
from ..paid_in_full import Outcome as Outcome
from ..paid_in_full import PurchaseResult as PurchaseResult
from . import gift_cards, notices, offers

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_GIFT_RETURNED = ("The earlier payment did not finish, so your gift card's part went back to "
                  "it. Nothing was charged; enter the code again or pay the whole price.")


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


class _Payments(PaidInFull[SeriesPurchase]):
    name, key_prefix = "series", "series"
    pending, declined = SeriesStatus.PENDING, SeriesStatus.DECLINED
    paid = (SeriesStatus.PAID, SeriesStatus.CLOSED)
    amount_differs = "The amount paid differs from the series."
    amount_changed = _GIFT_RETURNED
    # As before the flow was shared: a series' payment lacks these guards of a gift card's.
    waits_for_unconfirmed = cancels_stale_unconfirmed = bank_check_locks = False

    def amount(self, row: SeriesPurchase) -> int:
        return row.card_cents  # the gift card's part is paid already

    def mark_paid(self, row: SeriesPurchase, now: datetime) -> None:
        _mark_paid(row, now)

    def on_declined(self, row: SeriesPurchase, *, now: datetime) -> None:
        gift_cards.give_back(row, now=now)  # the gift part goes back to the card


_PAYMENTS = _Payments()
pay, refresh, settle = _PAYMENTS.pay, _PAYMENTS.refresh, _PAYMENTS.settle
answer_bank_check = _PAYMENTS.answer_bank_check


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
    _PAYMENTS.lock(purchase)
    if purchase.status in _PAYMENTS.paid:
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
