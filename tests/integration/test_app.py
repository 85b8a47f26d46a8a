"""The app shell: health check, pages, headers, errors in the caller's language."""

import re

from marketplace.models import ClinicStatus, db


def test_healthz_answers_when_the_database_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "up"}


def test_home_page_lists_published_clinics_only(client, create_clinic):
    create_clinic(name="Published Place", status=ClinicStatus.PUBLISHED)
    create_clinic(name="Pending Place", status=ClinicStatus.PENDING)
    page = client.get("/").get_data(as_text=True)
    assert "Published Place" in page
    assert "Pending Place" not in page
    assert 'action="/search"' in page


def test_strict_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_inline_scripts_or_styles(client):
    page = client.get("/").get_data(as_text=True)
    assert "<script>" not in page
    assert "style=" not in page
    assert "<style" not in page


def test_htmx_is_vendored_and_configured_for_the_csp(client):
    page = client.get("/").get_data(as_text=True)
    # the plain name, or its content-hashed copy once `make assets` has run
    htmx = re.search(r'src="(/static/vendor/htmx-2\.0\.11\.min(?:-[0-9a-f]{32})?\.js)"', page)
    assert htmx, "htmx is not linked from static/vendor"
    assert '"allowEval":false' in page
    assert '"includeIndicatorStyles":false' in page
    with client.get(htmx.group(1)) as response:
        assert response.status_code == 200


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "could not find that page" in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == 404


def test_htmx_errors_are_fragments(client):
    response = client.htmx("GET", "/no/such/page")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "<html" not in body
    assert 'role="alert"' in body


def test_search_fragment_for_htmx_and_full_page_otherwise(client, create_clinic):
    create_clinic(name="Fragment Clinic")
    db.session.commit()  # saved, and so indexed
    full = client.get("/search?q=Fragment")
    assert "<html" in full.get_data(as_text=True)
    assert "HX-Request" in full.headers["Vary"]
    fragment = client.htmx("GET", "/search?q=Fragment")
    body = fragment.get_data(as_text=True)
    assert "<html" not in body
    assert "Fragment Clinic" in body
    assert "HX-Request" in fragment.headers["Vary"]


def test_search_with_unknown_zip_is_a_message_not_an_error(client):
    response = client.get("/search?near=00000")
    assert response.status_code == 422
    assert "do not know the ZIP code 00000" in response.get_data(as_text=True)


def test_search_with_nonsense_radius_is_a_message(client):
    response = client.get("/search?near=33701&radius_mi=banana")
    assert response.status_code == 422
    assert "Choose a distance from 1 to 100 miles" in response.get_data(as_text=True)


def test_search_near_a_zip(client, create_clinic):
    create_clinic(name="Near Clinic", zip_code="33701")
    create_clinic(name="Far Clinic", zip_code="80210")
    body = client.get("/search?near=33701&radius_mi=10").get_data(as_text=True)
    assert "Near Clinic" in body
    assert "Far Clinic" not in body


def test_oversized_request_is_refused_with_413(client):
    response = client.post("/login", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    secure = client.get("/healthz", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_behind_a_trusted_proxy_https_is_recognised(tmp_path):
    from marketplace import create_app

    app = create_app({"APP_ENV": "testing", "TESTING": True, "SECRET_KEY": "k",
                      "SQLALCHEMY_DATABASE_URI": "sqlite://", "TRUSTED_PROXIES": 1})
    response = app.test_client().get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers


def test_a_nul_byte_anywhere_is_refused_with_a_message(client):
    for response in (client.get("/search?q=a%00b"), client.get("/clinics/a%00b"),
                     client.post("/login", data={"email": "a\x00@b.test", "password": "x"})):
        assert response.status_code == 400
        assert "NUL byte" in response.get_data(as_text=True)


def test_an_id_beyond_the_database_range_is_not_found(client, auth, create_user):
    auth.session_for(create_user())
    assert client.get("/reviews/99999999999999999999/report").status_code == 404
