"""Helpers for gift card tests: a card bought through localstripe, and its code taken
from the recipient's e-mail as the outbox holds it (or both at once)."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select

from marketplace.models import GiftCard, OutboxEmail, db
from marketplace.services.giftcards import purchase
from tests.support import factories

#: The offline test card whose bank asks for its 3-D Secure check.
THREE_D_SECURE = "pm_card_threeDSecure2Required"
CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def bought(b, buyer, *, gateway, now: datetime, amount_cents: int = 2500,
           deliver_on: date | None = None, card: str = "pm_card_visa",
           email: str = "friend@example.test") -> tuple[GiftCard, purchase.PurchaseResult]:
    """A card for the bookable clinic ``b`` started and paid through the provider."""
    gift = purchase.start(buyer=buyer, clinic=b.clinic, amount_cents=amount_cents,
                          recipient_name="Dana Friend", recipient_email=email,
                          message="Happy birthday", deliver_on=deliver_on, now=now)
    db.session.commit()
    return gift, purchase.pay(gift, payment_method=card, gateway=gateway, now=now)


def bought_awaiting_check(b, *, gateway, now: datetime,
                          **kwargs) -> tuple[GiftCard, purchase.PurchaseResult]:
    """A card for ``b`` paid with the 3-D Secure test card: its bank's check waits."""
    card, result = bought(b, factories.create_user(), gateway=gateway, now=now,
                          card=THREE_D_SECURE, **kwargs)
    assert result.outcome is purchase.Outcome.REQUIRES_ACTION
    return card, result


def code_mailed_to(email: str) -> str | None:
    """The gift card code in the newest message queued for ``email``, if any."""
    rows = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_addr == email)
                              .order_by(OutboxEmail.id.desc())).all()
    for row in rows:
        found = CODE.search(row.message.decode("utf-8", "replace"))
        if found:
            return found.group(0)
    return None


def card_with_code(b, *, gateway, now: datetime, amount_cents: int = 2500,
                   email: str = "gift@example.test") -> tuple[GiftCard, str | None]:
    """A card for ``b`` paid and sent today to ``email``, and its code from that e-mail."""
    card, _ = bought(b, factories.create_user(), gateway=gateway, now=now,
                     amount_cents=amount_cents, email=email)
    return card, code_mailed_to(email)
