"""A clinic's series offers: N sessions of one service at a price below N single
visits, valid for a period, with a refund rule for unused sessions and a rule for
late cancellations and no-shows. An offer is retired, never deleted (sales name it).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...models import Clinic, LateRule, RefundRule, SeriesOffer, Service, User, db
from ...models.series import MAX_SESSIONS, MIN_SESSIONS
from ..audit import diff as changes
from ..common.errors import Conflict, FieldError, NotFound
from ..common.money import format_cents

MIN_VALIDITY_DAYS, MAX_VALIDITY_DAYS = 7, 1095


@dataclass(frozen=True)
class OfferData:
    service_id: int | None
    sessions: int
    price_cents: int
    validity_days: int
    refund_rule: RefundRule
    refund_fee_cents: int
    late_rule: LateRule


def _check(clinic: Clinic, data: OfferData) -> Service:
    service = db.session.get(Service, data.service_id) if data.service_id else None
    if service is None or service.clinic_id != clinic.id or not service.active:
        raise FieldError("service_id", "Choose one of your services.")
    if not MIN_SESSIONS <= data.sessions <= MAX_SESSIONS:
        raise FieldError("sessions", f"A series has {MIN_SESSIONS} to {MAX_SESSIONS} sessions.")
    singles = service.price_cents * data.sessions
    if data.price_cents <= 0:
        raise FieldError("price", "Enter a price above $0.")
    if data.price_cents >= singles:
        raise FieldError("price", f"The series must cost less than {data.sessions} single "
                                  f"visits ({format_cents(singles)}).")
    if not MIN_VALIDITY_DAYS <= data.validity_days <= MAX_VALIDITY_DAYS:
        raise FieldError("validity", "A series is valid from 1 week to 3 years.")
    fee_ok = 0 < data.refund_fee_cents < data.price_cents // data.sessions
    if data.refund_rule is RefundRule.PER_SESSION_LESS_FEE and not fee_ok:
        raise FieldError("refund_fee", "The fee must be above $0 and below the price of "
                                       "one session of the series.")
    return service


def _normalised(data: OfferData) -> OfferData:
    fee = data.refund_fee_cents if data.refund_rule is RefundRule.PER_SESSION_LESS_FEE else 0
    return OfferData(**{**asdict(data), "refund_fee_cents": fee})


def create_offer(*, clinic: Clinic, data: OfferData, actor: User, now: datetime) -> SeriesOffer:
    """Offer a new series."""
    _check(clinic, data)
    data = _normalised(data)
    offer = SeriesOffer(clinic_id=clinic.id, created_at=now, active=True, **asdict(data))
    db.session.add(offer)
    db.session.flush()
    changes.record(offer, "series_offer.create", actor=actor, now=now,
                   **{k: changes.json_value(v) for k, v in asdict(data).items()})
    return offer


def update_offer(*, offer: SeriesOffer, data: OfferData, actor: User, now: datetime) -> dict:
    """Change an offer for purchases from now on (series already bought keep their rules)."""
    if not offer.active:
        raise Conflict("This series is retired; offer a new one instead.")
    _check(offer.clinic, data)
    changed = changes.apply(offer, asdict(_normalised(data)))
    changes.record(offer, "series_offer.update", actor=actor, now=now, changed=changed)
    return changed


def retire_offer(*, offer: SeriesOffer, actor: User, now: datetime) -> None:
    """Stop selling a series; series already bought stay valid."""
    if not offer.active:
        return
    offer.active, offer.retired_at = False, now
    changes.record(offer, "series_offer.retire", actor=actor, now=now, changed={})


def clinic_offers(clinic: Clinic) -> list[SeriesOffer]:
    """All the clinic's offers, live first (the owner's list)."""
    return list(db.session.scalars(
        select(SeriesOffer).where(SeriesOffer.clinic_id == clinic.id)
        .options(joinedload(SeriesOffer.service))
        .order_by(SeriesOffer.active.desc(), SeriesOffer.id)))


def offers_by_clinic(clinic_ids: list[int]) -> dict[int, list[SeriesOffer]]:
    """The live offers of several clinics in one query (compare), by clinic id."""
    found: dict[int, list[SeriesOffer]] = {i: [] for i in clinic_ids}
    rows = db.session.scalars(
        select(SeriesOffer).join(Service, Service.id == SeriesOffer.service_id)
        .where(SeriesOffer.clinic_id.in_(clinic_ids), SeriesOffer.active, Service.active)
        .options(joinedload(SeriesOffer.service)).order_by(SeriesOffer.id))
    for offer in rows:
        found[offer.clinic_id].append(offer)
    return found


def live_offers(clinic: Clinic) -> list[SeriesOffer]:
    """The series a client can buy now: live offers of active services."""
    return [o for o in clinic_offers(clinic) if o.active and o.service.active]


def live_offer(clinic: Clinic, offer_id: int) -> SeriesOffer:
    """One live offer of this clinic; NotFound otherwise."""
    offer = db.session.get(SeriesOffer, offer_id)
    if offer is None or offer.clinic_id != clinic.id or not offer.active or \
            not offer.service.active:
        raise NotFound("That series is not offered any more.")
    return offer


# --- what a client is told --------------------------------------------------------------


def per_session_cents(offer) -> int:
    """The series' price of one session (rounded down to the cent)."""
    return offer.price_cents // _sessions(offer)


def saving_cents(offer) -> int:
    """What the series saves against as many single visits at today's price."""
    return offer.service.price_cents * _sessions(offer) - offer.price_cents


def _sessions(offer) -> int:
    return getattr(offer, "sessions", None) or offer.sessions_total


def validity_text(days: int) -> str:
    """"8 weeks", "10 days": how long a series is valid, in the owner's unit."""
    if days % 7 == 0:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


def refund_text(offer) -> str:
    """The refund rule for unused sessions, in plain words."""
    each = format_cents(per_session_cents(offer))
    if offer.refund_rule is RefundRule.NONE:
        return "Unused sessions are not refunded."
    if offer.refund_rule is RefundRule.PER_SESSION:
        return f"Unused sessions are refunded at {each} each until the series expires."
    return (f"Unused sessions are refunded at {each} each, less a "
            f"{format_cents(offer.refund_fee_cents)} fee, until the series expires.")


def late_text(offer, cancellation_hours: int) -> str:
    """The rule for cancelling a booked session, in plain words."""
    free = (f"Cancel a booked session at least {cancellation_hours} hours ahead and the "
            "session goes back to your series.")
    if offer.late_rule is LateRule.USED:
        return free + " A later cancellation or a missed visit uses the session up."
    return free + " A later cancellation or a missed visit also gives the session back."
