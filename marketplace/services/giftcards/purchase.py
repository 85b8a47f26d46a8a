"""Buying a gift card: the card is paid in full through the payment provider with the
same guarantees as a deposit (``booking/deposits.py``), by the flow every purchase paid in
full shares (``services/paid_in_full.py``): ``pay``, ``refresh``, ``answer_bank_check``
(offline, 3-D Secure) and ``settle``.

The card row, with our idempotency key ``giftcard-<reference>-<attempt>``, is committed
before the provider hears of it; ``settle`` only moves forward: the purchase credit, the
receipt and the delivery happen once, on the move into ``paid``.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ...models import Clinic, EntryKind, GiftCard, GiftCardStatus, User, db
from .. import audit
from ..common.errors import FieldError
from ..common.local_time import local_today
from ..paid_in_full import Outcome as Outcome
from ..paid_in_full import PaidInFull
from ..paid_in_full import PurchaseResult as PurchaseResult
from . import delivery, ledger, notices

MIN_CENTS, MAX_CENTS = 25_00, 500_00  # whole dollars only
PRESETS_CENTS = (25_00, 50_00, 100_00, 150_00)
#: A card can be sent on any day from today to this many days ahead (the clinic's days).
MAX_AHEAD_DAYS = 365
#: A card is valid this many years after it was paid for; then what is left expires.
VALID_YEARS = 5
_REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PAID_STATUSES = (GiftCardStatus.PAID, GiftCardStatus.ACTIVE, GiftCardStatus.EXPIRED)


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


class _Payments(PaidInFull[GiftCard]):
    name, key_prefix = "gift_card", "giftcard"
    pending, declined, paid = GiftCardStatus.PENDING, GiftCardStatus.DECLINED, PAID_STATUSES
    amount_differs = "The amount paid differs from the card."

    def amount(self, row: GiftCard) -> int:
        return row.amount_cents

    def mark_paid(self, row: GiftCard, now: datetime) -> None:
        _mark_paid(row, now)

    def lock(self, row: GiftCard) -> None:
        ledger.lock(row)


_PAYMENTS = _Payments()
pay, refresh, settle = _PAYMENTS.pay, _PAYMENTS.refresh, _PAYMENTS.settle
answer_bank_check = _PAYMENTS.answer_bank_check


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
