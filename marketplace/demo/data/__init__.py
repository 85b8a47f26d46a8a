"""The demo data as plain values: techniques, conditions, the seed clinics and
fictional demo clinics. No database access here; ``seed.py`` loads it.

Facts about the three real clinics (names, cities, phones, the $115 rate with
consultation time, the techniques offered, the $25 acupuncture offer, the
conditions treated) come from the source pages in ``shared/seeds``. Everything
else (addresses, therapists, other prices, policies, hours, every fictional
clinic) is invented for the demo and marked ``is_illustrative`` where the model
allows it: a fictional clinic is illustrative; a real clinic is not, though its
invented addresses are. All prose is written for this project.
"""

from __future__ import annotations

from .clinics_colorado import COLORADO_DEMO
from .clinics_florida import FLORIDA_DEMO
from .clinics_real import CENTER_FOR_MASSAGE_THERAPY, FLEX_SPINE_AND_SPORT, SEED_CLINICS, SOLELY
from .people import BOOKINGS, TIME_OFF, USERS, BookingSeed, TimeOffSeed, UserSeed
from .records import (
    CO_TZ,
    FL_TZ,
    HOURS_PATTERNS,
    ClinicSeed,
    HoursSpan,
    LocationSeed,
    PartnerSeed,
    PromotionSeed,
    ServiceSeed,
    TherapistSeed,
    slugify,
)
from .vocabulary import CONDITIONS, MODALITIES, ConditionSeed, ModalitySeed

DEMO_CLINICS: tuple[ClinicSeed, ...] = FLORIDA_DEMO + COLORADO_DEMO
ALL_CLINICS: tuple[ClinicSeed, ...] = SEED_CLINICS + DEMO_CLINICS

__all__ = [
    "ALL_CLINICS", "BOOKINGS", "CENTER_FOR_MASSAGE_THERAPY", "CONDITIONS", "CO_TZ",
    "COLORADO_DEMO", "DEMO_CLINICS", "FLEX_SPINE_AND_SPORT", "FLORIDA_DEMO", "FL_TZ",
    "HOURS_PATTERNS", "MODALITIES", "SEED_CLINICS", "SOLELY", "TIME_OFF", "USERS",
    "BookingSeed", "ClinicSeed", "ConditionSeed", "HoursSpan", "LocationSeed", "ModalitySeed",
    "PartnerSeed", "PromotionSeed", "ServiceSeed", "TherapistSeed", "TimeOffSeed", "UserSeed",
    "slugify",
]
