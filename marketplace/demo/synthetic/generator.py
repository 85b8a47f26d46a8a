"""Generates synthetic clinics, with their people, hours, services and a few months
of bookings, into bulk-insert rows; repeatable for a given random seed."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from ...models import (
    Booking,
    BookingStatus,
    Clinic,
    ClinicAmenity,
    ClinicStatus,
    DepositKind,
    Location,
    Party,
    Role,
    ScreeningOutcome,
    Service,
    Therapist,
    TherapistLanguage,
    User,
    UserStatus,
    WorkingHours,
    per_60,
    service_therapists,
    therapist_modalities,
)
from ...services.booking.pricing import policy_deposit
from ...services.clinics.policy import policy_text
from ...services.common.features import AMENITIES
from ...services.common.local_time import local_instant, local_today
from .. import data as seed_data
from ..common import SeedReport
from .bulk import Ids, Rows, synthetic_reference
from .names import (
    CANCEL_REASONS,
    CREDENTIALS,
    DURATIONS,
    FIRST,
    HOURS_KEYS,
    LAST,
    MASSAGE_WEIGHTS,
    NAME_FOCUS,
    NAME_KIND,
    NAME_PLACES,
    STREETS,
)
from .places import Zip, zip_pools

#: Other languages synthetic therapists speak, about as common as among US speakers.
SECOND_LANGUAGES = ("es", "zh", "tl", "vi", "ar", "fr", "ko", "ru", "pt", "ht", "de", "hi",
                    "pl", "it", "ja", "ase")
SECOND_WEIGHTS = (40, 6, 5, 5, 4, 4, 3, 3, 3, 2, 3, 3, 2, 2, 2, 2)


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
    locations: list[Zip]
    location_ids: list[int]
    givers: list[_Giver] = field(default_factory=list)


class Synthetic:
    """Generates synthetic clinics into ``Rows``, repeatably for a given seed."""

    def __init__(self, rng: random.Random, now: datetime, modality_ids: dict[str, int],
                 ids: Ids, password_hash: str) -> None:
        self.rng, self.now, self.modality_ids, self.ids = rng, now, modality_ids, ids
        self.password_hash = password_hash
        self.pools = zip_pools()
        self.clients: list[int] = []
        self.report = SeedReport()
        self._names = {m.slug: m.name for m in seed_data.MODALITIES}
        self._massage = list(MASSAGE_WEIGHTS)
        self._weights = list(MASSAGE_WEIGHTS.values())
        # Pure functions of few distinct inputs, asked hundreds of thousands of times.
        self._slugs: dict[str, str] = {}
        self._today: dict[str, date] = {}
        self._instants: dict[tuple[date, int, str], datetime] = {}
        # Languages and amenities draw from their own generator, derived from the seed, so
        # adding them left every other row of a seed as it was.
        self._extras = random.Random(str(rng.getstate()))

    # clients ---------------------------------------------------------------

    def add_clients(self, rows: Rows, count: int) -> None:
        for _ in range(count):
            uid = self.ids.next(User.__table__)
            first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
            rows.add(User.__table__, {
                "id": uid, "email": f"synthetic.client{uid}@synthetic.test",
                "name": f"{first} {last}", "phone": None, "password_hash": self.password_hash,
                "role": Role.CLIENT, "status": UserStatus.ACTIVE, "suspended_reason": None,
                "session_version": 1, "last_login_at": None,
                "created_at": self.now - timedelta(days=self.rng.randint(30, 700)),
            })
            self.clients.append(uid)

    # clinics ---------------------------------------------------------------

    def add_clinic(self, rows: Rows) -> None:
        ctx = self._clinic(rows)
        self._therapists(rows, ctx)
        self._services(rows, ctx)
        self._bookings(rows, ctx)
        self.report.clinics += 1

    def _pick_zip(self) -> Zip:
        roll = self.rng.random()
        if roll < 0.25:
            return self.rng.choice(self.pools.dense[0])
        if roll < 0.5:
            return self.rng.choice(self.pools.dense[1])
        return self.rng.choice(self.pools.everywhere)

    def _clinic_name(self) -> str:
        rng = self.rng
        return f"{rng.choice(NAME_PLACES)} {rng.choice(NAME_FOCUS)} {rng.choice(NAME_KIND)}"

    def _clinic(self, rows: Rows) -> _ClinicCtx:
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
        for code in self._extras.sample(AMENITIES.codes, self._extras.randint(0, 6)):
            rows.add(ClinicAmenity.__table__, {"clinic_id": clinic_id, "code": code})
        for index, z in enumerate(zips):
            ctx.location_ids.append(self._location(rows, clinic_id, z, index))
        return ctx

    def _clinic_row(self, clinic_id: int, name: str, z: Zip) -> dict:
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
            "id": clinic_id, "slug": f"{self._slug(name)}-{clinic_id}", "name": name,
            "tagline": f"Synthetic {rng.choice(NAME_FOCUS).lower()} practice in {z.city}",
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

    def _slug(self, name: str) -> str:
        slug = self._slugs.get(name)
        if slug is None:
            slug = self._slugs[name] = seed_data.slugify(name)
        return slug

    def _location(self, rows: Rows, clinic_id: int, z: Zip, index: int) -> int:
        location_id = self.ids.next(Location.__table__)
        rows.add(Location.__table__, {
            "id": location_id, "clinic_id": clinic_id, "name": "Main" if index == 0 else z.city,
            "address_line1": f"{self.rng.randint(100, 9899)} {self.rng.choice(STREETS)}",
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

    def _therapists(self, rows: Rows, ctx: _ClinicCtx) -> None:
        rng = self.rng
        count = rng.choices((1, 2, 3, 4, 5), weights=(20, 30, 25, 15, 10))[0]
        for index in range(count):
            picks = rng.choices(self._massage, weights=self._weights, k=rng.randint(2, 5))
            modalities = list(dict.fromkeys(picks))
            acupuncturist = index == count - 1 and count > 1 and rng.random() < 0.1
            if acupuncturist:
                modalities = ["acupuncture"]
            self._therapist(rows, ctx, modalities, acupuncturist)

    def _therapist(self, rows: Rows, ctx: _ClinicCtx, modalities: list[str],
                   acupuncturist: bool) -> None:
        rng = self.rng
        tid = self.ids.next(Therapist.__table__)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        since = rng.randint(1992, 2023)
        state = ctx.locations[0].state
        focus = " and ".join(self._names[m].lower() for m in modalities[:2])
        rows.add(Therapist.__table__, {
            "id": tid, "clinic_id": ctx.row["id"], "slug": f"{first}-{last}-{tid}".lower(),
            "name": f"{first} {last}",
            "credentials": "L.Ac." if acupuncturist else rng.choice(CREDENTIALS),
            "licence_number": self._licence(state), "licence_state": state,
            "licence_checked_at": None, "practicing_since": since,
            "bio": f"{first} has practiced since {since}, mostly {focus}.",
            "active": True, "created_at": ctx.row["created_at"],
        })
        for slug in modalities:
            rows.add(therapist_modalities,
                     {"therapist_id": tid, "modality_id": self.modality_ids[slug]})
        for code in self._languages():
            rows.add(TherapistLanguage.__table__, {"therapist_id": tid, "code": code})
        giver = _Giver(tid, modalities)
        self._hours(rows, ctx, giver)
        ctx.givers.append(giver)
        self.report.therapists += 1

    def _languages(self) -> list[str]:
        """English, and for about one therapist in four another language (US-like odds)."""
        extras = self._extras
        spoken = ["en"]
        if extras.random() < 0.25:
            spoken.append(extras.choices(SECOND_LANGUAGES, weights=SECOND_WEIGHTS)[0])
        return spoken

    def _hours(self, rows: Rows, ctx: _ClinicCtx, giver: _Giver) -> None:
        pattern = seed_data.HOURS_PATTERNS[self.rng.choice(HOURS_KEYS)]
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

    def _services(self, rows: Rows, ctx: _ClinicCtx) -> None:
        rng = self.rng
        # Each therapist's first technique comes first, so everyone gives a service.
        firsts = [g.modalities[0] for g in ctx.givers]
        offered = list(dict.fromkeys(firsts + [m for g in ctx.givers for m in g.modalities]))
        rate = rng.randint(12, 36) * 5  # dollars an hour, $60-$180
        wanted = max(rng.randint(2, 6), len(set(firsts)))
        seen: set[tuple[str, int]] = set()
        for attempt in range(wanted * 3):
            modality = offered[attempt] if attempt < len(offered) else rng.choice(offered)
            minutes = rng.choice(DURATIONS)
            if (modality, minutes) in seen:
                continue
            seen.add((modality, minutes))
            self._service(rows, ctx, modality, minutes, rate)
            if len(seen) == wanted:
                break

    def _service(self, rows: Rows, ctx: _ClinicCtx, modality: str, minutes: int,
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

    def _bookings(self, rows: Rows, ctx: _ClinicCtx) -> None:
        givers = [g for g in ctx.givers if g.services and g.weekly]
        if not givers:
            return
        for _ in range(self.rng.randint(10, 30)):
            self._booking(rows, ctx, self.rng.choice(givers))

    def _booking(self, rows: Rows, ctx: _ClinicCtx, giver: _Giver) -> None:
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
        today = self._today.get(any_span.timezone)
        if today is None:
            today = self._today[any_span.timezone] = local_today(any_span.timezone, self.now)
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
        key = (day, start, span.timezone)
        instant = self._instants.get(key)
        if instant is None:
            instant = self._instants[key] = local_instant(day, time(start // 60, start % 60),
                                                          span.timezone)
        return instant, span

    def _booking_row(self, bid: int, ctx: _ClinicCtx, giver: _Giver, service: dict,
                     span: _Span, starts_at: datetime, ends_at: datetime) -> dict:
        clinic, price = ctx.row, service["price_cents"]
        row = {
            "id": bid, "reference": synthetic_reference(bid), "clinic_id": clinic["id"],
            "location_id": span.location_id, "therapist_id": giver.id,
            "service_id": service["id"], "client_id": self.rng.choice(self.clients),
            "hold_token": None, "starts_at": starts_at, "ends_at": ends_at,
            "blocked_from": starts_at - timedelta(minutes=service["buffer_before_min"]),
            "blocked_until": ends_at + timedelta(minutes=service["buffer_after_min"]),
            "timezone": span.timezone, "hold_expires_at": None, "currency": "usd",
            "price_cents": price, "discount_cents": 0, "gift_card_cents": 0,
            "deposit_cents": policy_deposit(clinic["deposit_kind"], clinic["deposit_value"],
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
            "cancel_reason": (rng.choice(CANCEL_REASONS) or None) if cancelled else None,
            "completed_at": ends_at + timedelta(minutes=10)
            if status is BookingStatus.COMPLETED else None,
            "reminder_sent_at": reminder if reminder < now and not cancelled else None,
        }
