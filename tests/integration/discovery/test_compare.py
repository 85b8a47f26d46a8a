"""The compare tray (session, POST with CSRF, htmx in place, no-JS redirects) and the
side-by-side page with its shareable URL."""

from __future__ import annotations

import pytest

from marketplace.models import ClinicStatus, DepositKind, db
from marketplace.services.discovery import terms as search_terms
from tests.support import discover


@pytest.fixture
def clinics(app):
    v = discover.vocabulary()
    made = [
        discover.clinic("Pier Trigger Point Studio", "33701",
                        services=[(v["nmt"], 60, 120), (v["mfr"], 60, 90)],
                        deposit_kind=DepositKind.FIXED, deposit_value=3000,
                        cancellation_window_hours=48),
        discover.clinic("Bayside Myofascial", "33704", services=[(v["nmt"], 90, 150)]),
        discover.clinic("Tampa Relax House", "33602", services=[(v["swedish"], 60, 70)]),
        discover.clinic("Mile High Neuromuscular", "80210", services=[(v["nmt"], 60, 100)]),
    ]
    made[0].rating_avg, made[0].review_count = 4.8, 10
    made[1].rating_avg, made[1].review_count = 4.1, 2
    db.session.commit()
    return made


def body(response) -> str:
    return response.get_data(as_text=True)


def add(client, clinic, **kwargs):
    return client.post("/compare/add", data={"clinic": clinic.slug, "next": "/search"},
                       **kwargs)


def test_adding_without_javascript_redirects_back_with_a_message(client, clinics):
    response = add(client, clinics[0])
    assert response.status_code == 303
    assert response.headers["Location"] == "/search"
    page = body(client.get("/search"))
    assert "Pier Trigger Point Studio is in your comparison." in page
    assert 'id="compare-tray"' in page
    assert "(1 of 3)" in page


def test_the_tray_follows_the_visitor_across_pages(client, clinics):
    add(client, clinics[0])
    add(client, clinics[1])
    for url in ("/search", f"/clinics/{clinics[2].slug}", "/compare"):
        response = client.get(url, follow_redirects=True)
        assert "Compare <span class=\"muted\">(2 of 3)</span>" in body(response), url


def test_htmx_replaces_the_button_and_updates_the_tray_out_of_band(client, clinics):
    response = client.htmx("POST", "/compare/add",
                           data={"clinic": clinics[0].slug, "next": "/search",
                                 "shown": clinics[0].slug})
    text = body(response)
    assert response.status_code == 200
    assert text.lstrip().startswith(f'<form id="compare-toggle-{clinics[0].slug}"')
    assert "In comparison" in text
    assert '<aside id="compare-tray"' in text
    assert 'hx-swap-oob="true"' in text


def test_removing_from_the_tray_updates_the_button_only_if_it_is_on_the_page(client, clinics):
    add(client, clinics[0])
    add(client, clinics[1])
    on_page = client.htmx("POST", "/compare/remove", data={
        "clinic": clinics[0].slug, "source": "tray", "next": "/search",
        "shown": [clinics[0].slug, clinics[2].slug]})
    text = body(on_page)
    assert text.lstrip().startswith('<aside id="compare-tray"')
    assert f'id="compare-toggle-{clinics[0].slug}"' in text
    assert 'hx-swap-oob="true"' in text
    off_page = client.htmx("POST", "/compare/remove", data={
        "clinic": clinics[1].slug, "source": "tray", "next": "/search"})
    assert "compare-toggle" not in body(off_page)
    assert "out of your comparison" in body(off_page)


def test_at_most_three(client, clinics):
    for clinic in clinics[:3]:
        add(client, clinic)
    refused = client.htmx("POST", "/compare/add", data={"clinic": clinics[3].slug,
                                                      "next": "/search"})
    # htmx gets the refusal as an ordinary answer to swap in (no console error)
    assert refused.status_code == 200
    assert ('<p class="error small" role="alert">You can compare up to 3 clinics. '
            "Remove one to add Mile High") in body(refused)
    assert "(3 of 3)" in body(refused)
    plain = add(client, clinics[3], follow_redirects=True)
    assert "You can compare up to 3 clinics" in body(plain)


