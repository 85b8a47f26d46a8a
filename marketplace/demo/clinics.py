"""The seed and demo clinics in the database, created by slug when missing: their
locations, therapists with weekly hours, services, promotions, partners and owner.
A clinic that exists is left as it is, so changes made while demonstrating survive."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..models import (
    Clinic,
    ClinicAmenity,
    ClinicMember,
    ClinicStatus,
    Location,
    MemberRole,
    Modality,
    Partner,
    Promotion,
    Service,
    Therapist,
    TherapistLanguage,
    User,
    WorkingHours,
    db,
)
from ..services.common import geo
from . import data as seed_data
from .data.features import CLINIC_AMENITIES, THERAPIST_LANGUAGES


def _place_for(location: seed_data.LocationSeed, timezone: str) -> geo.Place:
    """The ZIP's coordinates, refusing a ZIP whose time zone is not the clinic's."""
    place = geo.lookup_zip(location.zip_code)
    if place is None:
        raise ValueError(f"unknown ZIP code {location.zip_code} in the demo data")
    if place.timezone != timezone:
        raise ValueError(
            f"ZIP {location.zip_code} is in {place.timezone}, not the clinic's {timezone}"
        )
    return place


def _new_clinic(spec: seed_data.ClinicSeed, admin: User, now: datetime) -> Clinic:
    verified = spec.status is not ClinicStatus.PENDING  # suspended ones were verified once
    return Clinic(
        slug=spec.slug, name=spec.name, tagline=spec.tagline, description=spec.description,
        phone=spec.phone, email=spec.email, website=spec.website, status=spec.status,
        status_reason=spec.status_reason, deposit_kind=spec.deposit_kind,
        deposit_value=spec.deposit_value,
        cancellation_window_hours=spec.cancellation_window_hours,
        policy_text=spec.policy_text, intake_note=spec.intake_note,
        is_illustrative=spec.is_illustrative,
        verified_at=now if verified else None, verified_by_id=admin.id if verified else None,
        amenities=[ClinicAmenity(code=code) for code in CLINIC_AMENITIES.get(spec.slug, ())],
    )


def upsert_clinic(
    spec: seed_data.ClinicSeed, modalities: dict[str, Modality], users: dict[str, User],
    now: datetime,
) -> Clinic:
    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == spec.slug))
    if clinic is None:
        clinic = _new_clinic(spec, users["admin@demo.test"], now)
        db.session.add(clinic)
    clinic.is_illustrative = spec.is_illustrative  # re-seeding corrects an older demo
    locations = _ensure_locations(clinic, spec)
    therapists = _ensure_therapists(clinic, spec, modalities, locations)
    _ensure_services(clinic, spec, modalities, therapists)
    _ensure_promotions(clinic, spec, modalities, now)
    _ensure_partners(clinic, spec)
    if spec.owner_email:
        _ensure_owner(clinic, users[spec.owner_email])
    return clinic


def _ensure_locations(clinic: Clinic, spec: seed_data.ClinicSeed) -> list[Location]:
    by_name = {loc.name: loc for loc in clinic.locations}
    result = []
    for loc_spec in spec.locations:
        location = by_name.get(loc_spec.name)
        if location is None:
            place = _place_for(loc_spec, spec.timezone)
            location = Location(
                name=loc_spec.name, address_line1=loc_spec.address_line1,
                address_line2=loc_spec.address_line2, city=loc_spec.city, state=spec.state,
                zip_code=loc_spec.zip_code, latitude=place.latitude,
                longitude=place.longitude, timezone=place.timezone, phone=loc_spec.phone,
                is_illustrative=loc_spec.is_illustrative,
            )
            clinic.locations.append(location)
        result.append(location)
    return result


def _ensure_therapists(
    clinic: Clinic, spec: seed_data.ClinicSeed, modalities: dict[str, Modality],
    locations: list[Location],
) -> dict[str, Therapist]:
    slugs = [t.slug for t in spec.therapists]
    existing = {
        t.slug: t for t in db.session.scalars(select(Therapist).where(Therapist.slug.in_(slugs)))
    }
    result = {}
    for t_spec in spec.therapists:
        therapist = existing.get(t_spec.slug)
        if therapist is None:
            therapist = _new_therapist(t_spec, spec.state, modalities, locations)
            clinic.therapists.append(therapist)
        result[t_spec.slug] = therapist
    return result


def _new_therapist(
    spec: seed_data.TherapistSeed, state: str, modalities: dict[str, Modality],
    locations: list[Location],
) -> Therapist:
    therapist = Therapist(
        slug=spec.slug, name=spec.name, credentials=spec.credentials,
        licence_number=spec.licence_number,
        licence_state=state if spec.licence_number else None,
        practicing_since=spec.practicing_since, bio=spec.bio,
        modalities=[modalities[slug] for slug in spec.modalities],
        languages=[TherapistLanguage(code=code)
                   for code in ("en", *THERAPIST_LANGUAGES.get(spec.slug, ()))],
    )
    for span in seed_data.HOURS_PATTERNS[spec.hours]:
        location = locations[(span.location + spec.location) % len(locations)]
        therapist.working_hours.extend(
            WorkingHours(weekday=day, starts=span.starts, ends=span.ends, location=location)
            for day in span.weekdays
        )
    return therapist


def _ensure_services(
    clinic: Clinic, spec: seed_data.ClinicSeed, modalities: dict[str, Modality],
    therapists: dict[str, Therapist],
) -> None:
    existing = {s.name for s in clinic.services}
    for s_spec in spec.services:
        if s_spec.name in existing:
            continue
        service = Service(
            modality=modalities[s_spec.modality], name=s_spec.name,
            description=s_spec.description, buffer_before_min=s_spec.buffer_before_min,
            buffer_after_min=s_spec.buffer_after_min,
            includes_consultation=s_spec.includes_consultation,
            therapists=_givers(spec, s_spec.modality, therapists),
        )
        service.set_price(price_cents=s_spec.price_cents, duration_min=s_spec.duration_min)
        clinic.services.append(service)


def _givers(
    spec: seed_data.ClinicSeed, modality: str, therapists: dict[str, Therapist]
) -> list[Therapist]:
    """The clinic's therapists who practise the technique (all of them if none do)."""
    chosen = [therapists[t.slug] for t in spec.therapists if modality in t.modalities]
    return chosen or list(therapists.values())


def _ensure_promotions(
    clinic: Clinic, spec: seed_data.ClinicSeed, modalities: dict[str, Modality], now: datetime
) -> None:
    existing = {p.code for p in clinic.promotions}
    today = now.date()
    for p_spec in spec.promotions:
        if p_spec.code in existing:
            continue
        clinic.promotions.append(Promotion(
            code=p_spec.code.upper(), title=p_spec.title, description=p_spec.description,
            kind=p_spec.kind, value=p_spec.value,
            modality=modalities[p_spec.modality] if p_spec.modality else None,
            starts_on=today if p_spec.valid_days else None,
            ends_on=today + timedelta(days=p_spec.valid_days) if p_spec.valid_days else None,
            max_redemptions=p_spec.max_redemptions,
        ))


def _ensure_partners(clinic: Clinic, spec: seed_data.ClinicSeed) -> None:
    existing = {p.name for p in clinic.partners}
    clinic.partners.extend(
        Partner(name=p.name, specialty=p.specialty, note=p.note)
        for p in spec.partners
        if p.name not in existing
    )


def _ensure_owner(clinic: Clinic, user: User) -> None:
    if not any(m.user_id == user.id for m in clinic.members):
        clinic.members.append(ClinicMember(user=user, role=MemberRole.OWNER))
