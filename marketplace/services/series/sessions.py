"""The sessions of a series, counted from its bookings (a counted relation).

A booking a series pays for (``bookings.series_purchase_id``) uses one of its
sessions while it is held (live) or confirmed, and once it is completed. A hold that
lapsed or was let go uses none; neither does a cancellation inside the free window
(or any by the clinic, an admin or the system): the session is back. A late
cancellation by the client or a no-show follows the series' stored ``late_rule``.
Refunded sessions are gone. So the count can never drift from the bookings.

Two bookings drawing the last session are decided in turn: ``draw`` locks the series
row (``SELECT ... FOR UPDATE``; SQLite runs one writer at a time under
``BEGIN IMMEDIATE``) before counting, so the second counts the first's booking.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ...models import (
    Booking,
    BookingStatus,
    LateRule,
    SeriesPurchase,
    SeriesStatus,
    Service,
    User,
    db,
)
from ..booking import pricing
from ..booking.changes import refund_due_cents
from ..booking.holds import hold_is_live, open_payment, require_live_hold
from ..common.errors import Conflict


class NoSessionLeft(Conflict):
    """The series cannot pay for this booking (used up, expired, refunded, another service)."""


def uses_session(booking: Booking, purchase: SeriesPurchase, now: datetime) -> bool:
    """Whether this booking takes one of the series' sessions as things stand."""
    status = booking.status
    if status is BookingStatus.HELD:
        return hold_is_live(booking, now)
    if status in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED):
        return True
    if status is BookingStatus.NO_SHOW:
        return purchase.late_rule is LateRule.USED
    if status is BookingStatus.CANCELLED and booking.confirmed_at is not None:
        returned = refund_due_cents(booking, paid_cents=1) == 1  # inside the free window
        return not returned and purchase.late_rule is LateRule.USED
    return False


def sessions_used(purchase: SeriesPurchase, now: datetime) -> int:
    """Sessions its bookings take now."""
    return sum(1 for b in purchase.bookings if uses_session(b, purchase, now))


def sessions_left(purchase: SeriesPurchase, now: datetime) -> int:
    """Sessions still to book: none unless paid, unexpired and not refunded."""
    if not is_usable(purchase, now):
        return 0
    return max(0, purchase.sessions_total - purchase.refunded_sessions
               - sessions_used(purchase, now))


def unused_sessions(purchase: SeriesPurchase, now: datetime) -> int:
    """Sessions neither booked nor refunded (whether or not the series has expired)."""
    if purchase.status is not SeriesStatus.PAID:
        return 0
    return max(0, purchase.sessions_total - purchase.refunded_sessions
               - sessions_used(purchase, now))


def is_usable(purchase: SeriesPurchase, now: datetime) -> bool:
    return (purchase.status is SeriesStatus.PAID and purchase.expires_at is not None
            and now < purchase.expires_at)


def lock(purchase: SeriesPurchase) -> None:
    """Lock the series row until the transaction ends (drawers count in turn)."""
    db.session.flush()
    db.session.refresh(purchase, with_for_update=True)
    db.session.expire(purchase, ["bookings"])


def usable_for(client: User | None, service: Service, now: datetime) -> list[SeriesPurchase]:
    """The client's series that can pay for a visit of ``service`` now, soonest expiry first."""
    if client is None:
        return []
    rows = db.session.scalars(
        select(SeriesPurchase).where(
            SeriesPurchase.client_id == client.id, SeriesPurchase.service_id == service.id,
            SeriesPurchase.status == SeriesStatus.PAID, SeriesPurchase.expires_at > now)
        .order_by(SeriesPurchase.expires_at))
    return [p for p in rows if sessions_left(p, now) > 0]


def check_can_draw(purchase: SeriesPurchase, booking: Booking, now: datetime) -> None:
    """Raise ``NoSessionLeft`` unless the series may pay for this booking."""
    if booking.client_id != purchase.client_id or booking.service_id != purchase.service_id:
        raise NoSessionLeft("This series is for another service or client.")
    if purchase.status is not SeriesStatus.PAID:
        raise NoSessionLeft("This series is not paid, or its sessions were refunded.")
    if not is_usable(purchase, now):
        raise NoSessionLeft("This series has expired.")
    if booking.starts_at >= purchase.expires_at:
        raise NoSessionLeft("This visit is after the series expires.")
    if sessions_left(purchase, now) <= 0:
        raise NoSessionLeft("This series has no sessions left.")


def draw(booking: Booking, purchase: SeriesPurchase, *, now: datetime) -> Booking:
    """Let a session of the series pay for a held booking: no deposit, nothing due.

    The series' stored cancellation window replaces the clinic's current one on the
    booking, so the rule the client saw before buying is the one that applies.
    """
    require_live_hold(booking, now)
    if booking.series_purchase_id == purchase.id:
        return booking
    if booking.series_purchase_id is not None:
        raise Conflict("Another series already pays for this booking.")
    if open_payment(booking) is not None:
        raise Conflict("A payment is in progress; the series cannot be used now.")
    if booking.gift_card_cents > 0 or booking.promotion_id is not None:
        raise Conflict("Remove the gift card and the promotion code before using a series.")
    lock(purchase)
    check_can_draw(purchase, booking, now)
    _pay_with(booking, purchase)
    db.session.flush()
    return booking


def _pay_with(booking: Booking, purchase: SeriesPurchase) -> None:
    booking.series_purchase_id = purchase.id
    booking.series_purchase = purchase
    booking.price_cents = purchase.per_session_cents
    booking.discount_cents, booking.deposit_cents = 0, 0
    booking.policy_cancellation_hours = purchase.cancellation_hours
    booking.policy_text = purchase.policy_text


def undraw(booking: Booking, *, now: datetime) -> None:
    """Stop a series paying for a held booking (the client pays the deposit instead)."""
    require_live_hold(booking, now)
    if booking.series_purchase_id is None:
        return
    quote = pricing.quote(booking.service, booking.clinic)
    booking.series_purchase_id, booking.series_purchase = None, None
    booking.price_cents, booking.discount_cents = quote.price_cents, quote.discount_cents
    booking.deposit_cents = quote.deposit_cents
    booking.policy_cancellation_hours = booking.clinic.cancellation_window_hours
    booking.policy_text = booking.clinic.policy_text or ""
