"""A clinic's deposits: what was taken, refunded and kept, per period and per
booking, and CSV exports of bookings and deposits for a date range.

Definitions (every amount in cents, every day a local day in the clinic's zone):
- a deposit is *taken* when its payment succeeds, and belongs to the period
  of that day;
- of each deposit, *refunded* is what went back to the client (whenever that
  happened), *kept* is the rest once the booking is settled (completed,
  no-show, cancelled or expired), and *open* is the rest while the visit is
  still ahead or not yet marked (it can still be refunded);
- so for every period: taken = refunded + kept + open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from ...models import (
    Booking,
    BookingStatus,
    Clinic,
    Payment,
    PaymentStatus,
    Service,
    User,
    db,
)
from ..common.errors import FieldError
from ..common.local_time import local_day_bounds, local_today
from ..giftcards import reports as gift_reports
from ..series import reports as series_reports
from .schedule import week_start

TAKEN = (PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED, PaymentStatus.REFUNDED)
UNSETTLED = (BookingStatus.HELD, BookingStatus.CONFIRMED)
MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # inclusive
    kind: str  # "week", "month" or "custom"

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def period(kind: str, *, anchor: date | None, first: date | None, last: date | None,
           tz: str, now: datetime) -> Period:
    """The week or month around ``anchor`` (today by default), or a custom range."""
    anchor = anchor or local_today(tz, now)
    if kind == "custom":
        return checked_range(first, last)
    if kind == "month":
        start = anchor.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return Period(start, following - timedelta(days=1), "month")
    start = week_start(anchor)
    return Period(start, start + timedelta(days=6), "week")


def checked_range(first: date | None, last: date | None) -> Period:
    """A custom range of at most ``MAX_RANGE_DAYS`` days, both ends included."""
    if first is None:
        raise FieldError("date_from", "Enter the first day, like 2026-03-01.")
    if last is None:
        raise FieldError("date_to", "Enter the last day, like 2026-03-31.")
    if last < first:
        raise FieldError("date_to", "The last day cannot be before the first.")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise FieldError("date_to", f"Choose at most {MAX_RANGE_DAYS} days.")
    return Period(first, last, "custom")


def utc_bounds(p: Period, tz: str) -> tuple[datetime, datetime]:
    """The UTC instants the period's first local day starts and its last one ends."""
    start, _ = local_day_bounds(p.first, tz)
    _, end = local_day_bounds(p.last, tz)
    return start, end


@dataclass(frozen=True)
class Line:
    """One deposit: its payment and booking, split into refunded, kept and open."""

    paid_at: datetime
    amount: int
    refunded: int
    reference: str
    starts_at: datetime
    timezone: str  # the booking's
    status: BookingStatus  # the booking's
    client_name: str
    service_name: str
    payment_status: PaymentStatus
    intent_id: str | None

    @property
    def settled(self) -> bool:
        return self.status not in UNSETTLED

    @property
    def kept(self) -> int:
        return self.amount - self.refunded if self.settled else 0

    @property
    def open(self) -> int:
        return 0 if self.settled else self.amount - self.refunded


@dataclass(frozen=True)
class Summary:
    period: Period
    timezone: str
    lines: list[Line]

    @property
    def taken(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def refunded(self) -> int:
        return sum(line.refunded for line in self.lines)

    @property
    def kept(self) -> int:
        return sum(line.kept for line in self.lines)

    @property
    def open(self) -> int:
        return sum(line.open for line in self.lines)


def deposits(*, clinic: Clinic, p: Period, tz: str) -> Summary:
    """Every deposit the clinic took in the period, oldest first.

    One query of plain rows (no ORM objects): a year of deposits is tens of
    thousands of them, and building objects would be most of the cost.
    """
    start, end = utc_bounds(p, tz)
    rows = db.session.execute(
        select(Payment.succeeded_at, Payment.amount_cents, Payment.refunded_cents,
               Booking.reference, Booking.starts_at, Booking.timezone, Booking.status,
               User.name, Service.name, Payment.status, Payment.intent_id)
        .join(Booking, Payment.booking_id == Booking.id)
        .join(Service, Booking.service_id == Service.id)
        .outerjoin(User, Booking.client_id == User.id)
        .where(
            Booking.clinic_id == clinic.id,
            Payment.status.in_(TAKEN),
            Payment.succeeded_at >= start,
            Payment.succeeded_at < end,
        )
        .order_by(Payment.succeeded_at, Payment.id)
    ).all()
    lines = [
        Line(paid, amount, refunded, ref, starts, zone_name, status, client or "", service,
             pay_status, intent)
        for (paid, amount, refunded, ref, starts, zone_name, status, client, service,
             pay_status, intent) in rows
    ]
    return Summary(p, tz, lines)


def booking_money(booking: Booking) -> tuple[int, int]:
    """(deposit paid, refunded) over the booking's successful payments."""
    taken = [p for p in booking.payments if p.status in TAKEN]
    return sum(p.amount_cents for p in taken), sum(p.refunded_cents for p in taken)


def gift_cards(*, clinic: Clinic, p: Period, tz: str) -> gift_reports.GiftSummary:
    """The clinic's gift cards in the period: sold, redeemed, expired; outstanding now."""
    start, end = utc_bounds(p, tz)
    return gift_reports.clinic_summary(clinic_id=clinic.id, start=start, end=end)


def series(*, clinic: Clinic, p: Period, tz: str, now: datetime) -> series_reports.SeriesSummary:
    """The clinic's treatment series sold and refunded in the period; sessions used and
    the liability still outstanding on all of them now."""
    start, end = utc_bounds(p, tz)
    return series_reports.clinic_summary(clinic_id=clinic.id, start=start, end=end, now=now)
