"""Public pages: home, search, clinic and therapist profiles, compare, health check."""

from . import compare, home, profiles, reviews, search  # noqa: F401 - views register on bp
from .base import bp

__all__ = ["bp"]
