"""Photo files kept in the local media folder (with S3 storage browsers read the bucket)."""

from __future__ import annotations

from .. import media
from .base import bp


@bp.get("/media/<path:key>")
def media_file(key: str):
    """One stored photo variant: immutable, cached for a year, never sniffed."""
    return media.serve(key)
