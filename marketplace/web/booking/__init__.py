"""The booking flow (blueprint ``booking``): pick a slot, hold it, sign in, health
intake, deposit, confirmation. "My bookings" is the account's (web/account/bookings.py)."""

from . import checkout, gift_cards, intake, start, waitlist  # noqa: F401 - the views register themselves
from .base import bp

__all__ = ["bp"]
