"""The owner console (/owner): onboarding, the listing edited in place, the
schedule, bookings and money. Every view is ``owner_required`` and loads its
clinic with ``owned_clinic_or_404``; ``tests/integration/clinics/test_owner_tenancy.py``
walks every rule as another clinic's owner, a client and anonymously."""

from . import (  # noqa: F401
    hours,
    listing,
    money,
    onboarding,
    photos,
    promotions,
    reviews,
    schedule,
    team,
)
from .base import bp

__all__ = ["bp"]
