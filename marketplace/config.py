"""Settings read from the environment, with safe defaults.

Every setting can be overridden by the mapping passed to ``create_app``.
``APP_ENV`` is one of ``production`` (the default), ``development`` or
``testing``; only development and testing may run without a ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"

# A fixed key for development and tests only: anything signed with it is
# worthless outside this machine, and production refuses to start without its
# own key (see ``check``).
DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105
DEV_INTAKE_KEY = "ZGV2LW9ubHktaW50YWtlLWtleS0zMi1ieXRlcyEhISE="  # dev only, 32 bytes
# Offline placeholders for development and tests; they are public (in this file),
# so production refuses them: a webhook signed with the public secret is a forgery.
DEV_STRIPE_SECRET_KEY = "sk_test_offline"  # noqa: S105
DEV_STRIPE_PUBLISHABLE_KEY = "pk_test_offline"
DEV_STRIPE_WEBHOOK_SECRET = "whsec_offline"  # noqa: S105
#: The shortest SECRET_KEY production accepts (it signs sessions and reset links).
MIN_SECRET_KEY_BYTES = 32


MAIL_DELIVERIES = ("relay", "inline")

_DEV_STRIPE = {
    "STRIPE_SECRET_KEY": DEV_STRIPE_SECRET_KEY,
    "STRIPE_PUBLISHABLE_KEY": DEV_STRIPE_PUBLISHABLE_KEY,
    "STRIPE_WEBHOOK_SECRET": DEV_STRIPE_WEBHOOK_SECRET,
}


class ConfigError(RuntimeError):
    """The environment does not describe a runnable app."""


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE / 'marketplace.db'}"
    # Heroku-style URLs and plain postgresql:// both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def from_env(app_env: str | None = None) -> dict:
    """Build the settings mapping from environment variables (``app_env`` wins over APP_ENV)."""
    env = (app_env or os.environ.get("APP_ENV", "production")).strip().lower()
    dev = env in {"development", "testing"}
    return {
        "APP_ENV": env,
        **_site(dev),
        **_sessions(dev),
        **_payments(dev),
        **_booking_rules(),
        **_map(),
        # Health-intake encryption: comma-separated "key_id:base64key" pairs,
        # the first one encrypts, all of them decrypt (rotation).
        "INTAKE_KEYS": os.environ.get("INTAKE_KEYS") or (f"dev1:{DEV_INTAKE_KEY}" if dev else ""),
        **_mail(dev),
        **_media(),
        **_rate_limits(),
        # The demo-only outbox page and test-mode card choice
        "DEMO_TOOLS": _bool("DEMO_TOOLS", dev),
    }


def _site(dev: bool) -> dict:
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or (DEV_SECRET_KEY if dev else None),
        "SQLALCHEMY_DATABASE_URI": _database_url(),
        "SITE_NAME": os.environ.get("SITE_NAME", "Kneaded"),
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024),
        # How many reverse proxies in front set X-Forwarded-For/-Proto/-Host.
        "TRUSTED_PROXIES": _int("TRUSTED_PROXIES", 0),
    }


def _sessions(dev: bool) -> dict:
    """Session and remember-me cookies, and CSRF."""
    secure = _bool("SESSION_COOKIE_SECURE", not dev)
    return {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # A long-open htmx page must keep working; the token is still bound to
        # the session, which is what protects it.
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_HEADERS": ["X-CSRFToken"],
    }


def _payments(dev: bool) -> dict:
    # Development and tests default to offline placeholders; production has none.
    keys = {name: os.environ.get(name) or (placeholder if dev else "")
            for name, placeholder in _DEV_STRIPE.items()}
    return {
        **keys,
        # Set to localstripe's address (http://127.0.0.1:8420) to work offline;
        # empty means the real Stripe API.
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE", ""),
        # How long a request to the provider may take before the client is told
        # "we could not reach the payment service" (the hold is kept; a retry is safe).
        "STRIPE_TIMEOUT_SECONDS": _int("STRIPE_TIMEOUT_SECONDS", 20),
        "CURRENCY": "usd",
    }


#: OpenStreetMap's own tile server: fine for a modest site under its usage policy
#: (https://operations.osmfoundation.org/policies/tiles/); a busy one should use a
#: tile provider of its own (MAP_TILE_URL).
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


def _map() -> dict:
    """The search page's map: where its tiles come from (empty turns the map off)."""
    return {
        "MAP_TILE_URL": os.environ.get("MAP_TILE_URL", OSM_TILE_URL).strip(),
        "MAP_ATTRIBUTION": os.environ.get("MAP_ATTRIBUTION", OSM_ATTRIBUTION).strip(),
    }


