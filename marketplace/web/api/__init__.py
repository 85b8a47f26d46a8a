"""The JSON API v1 (read-only GET), described by the OpenAPI document at
/api/v1/openapi.json."""

from . import clinics, openapi, vocabulary  # noqa: F401 - views register on bp
from .base import bp

__all__ = ["bp"]
