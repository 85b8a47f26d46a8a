"""The waitlist's e-mail: a freed time held for the client, with the link to book it
or turn it down. Queued through ``services/mail.py`` in the offer's transaction."""

from __future__ import annotations

from ...models import WaitlistOffer
from .. import mail
from ..common.local_time import describe_time


def offer_url(token: str) -> str:
    """The absolute link to the offer (the token is its only key)."""
    return mail.absolute_url("booking.waitlist_offer", offer_token=token)


def offer_made(offer: WaitlistOffer, *, token: str) -> None:
    """To the waiting client: which time, held until when, and the link."""
    booking = offer.booking
    when = describe_time(booking.starts_at, booking.timezone)
    # The key is an id, far under the outbox's 120 characters, so queue_template's cut
    # never shortens it.
    mail.queue_template(
        to=booking.client.email, subject=f"A time opened up: {booking.service.name}, {when}",
        template="waitlist_offer", key=f"waitlist-offer:{offer.id}", booking=booking,
        when=when, until=describe_time(offer.expires_at, booking.timezone),
        url=offer_url(token))
