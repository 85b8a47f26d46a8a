"""Who may read a booking's intake on the clinic's side, and when.

A clinic reads a client's answers only for its own bookings, only when the client
consented to share them for that booking (a box naming the clinic on the intake
step), and only while it treats them: from the consent until the visit's end plus
``BookingRules.intake_access_days`` (INTAKE_CLINIC_ACCESS_DAYS). The client may
withdraw the consent at any time (one booking, or every booking still shared with a
clinic); the clinic's access stops at once. Withdrawing before the visit does not
cancel it: the clinic sees "answers withheld by the client" and the screening's
outcome (kept in clear on the booking), and can ask the client at the visit.

The client's reads of their own answers are never limited. ``reads_of`` lists the
clinic reads recorded in the audit log ("intake.read"), for the client to see.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ...models import AuditLog, Booking, Clinic, IntakeRecord, User, db
from .. import audit
from ..common.errors import NotAllowed, NotFound
from ..common.rules import BookingRules

__all__ = [
    "DEFAULT_ACCESS_DAYS",
    "Access",
    "ClinicAccess",
    "ClinicRead",
    "SharedClinic",
    "booking_access",
    "clinic_access",
    "clinic_named",
    "reads_of",
    "shared_clinics",
    "withdraw_consent",
    "withdraw_for_clinic",
]

DEFAULT_ACCESS_DAYS = BookingRules().intake_access_days


class Access(enum.StrEnum):
    SHARED = "shared"  # the clinic may read the answers now
    WITHHELD = "withheld"  # the client did not consent for this booking
    WITHDRAWN = "withdrawn"  # the client consented, then withdrew
    ENDED = "ended"  # the retention period after the visit is over


@dataclass(frozen=True)
class ClinicAccess:
    state: Access
    until: datetime  # the end of the window (the visit's end plus the retention period)
    since: datetime | None = None  # consent given
    withdrawn_at: datetime | None = None

    @property
    def shared(self) -> bool:
        return self.state is Access.SHARED

    @property
    def message(self) -> str:
        """What the clinic is told instead of the answers."""
        if self.state is Access.WITHHELD:
            return ("Answers withheld by the client: they did not agree to share their "
                    "health answers with the clinic for this booking.")
        if self.state is Access.WITHDRAWN:
            return ("Answers withheld by the client: they withdrew their consent to share "
                    "their health answers for this booking. The screening outcome above "
                    "still stands; ask them at the visit.")
        if self.state is Access.ENDED:
            return ("The client's answers are no longer available to the clinic: they "
                    "were shared until the end of the retention period after the visit.")
        return ""


def visit_end(record: IntakeRecord) -> datetime:
    """When the visit the answers were given for ends (the answers' own date without one)."""
    if record.booking is not None:
        return record.booking.ends_at
    return record.reviewed_at or record.created_at


def clinic_access(record: IntakeRecord, *, now: datetime,
                  access_days: int = DEFAULT_ACCESS_DAYS) -> ClinicAccess:
    """Whether the record's clinic may read it at ``now``, and why not."""
    until = visit_end(record) + timedelta(days=access_days)
    given, withdrawn = record.consent_given_at, record.consent_withdrawn_at
    if given is None:
        state = Access.WITHHELD
    elif withdrawn is not None and withdrawn <= now:
        state = Access.WITHDRAWN
    elif now > until:
        state = Access.ENDED
    else:
        state = Access.SHARED
    return ClinicAccess(state, until, given, withdrawn)


def booking_access(booking: Booking, *, now: datetime,
                   access_days: int = DEFAULT_ACCESS_DAYS) -> ClinicAccess | None:
    """The clinic's access to this booking's answers (None: no answers were given)."""
    record = db.session.scalar(select(IntakeRecord).where(IntakeRecord.booking_id == booking.id))
    return None if record is None else clinic_access(record, now=now, access_days=access_days)


def withdraw_consent(booking: Booking, *, client: User, now: datetime) -> IntakeRecord:
    """Stop sharing this booking's answers with its clinic, at once."""
    if booking.client_id != client.id:
        raise NotAllowed("Only the client can withdraw consent for their booking.")
    record = db.session.scalar(select(IntakeRecord).where(IntakeRecord.booking_id == booking.id))
    if record is None or record.consent_given_at is None:
        raise NotAllowed("The answers for this booking are not shared with the clinic.")
    if record.consent_withdrawn_at is None:
        record.consent_withdrawn_at = now
        audit.record(actor=client, action="intake.consent_withdrawn", obj=record, now=now,
                     detail={"booking_id": booking.id})
    return record


def clinic_named(slug: str) -> Clinic:
    """Any clinic by its slug (a suspended one too: a client may always stop sharing)."""
    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == slug))
    if clinic is None:
        raise NotFound("We could not find that clinic.")
    return clinic


def withdraw_for_clinic(*, client: User, clinic: Clinic, now: datetime,
                        access_days: int = DEFAULT_ACCESS_DAYS) -> int:
    """Stop sharing every answer the clinic may still read (coming visits and those in
    the retention period). Returns how many bookings it covered."""
    withdrawn = 0
    for record in _consented(client, clinic_id=clinic.id):
        if clinic_access(record, now=now, access_days=access_days).shared:
            record.consent_withdrawn_at = now
            withdrawn += 1
    if withdrawn:
        audit.record(actor=client, action="intake.consent_withdrawn", obj=clinic, now=now,
                     detail={"client_id": client.id, "bookings": withdrawn})
    db.session.flush()
    return withdrawn


@dataclass(frozen=True)
class SharedClinic:
    clinic: Clinic
    bookings: list[Booking]
    until: datetime  # the latest end of access among them


def shared_clinics(client: User, *, now: datetime,
                   access_days: int = DEFAULT_ACCESS_DAYS) -> list[SharedClinic]:
    """The clinics that may read the client's answers now, with the bookings concerned."""
    found: dict[int, SharedClinic] = {}
    for record in _consented(client):
        access = clinic_access(record, now=now, access_days=access_days)
        if not access.shared:
            continue
        entry = found.get(record.clinic_id)
        bookings = [*(entry.bookings if entry else []),
                    *([record.booking] if record.booking else [])]
        until = max(access.until, entry.until) if entry else access.until
        found[record.clinic_id] = SharedClinic(record.clinic, bookings, until)
    return sorted(found.values(), key=lambda s: s.clinic.name.lower())


@dataclass(frozen=True)
class ClinicRead:
    at: datetime
    clinic_name: str
    booking: Booking | None


def reads_of(client: User, *, limit: int = 200) -> list[ClinicRead]:
    """The clinics' reads of the client's answers, newest first (from the audit log)."""
    rows = db.session.execute(
        select(AuditLog.created_at, Clinic.name, IntakeRecord)
        .join(IntakeRecord, IntakeRecord.id == AuditLog.object_id)
        .join(Clinic, Clinic.id == IntakeRecord.clinic_id)
        .where(AuditLog.action == "intake.read", AuditLog.object_type == "intake_record",
               IntakeRecord.client_id == client.id)
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(limit)
    )
    return [ClinicRead(at, name, record.booking) for at, name, record in rows]


def _consented(client: User, *, clinic_id: int | None = None) -> list[IntakeRecord]:
    query = select(IntakeRecord).where(IntakeRecord.client_id == client.id,
                                       IntakeRecord.consent_given_at.is_not(None),
                                       IntakeRecord.consent_withdrawn_at.is_(None))
    if clinic_id is not None:
        query = query.where(IntakeRecord.clinic_id == clinic_id)
    return list(db.session.scalars(query.order_by(IntakeRecord.id)))
