"""The Flask application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask

from . import config as config_module
from .extensions import csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build an app from the environment, with ``config`` overriding it (tests).

    Creating an app does no I/O beyond reading settings: no migrations, no
    network calls, no database connection.
    """
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_mapping(config_module.from_env((config or {}).get("APP_ENV")))
    if config:
        app.config.from_mapping(config)
    config_module.check(app.config)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    from .web import converters

    converters.register(app)
    from .web.bodies import BoundedRequest

    app.request_class = BoundedRequest
    _init_extensions(app)
    _register_blueprints(app)
    from .web import openings_window

    openings_window.register(app)
    _register_error_handlers(app)
    _register_cli(app)
    _register_template_helpers(app)
    from .web.security import init_security

    init_security(app)
    from .web.assets import init_assets

    init_assets(app)
    from .web.media import init_media

    init_media(app)
    _register_outbox_delivery(app)
    _configure_logging(app)
    return app


def _configure_logging(app: Flask) -> None:
    """Structured request logs (JSON lines) outside tests; see web/request_log.py."""
    from .web.request_log import JSONFormatter, init_request_log

    init_request_log(app)
    if app.testing:
        return
    root = logging.getLogger()
    if not any(isinstance(h.formatter, JSONFormatter) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(JSONFormatter())
        root.addHandler(handler)
        root.setLevel(logging.INFO)


def _init_extensions(app: Flask) -> None:
    from .models.engine import configure_engine
    from .services.availability import kept as kept_openings
    from .services.discovery import index as search_index
    from .services.discovery import prices as kept_prices
    from .services.discovery import sql as search_sql

    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    search_index.install()
    search_sql.install()
    kept_openings.install()
    kept_prices.install()
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "account.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    from .web.auth import load_user

    login_manager.user_loader(load_user)


def _register_blueprints(app: Flask) -> None:
    from .web import account, admin, api, booking, demo, owner, public, webhooks

    app.register_blueprint(public.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(booking.bp)
    app.register_blueprint(webhooks.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(owner.bp)
    if app.config["DEMO_TOOLS"]:
        app.register_blueprint(demo.bp)


def _register_error_handlers(app: Flask) -> None:
    from .web.errors import register

    register(app)


def _register_cli(app: Flask) -> None:
    from .cli import register

    register(app)


def _register_outbox_delivery(app: Flask) -> None:
    """With ``MAIL_DELIVERY=inline``, send the e-mail a request's committed transactions
    queued, once it has committed. With ``relay`` the ``send-outbox --watch`` process sends
    it, and the request only forgets the list."""
    from .models import utcnow
    from .services import mail

    settings = mail.MailSettings.from_config(app.config)
    if app.config["MAIL_DELIVERY"] == "relay":
        app.teardown_request(lambda _exc: mail.forget_committed())
        return

    @app.after_request
    def _deliver(response):
        try:
            mail.deliver_committed(settings, now=utcnow())
        except Exception:  # delivery must never break the response; the outbox retries
            logging.getLogger(__name__).exception("outbox delivery failed")
            db.session.rollback()
        return response


def _register_template_helpers(app: Flask) -> None:
    from .web import filters, labels

    filters.register(app)
    labels.register(app)
