"""What views load from their URL parts, or a 404: the domain's loaders, with the
404 answered in the caller's language (web/errors.py)."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from ..models import Booking, Clinic
from ..services import booking as bookings
from ..services.common.errors import NotFound
from ..services.discovery import profiles


def published_clinic_or_404(slug: str, *, message: str | None = None) -> Clinic:
    """The published clinic with this slug; a pending, suspended or unknown one is a 404
    (saying ``message``, if given, instead of the usual "We could not find that page")."""
    try:
        return profiles.published_clinic(slug)
    except NotFound:
        abort(404, description=message)


def my_booking_or_404(reference: str) -> Booking:
    """The signed-in client's own booking with this reference; anyone else's is a 404."""
    try:
        return bookings.client_booking(current_user, reference)
    except NotFound:
        abort(404)
