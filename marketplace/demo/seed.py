"""Loads the demo data (idempotent) and generates synthetic clinics for benchmarks.

``seed_demo`` upserts by natural key (slug, e-mail, reference, name within a
clinic): the vocabulary is refreshed from ``data`` on every run, while
clinics and what hangs off them are created when missing and otherwise left as
they are, so changes made while demonstrating survive a re-run.

``seed_synthetic`` writes with Core bulk inserts and primary keys reserved up
front: ten thousand clinics, with everything under them, load in well under a minute.
Nothing here commits or prints: the caller (the CLI) does.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import zipcodes
from sqlalchemy import func, insert, select
from sqlalchemy.orm import selectinload

from ..models import (
    Booking,
    BookingStatus,
    Clinic,
    ClinicMember,
    ClinicStatus,
    Condition,
    DepositKind,
    Location,
    MemberRole,
    Modality,
    ModalityAlias,
    Partner,
    Party,
    Payment,
    PaymentStatus,
    Promotion,
    Role,
    ScreeningOutcome,
    Service,
    Therapist,
    TimeOff,
    User,
    UserStatus,
    WorkingHours,
    db,
    per_60,
    service_therapists,
    therapist_modalities,
)
from ..services.accounts.users import hash_password, normalise_email
from ..services.clinics.policy import policy_text
from ..services.common import geo
from ..services.common.money import percent_of
from ..services.discovery import index as search_index
from . import data as seed_data
from . import reviews as seed_reviews
from . import schedule as seed_schedule

DEMO_PASSWORD = "massage-demo-2026"  # noqa: S105 - published demo sign-in, not a secret


@dataclass
class SeedReport:
    clinics: int = 0
    therapists: int = 0
    services: int = 0
    bookings: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)


class _PasswordHash:
    """The demo password hashed at most once per run (argon2 is slow on purpose)."""

    def __init__(self) -> None:
        self._value: str | None = None

    def __call__(self) -> str:
        if self._value is None:
            self._value = hash_password(DEMO_PASSWORD)
        return self._value


# --- shared helpers ------------------------------------------------------------------


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def _local_to_utc(day: date, wall: time, tz: str) -> datetime:
    return datetime.combine(day, wall, tzinfo=_zone(tz)).astimezone(UTC)


def _deposit_cents(kind: DepositKind, value: int, price_cents: int) -> int:
    """The deposit a policy asks for on a price, never more than the price."""
    if kind is DepositKind.PERCENT:
        return percent_of(price_cents, value)
    return min(value, price_cents)


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


# --- the vocabulary ------------------------------------------------------------------


def upsert_taxonomy() -> dict[str, Modality]:
    """Create or refresh every technique, alias and condition; techniques by slug."""
    modalities = {
        m.slug: m
        for m in db.session.scalars(select(Modality).options(selectinload(Modality.aliases)))
    }
    aliases = {a.alias: a for a in db.session.scalars(select(ModalityAlias))}
    for spec in seed_data.MODALITIES:
        modality = modalities.get(spec.slug) or Modality(slug=spec.slug)
        modality.name, modality.short_name = spec.name, spec.short_name
        modality.intensity, modality.summary = spec.intensity, spec.summary
        db.session.add(modality)
        modalities[spec.slug] = modality
        for alias in spec.aliases:
            row = aliases.get(alias) or ModalityAlias(alias=alias)
            row.modality = modality
            db.session.add(row)
            aliases[alias] = row
    _upsert_conditions(modalities)
    db.session.flush()
    return modalities


def _upsert_conditions(modalities: dict[str, Modality]) -> None:
    existing = {c.slug: c for c in db.session.scalars(select(Condition))}
    for spec in seed_data.CONDITIONS:
        condition = existing.get(spec.slug) or Condition(slug=spec.slug)
        condition.name, condition.summary = spec.name, spec.summary
        condition.modalities = [modalities[slug] for slug in spec.modalities]
        db.session.add(condition)


# --- accounts ------------------------------------------------------------------------


def _upsert_users(password_hash: Callable[[], str]) -> dict[str, User]:
    users = {}
    for spec in seed_data.USERS:
        email = normalise_email(spec.email)
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is None:
            user = User(email=email, name=spec.name, phone=spec.phone, role=Role(spec.role),
                        password_hash=password_hash())
            db.session.add(user)
        users[email] = user
    db.session.flush()
    return users


# --- clinics -------------------------------------------------------------------------


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
    )


def _upsert_clinic(
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


# --- time off and past bookings ------------------------------------------------------


def _therapist(slug: str) -> Therapist:
    therapist = db.session.scalar(select(Therapist).where(Therapist.slug == slug))
    if therapist is None:
        raise ValueError(f"demo data names an unknown therapist {slug!r}")
    return therapist


def _ensure_time_off(now: datetime) -> None:
    for spec in seed_data.TIME_OFF:
        therapist = _therapist(spec.therapist)
        if any(t.reason == spec.reason for t in therapist.time_off):
            continue
        tz = therapist.working_hours[0].location.timezone
        first = now.astimezone(_zone(tz)).date() + timedelta(days=spec.starts_in_days)
        therapist.time_off.append(TimeOff(
            starts_at=_local_to_utc(first, time(0, 0), tz),
            ends_at=_local_to_utc(first + timedelta(days=spec.days), time(0, 0), tz),
            reason=spec.reason,
        ))


def _working_day(therapist: Therapist, latest: date) -> tuple[date, WorkingHours]:
    """The last day on or before ``latest`` the therapist works, with its first span."""
    for back in range(7):
        day = latest - timedelta(days=back)
        spans = [h for h in therapist.working_hours if h.weekday == day.weekday()]
        if spans:
            return day, min(spans, key=lambda h: h.starts)
    raise ValueError(f"therapist {therapist.slug} has no working hours")


def _ensure_demo_bookings(users: dict[str, User], now: datetime) -> int:
    for spec in seed_data.BOOKINGS:
        exists = db.session.scalar(select(Booking.id).where(Booking.reference == spec.reference))
        if exists is None:
            _add_demo_booking(spec, users[spec.client_email], now)
    references = [b.reference for b in seed_data.BOOKINGS]
    return db.session.scalar(
        select(func.count()).select_from(Booking).where(Booking.reference.in_(references))
    )


def _add_demo_booking(spec: seed_data.BookingSeed, client: User, now: datetime) -> None:
    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == spec.clinic))
    service = next(s for s in clinic.services if s.name == spec.service)
    therapist = _therapist(spec.therapist)
    tz = therapist.working_hours[0].location.timezone
    latest = now.astimezone(_zone(tz)).date() - timedelta(days=spec.days_ago)
    day, span = _working_day(therapist, latest)
    wall = spec.local_start if span.starts <= spec.local_start < span.ends else span.starts
    starts_at = _local_to_utc(day, wall, span.location.timezone)
    booking = _completed_booking(clinic, service, therapist, span.location, starts_at)
    booking.reference, booking.client = spec.reference, client
    db.session.add(booking)
    if booking.deposit_cents:
        db.session.add(Payment(
            booking=booking, idempotency_key=f"seed:{spec.reference}",
            intent_id=f"pi_seed_{spec.reference.lower()}", amount_cents=booking.deposit_cents,
            status=PaymentStatus.SUCCEEDED, succeeded_at=booking.confirmed_at,
            created_at=booking.created_at,
        ))


def _completed_booking(
    clinic: Clinic, service: Service, therapist: Therapist, location: Location,
    starts_at: datetime,
) -> Booking:
    ends_at = starts_at + timedelta(minutes=service.duration_min)
    booked_at = starts_at - timedelta(days=6, hours=3)
    return Booking(
        clinic=clinic, location=location, therapist=therapist, service=service,
        status=BookingStatus.COMPLETED, starts_at=starts_at, ends_at=ends_at,
        blocked_from=starts_at - timedelta(minutes=service.buffer_before_min),
        blocked_until=ends_at + timedelta(minutes=service.buffer_after_min),
        timezone=location.timezone, price_cents=service.price_cents,
        deposit_cents=_deposit_cents(clinic.deposit_kind, clinic.deposit_value,
                                    service.price_cents),
        policy_deposit_kind=clinic.deposit_kind, policy_deposit_value=clinic.deposit_value,
        policy_cancellation_hours=clinic.cancellation_window_hours,
        policy_text=clinic.policy_text, screening_outcome=ScreeningOutcome.PROCEED,
        created_at=booked_at, confirmed_at=booked_at + timedelta(minutes=2),
        reminder_sent_at=starts_at - timedelta(hours=24),
        completed_at=ends_at + timedelta(minutes=10),
    )


# --- the demo, all together ----------------------------------------------------------


def seed_demo(*, now: datetime) -> SeedReport:
    """Load the vocabulary, the seed and demo clinics, demo accounts and past visits."""
    modalities = upsert_taxonomy()
    users = _upsert_users(_PasswordHash())
    clinics = [_upsert_clinic(spec, modalities, users, now) for spec in seed_data.ALL_CLINICS]
    db.session.flush()
    _ensure_time_off(now)
    bookings = _ensure_demo_bookings(users, now)
    db.session.flush()
    seed_reviews.ensure_demo_reviews(users=users, now=now, add_booking=_add_demo_booking)
    bookings += seed_schedule.ensure_upcoming_bookings(users=users, now=now)
    # Indexed as they are written; this also covers a database from before the index.
    db.session.flush()
    search_index.refresh(db.session.connection(), [c.id for c in clinics])
    return SeedReport(
        clinics=len(clinics),
        therapists=sum(len(c.therapists) for c in clinics),
        services=sum(len(c.services) for c in clinics),
        bookings=bookings,
        logins=[(u.label, u.email) for u in seed_data.USERS],
    )


# --- synthetic data for benchmarks ---------------------------------------------------

SYNTHETIC_BATCH = 500  # clinics generated and inserted per round
SYNTHETIC_RADIUS_MI = 25
_DENSE_CENTRES = ("33701", "80210")  # St. Petersburg FL, Denver CO

_FIRST = (
    "Aaliyah", "Abigail", "Adam", "Aiden", "Alex", "Amara", "Andrea", "Ana", "Ben", "Brooke",
    "Caleb", "Camila", "Carmen", "Chloe", "Daniel", "Dana", "Elijah", "Elena", "Emma", "Ethan",
    "Farah", "Gabriel", "Grace", "Hannah", "Hugo", "Isla", "Ivan", "Jada", "Jamie", "Jonah",
    "Julia", "Kai", "Kara", "Leo", "Lena", "Liam", "Lucia", "Maya", "Mateo", "Mia", "Nadia",
    "Noah", "Nora", "Omar", "Paige", "Quinn", "Rafael", "Riley", "Rosa", "Ruby", "Sam", "Sara",
    "Theo", "Tess", "Uma", "Victor", "Wren", "Yusuf", "Zara",
)
_LAST = (
    "Abbott", "Adler", "Baker", "Banerjee", "Bishop", "Castillo", "Chen", "Clarke", "Dawson",
    "Diaz", "Ellis", "Evans", "Fischer", "Flores", "Garcia", "Gupta", "Hale", "Harper", "Ibarra",
    "Jensen", "Jones", "Kaur", "Keller", "Kim", "Larsen", "Lopez", "Marsh", "Moreno", "Nakamura",
    "Nguyen", "Novak", "Okoro", "Olsen", "Park", "Patel", "Quinn", "Ramirez", "Reyes", "Rossi",
    "Russell", "Sanchez", "Schmidt", "Singh", "Stone", "Sullivan", "Tanaka", "Torres", "Underwood",
    "Vargas", "Walker", "Ward", "Weber", "Wilson", "Yamamoto", "Young", "Zhang",
)
_NAME_PLACES = (
    "Alder", "Amberleaf", "Bluestem", "Briarwood", "Cedar Row", "Cinder Hill", "Copperleaf",
    "Cottonwood", "Dovetail", "Elmstead", "Fernbrook", "Goldfinch", "Granite Ridge", "Hollow Oak",
    "Ironleaf", "Juniper Row", "Kettle Creek", "Lark Hollow", "Linden", "Millbrook", "Mossgate",
    "Northwind", "Oxbow", "Pinewater", "Quailrun", "Redfern", "Saltmeadow", "Silverbirch",
    "Stonecrop", "Tamarack", "Thistle Vale", "Willowmere", "Windrow", "Yarrow",
)
_NAME_FOCUS = ("Trigger Point", "Neuromuscular", "Myofascial", "Bodywork", "Sports Massage",
               "Massage", "Recovery", "Structural Bodywork", "Therapeutic Massage")
_NAME_KIND = ("Studio", "Works", "Rooms", "Collective", "Clinic", "Lab", "House", "Practice")
_STREETS = ("Main St", "Oak Ave", "Park Blvd", "Elm St", "2nd Ave", "Lake Dr", "Maple Ave",
            "Washington St", "Cedar Ln", "Market St", "Hillcrest Rd", "Pine St", "Broadway")
_CREDENTIALS = ("LMT", "LMT", "LMT", "LMT, CNMT", "LMT, NCBTMB", "LMT, CNMT", "LMT, CLT")
_MASSAGE_WEIGHTS = {
    "neuromuscular-therapy": 6, "myofascial-release": 5, "deep-tissue": 6,
    "swedish-massage": 6, "sports-massage": 4, "structural-energetic-therapy": 1,
    "cupping": 3, "iastm": 2, "positional-release": 2, "pnf-stretching": 2,
    "cross-fiber-friction": 1, "lymphatic-drainage": 2, "prenatal-massage": 2,
    "thai-massage": 1, "lomi-lomi": 1,
}
_DURATIONS = (30, 60, 60, 60, 60, 75, 90, 90, 120)
_HOURS_KEYS = tuple(seed_data.HOURS_PATTERNS)
_CANCEL_REASONS = ("Schedule changed", "Feeling unwell", "Booked another time", "")


@dataclass(frozen=True)
class _Zip:
    code: str
    city: str
    state: str
    latitude: float
    longitude: float
    timezone: str


@dataclass(frozen=True)
class _ZipPools:
    everywhere: tuple[_Zip, ...]
    dense: tuple[tuple[_Zip, ...], ...]  # ZIPs near each dense centre
    by_prefix: dict[str, tuple[_Zip, ...]]


@lru_cache(maxsize=1)
def _zip_pools() -> _ZipPools:
    """Standard, active US ZIP codes, and those near the two demo cities."""
    rows = [
        _Zip(r["zip_code"], r["city"].title(), r["state"], float(r["lat"]), float(r["long"]),
             r["timezone"])
        for r in zipcodes.list_all()
        if r["zip_code_type"] == "STANDARD" and r["active"] and r["timezone"]
    ]
    dense = []
    for centre in _DENSE_CENTRES:
        place = geo.lookup_zip(centre)
        dense.append(tuple(
            z for z in rows
            if geo.distance_mi(place.latitude, place.longitude, z.latitude, z.longitude)
            <= SYNTHETIC_RADIUS_MI
        ))
    by_prefix: dict[str, list[_Zip]] = {}
    for z in rows:
        by_prefix.setdefault(z.code[:3], []).append(z)
    return _ZipPools(tuple(rows), tuple(dense),
                     {k: tuple(v) for k, v in by_prefix.items()})


class _Ids:
    """Primary keys reserved before a bulk insert, handed out one at a time.

    PostgreSQL reserves them in chunks from each table's sequence (safe beside
    other writers; unused values only leave gaps). Elsewhere they continue from
    the current maximum, which is safe because the SQLite transaction holds the
    write lock from its first statement.
    """

    def __init__(self, chunk: int = 4096) -> None:
        self._chunk = chunk
        self._postgres = db.session.get_bind().dialect.name == "postgresql"
        self._pools: dict[str, list[int]] = {}
        self._next: dict[str, int] = {}

    def next(self, table: sa.Table) -> int:
        pool = self._pools.get(table.name)
        if not pool:
            pool = self._pools[table.name] = self._reserve(table)[::-1]
        return pool.pop()

    def _reserve(self, table: sa.Table) -> list[int]:
        if self._postgres:
            return list(db.session.scalars(
                sa.text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) "
                        "FROM generate_series(1, :n)"),
                {"t": table.name, "n": self._chunk},
            ))
        if table.name not in self._next:
            self._next[table.name] = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        first = self._next[table.name]
        self._next[table.name] = first + self._chunk
        return list(range(first, first + self._chunk))


class _Rows:
    """Rows of one batch, per table, in the order they must be inserted."""

    ORDER = (User.__table__, Clinic.__table__, Location.__table__, Therapist.__table__,
             therapist_modalities, Service.__table__, service_therapists,
             WorkingHours.__table__, Booking.__table__)

    def __init__(self) -> None:
        self.by_table: dict[sa.Table, list[dict]] = {t: [] for t in self.ORDER}

    def add(self, table: sa.Table, row: dict) -> None:
        self.by_table[table].append(row)

    def insert_all(self) -> None:
        for table in self.ORDER:
            rows = self.by_table[table]
            if rows:
                db.session.execute(insert(table), rows)
            rows.clear()


_REF_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _synthetic_reference(booking_id: int) -> str:
    """Eight characters that look random but are unique per id (a bijection mod 36^8)."""
    n = (booking_id * 2_654_435_761 + 0x5EED) % 36**8
    chars = []
    for _ in range(8):
        n, digit = divmod(n, 36)
        chars.append(_REF_ALPHABET[digit])
    return "".join(chars)


@dataclass
class _Span:
    starts: int  # minutes after local midnight
    ends: int
    location_id: int
    timezone: str


@dataclass
class _Giver:
    """A synthetic therapist while their clinic is being generated."""

    id: int
    modalities: list[str]
    weekly: dict[int, list[_Span]] = field(default_factory=dict)
    services: list[dict] = field(default_factory=list)
    busy: dict[date, list[tuple[int, int]]] = field(default_factory=dict)


@dataclass
class _ClinicCtx:
    row: dict
    locations: list[_Zip]
    location_ids: list[int]
    givers: list[_Giver] = field(default_factory=list)


class _Synthetic:
    """Generates synthetic clinics into ``_Rows``, repeatably for a given seed."""

    def __init__(self, rng: random.Random, now: datetime, modality_ids: dict[str, int],
                 ids: _Ids, password_hash: str) -> None:
        self.rng, self.now, self.modality_ids, self.ids = rng, now, modality_ids, ids
        self.password_hash = password_hash
        self.pools = _zip_pools()
        self.clients: list[int] = []
        self.report = SeedReport()
        self._names = {m.slug: m.name for m in seed_data.MODALITIES}
        self._massage = list(_MASSAGE_WEIGHTS)
        self._weights = list(_MASSAGE_WEIGHTS.values())

    # clients ---------------------------------------------------------------

    def add_clients(self, rows: _Rows, count: int) -> None:
        for _ in range(count):
            uid = self.ids.next(User.__table__)
            first, last = self.rng.choice(_FIRST), self.rng.choice(_LAST)
            rows.add(User.__table__, {
                "id": uid, "email": f"synthetic.client{uid}@synthetic.test",
                "name": f"{first} {last}", "phone": None, "password_hash": self.password_hash,
                "role": Role.CLIENT, "status": UserStatus.ACTIVE, "suspended_reason": None,
                "session_version": 1, "last_login_at": None,
                "created_at": self.now - timedelta(days=self.rng.randint(30, 700)),
            })
            self.clients.append(uid)

    # clinics ---------------------------------------------------------------

    def add_clinic(self, rows: _Rows) -> None:
        ctx = self._clinic(rows)
        self._therapists(rows, ctx)
        self._services(rows, ctx)
        self._bookings(rows, ctx)
        self.report.clinics += 1

    def _pick_zip(self) -> _Zip:
        roll = self.rng.random()
        if roll < 0.25:
            return self.rng.choice(self.pools.dense[0])
        if roll < 0.5:
            return self.rng.choice(self.pools.dense[1])
        return self.rng.choice(self.pools.everywhere)

    def _clinic_name(self) -> str:
        rng = self.rng
        return f"{rng.choice(_NAME_PLACES)} {rng.choice(_NAME_FOCUS)} {rng.choice(_NAME_KIND)}"

    def _clinic(self, rows: _Rows) -> _ClinicCtx:
        rng = self.rng
        first = self._pick_zip()
        zips = [first]
        if rng.random() < 0.2:
            zips.append(rng.choice(self.pools.by_prefix[first.code[:3]]))
        clinic_id = self.ids.next(Clinic.__table__)
        name = self._clinic_name()
        row = self._clinic_row(clinic_id, name, first)
        rows.add(Clinic.__table__, row)
        ctx = _ClinicCtx(row, zips, [])
        for index, z in enumerate(zips):
            ctx.location_ids.append(self._location(rows, clinic_id, z, index))
        return ctx

    def _clinic_row(self, clinic_id: int, name: str, z: _Zip) -> dict:
        rng = self.rng
        if rng.random() < 0.7:
            kind, value = DepositKind.PERCENT, rng.choice((15, 20, 20, 25, 30, 40, 50))
        else:
            kind, value = DepositKind.FIXED, rng.choice((2000, 2500, 3000, 3500, 4000))
        hours = rng.choice((12, 24, 24, 24, 48))
        status = ClinicStatus.PENDING if rng.random() < 0.03 else ClinicStatus.PUBLISHED
        created = self.now - timedelta(days=rng.randint(20, 900))
        reviews = 0 if rng.random() < 0.15 else int(rng.paretovariate(1.2) * 6)
        rating = round(min(5.0, max(2.5, rng.gauss(4.4, 0.35))), 2) if reviews else None
        return {
            "id": clinic_id, "slug": f"{seed_data.slugify(name)}-{clinic_id}", "name": name,
            "tagline": f"Synthetic {rng.choice(_NAME_FOCUS).lower()} practice in {z.city}",
            "description": "Generated for load tests; not a real business.",
            "phone": f"{rng.randint(201, 989)}-555-01{rng.randint(0, 99):02d}",
            "email": None, "website": None, "status": status, "status_reason": None,
            "deposit_kind": kind, "deposit_value": value, "cancellation_window_hours": hours,
            "policy_text": policy_text(kind, value, hours), "intake_note": None,
            "is_illustrative": True,
            "verified_at": created + timedelta(days=2) if status is ClinicStatus.PUBLISHED
            else None,
            "verified_by_id": None, "rating_avg": rating, "review_count": min(reviews, 900),
            "created_at": created,
        }

    def _location(self, rows: _Rows, clinic_id: int, z: _Zip, index: int) -> int:
        location_id = self.ids.next(Location.__table__)
        rows.add(Location.__table__, {
            "id": location_id, "clinic_id": clinic_id, "name": "Main" if index == 0 else z.city,
            "address_line1": f"{self.rng.randint(100, 9899)} {self.rng.choice(_STREETS)}",
            "address_line2": None, "city": z.city, "state": z.state, "zip_code": z.code,
            # Spread within about a mile of the ZIP's centre, so distances differ.
            "latitude": round(z.latitude + self.rng.uniform(-0.012, 0.012), 6),
            "longitude": round(z.longitude + self.rng.uniform(-0.015, 0.015), 6),
            "timezone": z.timezone,
            "phone": None, "is_illustrative": True, "created_at": self.now,
        })
        return location_id

    # therapists and their hours -------------------------------------------------

    def _licence(self, state: str) -> str:
        number = self.rng.randint(10000, 99999)
        if state == "FL":
            return f"MA{number}"
        if state == "CO":
            return f"MT.00{number}"
        return f"{state}-LMT-{number}"

    def _therapists(self, rows: _Rows, ctx: _ClinicCtx) -> None:
        rng = self.rng
        count = rng.choices((1, 2, 3, 4, 5), weights=(20, 30, 25, 15, 10))[0]
        for index in range(count):
            picks = rng.choices(self._massage, weights=self._weights, k=rng.randint(2, 5))
            modalities = list(dict.fromkeys(picks))
            acupuncturist = index == count - 1 and count > 1 and rng.random() < 0.1
            if acupuncturist:
                modalities = ["acupuncture"]
            self._therapist(rows, ctx, modalities, acupuncturist)

    def _therapist(self, rows: _Rows, ctx: _ClinicCtx, modalities: list[str],
                   acupuncturist: bool) -> None:
        rng = self.rng
        tid = self.ids.next(Therapist.__table__)
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        since = rng.randint(1992, 2023)
        state = ctx.locations[0].state
        focus = " and ".join(self._names[m].lower() for m in modalities[:2])
        rows.add(Therapist.__table__, {
            "id": tid, "clinic_id": ctx.row["id"], "slug": f"{first}-{last}-{tid}".lower(),
            "name": f"{first} {last}",
            "credentials": "L.Ac." if acupuncturist else rng.choice(_CREDENTIALS),
            "licence_number": self._licence(state), "licence_state": state,
            "licence_checked_at": None, "practicing_since": since,
            "bio": f"{first} has practiced since {since}, mostly {focus}.",
            "active": True, "created_at": ctx.row["created_at"],
        })
        for slug in modalities:
            rows.add(therapist_modalities,
                     {"therapist_id": tid, "modality_id": self.modality_ids[slug]})
        giver = _Giver(tid, modalities)
        self._hours(rows, ctx, giver)
        ctx.givers.append(giver)
        self.report.therapists += 1

    def _hours(self, rows: _Rows, ctx: _ClinicCtx, giver: _Giver) -> None:
        pattern = seed_data.HOURS_PATTERNS[self.rng.choice(_HOURS_KEYS)]
        shift = self.rng.randrange(len(ctx.location_ids))
        for span in pattern:
            index = (span.location + shift) % len(ctx.location_ids)
            location_id, tz = ctx.location_ids[index], ctx.locations[index].timezone
            for day in span.weekdays:
                rows.add(WorkingHours.__table__, {
                    "id": self.ids.next(WorkingHours.__table__), "therapist_id": giver.id,
                    "location_id": location_id, "weekday": day, "starts": span.starts,
                    "ends": span.ends,
                })
                giver.weekly.setdefault(day, []).append(_Span(
                    span.starts.hour * 60 + span.starts.minute,
                    span.ends.hour * 60 + span.ends.minute, location_id, tz,
                ))

    # services -------------------------------------------------------------------

    def _services(self, rows: _Rows, ctx: _ClinicCtx) -> None:
        rng = self.rng
        # Each therapist's first technique comes first, so everyone gives a service.
        firsts = [g.modalities[0] for g in ctx.givers]
        offered = list(dict.fromkeys(firsts + [m for g in ctx.givers for m in g.modalities]))
        rate = rng.randint(12, 36) * 5  # dollars an hour, $60-$180
        wanted = max(rng.randint(2, 6), len(set(firsts)))
        seen: set[tuple[str, int]] = set()
        for attempt in range(wanted * 3):
            modality = offered[attempt] if attempt < len(offered) else rng.choice(offered)
            minutes = rng.choice(_DURATIONS)
            if (modality, minutes) in seen:
                continue
            seen.add((modality, minutes))
            self._service(rows, ctx, modality, minutes, rate)
            if len(seen) == wanted:
                break

    def _service(self, rows: _Rows, ctx: _ClinicCtx, modality: str, minutes: int,
                 rate: int) -> None:
        sid = self.ids.next(Service.__table__)
        price = max(5, round(rate * minutes / 60 / 5) * 5) * 100
        after = self.rng.choice((0, 0, 0, 10, 15))
        row = {
            "id": sid, "clinic_id": ctx.row["id"], "modality_id": self.modality_ids[modality],
            "name": f"{self._names[modality]}, {minutes} min", "description": "",
            "duration_min": minutes, "price_cents": price,
            "price_per_60_cents": per_60(price, minutes), "buffer_before_min": 0,
            "buffer_after_min": after, "includes_consultation": self.rng.random() < 0.15,
            "active": True, "created_at": ctx.row["created_at"],
        }
        rows.add(Service.__table__, row)
        for giver in ctx.givers:
            if modality in giver.modalities:
                rows.add(service_therapists, {"service_id": sid, "therapist_id": giver.id})
                giver.services.append(row)
        self.report.services += 1

    # bookings -------------------------------------------------------------------

    def _bookings(self, rows: _Rows, ctx: _ClinicCtx) -> None:
        givers = [g for g in ctx.givers if g.services and g.weekly]
        if not givers:
            return
        for _ in range(self.rng.randint(10, 30)):
            self._booking(rows, ctx, self.rng.choice(givers))

    def _booking(self, rows: _Rows, ctx: _ClinicCtx, giver: _Giver) -> None:
        rng = self.rng
        service = rng.choice(giver.services)
        for _ in range(4):
            slot = self._slot(giver, service)
            if slot is not None:
                break
        else:
            return
        starts_at, span = slot
        ends_at = starts_at + timedelta(minutes=service["duration_min"])
        if starts_at < self.now < ends_at:
            return
        bid = self.ids.next(Booking.__table__)
        row = self._booking_row(bid, ctx, giver, service, span, starts_at, ends_at)
        rows.add(Booking.__table__, row)
        self.report.bookings += 1

    def _slot(self, giver: _Giver, service: dict) -> tuple[datetime, _Span] | None:
        """A free start on a working day within 60 days back and 30 ahead, or None."""
        rng = self.rng
        any_span = next(iter(giver.weekly.values()))[0]
        today = self.now.astimezone(_zone(any_span.timezone)).date()
        day = today + timedelta(days=rng.randint(-60, 30))
        spans = giver.weekly.get(day.weekday())
        if not spans:
            return None
        span = rng.choice(spans)
        length = service["duration_min"] + service["buffer_after_min"]
        latest = (span.ends - length) // 15
        earliest = -(-span.starts // 15)
        if latest < earliest:
            return None
        start = rng.randint(earliest, latest) * 15
        busy = giver.busy.setdefault(day, [])
        if any(start < until and begin < start + length for begin, until in busy):
            return None
        busy.append((start, start + length))
        return _local_to_utc(day, time(start // 60, start % 60), span.timezone), span

    def _booking_row(self, bid: int, ctx: _ClinicCtx, giver: _Giver, service: dict,
                     span: _Span, starts_at: datetime, ends_at: datetime) -> dict:
        clinic, price = ctx.row, service["price_cents"]
        row = {
            "id": bid, "reference": _synthetic_reference(bid), "clinic_id": clinic["id"],
            "location_id": span.location_id, "therapist_id": giver.id,
            "service_id": service["id"], "client_id": self.rng.choice(self.clients),
            "hold_token": None, "starts_at": starts_at, "ends_at": ends_at,
            "blocked_from": starts_at - timedelta(minutes=service["buffer_before_min"]),
            "blocked_until": ends_at + timedelta(minutes=service["buffer_after_min"]),
            "timezone": span.timezone, "hold_expires_at": None, "currency": "usd",
            "price_cents": price, "discount_cents": 0,
            "deposit_cents": _deposit_cents(clinic["deposit_kind"], clinic["deposit_value"],
                                           price),
            "promotion_id": None, "policy_deposit_kind": clinic["deposit_kind"],
            "policy_deposit_value": clinic["deposit_value"],
            "policy_cancellation_hours": clinic["cancellation_window_hours"],
            "policy_text": clinic["policy_text"],
            "screening_outcome": ScreeningOutcome.PROCEED, "clearance_confirmed": False,
            "rescheduled_from_id": None, "reschedule_count": 0,
        }
        row.update(self._lifecycle(starts_at, ends_at))
        return row

    def _lifecycle(self, starts_at: datetime, ends_at: datetime) -> dict:
        """Status and timestamps: past visits done or missed, future ones confirmed."""
        rng, now = self.rng, self.now
        created = min(starts_at - timedelta(hours=rng.randint(3, 500)),
                      now - timedelta(minutes=rng.randint(5, 600)))
        confirmed = created + timedelta(minutes=2)
        roll = rng.random()
        past = ends_at <= now
        if (past and roll < 0.12) or (not past and roll < 0.08):
            status = BookingStatus.CANCELLED
        elif past:
            status = BookingStatus.NO_SHOW if roll < 0.2 else BookingStatus.COMPLETED
        else:
            status = BookingStatus.CONFIRMED
        cancelled = status is BookingStatus.CANCELLED
        reminder = starts_at - timedelta(hours=24)
        return {
            "status": status, "created_at": created, "confirmed_at": confirmed,
            "cancelled_at": confirmed + (min(starts_at, now) - confirmed) / 2
            if cancelled else None,
            "cancelled_by": (Party.CLIENT if roll < 0.06 else Party.CLINIC)
            if cancelled else None,
            "cancel_reason": (rng.choice(_CANCEL_REASONS) or None) if cancelled else None,
            "completed_at": ends_at + timedelta(minutes=10)
            if status is BookingStatus.COMPLETED else None,
            "reminder_sent_at": reminder if reminder < now and not cancelled else None,
        }


def _modality_ids() -> dict[str, int]:
    """Technique ids by slug, loading the vocabulary first if it is missing."""
    rows = db.session.execute(select(Modality.slug, Modality.id)).tuples()
    ids = {slug: id_ for slug, id_ in rows}  # noqa: C416 - a Result is not a mapping
    if any(spec.slug not in ids for spec in seed_data.MODALITIES):
        ids = {slug: m.id for slug, m in upsert_taxonomy().items()}
    return ids


def seed_synthetic(n: int, *, now: datetime, random_seed: int = 7) -> SeedReport:
    """Add ``n`` synthetic clinics with therapists, services, hours and bookings."""
    db.session.flush()
    ids = _Ids(chunk=min(4096, 64 + 32 * n))  # small runs leave small gaps in sequences
    gen = _Synthetic(random.Random(random_seed), now, _modality_ids(), ids,
                     hash_password(DEMO_PASSWORD))
    rows = _Rows()
    gen.add_clients(rows, max(25, n // 10))
    for start in range(0, n, SYNTHETIC_BATCH):
        for _ in range(min(SYNTHETIC_BATCH, n - start)):
            gen.add_clinic(rows)
        rows.insert_all()
    rows.insert_all()  # the clients, when n is 0
    search_index.rebuild(db.session)  # bulk inserts bypass the ORM hook that keeps it
    return gen.report