def test_adding_twice_keeps_one(client, clinics):
    add(client, clinics[0])
    add(client, clinics[0])
    assert "(1 of 3)" in body(client.get("/search"))


@pytest.mark.parametrize("slug", ["no-such-clinic", "<script>", ""])
def test_unknown_clinics_are_refused(client, clinics, slug):
    response = client.htmx("POST", "/compare/add", data={"clinic": slug, "next": "/"})
    assert response.status_code in (400, 404)
    assert "<script>" not in body(response)


def test_unpublished_clinics_cannot_be_added(client, clinics):
    clinics[0].status = ClinicStatus.SUSPENDED
    db.session.commit()
    assert add(client, clinics[0], headers={"HX-Request": "true"}).status_code == 404


def test_the_tray_needs_the_csrf_token(client, clinics):
    response = client.post("/compare/add", data={"clinic": clinics[0].slug}, csrf=False)
    assert response.status_code == 400


def test_next_never_leaves_the_site(client, clinics):
    response = client.post("/compare/add", data={"clinic": clinics[0].slug,
                                                 "next": "https://evil.test/"})
    assert response.headers["Location"] == "/search"


def test_compare_without_clinics_sends_the_tray_as_a_shareable_url(client, clinics):
    add(client, clinics[0])
    add(client, clinics[1])
    response = client.get("/compare?technique=neuromuscular-therapy")
    assert response.status_code == 303
    assert response.headers["Location"] == (
        f"/compare?c={clinics[0].slug}&c={clinics[1].slug}&technique=neuromuscular-therapy")


def test_compare_with_nothing_chosen_explains_how(client, clinics):
    page = body(client.get("/compare"))
    assert "Nothing to compare yet" in page


def test_the_comparison_table(client, clinics):
    pier, bay, tampa, _ = clinics
    url = (f"/compare?c={pier.slug}&c={bay.slug}&c={tampa.slug}"
           "&technique=neuromuscular-therapy&near=33701")
    page = body(client.get(url))
    assert "3 clinics side by side, priced for neuromuscular therapy, distances from 33701" \
        in page
    # Bayside's 90 minutes for $150 is $100 per 60, lower than Pier's $120.
    assert "<strong>$100</strong> <span class=\"badge badge-ok\">lowest</span>" in page
    assert "Not offered" in page  # Tampa has no NMT
    assert "$30 (the whole price if it is less)" in page
    assert "48 hours (2 days) ahead for a full refund" in page
    assert "nearest" in page
    assert "best rated" in page
    assert " mi<" in page
    assert "1 therapist: CNMT, LMT" in page


def test_a_shared_link_tells_what_is_missing_or_too_much(client, clinics):
    clinics[0].status = ClinicStatus.PENDING
    db.session.commit()
    slugs = "&".join(f"c={c.slug}" for c in clinics) + "&c=%3Cscript%3E"
    page = body(client.get(f"/compare?{slugs}"))
    assert "showing the first 3" in page
    assert "2 of the clinics in this link are not listed any more" in page
    assert "<script>" not in page


def test_compare_fragment_and_bad_filters(client, clinics):
    url = f"/compare?c={clinics[0].slug}&c={clinics[1].slug}"
    fragment = client.htmx("GET", url + "&technique=swedish-massage")
    assert "<html" not in body(fragment)
    assert "compare-table" in body(fragment)
    bad = client.get(url + "&near=00000")
    assert bad.status_code == 422
    assert "do not know the ZIP code 00000" in body(bad)
    assert client.get(url + "&technique=nope").status_code == 422


def test_compare_query_count_is_fixed(client, clinics, count_queries):
    search_terms.load_vocabulary()  # as after a worker's first search: kept in memory
    counts = []
    for chosen in (clinics[:1], clinics[:3]):
        url = "/compare?" + "&".join(f"c={c.slug}" for c in chosen) + "&near=33701"
        with count_queries() as q:
            assert client.get(url).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts


