"""``flask --app wsgi <command>``: create-admin and the operational jobs (the demo's
``seed`` and ``seed-payments`` are in ``demo/cli.py``)."""

from __future__ import annotations

import time

import click
from flask import Flask

from .models import db, utcnow


def register(app: Flask) -> None:
    from .demo.cli import register as register_demo

    register_demo(app)
    app.cli.add_command(create_admin)
    app.cli.add_command(send_outbox)
    app.cli.add_command(rotate_intake_keys)
    from .cli_booking import register as register_booking

    register_booking(app)
    app.cli.add_command(search_index_command)
    app.cli.add_command(openings_command)
    app.cli.add_command(search_prices_command)
    app.cli.add_command(purge_messages)


@click.command("purge-messages")
@click.option("--days", type=click.IntRange(min=1), default=None,
              help="Keep conversations with a message in this many days "
                   "(default: MESSAGE_RETENTION_DAYS).")
def purge_messages(days: int | None) -> None:
    """Delete conversations with no new message for the retention period (daily cron;
    running it again deletes nothing more)."""
    from flask import current_app

    from .services.messages import retention

    days = days or current_app.config["MESSAGE_RETENTION_DAYS"]
    count = retention.purge_inactive(now=utcnow(), days=days)
    db.session.commit()
    click.echo(f"Deleted {count} conversation(s) with no message in {days} days.")


@click.command("create-admin")
@click.argument("email")
@click.option("--name", default="Administrator", show_default=True)
@click.password_option()
def create_admin(email: str, name: str, password: str) -> None:
    """Create an admin account (admins cannot register on the site)."""
    from .models import Role, User
    from .services.accounts import users as accounts

    problems = accounts.password_problems(password, email=email, name=name)
    if problems:
        raise click.BadParameter(" ".join(problems), param_hint="password")
    if accounts.find_by_email(email):
        raise click.BadParameter("an account with that e-mail exists", param_hint="email")
    db.session.add(
        User(
            email=accounts.normalise_email(email),
            name=name,
            role=Role.ADMIN,
            password_hash=accounts.hash_password(password),
        )
    )
    db.session.commit()
    click.echo(f"Admin {email} created.")


@click.command("send-outbox")
@click.option("--watch", is_flag=True,
              help="Keep running: send each new message within --interval seconds "
                   "(the mail relay; stop it with SIGTERM).")
@click.option("--interval", type=click.FloatRange(min=0.1, max=60), default=1.0,
              show_default=True, help="Seconds between looks at the outbox with --watch.")
def send_outbox(watch: bool, interval: float) -> None:
    """Send e-mail waiting in the outbox (cron: every minute; or run once with --watch as a
    service). Each message is sent once, however many of these run at a time."""
    import threading

    from flask import current_app

    from .services import mail

    settings = mail.MailSettings.from_config(current_app.config)
    if not watch:
        click.echo(f"Sent {mail.deliver_pending(settings, now=utcnow())} message(s).")
        return
    stop = threading.Event()
    mail.stop_on_signals(stop)
    click.echo(f"Relaying the outbox every {interval:g} s.")
    sent = mail.relay(settings, clock=utcnow, interval=interval, stop=stop)
    click.echo(f"Stopped; sent {sent} message(s).")


