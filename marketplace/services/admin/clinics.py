"""The admin console's operations on clinics: verify them (and the licences checked),
decide ownership claims, suspend and restore them, remove a photo, find them. Accounts
are in ``users``.

Every operation writes an audit entry in the same transaction; e-mail goes
through the outbox, so it is sent only if the change commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from ...models import (
    BLOCKING_STATUSES,
    Booking,
    ClaimStatus,
    Clinic,
    ClinicClaim,
    ClinicMember,
    ClinicStatus,
    MemberRole,
    Photo,
    Role,
    Therapist,
    User,
    db,
)
from .. import audit, mail
from ..common.errors import Conflict, NotAllowed
from ..media import photos as media_photos
from ..media.storage import Storage
from .reasons import required_reason

# --- clinics: verification and licences ----------------------------------------------------


def verify_clinic(
    *,
    clinic: Clinic,
    admin: User,
    checked_therapist_ids: Iterable[int],
    now: datetime,
    sender: str,
) -> Clinic:
    """Publish a pending clinic, recording the therapists' licences the admin checked."""
    if clinic.status is not ClinicStatus.PENDING:
        raise Conflict(f"This clinic is {clinic.status.value}, not waiting for verification.")
    checked = _check_licences(clinic, set(checked_therapist_ids), now=now)
    clinic.status, clinic.status_reason = ClinicStatus.PUBLISHED, None
    clinic.verified_at, clinic.verified_by_id = now, admin.id
    audit.record(
        actor=admin,
        action="clinic.verify",
        obj=clinic,
        detail={"licences_checked": checked},
        now=now,
    )
    _tell_owners(
        clinic,
        sender=sender,
        subject=f"{clinic.name} is verified and listed",
        text=f"{clinic.name} is verified: clients can now find it and book.\n",
    )
    return clinic


def check_licences(
    *, clinic: Clinic, admin: User, therapist_ids: Iterable[int], now: datetime
) -> list[dict]:
    """Record that the admin checked these therapists' licences today."""
    checked = _check_licences(clinic, set(therapist_ids), now=now)
    if not checked:
        raise NotAllowed("Tick at least one licence you checked.")
    audit.record(
        actor=admin,
        action="clinic.licence_check",
        obj=clinic,
        detail={"licences_checked": checked},
        now=now,
    )
    return checked


def _check_licences(clinic: Clinic, ids: set[int], *, now: datetime) -> list[dict]:
    by_id = {t.id: t for t in clinic.therapists}
    if ids - set(by_id):
        raise NotAllowed("Those therapists do not work at this clinic.")
    checked = []
    for therapist_id in sorted(ids):
        therapist = by_id[therapist_id]
        if not therapist.licence_number:
            raise NotAllowed(f"{therapist.name} has no licence number to check.")
        therapist.licence_checked_at = now
        checked.append({"therapist_id": therapist.id, "licence": _licence(therapist)})
    return checked


def _licence(therapist: Therapist) -> str:
    return f"{therapist.licence_state or ''} {therapist.licence_number}".strip()


# --- clinics: suspension ---------------------------------------------------------------------


def suspend_clinic(*, clinic: Clinic, admin: User, reason: str, now: datetime, sender: str) -> int:
    """Take a clinic out of search and booking; its bookings stay, their clients are told.

    Returns how many clients were e-mailed.
    """
    if clinic.status is ClinicStatus.SUSPENDED:
        raise Conflict("This clinic is already suspended.")
    reason = required_reason(reason)
    clinic.status, clinic.status_reason = ClinicStatus.SUSPENDED, reason
    upcoming = upcoming_bookings(clinic.id, now=now)
    told = 0
    for booking in upcoming:
        if booking.client is not None:
            _tell_client_of_suspension(booking, sender=sender, now=now)
            told += 1
    audit.record(
        actor=admin,
        action="clinic.suspend",
        obj=clinic,
        detail={"reason": reason, "bookings_kept": len(upcoming), "clients_told": told},
        now=now,
    )
    _tell_owners(
        clinic,
        sender=sender,
        subject=f"{clinic.name} is suspended",
        text=f"{clinic.name} is suspended from Kneaded.\n\nThe reason: {reason}\n\n"
        "Existing bookings are kept. Reply to this message to talk to us about it.\n",
    )
    return told


def remove_photo(*, photo: Photo, admin: User, reason: str, storage: Storage, now: datetime,
                 sender: str) -> None:
    """Take down a photo that breaks the rules; the reason is audited and the owners told."""
    reason = required_reason(reason)
    clinic, whose = photo.clinic, photo.therapist.name if photo.therapist else None
    media_photos.remove_photo(photo=photo, storage=storage, actor=admin, now=now,
                              action="photo.admin_remove", reason=reason)
    what = f"the photo of {whose}" if whose else "a photo of the clinic"
    _tell_owners(
        clinic, sender=sender, subject=f"A photo was removed from {clinic.name}",
        text=f"We removed {what} from {clinic.name}'s listing.\n\nThe reason: {reason}\n\n"
        "You can add another photo in the owner console.\n",
    )


def upcoming_bookings(clinic_id: int, *, now: datetime) -> list[Booking]:
    """The clinic's held and confirmed bookings that have not started yet."""
    return list(
        db.session.scalars(
            select(Booking)
            .where(
                Booking.clinic_id == clinic_id,
                Booking.status.in_(BLOCKING_STATUSES),
                Booking.starts_at > now,
            )
            .options(selectinload(Booking.client), selectinload(Booking.service))
            .order_by(Booking.starts_at)
        )
    )


