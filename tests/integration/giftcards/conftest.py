"""Fixtures for the gift card tests: a card whose bank's 3-D Secure check waits, bought
through the service or by a signed-in buyer on the site."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from marketplace.models import GiftCard, User, db
from marketplace.services.giftcards.purchase import PurchaseResult
from tests.support import factories
from tests.support.giftcards import THREE_D_SECURE, bought_awaiting_check


@dataclass(frozen=True)
class AwaitingCheck:
    """A card of the bookable clinic ``b`` whose purchase waits for the bank's check."""

    b: Any
    card: GiftCard
    result: PurchaseResult


@pytest.fixture
def awaiting_check(create_bookable_clinic, gateway, now) -> AwaitingCheck:
    b = create_bookable_clinic()
    card, result = bought_awaiting_check(b, gateway=gateway, now=now)
    return AwaitingCheck(b, card, result)


def _only_card_of(buyer: User) -> GiftCard:
    db.session.expire_all()
    (card,) = db.session.scalars(select(GiftCard).where(GiftCard.buyer_id == buyer.id)).all()
    return card


@dataclass(frozen=True)
class BoughtOnSite:
    """A card the signed-in ``buyer`` started on the site with the 3-D Secure test card."""

    b: Any
    buyer: User
    response: Any  # the gift card form's answer
    url: str  # the card's page

    def card(self) -> GiftCard:
        """The buyer's card, read afresh."""
        return _only_card_of(self.buyer)


@pytest.fixture
def bought_on_site(client, auth, create_bookable_clinic, stripe_app) -> BoughtOnSite:
    b = create_bookable_clinic()
    buyer = factories.create_user()
    auth.login(buyer)
    response = client.post(f"/clinics/{b.clinic.slug}/gift-cards/new", data={
        "preset": "25", "recipient_name": "Sam", "recipient_email": "sam@example.com",
        "card": THREE_D_SECURE})
    return BoughtOnSite(b, buyer, response, url=f"/gift-cards/{_only_card_of(buyer).reference}")
