"""Helpers for series tests: an offer, a series bought through localstripe, or one
written as already paid (no provider), a gift card code applied to an offer on the site,
the newest series, and the next working day's times."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from marketplace.models import LateRule, RefundRule, SeriesPurchase, SeriesStatus, db
from marketplace.services.common.local_time import zone
from marketplace.services.series import offers, purchase


def create_offer(b, *, sessions: int = 4, price_cents: int = 40000, validity_days: int = 84,
                 refund_rule: RefundRule = RefundRule.PER_SESSION, refund_fee_cents: int = 0,
                 late_rule: LateRule = LateRule.USED, now: datetime):
    """A live offer of ``b``'s service (115 dollars a visit: 4 for 400 saves 60)."""
    offer = offers.create_offer(
        clinic=b.clinic, data=offers.OfferData(
            service_id=b.service.id, sessions=sessions, price_cents=price_cents,
            validity_days=validity_days, refund_rule=refund_rule,
            refund_fee_cents=refund_fee_cents, late_rule=late_rule),
        actor=b.owner, now=now)
    db.session.commit()
    return offer


def bought(offer, client, *, gateway, now: datetime, card: str = "pm_card_visa"):
    """A series of ``offer`` started and paid through the provider."""
    row = purchase.start(client=client, offer=offer, now=now)
    db.session.commit()
    return row, purchase.pay(row, payment_method=card, gateway=gateway, now=now)


def paid(offer, client, *, now: datetime):
    """A series written as paid at ``now`` (no provider: for session and course tests)."""
    row = purchase.start(client=client, offer=offer, now=now)
    row.status, row.paid_at = SeriesStatus.PAID, now
    row.intent_id = f"pi_test_{row.reference}"
    row.expires_at = now + timedelta(days=row.validity_days)
    db.session.commit()
    return row


def apply_gift_card(client, b, offer, code: str):
    """Post the offer's gift card form (rules accepted): the series starts, the card pays
    what its balance allows."""
    return client.post(f"/clinics/{b.clinic.slug}/series/{offer.id}/gift-card",
                       data={"code": code, "agree": "y", "action": "apply"})


def newest_series() -> SeriesPurchase | None:
    return db.session.scalar(select(SeriesPurchase).order_by(SeriesPurchase.id.desc()))


def local_at(b, now: datetime, *, days: int, hour: int) -> datetime:
    """``days`` after ``now``'s local day at ``hour``:00 in the clinic's zone, in UTC (the
    factory therapist works 9 to 17 every day)."""
    tz = zone(b.location.timezone)
    day = now.astimezone(tz).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=tz).astimezone(zone("UTC"))
