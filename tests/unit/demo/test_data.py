"""The demo data is consistent and carries the real facts of the seed clinics (no database)."""

from __future__ import annotations

import re
from itertools import combinations

import pytest
import zipcodes

from marketplace.demo import data
from marketplace.models import ClinicStatus, DepositKind, Intensity, PromotionKind, per_60
from marketplace.services.common import geo

MODALITY_SLUGS = {m.slug for m in data.MODALITIES}
CLINICS = {c.slug: c for c in data.ALL_CLINICS}


def _modality(slug: str) -> data.ModalitySeed:
    return next(m for m in data.MODALITIES if m.slug == slug)


def _condition(slug: str) -> data.ConditionSeed:
    return next(c for c in data.CONDITIONS if c.slug == slug)


def _all_therapists() -> list[tuple[data.ClinicSeed, data.TherapistSeed]]:
    return [(c, t) for c in data.ALL_CLINICS for t in c.therapists]


# --- vocabulary ------------------------------------------------------------------------


def test_every_technique_in_the_product_is_present():
    expected = {
        "neuromuscular-therapy", "myofascial-release", "deep-tissue", "swedish-massage",
        "sports-massage", "structural-energetic-therapy", "cupping", "iastm",
        "positional-release", "pnf-stretching", "cross-fiber-friction", "lymphatic-drainage",
        "prenatal-massage", "thai-massage", "lomi-lomi", "acupuncture",
    }
    assert expected == MODALITY_SLUGS
    assert len(data.MODALITIES) == len(expected)
    assert len({m.name for m in data.MODALITIES}) == len(expected)


def test_short_names_where_one_exists():
    short = {m.slug: m.short_name for m in data.MODALITIES if m.short_name}
    assert short == {
        "neuromuscular-therapy": "NMT", "iastm": "IASTM", "pnf-stretching": "PNF",
        "structural-energetic-therapy": "S.E.T.",
    }


@pytest.mark.parametrize(
    ("slug", "intensity"),
    [
        ("neuromuscular-therapy", Intensity.DEEP), ("deep-tissue", Intensity.DEEP),
        ("iastm", Intensity.DEEP), ("cross-fiber-friction", Intensity.DEEP),
        ("structural-energetic-therapy", Intensity.DEEP),
        ("swedish-massage", Intensity.GENTLE), ("lymphatic-drainage", Intensity.GENTLE),
        ("prenatal-massage", Intensity.GENTLE), ("positional-release", Intensity.GENTLE),
        ("lomi-lomi", Intensity.MODERATE), ("sports-massage", Intensity.MODERATE),
        ("thai-massage", Intensity.MODERATE), ("cupping", Intensity.MODERATE),
        ("myofascial-release", Intensity.MODERATE), ("acupuncture", Intensity.MODERATE),
        ("pnf-stretching", Intensity.MODERATE),
    ],
)
def test_intensity(slug, intensity):
    assert _modality(slug).intensity is intensity


def test_every_technique_has_a_summary_and_aliases():
    for modality in data.MODALITIES:
        assert 40 <= len(modality.summary) <= 400, modality.slug
        assert modality.aliases, modality.slug


def test_aliases_are_lower_case_unique_and_fit_the_column():
    aliases = [a for m in data.MODALITIES for a in m.aliases]
    assert len(aliases) == len(set(aliases))
    for alias in aliases:
        assert alias == alias.lower().strip()
        assert 0 < len(alias) <= 80


def test_aliases_clients_type():
    assert {
        "trigger point therapy", "trigger point", "neuromuscular massage", "nmt",
        "neuro massage", "trigger point myotherapy",
    } <= set(_modality("neuromuscular-therapy").aliases)
    assert {"scraping", "graston"} <= set(_modality("iastm").aliases)
    assert "pregnancy massage" in _modality("prenatal-massage").aliases


def test_all_seventeen_conditions_map_to_existing_techniques():
    assert len(data.CONDITIONS) == 17
    assert len({c.slug for c in data.CONDITIONS}) == 17
    assert len({c.name for c in data.CONDITIONS}) == 17
    for condition in data.CONDITIONS:
        assert condition.modalities, condition.slug
        assert set(condition.modalities) <= MODALITY_SLUGS, condition.slug
        assert len(condition.modalities) == len(set(condition.modalities)), condition.slug
        assert condition.summary, condition.slug


