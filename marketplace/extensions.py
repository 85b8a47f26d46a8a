"""Extensions, created unbound here and bound to the app in ``create_app``."""

import math
import time
from collections.abc import Callable

from flask import Response, current_app, g
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from .models import db

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()


def user_or_address() -> str:
    """Whom a limit counts: the signed-in user (so people sharing an address, a clinic's
    or an office's, never use up each other's tries), else the client's address."""
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


limiter = Limiter(key_func=user_or_address, default_limits=[])


def _limits_off() -> bool:
    return not current_app.config.get("RATE_LIMITS", True)


def retry_minutes(reset_at: float) -> int:
    """Whole minutes (at least one) until a limit lets the next try through."""
    return max(1, math.ceil((reset_at - time.time()) / 60))


def too_many_message(minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many attempts; try again in {minutes} {unit}. Nothing you typed was lost."


def rate_limit(limit_value: str, *, page: Callable[[str], Response | None] | None = None,
               scope: str | None = None, **kwargs):
    """A Flask-Limiter route limit that each app can switch off with ``RATE_LIMITS``.

    Flask-Limiter keeps its on/off switch and storage on the (single) Limiter
    object, so the switch must be read per request from the app's own config.

    ``page`` (for a form step) renders the step again from what was posted, with the
    message it is given, so the client keeps the page and what they typed; it answers
    429 with ``Retry-After``. Without it (or when it returns None) the error handler
    answers with the same message.

    ``scope`` shares one count among every route limited under that name (sending a
    message counts the same whether it starts a conversation or answers one).
    """
    def on_breach(limit) -> Response | None:
        minutes = retry_minutes(limit.reset_at)
        g.rate_limit_retry = minutes
        response = page(too_many_message(minutes)) if page else None
        if response is not None:
            response.status_code = 429
            response.headers["Retry-After"] = str(minutes * 60)
        return response

    if scope is not None:
        return limiter.shared_limit(limit_value, scope, exempt_when=_limits_off,
                                    on_breach=on_breach, **kwargs)
    return limiter.limit(limit_value, exempt_when=_limits_off, on_breach=on_breach, **kwargs)

__all__ = ["csrf", "db", "limiter", "login_manager", "migrate", "rate_limit"]
