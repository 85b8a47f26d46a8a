"""Extensions, created unbound here and bound to the app in ``create_app``."""

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from .models import db

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def _limits_off() -> bool:
    return not current_app.config.get("RATE_LIMITS", True)


def rate_limit(limit_value: str, **kwargs):
    """A Flask-Limiter route limit that each app can switch off with ``RATE_LIMITS``.

    Flask-Limiter keeps its on/off switch and storage on the (single) Limiter
    object, so the switch must be read per request from the app's own config.
    """
    return limiter.limit(limit_value, exempt_when=_limits_off, **kwargs)

__all__ = ["csrf", "db", "limiter", "login_manager", "migrate", "rate_limit"]
