"""What a clinic's and a therapist's public profile shows, loaded in a fixed number of
queries: hours, services with deposits and next openings, current promotions,
conditions treated, and the next open slots of one service."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...models import (
    Clinic,
    ClinicStatus,
    Condition,
    Modality,
    Promotion,
    Review,
    ReviewStatus,
    Service,
    Therapist,
    WorkingHours,
    condition_modalities,
    db,
)
from ..availability import openings
from ..availability.engine import Slot
from ..booking import pricing
from ..common import slugs
from ..common.errors import NotFound
from ..common.features import AMENITIES, LANGUAGES, Term
from ..common.local_time import zone
from ..common.rules import BookingRules
from . import features
from .terms import ConditionTerm, Technique

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NO_SUCH_CLINIC = "We could not find that clinic. It may no longer be listed."
SLOT_DAYS = 14  # how far ahead the profile lists open slots
SLOTS_PER_DAY = 6  # spread over several days rather than one morning
SLOT_DAY_LIMIT = 4


@dataclass
class Offer:
    """A service as a client weighs it: price, per 60 minutes, deposit, first opening."""

    service: Service
    deposit_cents: int
    next_opening: Slot | None


@dataclass
class DayHours:
    weekday: str
    spans: list[tuple[time, time]]


@dataclass
class Profile:
    clinic: Clinic
    therapists: list[Therapist]
    offers: list[Offer]
    hours: dict[int, list[DayHours]]  # by location id
    promotions: list[Promotion]
    conditions: list[tuple[ConditionTerm, list[Technique]]]  # with the techniques offered
    modalities: list[Modality]
    year: int = 2000  # this year, for "years of practice"
    chosen: Service | None = None
    openings: list[openings.Opening] = field(default_factory=list)
    languages: list[Term] = field(default_factory=list)  # the team's (or the therapist's)

    @property
    def amenities(self) -> list[Term]:
        return AMENITIES.terms_for(self.clinic.amenity_codes)

    @property
    def opening_days(self) -> list[tuple[date, list[openings.Opening]]]:
        """The open slots grouped by the clinic's local calendar day."""
        days: dict[date, list[openings.Opening]] = {}
        for item in self.openings:
            local = item.starts_at.astimezone(zone(item.timezone)).date()
            if local not in days and len(days) == SLOT_DAY_LIMIT:
                break
            if len(days.setdefault(local, [])) < SLOTS_PER_DAY:
                days[local].append(item)
        return list(days.items())


@dataclass
class TherapistProfile(Profile):
    therapist: Therapist | None = None
    review_count: int = 0
    review_average: float | None = None
    reviews: list[Review] = field(default_factory=list)


def _load_clinic(clinic_id: int, *, givers: bool = False) -> Clinic:
    """The clinic with everything its profile shows, one query per collection."""
    services = selectinload(Clinic.services).joinedload(Service.modality)
    options = [
        selectinload(Clinic.locations),
        selectinload(Clinic.therapists).selectinload(Therapist.modalities),
        selectinload(Clinic.therapists).selectinload(Therapist.languages),
        selectinload(Clinic.amenities),
        services,
        selectinload(Clinic.promotions).joinedload(Promotion.modality),
        selectinload(Clinic.partners),
        selectinload(Clinic.photos),
    ]
    if givers:
        options.append(selectinload(Clinic.services).selectinload(Service.therapists))
    return db.session.scalars(select(Clinic).where(Clinic.id == clinic_id).options(*options)).one()


def merged_hours(rows) -> dict[int, list[DayHours]]:
    """Weekly spans (location, weekday, starts, ends) merged into opening hours per location."""
    spans: dict[int, dict[int, list[tuple[time, time]]]] = defaultdict(lambda: defaultdict(list))
    for location_id, weekday, starts, ends in rows:
        spans[location_id][weekday].append((starts, ends))
    result = {}
    for location_id, days in spans.items():
        result[location_id] = [
            DayHours(WEEKDAYS[d], _merge(days[d])) for d in range(7) if days.get(d)
        ]
    return result


def _merge(spans: list[tuple[time, time]]) -> list[tuple[time, time]]:
    merged: list[list[time]] = []
    for starts, ends in sorted(spans):
        if merged and starts <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], ends)
        else:
            merged.append([starts, ends])
    return [(a, b) for a, b in merged]


def _hours(*conditions) -> dict[int, list[DayHours]]:
    rows = db.session.execute(
        select(WorkingHours.location_id, WorkingHours.weekday, WorkingHours.starts,
               WorkingHours.ends)
        .join(Therapist, Therapist.id == WorkingHours.therapist_id)
        .where(Therapist.active.is_(True), *conditions)
    )
    return merged_hours(rows)


def current_promotions(clinic: Clinic, today: date) -> list[Promotion]:
    """Promotions a client could use today (the clinic's local date)."""
    return [
        p for p in clinic.promotions
        if p.active
        and (p.starts_on is None or p.starts_on <= today)
        and (p.ends_on is None or today <= p.ends_on)
        and (p.max_redemptions is None or p.redemptions_count < p.max_redemptions)
    ]


