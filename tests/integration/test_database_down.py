"""When the database is unreachable: /healthz says 503, pages apologise, nothing leaks."""

import pytest

from marketplace import create_app


@pytest.fixture(params=["sqlite", "postgresql"])
def unreachable_app(request, tmp_path):
    url = {
        "sqlite": f"sqlite:///{tmp_path}/missing-dir/none.db",
        "postgresql": "postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=1",
    }[request.param]
    app = create_app({"APP_ENV": "testing", "TESTING": True, "SECRET_KEY": "k",
                      "SQLALCHEMY_DATABASE_URI": url, "RATE_LIMITS": False})
    return app


def test_healthz_is_503(unreachable_app):
    response = unreachable_app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "database": "down"}


@pytest.mark.parametrize("path", ["/", "/search?q=nmt&near=33701"])
def test_pages_show_a_friendly_error(unreachable_app, path):
    response = unreachable_app.test_client().get(path)
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert "briefly unavailable" in body
    assert "Traceback" not in body
    assert "OperationalError" not in body
