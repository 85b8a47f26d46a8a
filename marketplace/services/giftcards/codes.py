"""Gift card codes: 16 characters from an alphabet without look-alikes, made by
``secrets``; only their SHA-256 is stored, so a code is found by its hash (an index
lookup that reveals nothing about how close a wrong guess came)."""

from __future__ import annotations

import hashlib
import re
import secrets

#: No 0/O, 1/I/L: a code read aloud or copied by hand is still right.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 16  # about 79 bits: guessing is hopeless even without the rate limit
_NOT_CODE = re.compile(r"[\s\-]")


def new_code() -> str:
    """A fresh code, ungrouped."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str | None:
    """A typed code as stored (upper case, no spaces or dashes); None if it cannot be one."""
    code = _NOT_CODE.sub("", text or "").upper()
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


def code_hash(code: str) -> str:
    """What is stored of a code."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def grouped(code: str) -> str:
    """XXXX-XXXX-XXXX-XXXX, as shown and e-mailed."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
