"""An owner's listing: the clinic's profile, its booking policy and its locations.

Every change is audited in the same transaction (``changes.record``). A
location's coordinates and time zone come from its ZIP code, offline
(``geo.lookup_zip``); a time-zone change that would move weekly hours out from
under upcoming bookings is refused (see ``stranding``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import func, select

from ...models import Booking, Clinic, ClinicAmenity, DepositKind, Location, User, WorkingHours, db
from ..audit import diff as changes
from ..availability import schedules
from ..availability.engine import WeeklySpan
from ..common import geo
from ..common.errors import Conflict, FieldError
from ..common.features import AMENITIES
from . import stranding

# --- profile and policy ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileData:
    name: str
    tagline: str | None
    description: str
    phone: str | None
    email: str | None
    website: str | None
    amenities: Sequence[str] | None = None  # codes from features.AMENITIES; None: unchanged

    def columns(self) -> dict:
        """The clinic's own columns (the amenities are rows of their own)."""
        values = asdict(self)
        values.pop("amenities")
        return values


def update_profile(*, clinic: Clinic, data: ProfileData, actor: User, now: datetime) -> dict:
    """Change what clients read about the clinic, amenities included; returns what changed."""
    changed = changes.apply(clinic, data.columns())
    if data.amenities is not None:
        amenities = AMENITIES.checked(data.amenities, field="amenity_codes")
        if set(amenities) != set(clinic.amenity_codes):
            changed["amenities"] = [changes.json_value(clinic.amenity_codes),
                                    changes.json_value(amenities)]
            set_amenities(clinic, amenities)
    changes.record(clinic, "clinic.profile_update", actor=actor, now=now, changed=changed)
    return changed


def set_amenities(clinic: Clinic, codes: Sequence[str]) -> None:
    """Keep the clinic's amenity rows equal to ``codes`` (checked codes), adding and removing
    only the difference."""
    wanted = set(codes)
    for row in [row for row in clinic.amenities if row.code not in wanted]:
        clinic.amenities.remove(row)
    have = set(clinic.amenity_codes)
    clinic.amenities.extend(ClinicAmenity(code=code) for code in codes if code not in have)


@dataclass(frozen=True)
class PolicyData:
    deposit_kind: DepositKind
    deposit_value: int  # whole percent, or cents for a fixed deposit
    cancellation_window_hours: int
    policy_text: str
    intake_note: str | None


def update_policy(*, clinic: Clinic, data: PolicyData, actor: User, now: datetime) -> dict:
    """Change the deposit and cancellation policy for bookings made from now on.

    Bookings already made keep the policy they were made under.
    """
    if data.deposit_kind is DepositKind.PERCENT and not 0 <= data.deposit_value <= 100:
        raise FieldError("deposit_percent", "A deposit percentage is between 0 and 100.")
    if data.deposit_value < 0:
        raise FieldError("deposit_amount", "A deposit cannot be negative.")
    if not 0 <= data.cancellation_window_hours <= 720:
        raise FieldError("cancellation_window_hours", "Choose between 0 and 720 hours.")
    changed = changes.apply(clinic, asdict(data))
    changes.record(clinic, "clinic.policy_update", actor=actor, now=now, changed=changed)
    return changed


# --- locations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocationData:
    name: str
    address_line1: str
    address_line2: str | None
    city: str | None  # None: the ZIP code's city
    zip_code: str
    phone: str | None


def _place_values(data: LocationData) -> dict:
    """The row's columns for ``data``, with the ZIP code's place and time zone."""
    place = geo.lookup_zip(data.zip_code)
    if place is None:
        raise FieldError("zip_code", f"We do not know the ZIP code {data.zip_code}. Check it.")
    if not place.timezone:
        raise FieldError("zip_code", f"We do not know the time zone of {data.zip_code}.")
    values = asdict(data)
    values.update(
        city=data.city or place.city,
        state=place.state,
        zip_code=place.zip_code,
        latitude=place.latitude,
        longitude=place.longitude,
        timezone=place.timezone,
    )
    return values


def create_location(*, clinic: Clinic, data: LocationData, actor: User, now: datetime) -> Location:
    """Add a location; its time zone is the ZIP code's."""
    location = Location(clinic=clinic, created_at=now, **_place_values(data))
    db.session.add(location)
    db.session.flush()
    changes.record(location, "location.create", actor=actor, now=now,
                   address=location.one_line, timezone=location.timezone)
    return location


def update_location(*, location: Location, data: LocationData, actor: User, now: datetime) -> dict:
    """Change a location; a new time zone must not move hours from under bookings."""
    values = _place_values(data)
    if values["timezone"] != location.timezone:
        _refuse_zone_change(location, values["timezone"], now=now)
    changed = changes.apply(location, values)
    changes.record(location, "location.update", actor=actor, now=now, changed=changed)
    return changed


def _refuse_zone_change(location: Location, new_zone: str, *, now: datetime) -> None:
    """Weekly hours are wall-clock times: in another zone they fall at other instants."""
    hours = db.session.scalars(
        select(WorkingHours).where(WorkingHours.location_id == location.id)
    ).all()
    therapist_ids = {h.therapist_id for h in hours}
    schedules.lock_therapists(therapist_ids)
    stranded = []
    for therapist_id in sorted(therapist_ids):
        mine = [h for h in hours if h.therapist_id == therapist_id]
        before = [_span(h, location.timezone) for h in mine]
        after = [_span(h, new_zone) for h in mine]
        bookings = stranding.upcoming(
            Booking.therapist_id == therapist_id, Booking.location_id == location.id, now=now
        )
        stranded += stranding.uncovered(bookings, before=before, after=after)
    stranding.refuse_if(
        stranded, f"That ZIP code is in {new_zone}, so the weekly hours here would move."
    )


def _span(hours: WorkingHours, timezone: str) -> WeeklySpan:
    return WeeklySpan(hours.weekday, hours.starts, hours.ends, hours.location_id, timezone)


def delete_location(*, location: Location, actor: User, now: datetime) -> None:
    """Remove a location no booking was ever made at (with its weekly hours)."""
    clinic = location.clinic
    if len(clinic.locations) <= 1:
        raise Conflict("A clinic needs at least one location. Change this one instead.")
    stranding.refuse_if(
        stranding.upcoming(Booking.location_id == location.id, now=now),
        "Clients have booked visits at this location.",
    )
    booked = db.session.scalar(
        select(func.count(Booking.id)).where(Booking.location_id == location.id)
    )
    if booked:
        raise Conflict("Past bookings were made at this location; it stays for their records.")
    hours = db.session.scalars(
        select(WorkingHours).where(WorkingHours.location_id == location.id)
    ).all()
    for row in hours:
        db.session.delete(row)
    changes.record(location, "location.delete", actor=actor, now=now,
                   address=location.one_line, hours_removed=len(hours))
    clinic.locations.remove(location)
    db.session.flush()
