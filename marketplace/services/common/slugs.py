"""Slugs: the readable, unique names in clinic and therapist URLs.

Made by ``python-slugify``, which spells accented letters in ASCII ("Café
Zürich" -> ``cafe-zurich``) rather than dropping them. A slug is kept once
made: renaming a clinic never changes its address.
"""

from __future__ import annotations

import re

from slugify import slugify as _slugify

SLUG_PATTERN = r"[a-z0-9][a-z0-9-]{0,119}"
SLUG_RE = re.compile(SLUG_PATTERN)
MAX_BASE = 100  # leaves room for a "-city" or "-2" suffix within 120


def slugify(text: str, *, max_length: int = 0) -> str:
    """Lower-case ASCII words joined by hyphens: "Café Zürich" -> "cafe-zurich".

    Apostrophes join their word ("Kevin O'Brien" -> "kevin-obrien"), as the
    slugs made before this helper did.
    """
    return _slugify(text or "", max_length=max_length, word_boundary=bool(max_length),
                    replacements=[["'", ""], ["\u2019", ""]])


def is_slug(text: str | None) -> bool:
    """Whether ``text`` has a slug's shape (it may still name nothing)."""
    return bool(text) and SLUG_RE.fullmatch(text) is not None
