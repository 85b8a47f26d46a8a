"""The admin console: the moderation queue, clinic verification, ownership claims,
suspensions, search, and the audit log. Every view is ``admin_required`` (a test
walks every rule of this blueprint as anonymous, client, owner and admin)."""

from . import audit, clinics, moderation, overview, users  # noqa: F401 - views register on bp
from .base import bp

__all__ = ["bp"]
