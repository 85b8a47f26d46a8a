"""Booking and payment jobs, cron-friendly: each is safe to run at any time, repeatedly.

    flask --app wsgi reconcile-payments   # every few minutes
    flask --app wsgi expire-holds         # optional: holds expire on their own when needed
    flask --app wsgi send-reminders       # hourly: a reminder a day ahead, once per visit
    flask --app wsgi deliver-gift-cards   # hourly: cards due today sent, expired ones closed
    flask --app wsgi waitlist offer       # every minute: freed time offered to the waitlist
"""

from __future__ import annotations

import click
from flask import Flask, current_app

from .models import db, utcnow


def register(app: Flask) -> None:
    """Add the booking commands to the app's CLI."""
    app.cli.add_command(reconcile_payments)
    app.cli.add_command(expire_holds)
    app.cli.add_command(send_reminders)
    app.cli.add_command(deliver_gift_cards)
    app.cli.add_command(waitlist_command)


@click.command("reconcile-payments")
def reconcile_payments() -> None:
    """Settle payments and bookings left between states (and report what cannot be)."""
    from .services.booking.reconcile import reconcile_payments as run
    from .services.payments import PaymentGateway
    from .services.series import reconcile as series_reconcile

    gateway = PaymentGateway.from_config(current_app.config)
    report = run(gateway=gateway, now=utcnow())
    for line in report.lines():
        click.echo(line)
    settled, unreachable = series_reconcile.reconcile(gateway=gateway, now=utcnow())
    click.echo(f"Series purchases settled and refunds sent: {settled}")
    if unreachable:
        click.echo(f"Series: provider unreachable or refund still owed for: {unreachable}")
    _deliver_mail()
    if report.problems:
        raise SystemExit(1)


@click.command("expire-holds")
def expire_holds() -> None:
    """Mark lapsed holds expired, and cancel at the provider the payments of lapsed holds
    still waiting for the bank's check (so they can never charge)."""
    from .services.booking import expire_lapsed_holds
    from .services.booking.reconcile import end_lapsed_attempts
    from .services.payments import PaymentGateway

    count = expire_lapsed_holds(now=utcnow())
    db.session.commit()
    click.echo(f"Expired {count} hold(s).")
    cancelled, unreachable = end_lapsed_attempts(
        gateway=PaymentGateway.from_config(current_app.config), now=utcnow())
    click.echo(f"Payments waiting for the bank cancelled: {cancelled}")
    if unreachable:
        click.echo(f"Provider unreachable for: {unreachable} (reconcile-payments retries)")


@click.command("send-reminders")
def send_reminders() -> None:
    """E-mail a reminder for every confirmed visit in the next 24 hours, once each."""
    from .services.booking.notifications import send_reminders as queue_reminders

    count = queue_reminders(now=utcnow())
    db.session.commit()
    _deliver_mail()
    click.echo(f"Queued {count} reminder(s).")


@click.command("deliver-gift-cards")
def deliver_gift_cards() -> None:
    """E-mail every paid gift card whose day has come (once, whichever host runs it first),
    and expire cards past their date (what is left is written off in the ledger)."""
    from .services.giftcards.delivery import deliver_due, expire_due

    sent = deliver_due(now=utcnow())
    expired = expire_due(now=utcnow())
    _deliver_mail()
    click.echo(f"Gift cards sent: {sent}")
    click.echo(f"Gift cards expired: {expired}")


@click.group("waitlist")
def waitlist_command() -> None:
    """The waitlist's job."""


@waitlist_command.command("offer")
def waitlist_offer() -> None:
    """Offer freed time to waiting clients (first come, first served), settle their offers
    and expire entries whose last day has gone by; safe on several hosts at once."""
    from .services import waitlist
    from .services.common.rules import BookingRules

    report = waitlist.run(now=utcnow(), rules=BookingRules.from_config(current_app.config))
    _deliver_mail()
    for line in report.lines():
        click.echo(line)


def _deliver_mail() -> None:
    from .services import mail

    mail.deliver_committed(mail.MailSettings.from_config(current_app.config), now=utcnow())
