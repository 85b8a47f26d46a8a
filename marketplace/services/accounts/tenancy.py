"""Who may act for which clinic. Every owner-side read and write goes through here."""

from __future__ import annotations

from sqlalchemy import select

from ...models import Clinic, ClinicMember, Role, User, db
from ..common.errors import NotFound


def member_clinic(user: User, slug: str) -> Clinic:
    """The clinic ``slug`` if ``user`` manages it (admins manage all); NotFound otherwise.

    NotFound, not NotAllowed: another owner's clinic must look like no clinic.
    """
    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == slug))
    if clinic is None:
        raise NotFound("No such clinic.")
    if user.role is Role.ADMIN or is_member(user, clinic.id):
        return clinic
    raise NotFound("No such clinic.")


def is_member(user: User, clinic_id: int) -> bool:
    """True when ``user`` is an owner or staff member of the clinic."""
    return (
        db.session.scalar(
            select(ClinicMember.id).where(
                ClinicMember.clinic_id == clinic_id, ClinicMember.user_id == user.id
            )
        )
        is not None
    )


def member_clinics(user: User) -> list[Clinic]:
    """The clinics ``user`` manages, by name."""
    return list(
        db.session.scalars(
            select(Clinic)
            .join(ClinicMember, ClinicMember.clinic_id == Clinic.id)
            .where(ClinicMember.user_id == user.id)
            .order_by(Clinic.name)
        )
    )
