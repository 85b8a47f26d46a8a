import pytest

from marketplace import config as config_module
from marketplace import create_app
from marketplace.services.intake_keys import KeyRing


def test_production_without_secret_key_refuses_to_start(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("APP_ENV", "production")
    with pytest.raises(config_module.ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_with_the_development_key_refuses_to_start(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", config_module.DEV_SECRET_KEY)
    with pytest.raises(config_module.ConfigError, match="development key"):
        create_app()


def test_production_requires_intake_keys(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.delenv("INTAKE_KEYS", raising=False)
    with pytest.raises(config_module.ConfigError, match="INTAKE_KEYS"):
        create_app()


def test_development_runs_with_safe_defaults(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("APP_ENV", "development")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SECRET_KEY"] == config_module.DEV_SECRET_KEY
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("INTAKE_KEYS", "k1:" + KeyRing.generate_key())
    monkeypatch.delenv("SESSION_COOKIE_SECURE", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
    ],
)
def test_database_url_means_psycopg3(monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert config_module.from_env()["SQLALCHEMY_DATABASE_URI"] == expected


def test_bad_integer_setting_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("HOLD_MINUTES", "ten")
    with pytest.raises(config_module.ConfigError, match="HOLD_MINUTES"):
        config_module.from_env()


def test_production_refuses_the_development_intake_key(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret")
    monkeypatch.setenv(
        "INTAKE_KEYS", f"new:{KeyRing.generate_key()},old:{config_module.DEV_INTAKE_KEY}"
    )
    with pytest.raises(config_module.ConfigError, match="development key"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.parametrize("value", ["k1", "k1:not-base64!", "k1:" + "QUFB", ":" + "A" * 44])
def test_malformed_intake_keys_stop_the_app_at_start(monkeypatch, value):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.setenv("INTAKE_KEYS", value)
    with pytest.raises(config_module.ConfigError, match="INTAKE_KEYS"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_mail_waits_for_the_relay_in_production_and_goes_at_once_in_development(monkeypatch):
    monkeypatch.delenv("MAIL_DELIVERY", raising=False)
    assert config_module.from_env("production")["MAIL_DELIVERY"] == "relay"
    assert config_module.from_env("development")["MAIL_DELIVERY"] == "inline"
    monkeypatch.setenv("MAIL_DELIVERY", "inline")
    assert config_module.from_env("production")["MAIL_DELIVERY"] == "inline"


def test_an_unknown_mail_delivery_stops_the_app_at_start(monkeypatch):
    monkeypatch.setenv("APP_ENV", "testing")
    with pytest.raises(config_module.ConfigError, match="MAIL_DELIVERY must be relay or inline"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "MAIL_DELIVERY": "later"})
