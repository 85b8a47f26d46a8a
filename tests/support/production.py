"""Settings a production app starts with: every value real-looking, none the
development placeholder (``config.check`` refuses those)."""

from __future__ import annotations

from marketplace.services.intake.keys import KeyRing


def production_settings(**overrides) -> dict:
    """A ``create_app`` mapping for ``APP_ENV=production`` that passes the start-up checks."""
    settings = {
        "APP_ENV": "production",
        "SECRET_KEY": "production-test-secret-key-of-48-bytes-0123456789",
        "INTAKE_KEYS": f"k1:{KeyRing.generate_key()}",
        "STRIPE_SECRET_KEY": "sk_test_51ProductionShaped",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_51ProductionShaped",
        "STRIPE_WEBHOOK_SECRET": "whsec_production_shaped_test_value",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
    }
    settings.update(overrides)
    return settings
