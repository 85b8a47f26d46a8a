import pytest

from marketplace.services.common import geo


def test_zip_code_resolves_with_time_zone():
    place = geo.geocode("33701")
    assert place.city == "Saint Petersburg"
    assert place.state == "FL"
    assert place.timezone == "America/New_York"
    assert place.latitude == pytest.approx(27.77, abs=0.01)


def test_zip_plus_four_is_accepted():
    assert geo.geocode("80210-1234").zip_code == "80210"


@pytest.mark.parametrize("text", ["St. Petersburg, FL", "saint petersburg fl", "St Petersburg, fl"])
def test_city_and_state_in_the_ways_people_type_it(text):
    place = geo.geocode(text)
    assert place.state == "FL"
    assert place.timezone == "America/New_York"
    assert geo.distance_mi(place.latitude, place.longitude, 27.7723, -82.6386) < 10


def test_denver():
    place = geo.geocode("Denver, CO")
    assert place.timezone == "America/Denver"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a ZIP code"),
        ("00000", "do not know the ZIP code 00000"),
        ("Atlantis, ZZ", "could not find Atlantis, ZZ"),
        ("<script>", "Enter a 5-digit ZIP code"),
        ("1234", "Enter a 5-digit ZIP code"),
    ],
)
def test_unknown_places_say_what_to_try(text, message):
    with pytest.raises(geo.GeocodeError, match=message):
        geo.geocode(text)


def test_distance_st_pete_to_tampa_is_about_20_miles():
    assert geo.distance_mi(27.7723, -82.6386, 27.9506, -82.4572) == pytest.approx(17.0, abs=2)


def test_bounding_box_contains_the_circle():
    min_lat, max_lat, min_lng, max_lng = geo.bounding_box(39.68, -104.96, 25)
    for bearing_point in [
        (max_lat, -104.96),
        (min_lat, -104.96),
        (39.68, max_lng),
        (39.68, min_lng),
    ]:
        assert geo.distance_mi(39.68, -104.96, *bearing_point) >= 24.9


@pytest.mark.parametrize("text", ["Denver, CO", "denver co", "DENVER, co"])
def test_a_city_name_resolves_to_that_city_not_a_neighbour(text):
    # Denver's ZIP list also names Aurora, Littleton and others as acceptable cities;
    # the city asked for is the one named, centred on its own ZIP codes.
    place = geo.geocode(text)
    assert (place.city, place.state, place.label) == ("Denver", "CO", "Denver, CO")
    assert geo.distance_mi(place.latitude, place.longitude, 39.7392, -104.9903) < 5

