"""The demo's commands: ``flask seed`` (the demo clinics, or N synthetic ones for the
benchmarks) and ``flask seed-payments`` (the seeded deposits paid at the local Stripe
stand-in)."""

from __future__ import annotations

import time

import click
from flask import Flask, current_app

from ..models import db, utcnow


def register(app: Flask) -> None:
    app.cli.add_command(seed)
    app.cli.add_command(seed_payments)


@click.command("seed")
@click.option(
    "--synthetic",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Instead of the demo data, add N synthetic clinics for benchmarks.",
)
@click.option(
    "--random-seed", type=int, default=7, show_default=True, help="Makes synthetic data repeatable."
)
def seed(synthetic: int | None, random_seed: int) -> None:
    """Load the demo data (idempotent), or N synthetic clinics."""
    from . import seed as seed_service
    from .derived import rebuild_derived_data
    from .synthetic import seed_synthetic

    started = time.perf_counter()
    if synthetic:
        report = seed_synthetic(synthetic, now=utcnow(), random_seed=random_seed)
        rebuild_derived_data(bulk_loaded=True, now=utcnow(), rules=_rules())
        db.session.commit()
        click.echo(
            f"Added {report.clinics} synthetic clinics, {report.therapists} therapists, "
            f"{report.bookings} bookings in {time.perf_counter() - started:.1f} s."
        )
        return
    report = seed_service.seed_demo(now=utcnow(),
                                     storage=current_app.extensions["media_storage"])
    rebuild_derived_data(bulk_loaded=False, now=utcnow(), rules=_rules())
    db.session.commit()
    click.echo(
        f"Demo data ready: {report.clinics} clinics, {report.therapists} therapists, "
        f"{report.services} services ({time.perf_counter() - started:.1f} s)."
    )
    click.echo("Demo sign-ins (password for all: " + seed_service.DEMO_PASSWORD + "):")
    for role, email in report.logins:
        click.echo(f"  {role:<28} {email}")
    if report.gift_card_code:
        click.echo(f"Demo gift card code (Robin Client's, Solely Therapeutic Massage): "
                   f"{report.gift_card_code}")


@click.command("seed-payments")
def seed_payments() -> None:
    """Demo only: give the seeded deposits and gift cards real intents at the local Stripe
    stand-in."""
    from flask import current_app

    from ..services.common.errors import Conflict
    from ..services.payments import PaymentGateway
    from .payments import attach_seeded_payments

    try:
        report = attach_seeded_payments(gateway=PaymentGateway.from_config(current_app.config))
    except Conflict as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Seeded deposits paid at the stand-in: {report.made} "
               f"({report.refunded} refunded), gift cards: {report.gift_cards}; "
               f"still without one: {report.left}.")
    if report.left:
        raise SystemExit(1)



def _rules():
    from flask import current_app

    from ..services.common.rules import BookingRules

    return BookingRules.from_config(current_app.config)
