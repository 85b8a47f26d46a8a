"""The intake key ring: AES-256-GCM keys named by id, the first encrypts, all decrypt.

``INTAKE_KEYS`` is ``id:base64key[,id2:base64key2...]``: each key is 32 random
bytes in standard base64. Rotation: put a new key first, keep the old ones
after it until ``flask --app wsgi rotate-intake-keys`` has re-encrypted every
record, then drop them. Pure: no database, no Flask.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..common.errors import DomainError

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # 96 bits, random per encryption
KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,20}")  # fits intake_records.key_id
#: Bound into every ciphertext with the row; bump it if the format ever changes.
AAD_PREFIX = b"kneaded:intake:v1"
PROFILE_AAD_PREFIX = b"kneaded:profile:v1"


class KeyRingError(ValueError):
    """``INTAKE_KEYS`` does not describe a usable key ring (the message never shows key bytes)."""


class IntakeUnreadable(DomainError):
    """A stored intake cannot be decrypted: unknown key, altered data, or moved to another row."""


class KeyRing:
    """Named AES-GCM keys; ``primary_id`` encrypts, every key decrypts."""

    def __init__(self, keys: Sequence[tuple[str, bytes]]) -> None:
        if not keys:
            raise KeyRingError("INTAKE_KEYS holds no key")
        ids = [key_id for key_id, _ in keys]
        if len(set(ids)) != len(ids):
            raise KeyRingError("INTAKE_KEYS names the same key id twice")
        for key_id, key in keys:
            if not KEY_ID.fullmatch(key_id):
                raise KeyRingError(
                    f"INTAKE_KEYS key id {key_id!r} must be 1-20 letters, digits, '.', '_' or '-'"
                )
            if len(key) != KEY_BYTES:
                raise KeyRingError(
                    f"INTAKE_KEYS key {key_id!r} must be {KEY_BYTES} bytes, not {len(key)}"
                )
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys}
        self.primary_id = ids[0]

    @classmethod
    def from_config(cls, value: str) -> KeyRing:
        """Parse ``id:base64key[,id2:key2]``; a KeyRingError says what is wrong."""
        entries = [part.strip() for part in (value or "").split(",") if part.strip()]
        if not entries:
            raise KeyRingError("INTAKE_KEYS is empty: give at least one id:base64key pair")
        return cls([_parse_entry(position, entry) for position, entry in enumerate(entries, 1)])

    @staticmethod
    def generate_key() -> str:
        """A fresh random key, base64-encoded, for INTAKE_KEYS."""
        return base64.b64encode(os.urandom(KEY_BYTES)).decode("ascii")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self._ciphers)

    def encrypt(self, plaintext: bytes, *, aad: bytes) -> tuple[str, bytes]:
        """``(key_id, nonce + ciphertext)`` under the primary key."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.primary_id].encrypt(nonce, plaintext, aad)
        return self.primary_id, nonce + sealed

    def decrypt(self, key_id: str, blob: bytes, *, aad: bytes) -> bytes:
        """The plaintext, or IntakeUnreadable when the key is unknown or anything was altered."""
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise IntakeUnreadable(f"This intake's key {key_id!r} is not in INTAKE_KEYS.")
        if len(blob) <= NONCE_BYTES:
            raise IntakeUnreadable("This intake's stored data is incomplete.")
        try:
            return cipher.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
        except InvalidTag:
            raise IntakeUnreadable(
                "This intake cannot be decrypted: it was altered or belongs to another record."
            ) from None

    def __repr__(self) -> str:
        return f"<KeyRing primary={self.primary_id!r} ids={list(self.ids)!r}>"


def associated_data(*, record_id: int, client_id: int, clinic_id: int) -> bytes:
    """What binds a ciphertext to its row, its client and its clinic."""
    return b"%s|record=%d|client=%d|clinic=%d" % (AAD_PREFIX, record_id, client_id, clinic_id)


def profile_associated_data(*, profile_id: int, client_id: int) -> bytes:
    """What binds a health profile's ciphertext to its row and its client."""
    return b"%s|profile=%d|client=%d" % (PROFILE_AAD_PREFIX, profile_id, client_id)


@lru_cache(maxsize=4)
def _cached(value: str) -> KeyRing:
    return KeyRing.from_config(value)


def keyring_for(config: Mapping) -> KeyRing:
    """The app's key ring from its settings (parsed once per distinct value)."""
    return _cached(config.get("INTAKE_KEYS") or "")


def _parse_entry(position: int, entry: str) -> tuple[str, bytes]:
    key_id, sep, encoded = entry.partition(":")
    key_id = key_id.strip()
    if not sep or not key_id:
        raise KeyRingError(f"INTAKE_KEYS entry {position} must look like id:base64key")
    try:
        key = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise KeyRingError(f"INTAKE_KEYS key {key_id!r} is not valid base64") from None
    return key_id, key
