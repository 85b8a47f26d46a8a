"""The reason an admin gives for a decision, kept in the audit log."""

from __future__ import annotations

from ..common.errors import NotAllowed
from ..common.text import bounded

REASON_MAX = 500


def required_reason(value: str, *, what: str = "A reason") -> str:
    """The reason, trimmed and bounded; NotAllowed when it is empty."""
    text = bounded(value, limit=REASON_MAX, what=what)
    if not text:
        raise NotAllowed("Give a reason; it is kept in the audit log.")
    return text
