"""The owner console (/owner): onboarding, the listing edited in place, the
schedule, bookings and money, and the clinic's messages. Every view is
``owner_required`` and loads its clinic with ``owned_clinic_or_404``;
``tests/integration/clinics/test_owner_tenancy.py`` walks every rule as another
clinic's owner, a client and anonymously."""

from . import (  # noqa: F401 - views register on bp
    calendar,
    hours,
    listing,
    messages,
    money,
    onboarding,
    photos,
    promotions,
    reviews,
    schedule,
    series,
    team,
    waitlist,
)
from .base import bp

__all__ = ["bp"]
