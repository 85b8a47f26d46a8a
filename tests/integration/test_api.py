"""The JSON API v1: search, one clinic, availability, the vocabulary, and bad
parameters as 400s that name the parameter."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from marketplace.models import ClinicStatus, db, utcnow
from marketplace.services.common.local_time import zone
from tests.support import discover


@pytest.fixture
def clinics(app):
    v = discover.vocabulary()
    pier = discover.clinic("Pier Trigger Point Studio", "33701", therapist="Ada Lovelace",
                           services=[(v["nmt"], 60, 120), (v["mfr"], 90, 135)])
    denver = discover.clinic("Mile High Neuromuscular", "80210", services=[(v["nmt"], 60, 100)])
    pier.rating_avg, pier.review_count = 4.75, 4
    db.session.commit()
    return pier, denver


def test_search_carries_the_agreed_fields(client, clinics):
    response = client.get("/api/v1/clinics?technique=neuromuscular-therapy&near=33701"
                          "&radius_mi=25&sort=distance")
    assert response.status_code == 200
    data = response.json
    assert data["total"] == 1
    assert data["sort"] == "distance"
    first = data["results"][0]
    assert first["slug"] == clinics[0].slug
    assert first["city"] == "Saint Petersburg"
    assert first["state"] == "FL"
    assert first["distance_mi"] == pytest.approx(0.0, abs=0.5)
    assert first["price_from_cents"] == 12000  # its NMT hour; the cheaper MFR does not count
    assert first["price_per_60_from_cents"] == 12000
    assert first["rating"] == 4.75
    assert first["review_count"] == 4
    assert set(first["modalities"]) == {"neuromuscular-therapy", "myofascial-release"}
    opening = datetime.fromisoformat(first["next_opening_at"])
    assert opening.utcoffset() in (timedelta(hours=-5), timedelta(hours=-4))


def test_distance_is_null_without_near(client, clinics):
    data = client.get("/api/v1/clinics?q=mile+high").json
    assert [r["slug"] for r in data["results"]] == [clinics[1].slug]
    assert data["results"][0]["distance_mi"] is None
    assert data["place"] is None


def test_trigger_point_and_condition(client, clinics):
    data = client.get("/api/v1/clinics?q=trigger+point&near=33701&radius_mi=10").json
    assert data["technique"] == "neuromuscular-therapy"
    assert [r["slug"] for r in data["results"]] == [clinics[0].slug]
    data = client.get("/api/v1/clinics?condition=sciatica").json
    assert data["condition"] == "sciatica"
    assert set(data["condition_modalities"]) == {"neuromuscular-therapy", "myofascial-release"}


def test_pages(client, clinics):
    data = client.get("/api/v1/clinics?per_page=1&page=2&sort=price").json
    assert (data["page"], data["pages"], data["per_page"], data["total"]) == (2, 2, 1, 2)
    beyond = client.get("/api/v1/clinics?per_page=1&page=7").json
    assert beyond["results"] == []
    assert beyond["total"] == 2


@pytest.mark.parametrize(("query", "parameter"), [
    ("near=00000", "near"),
    ("near=Nowhere,+ZZ", "near"),
    ("radius_mi=0", "radius_mi"),
    ("radius_mi=1e309", "radius_mi"),
    ("max_price=NaN", "max_price"),
    ("min_rating=6", "min_rating"),
    ("min_rating=inf", "min_rating"),
    ("available_on=2031-02-30", "available_on"),
    ("available_on=2031-2-3", "available_on"),
    ("sort=cheapest", "sort"),
    ("sort=distance", "sort"),
    ("page=0", "page"),
    ("per_page=51", "per_page"),
    ("technique=no-such", "technique"),
    ("condition=no-such", "condition"),
    ("q=" + "x" * 101, "q"),
])
def test_bad_search_parameters_are_400s_naming_them(client, clinics, query, parameter):
    response = client.get(f"/api/v1/clinics?{query}")
    assert response.status_code == 400
    error = response.json["error"]
    assert error["parameter"] == parameter
    assert error["code"] == 400
    assert error["message"]


def test_one_clinic(client, clinics):
    pier = clinics[0]
    data = client.get(f"/api/v1/clinics/{pier.slug}").json
    assert data["name"] == "Pier Trigger Point Studio"
    assert data["locations"][0]["zip_code"] == "33701"
    assert data["therapists"][0]["name"] == "Ada Lovelace"
    services = {s["duration_min"]: s for s in data["services"]}
    assert services[90]["price_per_60_cents"] == 9000
    assert services[90]["deposit_cents"] == 2700  # 20% of $135
    assert data["policy"]["cancellation_window_hours"] == 24
    assert "sciatica" in data["conditions"]


def test_unpublished_and_unknown_clinics_are_404s(client, clinics):
    clinics[0].status = ClinicStatus.PENDING
    db.session.commit()
    for url in (f"/api/v1/clinics/{clinics[0].slug}",
                f"/api/v1/clinics/{clinics[0].slug}/availability?service=1",
                "/api/v1/clinics/nope", "/api/v1/clinics/%3Cscript%3E"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json["error"]["code"] == 404


def test_availability_lists_slots_with_the_clinics_offset(client, clinics):
    pier = clinics[0]
    service = next(s for s in pier.services if s.duration_min == 60)
    day = (utcnow().astimezone(zone("America/New_York")) + timedelta(days=2)).date()
    data = client.get(f"/api/v1/clinics/{pier.slug}/availability?service={service.id}"
                      f"&date={day.isoformat()}").json
    assert data["date"] == day.isoformat()
    assert data["timezone"] == "America/New_York"
    first = datetime.fromisoformat(data["slots"][0]["starts_at"])
    assert first.hour == 9
    assert first.date() == day
    assert data["slots"][0]["therapist"] == pier.therapists[0].slug
    assert len(data["slots"]) == 29  # 9:00 to 16:00 every 15 minutes
    just_ada = client.get(f"/api/v1/clinics/{pier.slug}/availability?service={service.id}"
                          f"&date={day.isoformat()}&therapist={pier.therapists[0].slug}").json
    assert just_ada["slots"] == data["slots"]


@pytest.mark.parametrize(("query", "parameter"), [
    ("", "service"),
    ("service=abc", "service"),
    ("service=99999", "service"),
    ("service={service}&date=2031-13-01", "date"),
    ("service={service}&date=2001-01-01", "date"),
    ("service={service}&therapist=nobody", "therapist"),
    ("service={service}&therapist=%3Cb%3E", "therapist"),
])
def test_bad_availability_parameters(client, clinics, query, parameter):
    pier = clinics[0]
    url = f"/api/v1/clinics/{pier.slug}/availability?" + query.format(
        service=pier.services[0].id)
    response = client.get(url)
    assert response.status_code == 400
    assert response.json["error"]["parameter"] == parameter


def test_another_clinics_service_is_refused(client, clinics):
    pier, denver = clinics
    response = client.get(f"/api/v1/clinics/{pier.slug}/availability"
                          f"?service={denver.services[0].id}")
    assert response.json["error"]["parameter"] == "service"


def test_vocabulary(client, clinics):
    modalities = {m["slug"]: m for m in client.get("/api/v1/modalities").json["modalities"]}
    assert "trigger point" in modalities["neuromuscular-therapy"]["aliases"]
    assert modalities["neuromuscular-therapy"]["intensity"] == "deep"
    conditions = {c["slug"]: c for c in client.get("/api/v1/conditions").json["conditions"]}
    assert set(conditions["sciatica"]["modalities"]) == {"neuromuscular-therapy",
                                                        "myofascial-release"}


def test_the_openapi_document_lists_every_api_route(app, client, clinics):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    documented = set(spec["paths"])
    routes = {r.rule.replace("<slug:slug>", "{slug}") for r in app.url_map.iter_rules()
              if r.endpoint.startswith("api.") and r.endpoint != "api.openapi_document"}
    assert documented == routes
    search = spec["paths"]["/api/v1/clinics"]["get"]
    names = {p["name"] for p in search["parameters"]}
    assert names == {"q", "technique", "condition", "near", "radius_mi", "max_price",
                     "available_on", "min_rating", "language", "amenity", "sort", "page",
                     "per_page"}
    technique = next(p for p in search["parameters"] if p["name"] == "technique")
    assert "neuromuscular-therapy" in technique["schema"]["enum"]


@pytest.mark.parametrize(("query", "parameter"), [
    ("per_page=5&per_page=6", "per_page"),
    ("radius_mi=5&radius_mi=6&near=33701", "radius_mi"),
    ("q=a&q=b", "q"),
    ("q=" + "%C3%A9" * 101, "q"),  # 101 characters, whatever their bytes
    ("per_page=51", "per_page"),
    ("technique=", "technique"),
    ("radius_mi=", "radius_mi"),
    ("q=" + "+" * 101, "q"),
    ("radius_mi=+5", "radius_mi"),
])
def test_the_api_is_strict_about_repeats_blanks_and_padding(client, clinics, query, parameter):
    response = client.get(f"/api/v1/clinics?{query}")
    assert response.status_code == 400
    assert response.json["error"]["parameter"] == parameter


def test_free_text_may_be_empty(client, clinics):
    assert client.get("/api/v1/clinics?q=&near=").status_code == 200


@pytest.mark.parametrize("days", [-2, -4000, 61, 400])  # -2: past even in Hawaii
def test_a_valid_date_outside_the_booking_window_finds_no_openings(client, clinics, days):
    # A date the schema allows is a search like any other: nobody can book a past
    # day or one beyond the booking horizon, so nothing is open on it.
    day = (utcnow() + timedelta(days=days)).date().isoformat()
    response = client.get(f"/api/v1/clinics?available_on={day}")
    assert response.status_code == 200
    assert (response.json["total"], response.json["results"]) == (0, [])
    notes = response.json["notes"]
    assert any(note.startswith(f"No clinic has open slots on {day}") for note in notes)


def test_the_search_page_still_says_a_past_date_has_passed(client, clinics):
    response = client.get("/search?available_on=2001-01-01")
    assert response.status_code == 422
    assert "That date has passed" in response.get_data(as_text=True)


def test_a_week_of_availability_is_one_request_equal_to_seven(client, clinics, now):
    pier = clinics[0]  # open 9-17 every day of the week
    service = next(s for s in pier.services if s.duration_min == 60)
    first = (now.astimezone(zone("America/New_York")) + timedelta(days=2)).date()
    base = f"/api/v1/clinics/{pier.slug}/availability?service={service.id}"
    week = client.get(f"{base}&from={first.isoformat()}"
                      f"&to={(first + timedelta(days=6)).isoformat()}")
    assert week.status_code == 200, week.json
    data = week.json
    assert (data["from"], data["to"]) == (first.isoformat(),
                                          (first + timedelta(days=6)).isoformat())
    one_by_one = []
    for n in range(7):
        day = client.get(f"{base}&date={(first + timedelta(days=n)).isoformat()}").json
        assert day["from"] == day["to"] == day["date"]
        one_by_one += day["slots"]
    assert data["slots"] == one_by_one
    assert len({datetime.fromisoformat(s["starts_at"]).date() for s in data["slots"]}) == 7


def test_to_alone_lists_from_today(client, clinics, now):
    pier = clinics[0]
    service = pier.services[0]
    today = now.astimezone(zone("America/New_York")).date()
    data = client.get(f"/api/v1/clinics/{pier.slug}/availability?service={service.id}"
                      f"&to={(today + timedelta(days=3)).isoformat()}").json
    assert data["from"] == today.isoformat()
    assert data["to"] == (today + timedelta(days=3)).isoformat()


@pytest.mark.parametrize(("days", "extra", "parameter", "message"), [
    ((0, 14), "", "to", "at most 14 days"),
    ((5, 4), "", "to", "is before from"),
    ((1, None), "", "to", "to is required with from"),
    ((-1, 3), "", "from", "has passed"),
    ((1, 200), "", "to", "days ahead"),
    ((1, 3), "&date={first}", "date", "not both"),
    ((1, 3), "&from=2026-02-30", "from", "YYYY-MM-DD"),
])
def test_bad_ranges_name_their_parameter(client, clinics, now, days, extra, parameter,
                                        message):
    pier = clinics[0]
    today = now.astimezone(zone("America/New_York")).date()
    first = today + timedelta(days=days[0])
    query = f"service={pier.services[0].id}"
    if "from=" not in extra:
        query += f"&from={first.isoformat()}"
    if days[1] is not None:
        query += f"&to={(today + timedelta(days=days[1])).isoformat()}"
    response = client.get(f"/api/v1/clinics/{pier.slug}/availability?{query}"
                          + extra.format(first=first.isoformat()))
    assert response.status_code == 400
    assert response.json["error"]["parameter"] == parameter
    assert message in response.json["error"]["message"]
