"""Series e-mails: the client's receipt, with the rules they bought under, and the
refund of unused sessions.

Queued through the outbox (``services/mail.py``) in the caller's transaction, each
with a dedupe key, so a purchase seen by the browser and a webhook sends once.
"""

from __future__ import annotations

from flask import current_app

from ...models import SeriesPurchase
from .. import mail


def _url(endpoint: str, **values) -> str:
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def _send(to: str, subject: str, template: str, *, key: str, **context) -> None:
    text = current_app.jinja_env.get_template(f"email/{template}.txt").render(
        site_name=current_app.config["SITE_NAME"], **context)
    mail.queue(sender=current_app.config["MAIL_DEFAULT_SENDER"], to=to, subject=subject,
               text=text, dedupe_key=key[:120])


def receipt(purchase: SeriesPurchase) -> None:
    """To the client: the series, its rules, until when, and its page (to book the course)."""
    _send(purchase.client.email, f"Your series at {purchase.clinic.name}", "series_receipt",
          key=f"series-receipt:{purchase.reference}", purchase=purchase,
          series_url=_url("booking.series", reference=purchase.reference))


def refunded(purchase: SeriesPurchase) -> None:
    """To the client: the unused sessions refunded and the amount."""
    _send(purchase.client.email, f"Your series at {purchase.clinic.name}: refund",
          "series_refund", key=f"series-refund:{purchase.reference}", purchase=purchase,
          series_url=_url("booking.series", reference=purchase.reference))
