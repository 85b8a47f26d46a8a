"""The shapes of the demo tables (clinics, locations, therapists, services, hours,
promotions, partners) and the short constructors the tables are written with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from ...models.clinic import ClinicStatus, DepositKind, PromotionKind
from ...services.clinics.policy import policy_text
from ...services.common import slugs
from .vocabulary import BY_SLUG, K, technique_slugs

FL_TZ = "America/New_York"
CO_TZ = "America/Denver"


@dataclass(frozen=True)
class HoursSpan:
    weekdays: tuple[int, ...]  # 0 = Monday
    starts: time
    ends: time
    location: int = 0  # index into the clinic's locations, shifted by the therapist's


def _span(days: str, starts: str, ends: str, location: int = 0) -> HoursSpan:
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    weekdays = tuple(names.index(d) for d in days.split())
    return HoursSpan(weekdays, time.fromisoformat(starts), time.fromisoformat(ends), location)


#: Weekly patterns therapists follow, in the location's wall-clock time.
HOURS_PATTERNS: dict[str, tuple[HoursSpan, ...]] = {
    "weekdays": (_span("mon tue wed thu fri", "09:00", "17:00"),),
    "evenings": (_span("mon tue wed thu", "13:00", "20:00"),),
    "saturdays": (_span("tue wed thu fri sat", "10:00", "18:00"),),
    "early": (_span("mon tue wed thu", "07:30", "15:30"),),
    "part_time": (_span("mon wed", "12:00", "19:00"), _span("sat", "09:00", "14:00")),
    "with_lunch": (
        _span("mon tue wed thu fri", "08:30", "12:30"),
        _span("mon tue wed thu fri", "13:30", "17:30"),
    ),
    "late_week": (_span("thu fri sat sun", "10:00", "18:00"),),
    "two_sites": (
        _span("mon wed fri", "09:00", "17:00", 0),
        _span("tue thu", "11:00", "19:00", 1),
    ),
}


@dataclass(frozen=True)
class TherapistSeed:
    name: str
    credentials: str
    licence_number: str | None
    practicing_since: int
    modalities: tuple[str, ...]
    bio: str
    hours: str = "weekdays"
    location: int = 0

    @property
    def slug(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class ServiceSeed:
    name: str
    modality: str
    duration_min: int
    price_cents: int
    description: str = ""
    buffer_before_min: int = 0
    buffer_after_min: int = 0
    includes_consultation: bool = False


@dataclass(frozen=True)
class LocationSeed:
    address_line1: str
    city: str
    zip_code: str
    name: str = "Main"
    address_line2: str | None = None
    phone: str | None = None
    is_illustrative: bool = True


@dataclass(frozen=True)
class PromotionSeed:
    code: str
    title: str
    description: str
    kind: PromotionKind
    value: int  # cents for AMOUNT, whole percent for PERCENT
    modality: str | None = None
    valid_days: int | None = None  # from the day of seeding; None = open-ended
    max_redemptions: int | None = None


@dataclass(frozen=True)
class PartnerSeed:
    name: str
    specialty: str
    note: str | None = None


@dataclass(frozen=True)
class ClinicSeed:
    name: str
    state: str
    timezone: str
    tagline: str
    description: str
    locations: tuple[LocationSeed, ...]
    therapists: tuple[TherapistSeed, ...]
    services: tuple[ServiceSeed, ...]
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    deposit_kind: DepositKind = DepositKind.PERCENT
    deposit_value: int = 20
    cancellation_window_hours: int = 24
    policy_extra: str = ""
    intake_note: str | None = None
    promotions: tuple[PromotionSeed, ...] = ()
    partners: tuple[PartnerSeed, ...] = ()
    status: ClinicStatus = ClinicStatus.PUBLISHED
    status_reason: str | None = None
    is_illustrative: bool = True
    owner_email: str | None = None

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def policy_text(self) -> str:
        return policy_text(
            self.deposit_kind, self.deposit_value, self.cancellation_window_hours,
            self.policy_extra,
        )


def slugify(text: str) -> str:
    """Lower-case words joined by hyphens: "Flex Spine & Sport" -> "flex-spine-sport"."""
    return slugs.slugify(text)




def T(  # noqa: N802 - a short constructor for the tables below
    name: str, credentials: str, licence: str | None, since: int, keys: str, bio: str,
    hours: str = "weekdays", location: int = 0,
) -> TherapistSeed:
    return TherapistSeed(
        name, credentials, licence, since, technique_slugs(keys), bio, hours, location
    )


def S(  # noqa: N802
    key: str, minutes: int, dollars: int, name: str | None = None, description: str = "", *,
    before: int = 0, after: int = 0, consult: bool = False,
) -> ServiceSeed:
    slug = K[key]
    label = name or f"{BY_SLUG[slug].name}, {minutes} min"
    return ServiceSeed(label, slug, minutes, dollars * 100, description, before, after, consult)


def L(  # noqa: N802
    address: str, city: str, zip_code: str, name: str = "Main", line2: str | None = None,
) -> LocationSeed:
    return LocationSeed(address, city, zip_code, name, line2)


def fiction_phone(area: str, n: int) -> str:
    """A number from the 555-01xx block, which is reserved for fiction."""
    return f"{area}-555-{100 + n:04d}"


def website(name: str) -> str:
    return f"https://{slugify(name)}.example"


# --- fictional demo clinics ----------------------------------------------------------
# Invented names, people, addresses (on real ZIP codes) and numbers from the 555-01xx
# block, so search by distance, filters and comparison have something to work on.

P, F = DepositKind.PERCENT, DepositKind.FIXED
PCT, AMT = PromotionKind.PERCENT, PromotionKind.AMOUNT


def fictional_clinic(
    name: str, n: int, *, state: str, timezone: str, area: str, **kw
) -> ClinicSeed:
    """A fictional clinic with the n-th fiction phone number and an ``.example`` address."""
    kw.setdefault("phone", fiction_phone(area, n))
    kw.setdefault("email", f"hello@{slugify(name)}.example")
    return ClinicSeed(name=name, state=state, timezone=timezone, **kw)
