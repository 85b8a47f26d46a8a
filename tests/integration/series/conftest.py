"""Fixtures for the series tests: a series a client started on the site with a gift card
of the clinic paying part or all of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from marketplace.models import GiftCard, SeriesOffer, SeriesPurchase
from tests.support import factories
from tests.support.giftcards import card_with_code
from tests.support.series import apply_gift_card, create_offer, newest_series


@dataclass(frozen=True)
class GiftCardApplied:
    """The bookable clinic ``b``'s ``offer``, its gift ``card`` with ``code``, the form's
    ``response`` and the series it started (``row``)."""

    b: Any
    offer: SeriesOffer
    card: GiftCard
    code: str
    response: Any
    row: SeriesPurchase | None


@pytest.fixture
def apply_a_gift_card(client, auth, create_bookable_clinic, gateway,
                      now) -> Callable[..., GiftCardApplied]:
    """Make one: an offer of ``price_cents`` for ``sessions``, a gift card of ``gift_cents``
    sent today, a new client signed in who applies its code (as ``typed`` writes it)."""
    def apply(*, gift_cents: int = 15000, price_cents: int = 40000, sessions: int = 4,
              typed: Callable[[str], str] = str) -> GiftCardApplied:
        b = create_bookable_clinic()
        offer = create_offer(b, now=now, price_cents=price_cents, sessions=sessions)
        card, code = card_with_code(b, gateway=gateway, now=now, amount_cents=gift_cents)
        auth.login(factories.create_user())
        response = apply_gift_card(client, b, offer, typed(code))
        return GiftCardApplied(b, offer, card, code, response, newest_series())
    return apply
