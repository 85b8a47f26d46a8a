"""The demo accounts, their past visits and the therapists' time off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from .clinics_real import CENTER_FOR_MASSAGE_THERAPY, FLEX_SPINE_AND_SPORT, SOLELY


@dataclass(frozen=True)
class UserSeed:
    email: str
    name: str
    role: str  # a Role value
    label: str  # how the CLI lists it
    phone: str | None = None


USERS: tuple[UserSeed, ...] = (
    UserSeed("admin@demo.test", "Avery Admin", "admin", "Admin"),
    UserSeed("client@demo.test", "Casey Client", "client", "Client", "727-555-0190"),
    UserSeed("client2@demo.test", "Robin Client", "client", "Client (second)", "303-555-0191"),
    UserSeed("owner.solely@demo.test", "Sam Solely-Owner", "owner",
             "Owner: Solely"),
    UserSeed("owner.cmt@demo.test", "Chris CMT-Owner", "owner",
             "Owner: Center for Massage"),
    UserSeed("owner.flex@demo.test", "Frankie Flex-Owner", "owner", "Owner: Flex Spine & Sport"),
    UserSeed("owner.pending@demo.test", "Parker Pending-Owner", "owner",
             "Owner: clinic under review"),
)


@dataclass(frozen=True)
class BookingSeed:
    """A past, completed visit, so the client can review it."""

    reference: str
    client_email: str
    clinic: str  # slug
    service: str  # name
    therapist: str  # slug
    days_ago: int  # moved back to a day the therapist works
    local_start: time


BOOKINGS: tuple[BookingSeed, ...] = (
    BookingSeed("DEMOA1K7", "client@demo.test", SOLELY.slug,
                "Therapeutic massage with neuromuscular therapy", "danielle-ortiz", 5,
                time(10, 0)),
    BookingSeed("DEMOB2M4", "client@demo.test", CENTER_FOR_MASSAGE_THERAPY.slug,
                "Neuromuscular therapy", "rachel-kim", 12, time(14, 0)),
    BookingSeed("DEMOC3P9", "client@demo.test", FLEX_SPINE_AND_SPORT.slug,
                "Sports massage", "jordan-price", 26, time(11, 0)),
    BookingSeed("DEMOD4R2", "client@demo.test", "gulfside-myofascial-studio",
                "Myofascial release, 60 min", "hannah-whitaker", 40, time(9, 30)),
    BookingSeed("DEMOE5T8", "client2@demo.test", CENTER_FOR_MASSAGE_THERAPY.slug,
                "Acupuncture", "mei-lin-zhao", 8, time(13, 0)),
    BookingSeed("DEMOF6W3", "client2@demo.test", "mile-high-trigger-point-works",
                "Neuromuscular therapy, 60 min", "diego-fuentes", 18, time(15, 0)),
)


@dataclass(frozen=True)
class TimeOffSeed:
    therapist: str  # slug
    starts_in_days: int
    days: int
    reason: str


TIME_OFF: tuple[TimeOffSeed, ...] = (
    TimeOffSeed("danielle-ortiz", 10, 5, "Continuing education: advanced S.E.T. course"),
    TimeOffSeed("thomas-greene", 3, 1, "Personal day"),
    TimeOffSeed("hannah-whitaker", 20, 7, "Vacation"),
    TimeOffSeed("sarah-lindgren", 6, 2, "Teaching a weekend workshop"),
)
