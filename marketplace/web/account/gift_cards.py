"""My gift cards: the cards the client bought, with where each stands."""

from __future__ import annotations

from flask_login import current_user, login_required

from ...services.giftcards import reports
from ..htmx import render
from .base import bp


@bp.get("/gift-cards", endpoint="gift_cards")
@login_required
def my_gift_cards():
    """The gift cards the signed-in client bought, newest first."""
    return render("account/gift_cards.html", cards=reports.bought_by(current_user))