def test_every_technique_addresses_some_condition():
    used = {slug for c in data.CONDITIONS for slug in c.modalities}
    assert used == MODALITY_SLUGS


@pytest.mark.parametrize(
    ("condition", "modalities"),
    [
        ("sciatica", {"neuromuscular-therapy", "myofascial-release", "deep-tissue",
                      "positional-release", "pnf-stretching"}),
        ("stress", {"swedish-massage", "lomi-lomi", "lymphatic-drainage"}),
        ("post-surgical-recovery", {"lymphatic-drainage", "myofascial-release",
                                    "positional-release"}),
        ("postural-imbalance", {"structural-energetic-therapy", "neuromuscular-therapy"}),
        ("epicondylitis", {"cross-fiber-friction", "iastm"}),
    ],
)
def test_condition_techniques(condition, modalities):
    assert modalities <= set(_condition(condition).modalities)


def test_fibromyalgia_is_not_matched_with_deep_work():
    deep = {m.slug for m in data.MODALITIES if m.intensity is Intensity.DEEP}
    assert not deep & set(_condition("fibromyalgia").modalities)


# --- the seed clinics ---------------------------------------------------------------


def test_solely_therapeutic_massage_facts():
    solely = CLINICS["solely-therapeutic-massage"]
    assert solely.name == "Solely Therapeutic Massage"
    assert solely.phone == "727-279-5205"
    assert solely.timezone == "America/New_York"
    assert solely.state == "FL"
    assert all(loc.city == "St. Petersburg" and loc.is_illustrative for loc in solely.locations)
    nmt = [s for s in solely.services if s.modality == "neuromuscular-therapy"]
    cheapest = min(nmt, key=lambda s: s.price_cents)
    assert cheapest.price_cents == 11500
    assert cheapest.includes_consultation
    offered = {s.modality for s in solely.services}
    assert {
        "neuromuscular-therapy", "myofascial-release", "cupping", "iastm",
        "structural-energetic-therapy", "deep-tissue", "swedish-massage", "sports-massage",
        "thai-massage", "lomi-lomi", "lymphatic-drainage", "prenatal-massage",
    } <= offered
    assert "intake" in solely.intake_note
    assert "assessment" in solely.intake_note
    assert len(solely.partners) >= 3
    assert all(p.name.endswith("(example)") for p in solely.partners)
    assert solely.status is ClinicStatus.PUBLISHED


def test_center_for_massage_therapy_facts():
    cmt = CLINICS["center-for-massage-therapy"]
    assert cmt.phone == "303-777-1151"
    assert cmt.timezone == "America/Denver"
    assert all(loc.city == "Denver" and loc.is_illustrative for loc in cmt.locations)
    offered = {s.modality for s in cmt.services}
    assert {"neuromuscular-therapy", "acupuncture"} <= offered
    assert len(offered) >= 3  # NMT combined with other techniques
    (promo,) = cmt.promotions
    assert promo.kind is PromotionKind.AMOUNT
    assert promo.value == 2500
    assert promo.modality == "acupuncture"
    assert "$25" in promo.title
    assert promo.code == promo.code.upper()


def test_the_real_clinics_are_not_marked_illustrative_and_the_fictional_ones_are():
    assert not any(c.is_illustrative for c in data.SEED_CLINICS)
    assert all(c.is_illustrative for c in data.DEMO_CLINICS)


def test_flex_spine_and_sport_facts():
    flex = CLINICS["flex-spine-sport"]
    assert flex.name == "Flex Spine & Sport"
    assert not flex.is_illustrative  # a real clinic (the home page lists it)...
    assert all(loc.is_illustrative for loc in flex.locations)  # ...at an invented address
    assert flex.phone is None  # the sources give none
    assert all("LMT" in t.credentials for t in flex.therapists)
    assert all("neuromuscular-therapy" in t.modalities for t in flex.therapists)
    text = flex.description.lower()
    for condition in ("thoracic outlet", "plantar fasciitis", "frozen shoulder", "tendonitis",
                      "sciatica", "carpal tunnel", "whiplash", "epicondylitis", "knee",
                      "surgery", "overuse", "structural"):
        assert condition in text, condition


