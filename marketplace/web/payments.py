"""The payment gateway for this app's settings, for every view that takes or refunds
a deposit or hears from the provider (booking, my bookings, webhooks)."""

from __future__ import annotations

from flask import current_app

from ..services.payments import PaymentGateway


def gateway() -> PaymentGateway:
    """The payment gateway for this app's settings."""
    return PaymentGateway.from_config(current_app.config)
