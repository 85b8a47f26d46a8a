"""An unexpected error answers in the caller's language with a plain apology: a page,
an htmx fragment or JSON under /api/; never a stack trace, never a half-made page."""

import pytest

from marketplace import create_app


@pytest.fixture
def broken(tmp_path):
    app = create_app({"APP_ENV": "testing", "TESTING": True, "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{tmp_path}/x.db", "RATE_LIMITS": False})

    def boom():
        raise RuntimeError("secret detail: do not show me")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/v1/boom", "api_boom", boom)
    return app.test_client()


def test_a_page_apologises(broken):
    response = broken.get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "<h1>Internal Server Error</h1>" in body
    assert "Nothing you saved was lost" in body
    assert "secret detail" not in body
    assert "Traceback" not in body


def test_htmx_gets_a_fragment(broken):
    response = broken.get("/boom", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "<html" not in body
    assert "Internal Server Error." in body


def test_the_api_gets_json(broken):
    response = broken.get("/api/v1/boom")
    assert response.status_code == 500
    assert response.json["error"] == {
        "code": 500, "name": "Internal Server Error",
        "message": "Something went wrong on our side. Nothing you saved was lost; please try "
                   "again."}
