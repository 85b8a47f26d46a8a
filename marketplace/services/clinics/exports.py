"""CSV exports of a clinic's bookings and deposits for a range of local days.

Cells go through ``csv_safe`` (no spreadsheet formulas); money is written as
plain decimal dollars ("115.00") and times in the booking's own zone with its
offset, so a spreadsheet can sum and sort them. Every export is audited: the
bookings file carries clients' contact details.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import func, select

from ...models import (
    Booking,
    BookingStatus,
    Clinic,
    Location,
    Payment,
    Promotion,
    Service,
    Therapist,
    User,
    db,
)
from .. import audit
from ..common.csv_safe import csv_stream
from ..common.local_time import zone
from .money import TAKEN, Period, deposits, gift_cards, series, utc_bounds

MAX_ROWS = 50_000

BOOKING_COLUMNS = (
    "reference", "status", "visit_date", "starts_local", "ends_local", "time_zone",
    "location", "therapist", "service", "client_name", "client_email", "client_phone",
    "price", "discount", "deposit_due", "deposit_paid", "deposit_refunded",
    "promotion_code", "screening_outcome", "clearance_confirmed", "booked_at_local",
    "cancelled_by", "cancel_reason",
)
DEPOSIT_COLUMNS = (
    "paid_at_local", "reference", "visit_starts_local", "client_name", "service",
    "booking_status", "amount", "refunded", "kept", "open", "payment_status",
    "payment_intent",
)


def dollars(cents: int | None) -> str:
    """Cents as plain decimal dollars for spreadsheets: 11500 -> "115.00"."""
    cents = cents or 0
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def local_iso(value: datetime | None, tz: str) -> str:
    """ISO 8601 in ``tz`` with its offset, to the minute ("" for None)."""
    return value.astimezone(zone(tz)).isoformat(timespec="minutes") if value else ""


def bookings_csv(*, clinic: Clinic, p: Period, tz: str, actor: User, now: datetime) -> str:
    """The clinic's bookings whose visit starts in the period (lapsed holds left out)."""
    start, end = utc_bounds(p, tz)
    in_range = (Booking.clinic_id == clinic.id, Booking.starts_at >= start,
                Booking.starts_at < end, Booking.status != BookingStatus.EXPIRED)
    stmt = (
        select(Booking.id, Booking.reference, Booking.status, Booking.starts_at,
               Booking.ends_at, Booking.timezone, Location.name, Therapist.name, Service.name,
               User.name, User.email, User.phone, Booking.price_cents, Booking.discount_cents,
               Booking.deposit_cents, Promotion.code, Booking.screening_outcome,
               Booking.clearance_confirmed, Booking.created_at, Booking.cancelled_by,
               Booking.cancel_reason)
        .join(Location, Booking.location_id == Location.id)
        .join(Therapist, Booking.therapist_id == Therapist.id)
        .join(Service, Booking.service_id == Service.id)
        .outerjoin(User, Booking.client_id == User.id)
        .outerjoin(Promotion, Booking.promotion_id == Promotion.id)
        .where(*in_range)
        .order_by(Booking.starts_at, Booking.id)
        .limit(MAX_ROWS)
    )
    money = _money_by_booking(in_range)
    rows = [_booking_cells(*row[1:], *money.get(row[0], (0, 0)))
            for row in db.session.execute(stmt)]
    _audit(clinic, "export.bookings_csv", p, len(rows), actor=actor, now=now)
    return "".join(csv_stream(BOOKING_COLUMNS, rows))


def _money_by_booking(in_range) -> dict[int, tuple[int, int]]:
    """booking id -> (deposit paid, refunded), in a query of its own: joined to the
    export as a grouped subquery, PostgreSQL's planner chose a nested loop (47 s
    for a year)."""
    rows = db.session.execute(
        select(Payment.booking_id, func.sum(Payment.amount_cents),
               func.sum(Payment.refunded_cents))
        .join(Booking, Payment.booking_id == Booking.id)
        .where(Payment.status.in_(TAKEN), *in_range)
        .group_by(Payment.booking_id)
    )
    return {booking_id: (paid or 0, refunded or 0) for booking_id, paid, refunded in rows}


