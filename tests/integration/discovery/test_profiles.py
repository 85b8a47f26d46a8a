"""Clinic and therapist profiles: what a client checks before booking, published
clinics only, the slots fragment, and a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from marketplace.models import (
    ClinicStatus,
    DepositKind,
    Partner,
    Promotion,
    PromotionKind,
    db,
    utcnow,
)
from marketplace.services.discovery import profiles
from marketplace.services.reviews.posting import refresh_clinic_rating
from tests.support import discover, factories


@pytest.fixture
def clinic(app, now):
    v = discover.vocabulary()
    found = discover.clinic("Pier Trigger Point Studio", "33701", therapist="Ada Lovelace",
                            services=[(v["nmt"], 60, 115), (v["nmt"], 90, 165),
                                      (v["mfr"], 60, 100)],
                            phone="727-555-0142", deposit_kind=DepositKind.FIXED,
                            deposit_value=3000, cancellation_window_hours=48)
    today = now.astimezone(ZoneInfo(found.locations[0].timezone)).date()  # the clinic's day
    found.promotions.extend([
        Promotion(code="NEWNMT", title="First NMT visit", kind=PromotionKind.AMOUNT,
                  value=2500, modality=v["nmt"], ends_on=today + timedelta(days=30)),
        Promotion(code="OLD", title="Expired offer", kind=PromotionKind.PERCENT, value=10,
                  ends_on=today - timedelta(days=1)),
    ])
    found.partners.append(Partner(name="Bayfront Physio (example)", specialty="Physiotherapist"))
    therapist = found.therapists[0]
    therapist.licence_number, therapist.licence_state = "MA12345", "FL"
    therapist.practicing_since = utcnow().year - 11
    therapist.bio = "Trigger points, posture and patience."
    db.session.commit()
    return found


def body(response) -> str:
    return response.get_data(as_text=True)


def test_clinic_profile_shows_what_a_client_checks(client, clinic):
    page = body(client.get(f"/clinics/{clinic.slug}"))
    assert "<h1>Pier Trigger Point Studio</h1>" in page
    assert 'href="tel:7275550142"' in page
    assert "openstreetmap.org/?mlat=" in page
    # Services with duration, price, price per 60 and the deposit on each.
    assert "<td>90 min</td>\n  <td>$165</td>\n  <td>$110</td>\n  <td>$30</td>" in page
    # The policy in plain words.
    assert "$30 (the whole price if it is less)" in page
    assert "at least 48 hours (2 days) before it starts" in page
    # Current promotions only.
    assert "First NMT visit" in page
    assert "NEWNMT" in page
    assert "$25 off" in page
    assert "Expired offer" not in page
    # Therapists with credentials, licence and years of practice.
    assert "Ada Lovelace" in page
    assert "FL MA12345" in page
    assert "11 years" in page
    # Hours, conditions treated, partners and the reviews component.
    assert "Monday</th>" in page
    assert "9:00 AM–5:00 PM" in page
    assert "Sciatica (soft-tissue / piriformis)" in page
    assert "Bayfront Physio (example)" in page
    assert 'id="reviews"' in page


def test_next_open_slots_are_local_times_labelled_with_the_zone(client, clinic):
    page = body(client.get(f"/clinics/{clinic.slug}"))
    slots = page.split('id="slots-list"')[1].split("</section>")[0]
    assert "local time (E" in slots  # EST or EDT
    assert slots.count('class="slot"') >= 6
    assert "-05:00\"" in slots or "-04:00\"" in slots  # the datetime carries the offset


def test_the_slot_picker_answers_htmx_with_the_slots_alone(client, clinic):
    mfr = next(s for s in clinic.services if s.duration_min == 60 and "Myofascial" in s.name)
    fragment = client.htmx("GET", f"/clinics/{clinic.slug}?service={mfr.id}")
    text = body(fragment)
    assert fragment.status_code == 200
    assert "<html" not in text
    assert "Services and prices" not in text
    assert text.strip().startswith('<p class="muted small">Myofascial release, 60 min: times in')
    full = body(client.get(f"/clinics/{clinic.slug}?service={mfr.id}"))
    assert f'<option value="{mfr.id}" selected>' in full


@pytest.mark.parametrize("service", ["abc", "-1", "0", "99999999999999999999", "2147483648"])
def test_a_strange_service_choice_falls_back_to_the_default(client, clinic, service):
    default = body(client.get(f"/clinics/{clinic.slug}"))
    chosen = re.search(r'<option value="(\d+)" selected>', default).group(1)
    answer = client.get(f"/clinics/{clinic.slug}?service={service}")
    assert answer.status_code == 200
    text = body(answer)
    assert re.findall(r'<option value="(\d+)" selected>', text) == [chosen]
    fragment = client.htmx("GET", f"/clinics/{clinic.slug}?service={service}")
    assert fragment.get_data(as_text=True) == client.htmx(
        "GET", f"/clinics/{clinic.slug}").get_data(as_text=True)  # the default's open times


@pytest.mark.parametrize("status", [ClinicStatus.PENDING, ClinicStatus.SUSPENDED])
def test_unpublished_clinics_and_their_therapists_are_not_found(client, clinic, status):
    therapist = clinic.therapists[0]
    clinic.status = status
    db.session.commit()
    assert client.get(f"/clinics/{clinic.slug}").status_code == 404
    assert client.get(f"/therapists/{therapist.slug}").status_code == 404


def test_an_inactive_therapist_is_not_found(client, clinic):
    therapist = clinic.therapists[0]
    therapist.active = False
    db.session.commit()
    assert client.get(f"/therapists/{therapist.slug}").status_code == 404
    assert "Ada Lovelace" not in body(client.get(f"/clinics/{clinic.slug}"))


def test_therapist_profile(client, clinic):
    therapist = clinic.therapists[0]
    visit = factories.create_completed_visit(
        factories.Bookable(clinic, clinic.locations[0], therapist, clinic.services[0], None))
    factories.create_review(visit, rating=4, body="Patient, careful trigger point work.")
    refresh_clinic_rating(clinic.id)
    db.session.commit()
    page = body(client.get(f"/therapists/{therapist.slug}"))
    assert "Ada Lovelace" in page
    assert "LMT, CNMT" in page
    assert "FL MA12345" in page
    assert "Trigger points, posture and patience." in page
    assert "Patient, careful trigger point work." in page
    assert "Services Ada gives" in page
    assert "$110" in page
    assert f'href="/clinics/{clinic.slug}"' in page
    assert "Next open slots" in page


def test_profile_query_count_does_not_grow_with_the_clinic(client, app, count_queries):
    v = discover.vocabulary()
    small = discover.clinic("Small Place", "33701", services=[(v["nmt"], 60, 100)])
    big = discover.clinic("Big Place", "33701",
                          services=[(v["nmt"], m, 100 + m) for m in (30, 45, 60, 75, 90, 120)])
    for _n in range(5):
        person = factories.create_therapist(big)
        person.modalities.append(v["mfr"])
        discover.factories.create_hours(person, big.locations[0])
        for service in big.services:
            service.therapists.append(person)
    db.session.commit()
    counts = []
    for slug in (small.slug, big.slug):
        with count_queries() as q:
            assert client.get(f"/clinics/{slug}").status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def test_merged_hours():
    from datetime import time

    rows = [(1, 0, time(9), time(12)), (1, 0, time(11), time(17)), (1, 0, time(18), time(20)),
            (1, 2, time(10), time(14))]
    hours = profiles.merged_hours(rows)[1]
    assert [(d.weekday, d.spans) for d in hours] == [
        ("Monday", [(time(9), time(17)), (time(18), time(20))]),
        ("Wednesday", [(time(10), time(14))]),
    ]


def test_current_promotions_respect_dates_and_limits(app, clinic):
    today = date(2031, 5, 1)
    clinic.promotions[0].ends_on = date(2031, 5, 1)
    clinic.promotions[0].max_redemptions, clinic.promotions[0].redemptions_count = 5, 5
    assert profiles.current_promotions(clinic, today) == []
    clinic.promotions[0].redemptions_count = 4
    assert profiles.current_promotions(clinic, today) == [clinic.promotions[0]]
    assert profiles.current_promotions(clinic, date(2031, 5, 2)) == []


def test_therapist_slots_fragment(client, clinic):
    therapist = clinic.therapists[0]
    service = clinic.services[0]
    fragment = client.htmx("GET", f"/therapists/{therapist.slug}?service={service.id}")
    assert fragment.status_code == 200
    assert "<html" not in body(fragment)
    assert f"{service.name}: times in" in body(fragment)
    assert "HX-Request" in fragment.headers["Vary"]


def test_slots_and_services_link_into_the_booking_flow(client, clinic):
    import html
    import re

    page = body(client.get(f"/clinics/{clinic.slug}"))
    slots = page.split('id="slots-list"')[1].split("</section>")[0]
    link = html.unescape(re.search(r'<a class="slot" href="([^"]+)"', slots).group(1))
    assert link.startswith(f"/clinics/{clinic.slug}/book?")
    assert "therapist=any" in link
    picker = client.get(link)
    assert picker.status_code == 200
    assert "slot-selected" in body(picker)  # the time chosen on the profile is preselected
    service = clinic.services[0]
    assert f'href="/clinics/{clinic.slug}/book?service={service.id}"' in page
    assert f'href="/clinics/{clinic.slug}/book">Book a visit</a>' in page


def test_therapist_profile_books_with_that_therapist(client, clinic):
    therapist = clinic.therapists[0]
    page = body(client.get(f"/therapists/{therapist.slug}"))
    assert f"/clinics/{clinic.slug}/book?therapist={therapist.id}" in page
    assert f"therapist={therapist.id}&amp;date=" in page  # each slot link keeps the therapist
