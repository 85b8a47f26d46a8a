"""The booking flow (blueprint ``booking``): pick a slot, hold it, sign in, health
intake, deposit, confirmation. "My bookings" is the account's (web/account/bookings.py)."""

from . import (  # noqa: F401 - the views register themselves
    checkout,
    gift_cards,
    intake,
    series,
    start,
    waitlist,
)
from .base import bp

__all__ = ["bp"]