def test_a_compare_url_with_empty_filters_redirects_to_the_clean_one(client):
    response = client.get("/compare?c=a-clinic&c=b-clinic&technique=&near=")
    assert response.status_code == 303
    assert response.headers["Location"] == "/compare?c=a-clinic&c=b-clinic"


def _tray_link(page: str) -> str:
    import html
    import re

    return html.unescape(re.search(r'<a class="button button-small" href="(/compare\?[^"]+)"',
                                   page).group(1))


@pytest.mark.parametrize("search", [
    "/search?q=trigger+point&near=33701",  # the technique named in free text
    "/search?technique=neuromuscular-therapy&near=33701&radius_mi=10",
])
def test_compare_carries_the_technique_and_place_of_the_search(client, clinics, search):
    pier, bay, *_ = clinics
    for clinic in (pier, bay):
        client.post("/compare/add", data={"clinic": clinic.slug, "next": search})
    link = _tray_link(body(client.get(search)))
    assert link == (f"/compare?c={pier.slug}&c={bay.slug}"
                    "&technique=neuromuscular-therapy&near=33701")
    # the tray remembers where the client came from, on every page
    assert _tray_link(body(client.get(f"/clinics/{pier.slug}"))) == link
    assert client.get("/compare").headers["Location"] == link
    page = body(client.get(link))
    assert "priced for neuromuscular therapy, distances from 33701" in page
    assert " mi <span class=\"badge badge-ok\">nearest</span>" in page


def test_each_compared_clinic_can_be_booked_for_the_technique(client, clinics):
    pier, bay, tampa, _ = clinics
    page = body(client.get(f"/compare?c={pier.slug}&c={bay.slug}&c={tampa.slug}"
                           "&technique=neuromuscular-therapy&near=33701"))
    nmt = {c.slug: next(s for s in c.services if s.modality.slug == "neuromuscular-therapy")
           for c in (pier, bay)}
    for slug, service in nmt.items():
        assert f'href="/clinics/{slug}/book?service={service.id}"' in page
    assert f'href="/clinics/{tampa.slug}/book"' in page  # no NMT there: its own services
    assert page.count(">Book<span class=\"visually-hidden\"> at ") == 3


def test_an_emptied_tray_forgets_the_search_it_came_from(client, clinics):
    pier, bay, *_ = clinics
    client.post("/compare/add", data={"clinic": pier.slug, "next": "/search?near=33701"})
    client.post("/compare/remove", data={"clinic": pier.slug, "next": "/search"})
    for clinic in (pier, bay):
        client.post("/compare/add", data={"clinic": clinic.slug, "next": "/search"})
    assert client.get("/compare").headers["Location"] == f"/compare?c={pier.slug}&c={bay.slug}"


def test_a_clinic_added_from_its_profile_keeps_the_place_of_the_search(client, clinics):
    pier, bay, *_ = clinics
    client.post("/compare/add", data={"clinic": pier.slug,
                                      "next": "/search?technique=neuromuscular-therapy"
                                              "&near=33701"})
    client.post("/compare/add", data={"clinic": bay.slug,
                                      "next": f"/clinics/{bay.slug}?technique="
                                              "myofascial-release"})
    assert client.get("/compare").headers["Location"] == (
        f"/compare?c={pier.slug}&c={bay.slug}&technique=myofascial-release&near=33701")


def test_prices_that_read_the_same_are_both_the_lowest(client, clinics):
    v = discover.vocabulary()
    a = discover.clinic("Ninety Minute Place", "33701", services=[(v["nmt"], 90, 155)])
    b = discover.clinic("Hour Place", "33701", services=[(v["nmt"], 60, 103)])
    db.session.commit()
    page = body(client.get(f"/compare?c={a.slug}&c={b.slug}&technique=neuromuscular-therapy"))
    # $103.33 and $103 per 60 minutes both read "$103"
    assert page.count("<strong>$103</strong> <span class=\"badge badge-ok\">lowest</span>") == 2
    assert "<span class=\"small\">Neuromuscular therapy, 90 min: $155 for 90 min" in page