def conditions_for(modalities: list[Modality]) -> list[tuple[ConditionTerm, list[Technique]]]:
    """Each condition some of these techniques address, with those techniques (one query)."""
    by_id = {m.id: Technique(m.id, m.slug, m.name, m.short_name) for m in modalities}
    if not by_id:
        return []
    rows = db.session.execute(
        select(Condition.id, Condition.slug, Condition.name, Condition.summary,
               condition_modalities.c.modality_id)
        .join(condition_modalities, condition_modalities.c.condition_id == Condition.id)
        .where(condition_modalities.c.modality_id.in_(list(by_id)))
        .order_by(Condition.name)
    )
    grouped: dict[ConditionTerm, list[Technique]] = {}
    for cid, slug, name, summary, mid in rows:
        grouped.setdefault(ConditionTerm(cid, slug, name, summary), []).append(by_id[mid])
    return [(c, sorted(found, key=lambda t: t.name)) for c, found in grouped.items()]


def clinic_today(clinic: Clinic, now: datetime) -> date:
    """Today's date where the clinic is."""
    tz = clinic.locations[0].timezone if clinic.locations else "UTC"
    return now.astimezone(zone(tz)).date()


def _chooser(services: list[Service], service_id: int | None, technique: str | None):
    """The service whose slots to list: the one asked for, else one of the technique
    asked for, else the one that opens soonest."""
    return lambda first: _choose(services, service_id, technique, first)


def _choose(services: list[Service], service_id: int | None, technique: str | None,
            first: dict[int, Slot]) -> Service | None:
    if not services:
        return None
    by_id = {s.id: s for s in services}
    if service_id in by_id:
        return by_id[service_id]
    matching = [s for s in services if technique and s.modality.slug == technique] or services
    never = datetime.max.replace(tzinfo=None)
    return min(matching, key=lambda s: (
        first[s.id].starts_at.replace(tzinfo=None) if s.id in first else never, s.name))


def clinic_profile(clinic: Clinic, *, now: datetime, rules: BookingRules,
                   service_id: int | None = None, technique: str | None = None,
                   with_slots: bool = True) -> Profile:
    """Everything the clinic's public page shows."""
    clinic = _load_clinic(clinic.id)
    services = [s for s in clinic.services if s.active]
    found = openings.service_openings(
        services, now=now, rules=rules, choose=_chooser(services, service_id, technique),
        days=SLOT_DAYS, want_days=SLOT_DAY_LIMIT + 1 if with_slots else 0)
    offers = [Offer(s, pricing.deposit_for(clinic, s.price_cents), found.first.get(s.id))
              for s in services]
    modalities = sorted({s.modality for s in services}, key=lambda m: m.name)
    profile = Profile(
        clinic=clinic, therapists=[t for t in clinic.therapists if t.active], offers=offers,
        hours=_hours(Therapist.clinic_id == clinic.id),
        promotions=current_promotions(clinic, clinic_today(clinic, now)),
        conditions=conditions_for(modalities), modalities=modalities, year=now.year,
        chosen=found.chosen, openings=found.upcoming,
        languages=LANGUAGES.terms_for(features.team_languages([clinic.id])[clinic.id]),
    )
    return profile


def published_clinic(slug: str) -> Clinic:
    """The published clinic with this slug; raises NotFound (pending, suspended, unknown)."""
    clinic = None
    if slugs.is_slug(slug):
        clinic = db.session.scalar(
            select(Clinic).where(Clinic.slug == slug, Clinic.status == ClinicStatus.PUBLISHED)
        )
    if clinic is None:
        raise NotFound(NO_SUCH_CLINIC)
    return clinic


def published_therapist(slug: str) -> Therapist:
    """An active therapist of a published clinic; raises NotFound."""
    therapist = None
    if slugs.is_slug(slug):
        therapist = db.session.scalar(
            select(Therapist).join(Clinic).where(
                Therapist.slug == slug, Therapist.active.is_(True),
                Clinic.status == ClinicStatus.PUBLISHED,
            )
        )
    if therapist is None:
        raise NotFound("We could not find that therapist. They may no longer be listed.")
    return therapist


def therapist_profile(therapist: Therapist, *, now: datetime, rules: BookingRules,
                      service_id: int | None = None) -> TherapistProfile:
    """Everything the therapist's public page shows."""
    clinic = _load_clinic(therapist.clinic_id, givers=True)
    services = [s for s in clinic.services if s.active and therapist in s.therapists]
    found = openings.service_openings(
        services, now=now, rules=rules, choose=_chooser(services, service_id, None),
        therapist_id=therapist.id, days=SLOT_DAYS, want_days=SLOT_DAY_LIMIT + 1)
    offers = [Offer(s, pricing.deposit_for(clinic, s.price_cents), found.first.get(s.id))
              for s in services]
    modalities = list(therapist.modalities)
    profile = TherapistProfile(
        clinic=clinic, therapists=[therapist], offers=offers,
        hours=_hours(Therapist.id == therapist.id),
        promotions=current_promotions(clinic, clinic_today(clinic, now)),
        conditions=conditions_for(modalities), modalities=modalities, year=now.year,
        chosen=found.chosen, openings=found.upcoming, therapist=therapist,
        languages=LANGUAGES.terms_for(therapist.language_codes),
    )
    _add_reviews(profile, therapist)
    return profile


def _add_reviews(profile: TherapistProfile, therapist: Therapist) -> None:
    published = (Review.therapist_id == therapist.id, Review.status == ReviewStatus.PUBLISHED)
    count, average = db.session.execute(
        select(func.count(Review.id), func.avg(Review.rating)).where(*published)
    ).one()
    profile.review_count = count
    profile.review_average = float(average) if average is not None else None
    profile.reviews = list(db.session.scalars(
        select(Review).where(*published).options(selectinload(Review.service),
                                                 selectinload(Review.author))
        .order_by(Review.created_at.desc(), Review.id.desc()).limit(5)
    ))
