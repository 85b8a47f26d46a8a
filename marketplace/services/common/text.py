"""Plain text from people: reviews, owner responses, reports.

It is stored exactly as plain text and escaped when shown (Jinja autoescaping;
never ``|safe``). Here it is only tidied: one newline convention, no control
characters (PostgreSQL refuses NUL in text; the others only hide things), no
runs of blank lines, no surrounding whitespace.
"""

from __future__ import annotations

import re

from .errors import DomainError

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BLANK_RUNS = re.compile(r"\n{3,}")


class TextTooLong(DomainError):
    """A text is longer than its field allows."""

    status = 422


def plain_text(value: str | None) -> str:
    """``value`` tidied as described above ("" for None)."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return _BLANK_RUNS.sub("\n\n", text).strip()


def bounded(value: str | None, *, limit: int, what: str) -> str:
    """``plain_text(value)``, refusing text longer than ``limit`` characters."""
    text = plain_text(value)
    if len(text) > limit:
        raise TextTooLong(f"{what} can be at most {limit} characters (this is {len(text)}).")
    return text