def _booking_cells(reference, status, starts_at, ends_at, tz, location, therapist, service,
                   client, email, phone, price, discount, deposit, code, screening,
                   clearance, booked_at, cancelled_by, cancel_reason, paid, refunded) -> tuple:
    return (
        reference, status.value, starts_at.astimezone(zone(tz)).date().isoformat(),
        local_iso(starts_at, tz), local_iso(ends_at, tz), tz, location, therapist, service,
        client or "", email or "", phone or "", dollars(price), dollars(discount),
        dollars(deposit), dollars(paid), dollars(refunded), code or "",
        screening.value if screening else "", "yes" if clearance else "no",
        local_iso(booked_at, tz), cancelled_by.value if cancelled_by else "",
        cancel_reason or "",
    )


def deposits_csv(*, clinic: Clinic, p: Period, tz: str, actor: User, now: datetime) -> str:
    """Every deposit taken in the period, with what became of it."""
    summary = deposits(clinic=clinic, p=p, tz=tz)
    _audit(clinic, "export.deposits_csv", p, len(summary.lines), actor=actor, now=now)
    return "".join(csv_stream(DEPOSIT_COLUMNS, _deposit_rows(summary.lines, tz)))


def _deposit_rows(lines, tz: str) -> Iterator[tuple]:
    for line in lines:
        yield (
            local_iso(line.paid_at, tz), line.reference, local_iso(line.starts_at, line.timezone),
            line.client_name, line.service_name, line.status.value, dollars(line.amount),
            dollars(line.refunded), dollars(line.kept), dollars(line.open),
            line.payment_status.value, line.intent_id or "",
        )


GIFT_CARD_COLUMNS = ("at_local", "gift_card", "entry", "amount", "booking",
                     "sold_total", "redeemed_total", "expired_total", "outstanding_now",
                     "series")


def gift_cards_csv(*, clinic: Clinic, p: Period, tz: str, actor: User, now: datetime) -> str:
    """The clinic's gift card ledger in the period, one row per entry; the totals (and the
    balance outstanding now) are repeated on every row so a filtered sheet keeps them."""
    summary = gift_cards(clinic=clinic, p=p, tz=tz)
    _audit(clinic, "export.gift_cards_csv", p, len(summary.movements), actor=actor, now=now)
    totals = (dollars(summary.sold), dollars(summary.redeemed), dollars(summary.expired),
              dollars(summary.outstanding))
    rows = ((local_iso(m.at, tz), m.reference, m.kind.value, dollars(m.amount),
             m.booking_reference or "", *totals, m.series_reference or "")
            for m in summary.movements)
    return "".join(csv_stream(GIFT_CARD_COLUMNS, rows))


SERIES_COLUMNS = ("series", "client", "service", "paid_at_local", "price", "sessions",
                  "used", "left", "refunded_sessions", "refund", "expires_at_local", "status",
                  "liability_now", "paid_by_gift_card")


def series_csv(*, clinic: Clinic, p: Period, tz: str, actor: User, now: datetime) -> str:
    """The clinic's series sold or refunded in the period, one row each, with the sessions
    used and left and the liability (sessions left at the per-session price) now."""
    summary = series(clinic=clinic, p=p, tz=tz, now=now)
    _audit(clinic, "export.series_csv", p, len(summary.lines), actor=actor, now=now)
    rows = ((x.purchase.reference, x.purchase.client.name, x.purchase.service.name,
             local_iso(x.purchase.paid_at, tz), dollars(x.purchase.price_cents),
             x.purchase.sessions_total, x.used, x.left, x.purchase.refunded_sessions,
             dollars(x.purchase.refund_cents), local_iso(x.purchase.expires_at, tz),
             x.purchase.status.value, dollars(x.liability),
             dollars(x.purchase.gift_card_cents)) for x in summary.lines)
    return "".join(csv_stream(SERIES_COLUMNS, rows))


def _audit(clinic: Clinic, action: str, p: Period, rows: int, *, actor: User,
           now: datetime) -> None:
    audit.record(actor=actor, action=action, obj=clinic, now=now,
                 detail={"from": p.first.isoformat(), "to": p.last.isoformat(), "rows": rows})
