"""docs/deploy.md stays true: every setting the code reads is documented, every command
it tells cron to run exists, the webhook events it says to register are the ones the
app handles, and gunicorn's timeout leaves room for the slowest request."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

from marketplace import create_app
from marketplace.services.booking.payment_events import INTENT_EVENTS

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = (ROOT / "docs" / "deploy.md").read_text()


def _settings_read_by(path: Path) -> set[str]:
    source = path.read_text()
    found = set(re.findall(r'(?:environ\.get|_int|_bool)\(\s*"([A-Z][A-Z0-9_]+)"', source))
    return found - {"PATH"}


def test_every_setting_the_code_reads_is_documented():
    settings = (_settings_read_by(ROOT / "marketplace" / "config.py")
                | _settings_read_by(ROOT / "gunicorn.conf.py"))
    assert len(settings) > 25
    missing = sorted(name for name in settings if f"`{name}`" not in DEPLOY)
    assert not missing, f"docs/deploy.md does not explain {missing}"


def test_every_command_it_names_exists():
    app = create_app({"APP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    # plus the groups libraries add to the flask command (Flask-Migrate, Flask-Static-Digest)
    commands = set(app.cli.list_commands(app.app_context())) | {"db", "digest"}
    named = set(re.findall(r"flask --app wsgi ([a-z][a-z-]+)", DEPLOY))
    assert {"send-outbox", "reconcile-payments", "send-reminders", "expire-holds",
            "rotate-intake-keys", "create-admin"} <= named
    assert named <= commands, f"docs/deploy.md names missing commands: {named - commands}"


def test_the_webhook_events_to_register_are_the_ones_handled():
    documented = set(re.findall(r"`((?:payment_intent|charge)\.[a-z_]+)`", DEPLOY))
    assert documented == INTENT_EVENTS | {"charge.refunded"}


def test_gunicorn_does_not_kill_a_worker_that_is_paying(monkeypatch):
    for name in ("GUNICORN_TIMEOUT", "STRIPE_TIMEOUT_SECONDS", "MAIL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["timeout"] >= 2 * 20 + 10  # two provider calls, then the mail
    monkeypatch.setenv("STRIPE_TIMEOUT_SECONDS", "40")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["timeout"] >= 2 * 40 + 10
    assert settings["preload_app"] is True
    assert settings["accesslog"] is None  # the app logs each request itself
