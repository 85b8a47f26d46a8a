"""The demo's treatment series: Solely Therapeutic Massage offers four sessions of its
therapeutic massage with neuromuscular therapy for $420 (four single visits cost $460),
valid 12 weeks, unused sessions refunded at $105 each less a $15 fee, a late cancellation
or no-show using the session up; and Casey Client bought one two days ago, with all
four sessions still to book ("Book the course" on its page, ``/series/DEMOSERIES``).

Written like the seeded deposits: as already paid, without talking to a provider
(intent ``pi_seed_series_...``; ``flask seed-payments`` later pays it at the local
Stripe stand-in, so its refund works). Created once, found again by its reference.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from ..models import LateRule, RefundRule, SeriesOffer, SeriesPurchase, SeriesStatus, db
from ..services.series import purchase
from .common import clinic_by_slug
from .data import SOLELY

REFERENCE = "DEMOSERIES"
BUYER = "client@demo.test"
SERVICE = "Therapeutic massage with neuromuscular therapy"
PAID_DAYS_AGO = 2


def ensure_demo_series(users, now: datetime) -> SeriesPurchase | None:
    """The demo offer and the demo client's series, created when missing."""
    found = db.session.scalar(select(SeriesPurchase).where(SeriesPurchase.reference == REFERENCE))
    if found is not None:
        return found
    clinic = clinic_by_slug(SOLELY.slug)
    service = next((s for s in clinic.services if s.name == SERVICE), None)
    if service is None:
        return None
    offer = SeriesOffer(clinic_id=clinic.id, service_id=service.id, sessions=4,
                        price_cents=42000, validity_days=84,
                        refund_rule=RefundRule.PER_SESSION_LESS_FEE, refund_fee_cents=1500,
                        late_rule=LateRule.USED, active=True, created_at=now - timedelta(days=30))
    offer.clinic, offer.service = clinic, service
    db.session.add(offer)
    db.session.flush()
    paid_at = now - timedelta(days=PAID_DAYS_AGO)
    row = SeriesPurchase(
        reference=REFERENCE, offer_id=offer.id, clinic_id=clinic.id, service_id=service.id,
        client_id=users[BUYER].id, sessions_total=4, price_cents=42000, currency="usd",
        validity_days=84, refund_rule=offer.refund_rule, refund_fee_cents=1500,
        late_rule=offer.late_rule, cancellation_hours=clinic.cancellation_window_hours,
        policy_text=purchase.policy_text(offer), timezone=clinic.timezone,
        status=SeriesStatus.PAID, idempotency_key=f"seed:{REFERENCE}",
        intent_id=f"pi_seed_series_{REFERENCE.lower()}", attempts=1,
        attempt_started_at=paid_at, created_at=paid_at, paid_at=paid_at,
        expires_at=paid_at + timedelta(days=84))
    db.session.add(row)
    return row
