"""The client's health profile: their intake answers kept in their account, to review,
update and reuse at every booking.

Sealed exactly as an intake record (AES-GCM under the key ring's primary key, the
JSON padded to a multiple of ``PAD_TO`` bytes), bound by its associated data to its
row and client (``kneaded:profile:v1|profile=<id>|client=<id>``). Only the client
reads it: a clinic sees the snapshot kept with each booking (``records.py``), never
the profile. Deleting it leaves those snapshots as they are. ``rotate`` re-encrypts
profiles under a new key, as ``records.rotate`` does intake records
(``flask rotate-intake-keys`` runs both).
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from ...models import HealthProfile, User, db
from .. import audit
from .keys import IntakeUnreadable, KeyRing, profile_associated_data
from .records import PAD_TO, RotationBatch
from .screening import IntakeAnswers

__all__ = ["delete_profile", "profile_of", "read_profile", "rotate", "save_profile"]

PAYLOAD_VERSION = 1


def profile_of(client: User) -> HealthProfile | None:
    """The client's profile row (still sealed), if they keep one."""
    return db.session.scalar(select(HealthProfile).where(HealthProfile.client_id == client.id))


def save_profile(*, client: User, answers: IntakeAnswers, keyring: KeyRing, now: datetime,
                 source: str = "profile") -> HealthProfile:
    """Keep ``answers`` as the client's profile (replacing the one they had).

    ``source`` says where the change came from for the audit log ("profile": the
    profile page; "booking": a booking's intake step); no answer is logged.
    """
    profile = profile_of(client)
    if profile is None:
        profile = HealthProfile(client_id=client.id, key_id="", ciphertext=b"", updated_at=now)
        profile.created_at = now
        db.session.add(profile)
    profile.updated_at = now
    db.session.flush()  # the row id is part of the associated data
    profile.key_id, profile.ciphertext = keyring.encrypt(_seal(answers), aad=_aad(profile))
    audit.record(actor=client, action="health_profile.save", obj=profile, now=now,
                 detail={"source": source})
    db.session.flush()
    return profile


def read_profile(client: User, *, keyring: KeyRing) -> tuple[IntakeAnswers, datetime] | None:
    """The client's profile answers and when they last updated them; None without one.

    Raises IntakeUnreadable when no key in the ring opens it (or it was tampered with).
    """
    profile = profile_of(client)
    if profile is None:
        return None
    plaintext = keyring.decrypt(profile.key_id, profile.ciphertext, aad=_aad(profile))
    try:
        answers = IntakeAnswers.from_dict(json.loads(plaintext)["answers"])
    except (ValueError, KeyError, TypeError) as exc:
        raise IntakeUnreadable("This health profile is not in a known format.") from exc
    return answers, profile.updated_at


def delete_profile(*, client: User, now: datetime) -> bool:
    """Delete the client's profile; the answers kept with their bookings stay."""
    profile = profile_of(client)
    if profile is None:
        return False
    audit.record(actor=client, action="health_profile.delete", obj=profile, now=now)
    db.session.delete(profile)
    db.session.flush()
    return True


def rotate(keyring: KeyRing, *, after_id: int = 0, batch_size: int = 500) -> RotationBatch:
    """Re-encrypt the next batch of profiles not under the primary key (idempotent);
    unreadable ones are left alone and listed. The caller commits after each batch."""
    rows = list(
        db.session.scalars(
            select(HealthProfile)
            .where(HealthProfile.key_id != keyring.primary_id, HealthProfile.id > after_id)
            .order_by(HealthProfile.id)
            .limit(batch_size)
            .with_for_update()
        )
    )
    batch = RotationBatch(last_id=rows[-1].id if rows else after_id, done=len(rows) < batch_size)
    for profile in rows:
        try:
            plaintext = keyring.decrypt(profile.key_id, profile.ciphertext, aad=_aad(profile))
        except IntakeUnreadable:
            batch.unreadable.append(profile.id)
            continue
        profile.key_id, profile.ciphertext = keyring.encrypt(plaintext, aad=_aad(profile))
        batch.rotated += 1
    db.session.flush()
    return batch


def _aad(profile: HealthProfile) -> bytes:
    return profile_associated_data(profile_id=profile.id, client_id=profile.client_id)


def _seal(answers: IntakeAnswers) -> bytes:
    document = {"v": PAYLOAD_VERSION, "answers": answers.to_dict()}
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return raw + b" " * (-len(raw) % PAD_TO)
