"""Becoming a clinic owner: the account, a new clinic (pending until an admin
verifies it), or a claim on a listing that already exists; and what a clinic
still needs before it can be verified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...models import (
    ClaimStatus,
    Clinic,
    ClinicClaim,
    ClinicMember,
    ClinicStatus,
    DepositKind,
    MemberRole,
    Role,
    User,
    WorkingHours,
    db,
)
from .. import audit
from ..common.errors import Conflict, NotAllowed
from ..common.features import AMENITIES
from ..common.slugs import MAX_BASE, slugify
from . import listings, policy

#: Unverified clinics one account may have at once: enough for a chain, not for spam.
MAX_PENDING_CLINICS = 5
CLAIM_SEARCH_LIMIT = 20
RESERVED_SLUGS = frozenset({"new"})  # /owner/clinics/new is a page


def become_owner(*, user: User, now: datetime) -> User:
    """Turn a client account into a clinic-owner account (it can still book)."""
    if user.role is Role.OWNER:
        return user
    if user.role is not Role.CLIENT:
        raise NotAllowed("Admin accounts cannot become clinic owners.")
    user.role = Role.OWNER
    audit.record(actor=user, action="user.become_owner", obj=user, now=now)
    return user


def unique_clinic_slug(name: str, city: str) -> str:
    """A slug from the name (then name and city, then a number) that is free."""
    base = slugify(name, max_length=MAX_BASE) or "clinic"
    candidates = [base, f"{base}-{slugify(city, max_length=110 - len(base) - 1)}".strip("-")]
    candidates += [f"{base}-{n}" for n in range(2, 1000)]
    for slug in candidates:
        if slug in RESERVED_SLUGS:
            continue
        if db.session.scalar(select(Clinic.id).where(Clinic.slug == slug)) is None:
            return slug
    raise Conflict("Choose a more distinctive name.")  # pragma: no cover - 1,000 namesakes


def create_clinic(
    *, owner: User, profile: listings.ProfileData, location: listings.LocationData,
    now: datetime,
) -> Clinic:
    """A new clinic with its first location, pending until an admin verifies it."""
    if owner.role not in (Role.OWNER, Role.ADMIN):
        raise NotAllowed("Switch to a clinic-owner account first.")
    pending = db.session.scalar(
        select(func.count(Clinic.id))
        .join(ClinicMember, ClinicMember.clinic_id == Clinic.id)
        .where(ClinicMember.user_id == owner.id, Clinic.status == ClinicStatus.PENDING)
    )
    if pending >= MAX_PENDING_CLINICS:
        raise Conflict(f"You have {pending} clinics waiting for verification already.")
    clinic = Clinic(
        **profile.columns(),
        slug=unique_clinic_slug(profile.name, location.city or location.zip_code),
        status=ClinicStatus.PENDING,
        deposit_kind=DepositKind.PERCENT,
        deposit_value=20,
        cancellation_window_hours=24,
        policy_text=policy.policy_text(DepositKind.PERCENT, 20, 24),
        created_at=now,
    )
    clinic.members.append(ClinicMember(user=owner, role=MemberRole.OWNER, created_at=now))
    amenities = AMENITIES.checked(profile.amenities or (), field="amenity_codes")
    listings.set_amenities(clinic, amenities)
    db.session.add(clinic)
    db.session.flush()
    audit.record(actor=owner, action="clinic.create", obj=clinic, now=now,
                 detail={"name": clinic.name})
    listings.create_location(clinic=clinic, data=location, actor=owner, now=now)
    return clinic


def claimable_clinics(q: str, *, user: User) -> list[Clinic]:
    """Listed clinics whose name contains ``q`` that ``user`` does not manage yet."""
    needle = q.strip().lower()
    if len(needle) < 2:
        return []
    mine = select(ClinicMember.clinic_id).where(ClinicMember.user_id == user.id)
    return list(
        db.session.scalars(
            select(Clinic)
            .where(
                func.lower(Clinic.name).contains(needle, autoescape=True),
                Clinic.status != ClinicStatus.SUSPENDED,
                Clinic.id.not_in(mine),
            )
            .options(selectinload(Clinic.locations))
            .order_by(Clinic.name)
            .limit(CLAIM_SEARCH_LIMIT)
        )
    )


def request_claim(*, user: User, clinic: Clinic, message: str, now: datetime) -> ClinicClaim:
    """Ask the admins to let ``user`` manage an existing listing."""
    if clinic.status is ClinicStatus.SUSPENDED:
        raise Conflict("This clinic is suspended; contact us about it instead.")
    if any(m.user_id == user.id for m in clinic.members):
        raise Conflict(f"You already manage {clinic.name}.")
    waiting = db.session.scalar(
        select(ClinicClaim.id).where(
            ClinicClaim.clinic_id == clinic.id,
            ClinicClaim.user_id == user.id,
            ClinicClaim.status == ClaimStatus.PENDING,
        )
    )
    if waiting is not None:
        raise Conflict(f"Your claim on {clinic.name} is already waiting for a decision.")
    claim = ClinicClaim(clinic=clinic, user=user, message=message, created_at=now)
    db.session.add(claim)
    db.session.flush()
    audit.record(actor=user, action="claim.request", obj=claim, clinic_id=clinic.id, now=now)
    return claim


def my_claims(user: User) -> list[ClinicClaim]:
    """The user's claims, newest first."""
    return list(
        db.session.scalars(
            select(ClinicClaim)
            .where(ClinicClaim.user_id == user.id)
            .options(selectinload(ClinicClaim.clinic))
            .order_by(ClinicClaim.created_at.desc(), ClinicClaim.id.desc())
        )
    )


# --- readiness ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    key: str  # "profile", "location", "therapist", "service", "hours", "policy"
    done: bool


def readiness(clinic: Clinic) -> list[Step]:
    """What a clinic needs before clients can book it, each step done or not."""
    active = [t for t in clinic.therapists if t.active]
    services = [s for s in clinic.services if s.active and any(t.active for t in s.therapists)]
    givers = {t.id for s in services for t in s.therapists if t.active}
    has_hours = bool(givers) and db.session.scalar(
        select(WorkingHours.id).where(WorkingHours.therapist_id.in_(givers)).limit(1)
    ) is not None
    return [
        Step("profile", bool(clinic.description.strip() and clinic.phone)),
        Step("location", bool(clinic.locations)),
        Step("therapist", any(t.licence_number and t.licence_state for t in active)),
        Step("service", bool(services)),
        Step("hours", has_hours),
        Step("policy", bool(clinic.policy_text.strip())),
    ]
