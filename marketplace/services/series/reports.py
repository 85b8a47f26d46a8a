"""What series add up to: a client's series, and a clinic's sales, sessions used,
refunds and the liability still outstanding (the money page and its CSV).

A series is counted at its full price in ``sold`` whoever paid it; ``gift_card`` says
how much of that a gift card of the clinic paid. That part is the same money as the
card's ``redemption`` in the gift card summary (``giftcards/reports.py``), so it is
shown as "of which" and never added to the gift cards' sales: the gift card's sale
was counted when the card was bought."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ...models import SeriesPurchase, SeriesStatus, User, db
from . import sessions

SOLD = (SeriesStatus.PAID, SeriesStatus.CLOSED)


def client_series(client: User) -> list[SeriesPurchase]:
    """The client's series (paid, closed, or with a payment still open), newest first."""
    return list(db.session.scalars(
        select(SeriesPurchase).where(SeriesPurchase.client_id == client.id,
                                     SeriesPurchase.status != SeriesStatus.DECLINED)
        .options(selectinload(SeriesPurchase.bookings))
        .order_by(SeriesPurchase.created_at.desc(), SeriesPurchase.id.desc()).limit(100)))


@dataclass(frozen=True)
class SeriesLine:
    """One sold series of a clinic, as the money page and the CSV show it."""

    purchase: SeriesPurchase
    used: int  # sessions its bookings take now
    left: int  # sessions still to book (0 once expired or refunded)
    liability: int  # left x the series' per-session price: owed in visits


@dataclass(frozen=True)
class SeriesSummary:
    sold: int  # series paid in the period, in cents
    sold_count: int
    gift_card: int  # of ``sold``, what gift cards paid (already counted as gift card sales)
    refunded: int  # refunds of unused sessions asked for in the period
    sessions_used: int  # by every series sold, now
    liability: int  # sessions still to give on live series, valued at their price, now
    lines: list[SeriesLine]  # the series sold or refunded in the period


def line_for(purchase: SeriesPurchase, now: datetime) -> SeriesLine:
    left = sessions.sessions_left(purchase, now)
    return SeriesLine(purchase, sessions.sessions_used(purchase, now), left,
                      left * purchase.per_session_cents)


def clinic_summary(*, clinic_id: int, start: datetime, end: datetime,
                   now: datetime) -> SeriesSummary:
    """The clinic's series sold or refunded between ``start`` and ``end`` (UTC), and the
    sessions used and liability of all its series now."""
    every = [line_for(p, now) for p in db.session.scalars(
        select(SeriesPurchase).where(SeriesPurchase.clinic_id == clinic_id,
                                     SeriesPurchase.status.in_(SOLD))
        .options(selectinload(SeriesPurchase.bookings)).order_by(SeriesPurchase.paid_at))]

    def within(moment):
        return moment is not None and start <= moment < end

    sold = [x for x in every if within(x.purchase.paid_at)]
    refunded = [x for x in every if within(x.purchase.refund_requested_at)]
    lines = [x for x in every if within(x.purchase.paid_at)
             or within(x.purchase.refund_requested_at)]
    return SeriesSummary(
        sold=sum(x.purchase.price_cents for x in sold), sold_count=len(sold),
        gift_card=sum(x.purchase.gift_card_cents for x in sold),
        refunded=sum(x.purchase.refund_cents for x in refunded),
        sessions_used=sum(x.used for x in every), liability=sum(x.liability for x in every),
        lines=lines)


def series_query(clinic_id: int):
    """Every sold series of a clinic (for the CSV), oldest first."""
    return (select(SeriesPurchase)
            .where(SeriesPurchase.clinic_id == clinic_id,
                   or_(SeriesPurchase.status == SeriesStatus.PAID,
                       SeriesPurchase.status == SeriesStatus.CLOSED))
            .options(selectinload(SeriesPurchase.bookings))
            .order_by(SeriesPurchase.paid_at, SeriesPurchase.id))