def _booking_rules() -> dict:
    return {
        "HOLD_MINUTES": _int("HOLD_MINUTES", 10),
        "MIN_NOTICE_MINUTES": _int("MIN_NOTICE_MINUTES", 120),
        "BOOKING_HORIZON_DAYS": _int("BOOKING_HORIZON_DAYS", 60),
        "SLOT_STEP_MINUTES": _int("SLOT_STEP_MINUTES", 15),
        "REVIEW_WINDOW_DAYS": _int("REVIEW_WINDOW_DAYS", 90),
        # Conversations with no new message for this long are deleted (flask purge-messages).
        "MESSAGE_RETENTION_DAYS": _int("MESSAGE_RETENTION_DAYS", 730),
        # How long a freed time offered to a waiting client stays held for them.
        "WAITLIST_OFFER_MINUTES": _int("WAITLIST_OFFER_MINUTES", 30),
        # How long after a visit its clinic may still read the client's shared answers.
        "INTAKE_CLINIC_ACCESS_DAYS": _int("INTAKE_CLINIC_ACCESS_DAYS", 90),
    }


def _mail(dev: bool) -> dict:
    return {
        # "file" writes .eml files to MAIL_OUTBOX_DIR, "smtp" sends.
        "MAIL_BACKEND": os.environ.get(
            "MAIL_BACKEND", "smtp" if os.environ.get("MAIL_SERVER") else "file"
        ),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_TIMEOUT": _int("MAIL_TIMEOUT", 10),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "bookings@kneaded.test"),
        "MAIL_OUTBOX_DIR": os.environ.get("MAIL_OUTBOX_DIR", str(INSTANCE / "outbox")),
        # When queued mail is sent: "relay" leaves it to `flask send-outbox --watch` (a
        # process of its own, so no request ever waits on the mail server); "inline"
        # sends it from the request that queued it, once that request has committed.
        "MAIL_DELIVERY": os.environ.get("MAIL_DELIVERY", "inline" if dev else "relay"),
    }


MEDIA_STORAGES = ("local", "s3")


def _media() -> dict:
    """Photos: the limits of one upload, and where the files are kept (docs/deploy.md)."""
    return {
        "PHOTO_MAX_BYTES": _int("PHOTO_MAX_BYTES", 10 * 1024 * 1024),
        "PHOTO_MAX_PIXELS": _int("PHOTO_MAX_PIXELS", 40_000_000),
        # "local": files under MEDIA_ROOT served by the app; "s3": an S3-compatible bucket.
        "MEDIA_STORAGE": os.environ.get("MEDIA_STORAGE", "local").strip().lower(),
        "MEDIA_ROOT": os.environ.get("MEDIA_ROOT", str(INSTANCE / "media")),
        "MEDIA_S3_BUCKET": os.environ.get("MEDIA_S3_BUCKET", ""),
        "MEDIA_S3_ENDPOINT_URL": os.environ.get("MEDIA_S3_ENDPOINT_URL", ""),
        "MEDIA_S3_REGION": os.environ.get("MEDIA_S3_REGION", ""),
        "MEDIA_PUBLIC_BASE_URL": os.environ.get("MEDIA_PUBLIC_BASE_URL", ""),
    }


def _check_media(config: dict) -> None:
    if config.get("MEDIA_STORAGE") not in MEDIA_STORAGES:
        raise ConfigError(f"MEDIA_STORAGE must be local or s3, not {config.get('MEDIA_STORAGE')!r}")
    if config["MEDIA_STORAGE"] == "s3" and not config.get("MEDIA_S3_BUCKET"):
        raise ConfigError("MEDIA_S3_BUCKET must be set when MEDIA_STORAGE is s3")
    if config.get("PHOTO_MAX_BYTES", 0) <= 0 or config.get("PHOTO_MAX_PIXELS", 0) <= 0:
        raise ConfigError("PHOTO_MAX_BYTES and PHOTO_MAX_PIXELS must be positive")


