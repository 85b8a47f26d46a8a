"""Health intake records: answers encrypted at rest, read only by the client and the
treating clinic, every clinic read audited.

The answers and the screening's reasons are one JSON document, padded to a
multiple of ``PAD_TO`` bytes (so the length says little), sealed with AES-GCM
under the key ring's primary key. The associated data names the row, the
client and the clinic: a ciphertext copied to another row or clinic fails to
decrypt. The outcome and the clearance flag stay in clear so the clinic's
lists can show them without decrypting anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_, select

from ...models import Booking, Clinic, HealthProfile, IntakeRecord, ScreeningOutcome, User, db
from .. import audit
from ..accounts.tenancy import is_member
from ..common.errors import NotAllowed
from .access import DEFAULT_ACCESS_DAYS, clinic_access
from .keys import (
    IntakeUnreadable,
    KeyRing,
    KeyRingError,
    associated_data,
    keyring_for,
)
from .screening import IntakeAnswers, Screening

__all__ = [
    "IntakeUnreadable",
    "KeyRing",
    "KeyRingError",
    "RotationBatch",
    "keyring_for",
    "keys_in_use",
    "latest_intake",
    "read_intake",
    "rotate",
    "save_intake",
]

PAD_TO = 256
PAYLOAD_VERSION = 1


def save_intake(
    *,
    client: User,
    clinic: Clinic,
    booking: Booking | None,
    answers: IntakeAnswers,
    screening: Screening,
    clearance_confirmed: bool,
    keyring: KeyRing,
    now: datetime,
    consented: bool = False,
) -> IntakeRecord:
    """Store the client's answers for ``clinic`` (and ``booking``), encrypted.

    One intake per booking: saving again for the same booking replaces its
    answers. The booking gets the outcome and the clearance flag too.
    ``consented``: the client agreed, with these answers, to share them with the
    clinic (from ``now``; a withdrawal before is lifted). Without it an earlier
    consent for this booking stays as it was.
    """
    if booking is not None and (booking.client_id != client.id or booking.clinic_id != clinic.id):
        raise NotAllowed("This booking belongs to another client or clinic.")
    record = _record_for(booking)
    if record is None:
        record = IntakeRecord(
            client_id=client.id, clinic_id=clinic.id, booking=booking, key_id="", ciphertext=b""
        )
        record.created_at = now
        db.session.add(record)
    confirmed = bool(clearance_confirmed) and screening.outcome is ScreeningOutcome.CLEARANCE
    record.outcome = screening.outcome
    record.clearance_confirmed = confirmed
    record.reviewed_at = now
    if consented:
        record.consent_given_at, record.consent_withdrawn_at = now, None
    db.session.flush()  # the row id is part of the associated data
    record.key_id, record.ciphertext = keyring.encrypt(
        _seal_payload(answers, screening), aad=_aad(record)
    )
    if booking is not None:
        booking.screening_outcome = screening.outcome
        booking.clearance_confirmed = confirmed
    db.session.flush()
    return record


def read_intake(
    record: IntakeRecord,
    *,
    viewer: User,
    keyring: KeyRing,
    now: datetime,
    ip_address: str | None = None,
    access_days: int = DEFAULT_ACCESS_DAYS,
) -> tuple[IntakeAnswers, Screening]:
    """The decrypted answers and screening, for the record's client or its clinic's members.

    Anyone else, admins included, gets NotAllowed; so does a clinic member outside
    the client's consent (``access.clinic_access``: not given, withdrawn, or more than
    ``access_days`` after the visit). A clinic member's read is audited
    ("intake.read") in the current transaction.
    """
    if viewer.id != record.client_id:
        if not is_member(viewer, record.clinic_id):
            raise NotAllowed("Only the client and the clinic treating them can read this intake.")
        access = clinic_access(record, now=now, access_days=access_days)
        if not access.shared:
            raise NotAllowed(access.message)
        audit.record(
            actor=viewer,
            action="intake.read",
            obj=record,
            detail={"client_id": record.client_id, "booking_id": record.booking_id},
            ip_address=ip_address,
            now=now,
        )
    return _open(record, keyring)


def latest_intake(client: User, *, since: datetime | None = None,
                  besides: Booking | None = None) -> IntakeRecord | None:
    """The client's most recent intake (optionally no older than ``since``, and not the
    one given for ``besides``), to reuse."""
    query = select(IntakeRecord).where(IntakeRecord.client_id == client.id)
    if besides is not None and besides.id is not None:
        query = query.where(or_(IntakeRecord.booking_id.is_(None),
                                IntakeRecord.booking_id != besides.id))
    if since is not None:
        query = query.where(IntakeRecord.created_at >= since)
    query = query.order_by(IntakeRecord.created_at.desc(), IntakeRecord.id.desc()).limit(1)
    return db.session.scalar(query)


# --- key rotation -----------------------------------------------------------------------


@dataclass
class RotationBatch:
    """What one ``rotate`` call did; call again with ``after_id=last_id`` until ``done``."""

    rotated: int = 0
    unreadable: list[int] = field(default_factory=list)
    last_id: int = 0
    done: bool = True


def rotate(keyring: KeyRing, *, after_id: int = 0, batch_size: int = 500) -> RotationBatch:
    """Re-encrypt the next batch of records not under the primary key (idempotent).

    Records that cannot be decrypted are left as they are and listed. The
    caller commits after each batch.
    """
    rows = list(
        db.session.scalars(
            select(IntakeRecord)
            .where(IntakeRecord.key_id != keyring.primary_id, IntakeRecord.id > after_id)
            .order_by(IntakeRecord.id)
            .limit(batch_size)
            .with_for_update()
        )
    )
    batch = RotationBatch(last_id=rows[-1].id if rows else after_id, done=len(rows) < batch_size)
    for record in rows:
        try:
            plaintext = keyring.decrypt(record.key_id, record.ciphertext, aad=_aad(record))
        except IntakeUnreadable:
            batch.unreadable.append(record.id)
            continue
        record.key_id, record.ciphertext = keyring.encrypt(plaintext, aad=_aad(record))
        batch.rotated += 1
    db.session.flush()
    return batch


def keys_in_use() -> dict[str, int]:
    """How many intake records and health profiles each key id encrypts: an old key can
    go once it is not listed."""
    counts: dict[str, int] = {}
    for model in (IntakeRecord, HealthProfile):
        rows = db.session.execute(select(model.key_id, func.count()).group_by(model.key_id))
        for key_id, count in rows.tuples():
            counts[key_id] = counts.get(key_id, 0) + count
    return counts


# --- sealing ----------------------------------------------------------------------------


def _record_for(booking: Booking | None) -> IntakeRecord | None:
    if booking is None or booking.id is None:
        return None
    return db.session.scalar(select(IntakeRecord).where(IntakeRecord.booking_id == booking.id))


def _aad(record: IntakeRecord) -> bytes:
    return associated_data(
        record_id=record.id, client_id=record.client_id, clinic_id=record.clinic_id
    )


def _seal_payload(answers: IntakeAnswers, screening: Screening) -> bytes:
    document = {
        "v": PAYLOAD_VERSION,
        "answers": answers.to_dict(),
        "screening": screening.to_dict(),
    }
    raw = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return raw + b" " * (-len(raw) % PAD_TO)


def _open(record: IntakeRecord, keyring: KeyRing) -> tuple[IntakeAnswers, Screening]:
    plaintext = keyring.decrypt(record.key_id, record.ciphertext, aad=_aad(record))
    try:
        document = json.loads(plaintext)
        answers = IntakeAnswers.from_dict(document["answers"])
        screening = Screening.from_dict(document["screening"])
    except (ValueError, KeyError, TypeError) as exc:
        raise IntakeUnreadable("This intake's stored answers are not in a known format.") from exc
    if screening.outcome is not record.outcome:
        raise IntakeUnreadable("This intake's outcome does not match its encrypted answers.")
    return answers, screening