def test_real_clinics_have_their_owners():
    owners = {c.slug: c.owner_email for c in data.SEED_CLINICS}
    assert owners == {
        "solely-therapeutic-massage": "owner.solely@demo.test",
        "center-for-massage-therapy": "owner.cmt@demo.test",
        "flex-spine-sport": "owner.flex@demo.test",
    }


# --- all clinics -----------------------------------------------------------------------


def test_enough_clinics_with_unique_slugs():
    assert len(data.ALL_CLINICS) >= 33
    assert len(data.DEMO_CLINICS) >= 30
    assert len(CLINICS) == len(data.ALL_CLINICS)
    assert len({c.name for c in data.ALL_CLINICS}) == len(data.ALL_CLINICS)


def test_demo_clinics_spread_over_both_metros():
    cities = {loc.city for c in data.DEMO_CLINICS for loc in c.locations}
    assert {"St. Petersburg", "Tampa", "Clearwater", "Largo", "Brandon"} <= cities
    assert {"Denver", "Aurora", "Lakewood", "Littleton", "Englewood", "Boulder"} <= cities


def _accepted_cities(zip_code: str) -> set[str]:
    row = zipcodes.matching(zip_code)[0]
    names = [row["city"], *row.get("acceptable_cities", [])]
    return {re.sub(r"^saint ", "st ", n.lower()) for n in names}


@pytest.mark.parametrize("clinic", data.ALL_CLINICS, ids=lambda c: c.slug)
def test_every_zip_resolves_in_the_clinics_state_and_time_zone(clinic):
    for location in clinic.locations:
        place = geo.lookup_zip(location.zip_code)
        assert place is not None, location.zip_code
        assert place.state == clinic.state
        assert place.timezone == clinic.timezone
        city = location.city.lower().replace(".", "")
        assert city in _accepted_cities(location.zip_code), (city, location.zip_code)


def test_fictional_clinics_are_illustrative_and_use_fictional_numbers():
    for clinic in data.DEMO_CLINICS:
        assert clinic.is_illustrative, clinic.slug
        assert all(loc.is_illustrative for loc in clinic.locations), clinic.slug
        assert re.fullmatch(r"\d{3}-555-01\d\d", clinic.phone), clinic.slug
        assert clinic.email is None or clinic.email.endswith(".example")
        assert clinic.website is None or clinic.website.endswith(".example")
        assert clinic.name not in {c.name for c in data.SEED_CLINICS}


@pytest.mark.parametrize("clinic", data.DEMO_CLINICS, ids=lambda c: c.slug)
def test_fictional_clinic_shape(clinic):
    assert 1 <= len(clinic.locations) <= 2
    assert 1 <= len(clinic.therapists) <= 4
    assert 3 <= len(clinic.services) <= 6
    if clinic.deposit_kind is DepositKind.PERCENT:
        assert 15 <= clinic.deposit_value <= 50
    else:
        assert 2000 <= clinic.deposit_value <= 4000
    assert clinic.cancellation_window_hours in {12, 24, 48}
    for service in clinic.services:
        assert service.duration_min in {30, 45, 60, 75, 90, 120}
        assert 6000 <= per_60(service.price_cents, service.duration_min) <= 18000


def test_statuses_for_the_admin_demo():
    statuses = [c.status for c in data.DEMO_CLINICS]
    assert 1 <= statuses.count(ClinicStatus.PENDING) <= 2
    assert statuses.count(ClinicStatus.SUSPENDED) == 1
    suspended = next(c for c in data.DEMO_CLINICS if c.status is ClinicStatus.SUSPENDED)
    assert suspended.status_reason
    pending_owned = [c for c in data.DEMO_CLINICS
                     if c.status is ClinicStatus.PENDING and c.owner_email]
    assert len(pending_owned) == 1


def test_hours_vary():
    patterns = {t.hours for _, t in _all_therapists()}
    assert {"weekdays", "evenings", "saturdays"} <= patterns


def test_policies_are_in_plain_words():
    for clinic in data.ALL_CLINICS:
        text = clinic.policy_text
        assert f"{clinic.cancellation_window_hours} hours" in text, clinic.slug
        assert "deposit" in text, clinic.slug


