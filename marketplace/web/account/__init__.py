"""The client's own account (blueprint ``account``): sign-in, registration and recovery,
settings, the health profile (and the consent to share health answers with clinics),
"My bookings" (with cancel and reschedule), "My reviews" (writing one,
reporting a visit) and "Messages" (conversations with clinics, reporting a message).
The URLs keep their short paths (/login, /bookings/<reference>, /account/settings,
/reviews/mine, /messages); the pages live under templates/account/."""

from . import (  # noqa: F401 - views register on bp
    bookings,
    gift_cards,
    health,
    messages,
    reviews,
    settings,
    signin,
    waitlist,
)
from .base import bp, safe_next

__all__ = ["bp", "safe_next"]
