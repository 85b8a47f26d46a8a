"""Series e-mails: the client's receipt, with the rules they bought under, and the
refund of unused sessions.

Queued through the outbox (``services/mail.py``) in the caller's transaction, each
with a dedupe key, so a purchase seen by the browser and a webhook sends once.
"""

from __future__ import annotations

from ...models import SeriesPurchase
from .. import mail


def receipt(purchase: SeriesPurchase) -> None:
    """To the client: the series, its rules, until when, and its page (to book the course)."""
    mail.queue_template(
        to=purchase.client.email, subject=f"Your series at {purchase.clinic.name}",
        template="series_receipt", key=f"series-receipt:{purchase.reference}",
        purchase=purchase,
        series_url=mail.absolute_url("booking.series", reference=purchase.reference))


def refunded(purchase: SeriesPurchase) -> None:
    """To the client: the unused sessions refunded and the amount."""
    mail.queue_template(
        to=purchase.client.email, subject=f"Your series at {purchase.clinic.name}: refund",
        template="series_refund", key=f"series-refund:{purchase.reference}",
        purchase=purchase,
        series_url=mail.absolute_url("booking.series", reference=purchase.reference))
