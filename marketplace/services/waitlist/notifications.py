"""The waitlist's e-mail: a freed time held for the client, with the link to book it
or turn it down. Queued through ``services/mail.py`` in the offer's transaction."""

from __future__ import annotations

from flask import current_app

from ...models import WaitlistOffer
from .. import mail
from ..common.local_time import describe_time


def offer_url(token: str) -> str:
    """The absolute link to the offer (the token is its only key)."""
    path = current_app.url_map.bind("localhost").build("booking.waitlist_offer",
                                                        {"offer_token": token})
    return current_app.config["BASE_URL"].rstrip("/") + path


def offer_made(offer: WaitlistOffer, *, token: str) -> None:
    """To the waiting client: which time, held until when, and the link."""
    booking = offer.booking
    when = describe_time(booking.starts_at, booking.timezone)
    text = current_app.jinja_env.get_template("email/waitlist_offer.txt").render(
        site_name=current_app.config["SITE_NAME"], booking=booking, when=when,
        until=describe_time(offer.expires_at, booking.timezone), url=offer_url(token))
    mail.queue(sender=current_app.config["MAIL_DEFAULT_SENDER"], to=booking.client.email,
               subject=f"A time opened up: {booking.service.name}, {when}", text=text,
               dedupe_key=f"waitlist-offer:{offer.id}")
