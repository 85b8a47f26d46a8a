"""Gift card e-mails: the buyer's receipt and the recipient's card with its code.

Queued through the outbox (``services/mail.py``) in the caller's transaction, each
with a dedupe key, so a purchase seen by the browser and a webhook sends once.
"""

from __future__ import annotations

from ...models import GiftCard
from .. import mail
from .codes import grouped


def receipt(card: GiftCard) -> None:
    """To the buyer: what was bought, for whom, when it is sent, and its page."""
    mail.queue_template(
        to=card.buyer.email, subject=f"Your gift card for {card.clinic.name}",
        template="gift_card_receipt", key=f"gift-card-receipt:{card.reference}", card=card,
        card_url=mail.absolute_url("booking.gift_card", reference=card.reference))


def code(card: GiftCard, plain_code: str) -> None:
    """To the recipient: the card, its code (the only place it is written down) and how
    to use it."""
    mail.queue_template(
        to=card.recipient_email,
        subject=f"{card.buyer.name} sent you a gift card for {card.clinic.name}",
        template="gift_card_code", key=f"gift-card-code:{card.reference}", card=card,
        code=grouped(plain_code),
        clinic_url=mail.absolute_url("public.clinic", slug=card.clinic.slug))
