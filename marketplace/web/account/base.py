"""The account blueprint and what its views share."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, request

bp = Blueprint("account", __name__)


def safe_next(default: str) -> str:
    """The ``next`` target if it is a path on this site, else ``default``."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.netloc:
        return target
    return default
