"""Languages and amenities as search filters (service, page and API), and where they are
shown: result cards, profiles, compare and the API's JSON."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from marketplace.models import ClinicAmenity, TherapistLanguage, db
from marketplace.services.discovery import sql as search_sql
from marketplace.services.discovery.search import SearchError, SearchQuery, search
from tests.support import discover, factories
from tests.support.booking import booking_rules

NOW = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)


def speaks(therapist, *codes: str) -> None:
    therapist.languages.extend(TherapistLanguage(code=code) for code in codes)


def offers(clinic, *codes: str) -> None:
    clinic.amenities.extend(ClinicAmenity(code=code) for code in codes)


@pytest.fixture
def world(app):
    """Four St. Petersburg clinics and one in Denver, each with one therapist.

    pier: NMT by a Spanish speaker; parking, shower.
    bay: Swedish by a Spanish speaker, NMT by an English speaker; parking.
    quiet: NMT; its Spanish speaker is inactive, its Vietnamese one gives no service.
    tide: Swedish, English only; parking, shower, step-free.
    denver: NMT by a Spanish speaker; parking, shower."""
    v = discover.vocabulary()
    c = {
        "pier": discover.clinic("Pier Studio", "33701", services=[(v["nmt"], 60, 120)]),
        "bay": discover.clinic("Bay Rooms", "33704", services=[(v["swedish"], 60, 80)]),
        "quiet": discover.clinic("Quiet Hands", "33701", services=[(v["nmt"], 60, 90)]),
        "tide": discover.clinic("Tide House", "33701", services=[(v["swedish"], 60, 70)]),
        "denver": discover.clinic("Mile High NMT", "80210", services=[(v["nmt"], 60, 100)]),
    }
    for key in ("pier", "bay", "denver"):
        speaks(c[key].therapists[0], "en", "es")
    speaks(c["tide"].therapists[0], "en")
    english = factories.create_therapist(c["bay"], name="Eli English")
    speaks(english, "en")
    factories.create_service(c["bay"], therapists=[english], modality=v["nmt"],
                             name="NMT with Eli")
    gone = factories.create_therapist(c["quiet"], name="Ines Inactive", active=False)
    speaks(gone, "es")
    c["quiet"].services[0].therapists.append(gone)
    speaks(factories.create_therapist(c["quiet"], name="Vu No Service"), "vi")
    offers(c["pier"], "parking", "shower")
    offers(c["bay"], "parking")
    offers(c["tide"], "parking", "shower", "step-free")
    offers(c["denver"], "parking", "shower")
    db.session.flush()
    return v, c


def run(app, **kwargs):
    return search(SearchQuery(**kwargs), now=NOW, rules=booking_rules(app))


def names(results) -> list[str]:
    return sorted(r.clinic.name for r in results.results)


# --- the service ---------------------------------------------------------------------------


def test_a_language_keeps_clinics_with_a_bookable_therapist_who_speaks_it(app, world):
    assert names(run(app, language="es")) == ["Bay Rooms", "Mile High NMT", "Pier Studio"]
    assert names(run(app, language="vi")) == []  # the Vietnamese speaker gives no service


def test_an_inactive_therapist_does_not_make_the_clinic_match(app, world):
    _, c = world
    assert "Quiet Hands" not in names(run(app, language="es"))
    c["quiet"].therapists[0].active = True  # "Ines Inactive" sorts first
    db.session.flush()
    assert "Quiet Hands" in names(run(app, language="es"))


def test_language_with_a_place_and_a_technique_needs_a_speaker_of_that_technique(app, world):
    nearby = run(app, language="es", near="33701", radius_mi=10)
    assert names(nearby) == ["Bay Rooms", "Pier Studio"]
    # Bay's Spanish speaker gives Swedish only; its NMT is given in English.
    nmt = run(app, language="es", technique="neuromuscular-therapy", near="33701", radius_mi=10)
    assert names(nmt) == ["Pier Studio"]
    assert names(run(app, language="es", technique="swedish-massage", near="33701",
                     radius_mi=10)) == ["Bay Rooms"]


def test_every_amenity_asked_for_is_required(app, world):
    assert names(run(app, amenities=("parking",))) == [
        "Bay Rooms", "Mile High NMT", "Pier Studio", "Tide House"]
    assert names(run(app, amenities=("parking", "shower"))) == [
        "Mile High NMT", "Pier Studio", "Tide House"]
    assert names(run(app, amenities=("shower", "step-free", "parking"))) == ["Tide House"]


def test_language_amenities_place_and_technique_together(app, world):
    results = run(app, language="es", amenities=("shower",), technique="neuromuscular-therapy",
                  near="St. Petersburg, FL", radius_mi=25, sort="price")
    assert names(results) == ["Pier Studio"]
    assert results.language.name == "Spanish"
    assert [t.code for t in results.amenities] == ["shower"]
    card = results.results[0]
    assert [t.name for t in card.languages_beyond_english] == ["Spanish"]
    assert [t.code for t in card.amenities] == ["parking", "shower"]


@pytest.mark.parametrize(("query", "field"), [
    ({"language": "klingon"}, "language"),
    ({"language": "ES"}, "language"),
    ({"amenities": ("parking", "hot-tub")}, "amenity"),
])
def test_unknown_codes_are_refused_by_name(app, world, query, field):
    with pytest.raises(SearchError) as refused:
        run(app, **query)
    assert refused.value.field == field
    assert "Choose" in str(refused.value)


def test_the_filters_are_exists_probes_in_both_statements(app, world):
    filters = search_sql.Filters(language="es", amenities=("parking", "shower"))
    for stmt in (search_sql.catalogue(filters, "sqlite"),
                 search_sql.candidates(filters, "sqlite")):
        sql = str(stmt.compile(compile_kwargs={"literal_binds": True}))
        assert sql.count("EXISTS") >= 3
        assert "therapist_languages.code = 'es'" in sql
        assert "clinic_amenities.code = 'shower'" in sql


# --- the page ------------------------------------------------------------------------------


def test_the_page_filters_by_language_and_amenities_and_keeps_them_in_the_url(client, world):
    page = client.get("/search?language=es&amenity=parking&amenity=shower&near=33701")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Pier Studio" in text
    assert "Bay Rooms" not in text
    assert "with sessions in Spanish offering parking, shower" in text
    assert '<option selected value="es">Spanish</option>' in text
    assert 'checked id="amenity-3" name="amenity" type="checkbox" value="parking"' in text
    assert "<dt>Also speaks</dt><dd>Spanish</dd>" in text
    fragment = client.htmx("GET", "/search?language=es&amenity=parking&amenity=shower")
    assert fragment.status_code == 200
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Pier Studio" in fragment.get_data(as_text=True)


def test_the_pages_links_keep_every_amenity(client, world):
    for n in range(12):
        discover.clinic(f"Parking Place {n:02d}", "33701")
        offers(discover.clinic(f"Both Place {n:02d}", "33701",
                               services=[(world[0]["nmt"], 60, 60)]), "parking", "shower")
    db.session.flush()
    text = client.get("/search?amenity=parking&amenity=shower").get_data(as_text=True)
    assert "amenity=parking&amp;amenity=shower&amp;page=2" in text


def test_a_wrong_code_on_the_page_is_a_message_not_an_error(client, world):
    page = client.get("/search?language=xx&amenity=parking")
    assert page.status_code == 422
    assert "We do not know the language “xx”" in page.get_data(as_text=True)
    page = client.get("/search?amenity=jacuzzi")
    assert page.status_code == 422
    assert "We do not know the amenity “jacuzzi”" in page.get_data(as_text=True)


def test_empty_results_offer_to_drop_the_language_and_amenities(client, world):
    text = client.get("/search?language=ja&amenity=shower").get_data(as_text=True)
    assert "any language" in text
    assert "without the amenities" in text


# --- profiles, compare and the API ---------------------------------------------------------


def test_profiles_show_the_teams_languages_and_the_amenities(client, world):
    _, c = world
    text = client.get(f"/clinics/{c['quiet'].slug}").get_data(as_text=True)
    assert "Languages and amenities" not in text  # nobody bookable speaks a listed language
    text = client.get(f"/clinics/{c['bay'].slug}").get_data(as_text=True)
    assert "Spoken by the team</dt><dd>English, Spanish</dd>" in text
    assert "<li>Parking</li>" in text
    therapist = c["pier"].therapists[0]
    text = client.get(f"/therapists/{therapist.slug}").get_data(as_text=True)
    assert "Sessions in</dt><dd>English, Spanish</dd>" in text
    assert "<dt>Languages</dt><dd>English, Spanish</dd>" in text


def test_compare_has_a_row_for_languages_and_one_for_amenities(client, world):
    _, c = world
    text = client.get(f"/compare?c={c['pier'].slug}&c={c['quiet'].slug}").get_data(
        as_text=True)
    assert "Languages spoken" in text
    assert "Amenities" in text
    assert "English, Spanish" in text
    assert "<li>Shower</li>" in text
    assert "None listed" in text


def test_the_api_filters_and_shows_languages_and_amenities(client, world):
    _, c = world
    body = client.get("/api/v1/clinics?language=es&amenity=parking&amenity=shower").json
    assert sorted(r["name"] for r in body["results"]) == ["Mile High NMT", "Pier Studio"]
    assert body["language"] == "es"
    assert body["amenities"] == ["parking", "shower"]
    assert body["results"][0]["languages"] == ["en", "es"]
    detail = client.get(f"/api/v1/clinics/{c['pier'].slug}").json
    assert detail["languages"] == ["en", "es"]
    assert detail["amenities"] == ["parking", "shower"]
    assert detail["therapists"][0]["languages"] == ["en", "es"]


@pytest.mark.parametrize(("query", "parameter", "words"), [
    ("language=klingon", "language", "We do not know the language"),
    ("language=es&language=fr", "language", "Give language once."),
    ("language=", "language", "leave it out"),
    ("amenity=parking&amenity=sauna", "amenity", "We do not know the amenity “sauna”"),
    ("amenity=parking&amenity=", "amenity", "leave it out"),
])
def test_the_api_refuses_bad_codes_with_a_400_naming_them(client, world, query, parameter,
                                                         words):
    response = client.get(f"/api/v1/clinics?{query}")
    assert response.status_code == 400
    assert response.json["error"]["parameter"] == parameter
    assert words in response.json["error"]["message"]