def _tell_client_of_suspension(booking: Booking, *, sender: str, now: datetime) -> None:
    clinic = booking.clinic
    local = booking.starts_at.astimezone(ZoneInfo(booking.timezone))
    when = f"{local:%a %b %-d, %-I:%M %p} {local.tzname()}"
    contact = f" on {clinic.phone}" if clinic.phone else ""
    mail.queue(
        sender=sender,
        to=booking.client.email,
        subject=f"About your booking {booking.reference} at {clinic.name}",
        text=(
            f"Hello {booking.client.name},\n\n"
            f"{clinic.name} has been suspended from Kneaded while we look into its listing, "
            "so it no longer appears in search or takes new bookings.\n\n"
            f"Your booking {booking.reference} ({booking.service.name}, {when}) is kept. "
            f"Please contact the clinic{contact} if you want to confirm or change it.\n"
        ),
        dedupe_key=f"clinic.suspend:{clinic.id}:{booking.id}:{now.isoformat()}",
    )


def restore_clinic(*, clinic: Clinic, admin: User, now: datetime) -> Clinic:
    """Lift a suspension: back to published, or to pending if it was never verified."""
    if clinic.status is not ClinicStatus.SUSPENDED:
        raise Conflict("This clinic is not suspended.")
    clinic.status = ClinicStatus.PUBLISHED if clinic.verified_at else ClinicStatus.PENDING
    clinic.status_reason = None
    audit.record(
        actor=admin,
        action="clinic.restore",
        obj=clinic,
        detail={"status": clinic.status.value},
        now=now,
    )
    return clinic


def _tell_owners(clinic: Clinic, *, sender: str, subject: str, text: str) -> None:
    for member in clinic.members:
        if member.role is MemberRole.OWNER:
            mail.queue(sender=sender, to=member.user.email, subject=subject, text=text)


# --- ownership claims ------------------------------------------------------------------------


def pending_claims() -> list[ClinicClaim]:
    """Claims waiting for a decision, oldest first."""
    return list(
        db.session.scalars(
            select(ClinicClaim)
            .where(ClinicClaim.status == ClaimStatus.PENDING)
            .options(selectinload(ClinicClaim.clinic), selectinload(ClinicClaim.user))
            .order_by(ClinicClaim.created_at, ClinicClaim.id)
        )
    )


def approve_claim(*, claim: ClinicClaim, admin: User, now: datetime, sender: str) -> ClinicClaim:
    """Make the claimant an owner of the clinic."""
    _undecided(claim)
    user = claim.user
    if not user.is_active:
        raise NotAllowed("This account is suspended; restore it before approving its claim.")
    claim.status, claim.decided_by_id, claim.decided_at = ClaimStatus.APPROVED, admin.id, now
    exists = db.session.scalar(
        select(ClinicMember).where(
            ClinicMember.clinic_id == claim.clinic_id, ClinicMember.user_id == user.id
        )
    )
    if exists is None:
        db.session.add(
            ClinicMember(
                clinic_id=claim.clinic_id, user_id=user.id, role=MemberRole.OWNER, created_at=now
            )
        )
    else:
        exists.role = MemberRole.OWNER
    if user.role is Role.CLIENT:
        user.role = Role.OWNER
    audit.record(
        actor=admin, action="claim.approve", obj=claim, detail={"user_id": user.id}, now=now
    )
    mail.queue(
        sender=sender,
        to=user.email,
        subject=f"You now manage {claim.clinic.name}",
        text=f"Your claim to manage {claim.clinic.name} is approved. "
        "Sign in to see it under 'My clinics'.\n",
    )
    return claim


def reject_claim(
    *, claim: ClinicClaim, admin: User, reason: str, now: datetime, sender: str
) -> ClinicClaim:
    """Turn a claim down, telling the claimant why."""
    _undecided(claim)
    reason = required_reason(reason)
    claim.status, claim.decided_by_id, claim.decided_at = ClaimStatus.REJECTED, admin.id, now
    claim.decision_reason = reason
    audit.record(actor=admin, action="claim.reject", obj=claim, detail={"reason": reason}, now=now)
    mail.queue(
        sender=sender,
        to=claim.user.email,
        subject=f"Your claim to manage {claim.clinic.name}",
        text=f"We could not approve your claim to manage {claim.clinic.name}.\n\n"
        f"The reason: {reason}\n",
    )
    return claim


def _undecided(claim: ClinicClaim) -> None:
    if claim.status is not ClaimStatus.PENDING:
        raise Conflict(f"This claim is already {claim.status.value}.")


# --- finding clinics ---------------------------------------------------------------------------


def search_clinics(*, q: str = "", status: ClinicStatus | None = None) -> Select:
    """Clinics whose name, slug or phone contains ``q``: pending first, then by name."""
    pending_first = Clinic.status != ClinicStatus.PENDING
    stmt = (
        select(Clinic)
        .options(selectinload(Clinic.locations))
        .order_by(pending_first, Clinic.name, Clinic.id)
    )
    if q:
        needle = q.lower()
        stmt = stmt.where(
            or_(
                func.lower(Clinic.name).contains(needle, autoescape=True),
                Clinic.slug.contains(needle, autoescape=True),
                Clinic.phone.contains(needle, autoescape=True),
            )
        )
    if status is not None:
        stmt = stmt.where(Clinic.status == status)
    return stmt