def test_some_clinics_have_promotions():
    promos = [p for c in data.DEMO_CLINICS for p in c.promotions]
    assert len(promos) >= 3
    for clinic in data.ALL_CLINICS:
        codes = [p.code for p in clinic.promotions]
        assert len(codes) == len(set(codes))
        for promo in clinic.promotions:
            assert promo.code == promo.code.upper()
            assert promo.value > 0
            assert promo.kind is not PromotionKind.PERCENT or promo.value <= 100
            assert promo.modality is None or promo.modality in MODALITY_SLUGS


# --- therapists and services --------------------------------------------------------


def test_therapist_slugs_are_unique():
    slugs = [t.slug for _, t in _all_therapists()]
    assert len(slugs) == len(set(slugs))


@pytest.mark.parametrize(("clinic", "therapist"), _all_therapists(),
                         ids=lambda x: x.slug)
def test_therapist_details(clinic, therapist):
    assert set(therapist.modalities) <= MODALITY_SLUGS
    assert therapist.hours in data.HOURS_PATTERNS
    assert 1950 <= therapist.practicing_since <= 2024
    assert therapist.bio
    assert therapist.credentials
    licence = therapist.licence_number or ""
    if therapist.modalities == ("acupuncture",):
        assert re.fullmatch(r"AC\.\d{7}", licence)
    elif clinic.state == "FL":
        assert re.fullmatch(r"MA\d{5}", licence)
    else:
        assert re.fullmatch(r"MT\.\d{7}", licence)


def test_licence_numbers_are_unique():
    numbers = [t.licence_number for _, t in _all_therapists() if t.licence_number]
    assert len(numbers) == len(set(numbers))


@pytest.mark.parametrize("clinic", data.ALL_CLINICS, ids=lambda c: c.slug)
def test_every_service_has_a_therapist_who_practises_it(clinic):
    practised = {m for t in clinic.therapists for m in t.modalities}
    names = [s.name for s in clinic.services]
    assert len(names) == len(set(names))
    for service in clinic.services:
        assert service.modality in practised, service.name
        assert 10 <= service.duration_min <= 480
        assert service.buffer_before_min >= 0
        assert service.buffer_after_min >= 0


def test_some_services_have_buffers():
    buffered = [s for c in data.DEMO_CLINICS for s in c.services if s.buffer_after_min]
    assert len(buffered) >= 5


def test_hours_patterns_are_well_formed():
    for name, spans in data.HOURS_PATTERNS.items():
        for span in spans:
            assert span.starts < span.ends, name
            assert set(span.weekdays) <= set(range(7)), name
        for a, b in combinations(spans, 2):
            if set(a.weekdays) & set(b.weekdays):
                assert a.ends <= b.starts or b.ends <= a.starts, name


# --- accounts, bookings, time off ------------------------------------------------------


def test_demo_accounts():
    emails = {u.email: u.role for u in data.USERS}
    assert emails["admin@demo.test"] == "admin"
    assert emails["client@demo.test"] == "client"
    assert emails["client2@demo.test"] == "client"
    for clinic in data.ALL_CLINICS:
        if clinic.owner_email:
            assert emails[clinic.owner_email] == "owner"


def test_demo_bookings_point_at_real_rows():
    therapists = {t.slug: c.slug for c, t in _all_therapists()}
    references = [b.reference for b in data.BOOKINGS]
    assert len(references) == len(set(references))
    emails = {u.email for u in data.USERS}
    assert any(b.client_email == "client@demo.test" for b in data.BOOKINGS)
    for booking in data.BOOKINGS:
        assert re.fullmatch(r"[A-Z0-9]{8}", booking.reference)
        assert booking.client_email in emails
        clinic = CLINICS[booking.clinic]
        service = next(s for s in clinic.services if s.name == booking.service)
        assert therapists[booking.therapist] == clinic.slug
        therapist = next(t for t in clinic.therapists if t.slug == booking.therapist)
        assert service.modality in therapist.modalities
        assert 0 < booking.days_ago < 90  # inside the review window


def test_time_off_names_real_therapists():
    slugs = {t.slug for _, t in _all_therapists()}
    for entry in data.TIME_OFF:
        assert entry.therapist in slugs
        assert entry.days > 0


def test_slugify():
    assert data.slugify("Flex Spine & Sport") == "flex-spine-sport"
    assert data.slugify("Kevin O'Brien") == "kevin-obrien"
