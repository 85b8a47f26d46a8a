"""The client's own account (blueprint ``account``): sign-in, registration and recovery,
settings, "My bookings" (with cancel and reschedule) and "My reviews" (writing one,
reporting a visit). The URLs keep their short paths (/login, /bookings/<reference>,
/account/settings, /reviews/mine); the pages live under templates/account/."""

from . import bookings, reviews, settings, signin, waitlist  # noqa: F401 - views register on bp
from .base import bp, safe_next

__all__ = ["bp", "safe_next"]