def _rate_limits() -> dict:
    return {
        "REDIS_URL": os.environ.get("REDIS_URL", ""),
        "RATE_LIMITS": _bool("RATE_LIMITS", True),
        "RATELIMIT_ENABLED": True,  # Flask-Limiter's global switch; ours is RATE_LIMITS
        "RATELIMIT_HEADERS_ENABLED": True,
        # Count the last minute (hour) exactly: a fixed window lets twice the limit
        # through around each window's edge (10 guesses at 0:59 and 10 more at 1:00).
        "RATELIMIT_STRATEGY": "moving-window",
    }


def check(config: dict) -> None:
    """Refuse to start with settings that are unsafe outside development."""
    env = config.get("APP_ENV")
    if env not in {"production", "development", "testing"}:
        raise ConfigError(f"APP_ENV must be production, development or testing, not {env!r}")
    if not config.get("SECRET_KEY"):
        raise ConfigError("SECRET_KEY must be set (APP_ENV=production requires your own key)")
    if env == "production" and config["SECRET_KEY"] == DEV_SECRET_KEY:
        raise ConfigError("SECRET_KEY is the development key; set a real one for production")
    if env == "production" and len(_bytes(config["SECRET_KEY"])) < MIN_SECRET_KEY_BYTES:
        raise ConfigError(
            f"SECRET_KEY is too short: production needs at least {MIN_SECRET_KEY_BYTES} bytes "
            '(e.g. python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )
    if config.get("MAIL_DELIVERY") not in MAIL_DELIVERIES:
        raise ConfigError(
            f"MAIL_DELIVERY must be relay or inline, not {config.get('MAIL_DELIVERY')!r}")
    _check_map(config)
    _check_media(config)
    if not config.get("INTAKE_KEYS"):
        raise ConfigError("INTAKE_KEYS must be set: health intake answers are encrypted with it")
    from .services.intake.keys import KeyRing, KeyRingError  # parses and checks every key

    try:
        KeyRing.from_config(config["INTAKE_KEYS"])
    except KeyRingError as exc:
        raise ConfigError(str(exc)) from None
    from .services.common.rules import BookingRules, BookingRulesError

    try:
        BookingRules.from_config(config)
    except BookingRulesError as exc:
        raise ConfigError(str(exc)) from None
    if env == "production" and DEV_INTAKE_KEY in config["INTAKE_KEYS"]:
        raise ConfigError("INTAKE_KEYS holds the development key; set real keys for production")
    if env == "production":
        _check_production_payments(config)
        _check_production_rate_limits(config)


def _check_map(config: dict) -> None:
    """A tile URL is an http(s) template with {z}, {x} and {y}, and names its source."""
    url = config.get("MAP_TILE_URL") or ""
    if not url:
        return
    if not re.fullmatch(r"https?://[^/\s\"'<>]+/[^\s\"'<>]*", url) or not all(
            part in url for part in ("{z}", "{x}", "{y}")):
        raise ConfigError(
            f"MAP_TILE_URL must be an http(s) tile template with {{z}}, {{x}} and {{y}} "
            f"(like {OSM_TILE_URL}), or empty to turn the map off; got {url!r}")
    if not (config.get("MAP_ATTRIBUTION") or "").strip():
        raise ConfigError("MAP_ATTRIBUTION must be set when MAP_TILE_URL is: tile providers "
                          "require their credit line on the map")


def _bytes(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def _check_production_payments(config: dict) -> None:
    """Every Stripe value set, and none of them the public offline placeholder."""
    for name, placeholder in _DEV_STRIPE.items():
        value = (config.get(name) or "").strip()
        if not value:
            raise ConfigError(f"{name} must be set in production (from the Stripe dashboard)")
        if value == placeholder or value.endswith("_offline"):
            raise ConfigError(f"{name} is the development placeholder; set the real value "
                              "for production")


def _check_production_rate_limits(config: dict) -> None:
    """Rate limits counted in one place that every worker shares, or not at all."""
    if not config.get("RATE_LIMITS", True):
        return
    storage = (config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "").strip()
    if not storage or storage.startswith("memory://"):
        raise ConfigError(
            "REDIS_URL must be set in production: rate limits counted in each worker's "
            "memory let through the limit once per worker (or set RATE_LIMITS=0)"
        )
