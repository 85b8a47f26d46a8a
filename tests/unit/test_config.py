import pytest

from marketplace import config as config_module
from marketplace import create_app
from marketplace.services.intake.keys import KeyRing


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
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-of-at-least-32-bytes!!")
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
    _production(monkeypatch)
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
    _production(monkeypatch)
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


# --- production refuses every development default ----------------------------------

STRONG_KEY = "a-real-secret-of-at-least-32-bytes!!"


def _production(monkeypatch, **env):
    """A production environment that starts, with ``env`` changed on top of it."""
    base = {
        "APP_ENV": "production",
        "SECRET_KEY": STRONG_KEY,
        "INTAKE_KEYS": "k1:" + KeyRing.generate_key(),
        "STRIPE_SECRET_KEY": "sk_live_realistic_value",
        "STRIPE_PUBLISHABLE_KEY": "pk_live_realistic_value",
        "STRIPE_WEBHOOK_SECRET": "whsec_realistic_value",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RATE_LIMITS": "1",
    }
    base.update(env)
    for name, value in base.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


def test_a_complete_production_environment_starts(monkeypatch):
    _production(monkeypatch)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["STRIPE_WEBHOOK_SECRET"] == "whsec_realistic_value"
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STRIPE_WEBHOOK_SECRET": None}, "STRIPE_WEBHOOK_SECRET"),
        ({"STRIPE_WEBHOOK_SECRET": ""}, "STRIPE_WEBHOOK_SECRET"),
        ({"STRIPE_WEBHOOK_SECRET": config_module.DEV_STRIPE_WEBHOOK_SECRET},
         "STRIPE_WEBHOOK_SECRET"),
        ({"STRIPE_SECRET_KEY": None}, "STRIPE_SECRET_KEY"),
        ({"STRIPE_SECRET_KEY": config_module.DEV_STRIPE_SECRET_KEY}, "STRIPE_SECRET_KEY"),
        ({"STRIPE_PUBLISHABLE_KEY": None}, "STRIPE_PUBLISHABLE_KEY"),
        ({"STRIPE_PUBLISHABLE_KEY": config_module.DEV_STRIPE_PUBLISHABLE_KEY},
         "STRIPE_PUBLISHABLE_KEY"),
        ({"SECRET_KEY": "x"}, "32 bytes"),
        ({"SECRET_KEY": "a" * 31}, "32 bytes"),
        ({"REDIS_URL": None}, "REDIS_URL"),
        ({"REDIS_URL": ""}, "REDIS_URL"),
    ],
)
def test_production_refuses_development_or_weak_settings(monkeypatch, env, message):
    _production(monkeypatch, **env)
    with pytest.raises(config_module.ConfigError, match=message):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_without_redis_starts_when_rate_limits_are_off(monkeypatch):
    _production(monkeypatch, REDIS_URL=None, RATE_LIMITS="0")
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_accepts_other_shared_limit_storage(monkeypatch):
    _production(monkeypatch, REDIS_URL=None)
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://",
                "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/3"})
    with pytest.raises(config_module.ConfigError, match="REDIS_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "RATELIMIT_STORAGE_URI": "memory://"})


def test_development_keeps_its_offline_stripe_defaults(monkeypatch):
    for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PUBLISHABLE_KEY",
                 "REDIS_URL", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({"APP_ENV": "development", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["STRIPE_WEBHOOK_SECRET"] == config_module.DEV_STRIPE_WEBHOOK_SECRET
    assert app.config["STRIPE_SECRET_KEY"] == config_module.DEV_STRIPE_SECRET_KEY


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