@click.command("rotate-intake-keys")
@click.option(
    "--batch-size",
    type=click.IntRange(min=1, max=10_000),
    default=500,
    show_default=True,
    help="Records re-encrypted per transaction.",
)
def rotate_intake_keys(batch_size: int) -> None:
    """Re-encrypt every health intake and health profile under the first INTAKE_KEYS key
    (safe to re-run)."""
    from flask import current_app

    from .services.intake import profile as health_profile
    from .services.intake import records as intake

    keyring = intake.keyring_for(current_app.config)
    counts = {}
    unreadable: list[str] = []
    for kind, rotate in (("intake record", intake.rotate),
                         ("health profile", health_profile.rotate)):
        rotated, after_id = 0, 0
        while True:
            batch = rotate(keyring, after_id=after_id, batch_size=batch_size)
            db.session.commit()
            rotated += batch.rotated
            unreadable += [f"{'' if kind == 'intake record' else 'profile '}{i}"
                           for i in batch.unreadable]
            after_id = batch.last_id
            if batch.done:
                break
        counts[kind] = rotated
    for kind, rotated in counts.items():
        click.echo(f"Re-encrypted {rotated} {kind}(s) under key {keyring.primary_id!r}.")
    in_use = ", ".join(f"{k!r}: {n}" for k, n in sorted(intake.keys_in_use().items()))
    click.echo(f"Records per key: {in_use or 'none'}.")
    if unreadable:
        shown = ", ".join(unreadable[:20])
        raise click.ClickException(
            f"{len(unreadable)} record(s) could not be decrypted with any key in INTAKE_KEYS "
            f"(ids {shown}{', ...' if len(unreadable) > 20 else ''}); they were left as they are."
        )


@click.command("search-index")
def search_index_command() -> None:
    """Rebuild the full-text search index (after a restore, or data loaded without the app)."""
    from .services.discovery import index as search_index

    started = time.perf_counter()
    count = search_index.rebuild(db.session)
    db.session.commit()
    click.echo(f"Indexed {count} clinics in {time.perf_counter() - started:.1f} s.")


@click.group("search-prices")
def search_prices_command() -> None:
    """Each clinic's lowest prices kept as data (``clinic_prices``), which search reads."""


@search_prices_command.command("rebuild")
def search_prices_rebuild() -> None:
    """Recompute every row (after a restore, or services loaded without the app)."""
    from .services.discovery import prices

    started = time.perf_counter()
    count = prices.rebuild(db.session)
    db.session.commit()
    click.echo(f"Kept {count} lowest prices in {time.perf_counter() - started:.1f} s.")


@search_prices_command.command("check")
def search_prices_check() -> None:
    """Compare every row with the services; exits 1 if any differs (then run rebuild)."""
    from .services.discovery import prices

    missing, extra = prices.check(db.session)
    db.session.rollback()
    click.echo(f"Prices missing or wrong: {missing}; prices that should not be there: "
               f"{extra}.")
    if missing or extra:
        raise SystemExit(1)


@click.group("openings")
def openings_command() -> None:
    """The open time kept as rows that search, profiles and the API read."""


@openings_command.command("refresh")
def openings_refresh() -> None:
    """Cron, every minute: mark lapsed holds expired (their time opens again) and move the
    window of kept days forward when a day has passed. Safe on several hosts at once."""
    from flask import current_app

    from .services.availability import kept
    from .services.booking import expire_lapsed_holds
    from .services.common.rules import BookingRules

    now = utcnow()
    expired = expire_lapsed_holds(now=now)
    window = kept.ensure_window(db.session, now=now,
                                rules=BookingRules.from_config(current_app.config))
    db.session.commit()
    click.echo(f"Expired {expired} hold(s); open time kept for {window.first_day} to "
               f"{window.last_day}.")


@openings_command.command("rebuild")
def openings_rebuild() -> None:
    """Recompute every kept row (after a restore, or data loaded without the app)."""
    from flask import current_app

    from .services.availability import kept
    from .services.common.rules import BookingRules

    started = time.perf_counter()
    count = kept.rebuild(db.session, now=utcnow(),
                         rules=BookingRules.from_config(current_app.config))
    db.session.commit()
    click.echo(f"Kept {count} runs of open time in {time.perf_counter() - started:.1f} s.")


@openings_command.command("check")
def openings_check() -> None:
    """Recompute every kept row and compare; exits 1 if any differs (then run rebuild)."""
    from .services.availability import kept

    missing, extra = kept.check(db.session)
    db.session.rollback()
    click.echo(f"Runs missing: {missing}; runs that should not be there: {extra}.")
    if missing or extra:
        raise SystemExit(1)
