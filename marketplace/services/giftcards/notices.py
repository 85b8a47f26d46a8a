"""Gift card e-mails: the buyer's receipt and the recipient's card with its code.

Queued through the outbox (``services/mail.py``) in the caller's transaction, each
with a dedupe key, so a purchase seen by the browser and a webhook sends once.
"""

from __future__ import annotations

from flask import current_app

from ...models import GiftCard
from .. import mail
from .codes import grouped


def _url(endpoint: str, **values) -> str:
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def _send(to: str, subject: str, template: str, *, key: str, **context) -> None:
    text = current_app.jinja_env.get_template(f"email/{template}.txt").render(
        site_name=current_app.config["SITE_NAME"], **context)
    mail.queue(sender=current_app.config["MAIL_DEFAULT_SENDER"], to=to, subject=subject,
               text=text, dedupe_key=key[:120])


def receipt(card: GiftCard) -> None:
    """To the buyer: what was bought, for whom, when it is sent, and its page."""
    _send(card.buyer.email, f"Your gift card for {card.clinic.name}", "gift_card_receipt",
          key=f"gift-card-receipt:{card.reference}", card=card,
          card_url=_url("booking.gift_card", reference=card.reference))


def code(card: GiftCard, plain_code: str) -> None:
    """To the recipient: the card, its code (the only place it is written down) and how
    to use it."""
    _send(card.recipient_email, f"{card.buyer.name} sent you a gift card for {card.clinic.name}",
          "gift_card_code", key=f"gift-card-code:{card.reference}", card=card,
          code=grouped(plain_code),
          clinic_url=_url("public.clinic", slug=card.clinic.slug))
