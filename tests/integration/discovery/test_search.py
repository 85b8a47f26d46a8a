"""Search through the service and the page: every filter, every sort, pagination,
published clinics only, bad input as messages, and a fixed number of queries a page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from marketplace.models import ClinicStatus, db
from marketplace.services.discovery import index as search_index
from marketplace.services.discovery.search import SORTS, SearchError, SearchQuery, search
from tests.support import discover, factories
from tests.support.booking import booking_rules

NOW = datetime(2031, 3, 3, 12, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def world(app):
    v = discover.vocabulary()
    clinics = {
        "pier": discover.clinic("Pier Trigger Point Studio", "33701",
                                services=[(v["nmt"], 60, 120)], therapist="Ada Lovelace"),
        "bay": discover.clinic("Bayside Myofascial", "33704",
                               services=[(v["mfr"], 90, 135), (v["swedish"], 60, 80)]),
        "tampa": discover.clinic("Tampa Relax House", "33602",
                                 services=[(v["swedish"], 60, 70)]),
        "denver": discover.clinic("Mile High Neuromuscular", "80210",
                                  services=[(v["nmt"], 60, 100)]),
    }
    clinics["pier"].rating_avg, clinics["pier"].review_count = 4.9, 12
    clinics["bay"].rating_avg, clinics["bay"].review_count = 4.2, 3
    db.session.flush()
    return v, clinics


def run(app, **kwargs):
    return search(SearchQuery(**kwargs), now=NOW, rules=booking_rules(app))


def names(results) -> list[str]:
    return [r.clinic.name for r in results.results]


# --- filters ------------------------------------------------------------------------


def test_technique_filter_keeps_clinics_offering_it(app, world):
    assert sorted(names(run(app, technique="neuromuscular-therapy"))) == [
        "Mile High Neuromuscular", "Pier Trigger Point Studio"]


def test_an_alias_typed_as_text_is_understood_as_the_technique(app, world):
    results = run(app, q="Trigger Point", near="33701", radius_mi=10)
    assert names(results) == ["Pier Trigger Point Studio"]
    assert results.technique.slug == "neuromuscular-therapy"
    assert results.understood == "Neuromuscular therapy"


def test_condition_maps_to_the_techniques_that_address_it(app, world):
    results = run(app, condition="sciatica", near="33701", radius_mi=25)
    assert sorted(names(results)) == ["Bayside Myofascial", "Pier Trigger Point Studio"]
    assert {m.slug for m in results.condition_modalities} == {
        "neuromuscular-therapy", "myofascial-release"}
    by_name = {r.clinic.name: r for r in results.results}
    assert [m.slug for m in by_name["Bayside Myofascial"].matched] == ["myofascial-release"]


def test_a_condition_typed_as_text_becomes_the_condition(app, world):
    results = run(app, q="sciatica")
    assert results.condition.slug == "sciatica"
    assert "Tampa Relax House" not in names(results)


@pytest.mark.parametrize(("text", "expected"), [
    ("pier", "Pier Trigger Point Studio"),  # clinic name, as a prefix
    ("Ada", "Pier Trigger Point Studio"),  # a therapist
    ("lovelace nmt", "Pier Trigger Point Studio"),  # therapist and technique short name
    ("relax hou", "Tampa Relax House"),  # word prefixes
    ("myofascial bayside", "Bayside Myofascial"),
])
def test_free_text_matches_clinics_therapists_and_techniques(app, world, text, expected):
    assert names(run(app, q=text)) == [expected]


def test_free_text_that_matches_nothing_suggests_vocabulary(app, world):
    results = run(app, q="myofasc wizardry")
    assert results.total == 0
    assert ("Myofascial release", {"technique": "myofascial-release"}) in results.suggestions


def test_near_a_zip_keeps_clinics_within_the_radius_with_their_distance(app, world):
    results = run(app, near="33701", radius_mi=10)
    assert names(results) == ["Pier Trigger Point Studio", "Bayside Myofascial"]
    assert results.results[0].distance_mi < results.results[1].distance_mi < 10
    assert results.sort == "relevance"  # best match, which with no words is the nearest
    assert results.sort_words == "best match (nearest first)"


def test_a_wider_radius_reaches_further(app, world):
    assert "Tampa Relax House" in names(run(app, near="33701", radius_mi=25))


def test_near_a_city_and_state(app, world):
    assert names(run(app, near="Denver, CO", radius_mi=15)) == ["Mile High Neuromuscular"]


def test_max_price_compares_the_price_per_60_minutes(app, world):
    # Bayside's 90-minute myofascial release is $135, i.e. $90 per 60 minutes.
    results = run(app, max_price_cents=9000, near="33701", radius_mi=25)
    assert sorted(names(results)) == ["Bayside Myofascial", "Tampa Relax House"]
    bay = next(r for r in results.results if r.clinic.name == "Bayside Myofascial")
    assert bay.price_per_60_from_cents == 8000  # its Swedish hour is cheaper still
    assert run(app, max_price_cents=9000, technique="myofascial-release").results[
        0].price_per_60_from_cents == 9000


def test_min_rating_uses_the_published_average(app, world):
    assert names(run(app, min_rating=4.5)) == ["Pier Trigger Point Studio"]
    assert sorted(names(run(app, min_rating=4.0))) == ["Bayside Myofascial",
                                                       "Pier Trigger Point Studio"]


def test_open_on_a_date_in_the_clinics_own_time_zone(app, world):
    v, clinics = world
    discover.clinic("Weekend Only Studio", "33701", services=[(v["nmt"], 60, 90)],
                    weekdays=(5, 6))
    monday = NOW.date() + timedelta(days=7)
    saturday = monday + timedelta(days=5)
    on_monday = names(run(app, technique="neuromuscular-therapy", near="33701",
                          available_on=monday))
    assert on_monday == ["Pier Trigger Point Studio"]
    on_saturday = run(app, technique="neuromuscular-therapy", near="33701",
                      available_on=saturday)
    assert sorted(names(on_saturday)) == ["Pier Trigger Point Studio", "Weekend Only Studio"]
    slot = on_saturday.results[0].next_opening
    assert slot.starts_at.astimezone(slot.local_start().tzinfo).date() == saturday


def test_a_fully_booked_day_is_not_open(app, world, create_booking):
    v, clinics = world
    pier = clinics["pier"]
    day = NOW.date() + timedelta(days=8)
    therapist, service = pier.therapists[0], pier.services[0]
    b = factories.Bookable(pier, pier.locations[0], therapist, service, None)
    start = datetime(day.year, day.month, day.day, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    create_booking(b, starts_at=start, ends_at=start + timedelta(hours=8),
                   blocked_from=start, blocked_until=start + timedelta(hours=8))
    assert run(app, technique="neuromuscular-therapy", near="33701",
               available_on=day).total == 0


# --- sorting and pages -------------------------------------------------------------


def test_sort_by_price_per_60(app, world):
    assert names(run(app, sort="price")) == [
        "Tampa Relax House", "Bayside Myofascial", "Mile High Neuromuscular",
        "Pier Trigger Point Studio"]


def test_sort_by_rating_puts_unrated_last(app, world):
    assert names(run(app, sort="rating"))[:2] == ["Pier Trigger Point Studio",
                                                 "Bayside Myofascial"]


def test_sort_by_soonest_opening(app, world):
    v, clinics = world
    discover.clinic("Thursday Studio", "33701", services=[(v["nmt"], 60, 90)], weekdays=(3,))
    results = run(app, near="33701", radius_mi=25, sort="soonest")
    assert names(results)[-1] == "Thursday Studio"
    starts = [r.next_opening.starts_at for r in results.results]
    assert starts == sorted(starts)


def test_soonest_pages_agree_with_the_whole_ordering(app, world):
    """Paging through results sorted by soonest opening gives, page by page, exactly the
    order and openings of one long page: never-open clinics last, nothing twice."""
    v, _ = world
    for i, weekdays in enumerate([(0,), (1,), (3,), (0, 1), (4,), (0,), (2,), ()]):
        discover.clinic(f"Studio {i}", "33701", services=[(v["nmt"], 60, 90)],
                        weekdays=weekdays)  # NOW is a Monday; () never opens
    whole = run(app, near="33701", radius_mi=25, sort="soonest", per_page=50)

    def seen(results):
        return [(r.clinic.name, r.next_opening and r.next_opening.starts_at)
                for r in results.results]

    paged = []
    for page in range(1, -(-whole.total // 2) + 1):
        results = run(app, near="33701", radius_mi=25, sort="soonest", per_page=2, page=page)
        assert results.total == whole.total
        paged += seen(results)
    assert paged == seen(whole)
    assert whole.total == 11
    assert paged[-1] == ("Studio 7", None)
    starts = [start for _, start in paged if start]
    assert starts == sorted(starts)
    assert starts[0].date() == NOW.date()
    assert starts[-1].date() > NOW.date() + timedelta(days=1)


def test_sort_by_distance_without_a_place_falls_back_with_a_note(app, world):
    results = run(app, sort="distance")
    assert results.sort == "relevance"
    assert "needs a place" in results.notes[0]


def test_pages(app, world):
    first = run(app, sort="price", per_page=3)
    second = run(app, sort="price", per_page=3, page=2)
    assert (first.total, first.pages, len(first.results)) == (4, 2, 3)
    assert names(second) == ["Pier Trigger Point Studio"]
    beyond = run(app, sort="price", per_page=3, page=9)
    assert beyond.results == []
    assert beyond.beyond_the_end


def test_pages_in_python_too(app, world):
    first = run(app, near="33701", radius_mi=25, per_page=2)
    second = run(app, near="33701", radius_mi=25, per_page=2, page=2)
    assert first.total == 3
    assert len(first.results) == 2
    assert names(second) == ["Tampa Relax House"]


# --- only published clinics, and the index follows the data ---------------------------


@pytest.mark.parametrize("status", [ClinicStatus.PENDING, ClinicStatus.SUSPENDED])
def test_unpublished_clinics_never_appear(app, world, status):
    v, clinics = world
    clinics["pier"].status = status
    db.session.flush()
    for query in ({"q": "pier"}, {"technique": "neuromuscular-therapy"},
                  {"near": "33701", "sort": "soonest"}, {"sort": "price"}):
        assert "Pier Trigger Point Studio" not in names(run(app, **query))


def test_the_text_index_follows_renames_and_retired_services(app, world):
    v, clinics = world
    clinics["tampa"].name = "Harbour Calm Rooms"
    db.session.flush()
    assert names(run(app, q="harbour")) == ["Harbour Calm Rooms"]
    assert run(app, q="relax house").total == 0
    bay = clinics["bay"]
    bay.services[0].active = False  # its myofascial release...
    db.session.flush()
    assert run(app, q="bayside mfr").total == 1  # ...which its therapist still practises
    bay.therapists[0].modalities.remove(v["mfr"])
    db.session.flush()
    assert run(app, q="bayside mfr").total == 0
    clinics["pier"].therapists[0].name = "Grace Hopper"
    db.session.flush()
    assert names(run(app, q="hopper")) == ["Pier Trigger Point Studio"]


def test_the_index_is_written_once_a_transaction_and_not_for_one_rolled_back(app, world,
                                                                             client):
    """A clinic set up in several flushes (owner, clinic, therapist, service, hours) has
    its row written once, when the transaction commits; other sessions then find it. A
    rolled-back rename leaves nothing to write and the index as it was."""
    writes = []

    def count(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO SEARCH_FTS"):
            writes.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        factories.create_bookable_clinic(name="Quillwort Bodywork")
        assert writes == []
        db.session.commit()
        assert len(writes) == 1
        found = client.get("/api/v1/clinics?q=quillwort").json
        assert [r["name"] for r in found["results"]] == ["Quillwort Bodywork"]
        world[1]["tampa"].name = "Never Saved Rooms"
        db.session.flush()
        db.session.rollback()
        assert "search_index" not in db.session.info
        db.session.commit()
        assert len(writes) == 1
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert run(app, q="never saved").total == 0
    assert client.get("/api/v1/clinics?q=never+saved").json["total"] == 0


def test_rebuilding_the_index_gives_the_same_answers(app, world):
    before = names(run(app, q="bayside"))
    search_index.rebuild(db.session)
    assert names(run(app, q="bayside")) == before == ["Bayside Myofascial"]


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(("query", "parameter"), [
    ({"near": "00000"}, "near"),
    ({"near": "Atlantis, ZZ"}, "near"),
    ({"technique": "no-such-thing"}, "technique"),
    ({"condition": "no-such-thing"}, "condition"),
    ({"available_on": NOW.date() - timedelta(days=3)}, "available_on"),
    ({"available_on": NOW.date() + timedelta(days=365)}, "available_on"),
])
def test_the_service_names_the_parameter_it_cannot_use(app, world, query, parameter):
    with pytest.raises(SearchError) as raised:
        run(app, **query)
    assert raised.value.field == parameter


def test_a_technique_outside_the_condition_says_so(app, world):
    results = run(app, technique="swedish-massage", condition="sciatica")
    assert results.total == 0
    assert "not among the techniques" in results.notes[0]


def test_the_index_follows_the_apps_own_session_class(tmp_path):
    """The hook listens on every Session, Flask-SQLAlchemy's subclass included (the test
    fixture swaps in a plain one, so check the app's own here)."""
    from marketplace import create_app
    from marketplace.models import Clinic
    from tests.conftest import base_config, migrate

    app = create_app(base_config(f"sqlite:///{tmp_path / 'own.db'}", tmp_path))
    migrate(app)
    with app.app_context():
        db.session.add(Clinic(slug="zanzibar-rooms", name="Zanzibar Rooms",
                              status=ClinicStatus.PUBLISHED))
        db.session.commit()
        found = search(SearchQuery(q="zanzib"), now=NOW, rules=booking_rules(app))
        assert names(found) == ["Zanzibar Rooms"]
        db.session.remove()
        db.engine.dispose()


