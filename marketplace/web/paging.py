"""The page number a listing is asked for: ``?page=``, a whole number from 1 to ``most``
(anything else is the nearest of those, never an error)."""

from __future__ import annotations

from flask import request


def page_number(*, most: int = 1000) -> int:
    """``?page=`` as a page to show: 1 when absent or unreadable, at most ``most``."""
    return min(max(request.args.get("page", 1, type=int), 1), most)
