"""The booking rules views hand to services, read from the app's settings."""

from __future__ import annotations

from flask import current_app

from ..services.common.rules import BookingRules


def booking_rules() -> BookingRules:
    """This app's ``BookingRules`` (checked at start by ``config.check``)."""
    return BookingRules.from_config(current_app.config)