def test_sort_by_rating_weighs_how_many_reviews_stand_behind_it(app, world):
    # One 5.0 review is weaker evidence than three that average 4.7: a Bayesian
    # average (4.0 prior, worth 5 reviews) ranks the 4.7 first, in SQL and in Python.
    v, clinics = world
    one = discover.clinic("One Review Wonder", "33701", services=[(v["nmt"], 60, 90)])
    three = discover.clinic("Three Review Regular", "33701", services=[(v["nmt"], 60, 90)])
    one.rating_avg, one.review_count = 5.0, 1
    three.rating_avg, three.review_count = 4.7, 3
    twin = discover.clinic("Another Three Reviews", "33701", services=[(v["nmt"], 60, 90)])
    twin.rating_avg, twin.review_count = 4.7, 3
    db.session.flush()
    in_sql = names(run(app, sort="rating", near="33701", radius_mi=25))
    in_python = names(run(app, sort="rating", near="33701", radius_mi=25,
                          available_on=(NOW + timedelta(days=1)).date()))
    for order in (in_sql, in_python):
        assert order.index("Three Review Regular") < order.index("One Review Wonder")
        # equal scores: the nearer first, then by name (deterministic)
        assert order.index("Another Three Reviews") < order.index("Three Review Regular")
        assert order[0] == "Pier Trigger Point Studio"  # 4.9 from 12 reviews
    assert "weighted by" in SORTS["rating"]


def test_the_rating_score_is_a_bayesian_average():
    from marketplace.services.discovery.plan import rating_score

    assert rating_score(None, 0) is None
    assert rating_score(5.0, 1) == pytest.approx((4.0 * 5 + 5.0) / 6)
    assert rating_score(4.7, 3) > rating_score(5.0, 1)
    assert rating_score(4.9, 500) == pytest.approx(4.9, abs=0.01)
