"""The booking flow (blueprint ``booking``): pick a slot, hold it, sign in, health
intake, deposit, confirmation; and "My bookings" (endpoints on the ``account``
blueprint: ``account.bookings`` and friends) with cancel and reschedule."""

from . import checkout, intake, mine, picker  # noqa: E402,F401 - the views register themselves
from .helpers import bp

__all__ = ["bp"]
