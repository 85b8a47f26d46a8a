"""Public pages: home, search, clinic and therapist profiles, compare, health check, and
photo files kept locally."""

from . import compare, home, media, profiles, reviews, search  # noqa: F401 - views register on bp
from .base import bp

__all__ = ["bp"]
