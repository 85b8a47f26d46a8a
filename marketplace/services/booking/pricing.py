"""What a booking costs: the price, a promotion's discount, and the deposit due now.

Pure arithmetic on integer cents plus the one query promotions need (how often
this client already used a code). The booking flow quotes at hold time and
again when a promotion code is entered; the booking row keeps the result, so a
later change of the clinic's policy never changes what a client agreed to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from ...models import (
    Booking,
    BookingStatus,
    Clinic,
    DepositKind,
    Promotion,
    PromotionKind,
    Service,
    db,
)
from ..common.errors import DomainError
from ..common.money import format_cents, percent_of


class PromotionRefused(DomainError):
    """The code cannot be used for this booking; ``str()`` says why."""

    status = 422  # shown on the code field, like a field error


@dataclass(frozen=True)
class Quote:
    price_cents: int
    discount_cents: int
    deposit_cents: int
    promotion: Promotion | None = None

    @property
    def total_cents(self) -> int:
        """The price after the discount."""
        return self.price_cents - self.discount_cents

    @property
    def due_at_clinic_cents(self) -> int:
        return self.total_cents - self.deposit_cents


def deposit_for(clinic: Clinic, total_cents: int) -> int:
    """The deposit the clinic's policy asks for on a visit costing ``total_cents``."""
    return policy_deposit(clinic.deposit_kind, clinic.deposit_value, total_cents)


def policy_deposit(kind: DepositKind, value: int, total_cents: int) -> int:
    """The deposit a policy of ``kind`` and ``value`` asks for on ``total_cents``.

    Never more than the visit itself: a $30 fixed deposit on a $25 visit is $25.
    """
    deposit = percent_of(total_cents, value) if kind == DepositKind.PERCENT else value
    return max(0, min(deposit, total_cents))


def discount_for(promotion: Promotion, price_cents: int) -> int:
    if promotion.kind == PromotionKind.PERCENT:
        return min(price_cents, percent_of(price_cents, promotion.value))
    return min(price_cents, promotion.value)


def quote(service: Service, clinic: Clinic, promotion: Promotion | None = None) -> Quote:
    price = service.price_cents
    discount = discount_for(promotion, price) if promotion else 0
    return Quote(price, discount, deposit_for(clinic, price - discount), promotion)


def find_promotion(
    clinic: Clinic,
    service: Service,
    code: str,
    *,
    today: date,
    client_id: int | None = None,
    exclude_booking_id: int | None = None,
) -> Promotion:
    """The clinic's promotion for ``code``, if it applies to this service today and
    this client; otherwise ``PromotionRefused`` with a message the client can act on.

    ``today`` is the clinic's local date. Redemptions count confirmed and
    completed bookings (a held booking redeems nothing yet).
    """
    normalised = code.strip().upper()
    if not normalised:
        raise PromotionRefused("Enter a promotion code.")
    promotion = db.session.scalar(
        select(Promotion).where(Promotion.clinic_id == clinic.id, Promotion.code == normalised)
    )
    if promotion is None or not promotion.active:
        raise PromotionRefused(f"{clinic.name} has no promotion with the code {normalised}.")
    if promotion.starts_on and today < promotion.starts_on:
        raise PromotionRefused(
            f"The code {normalised} is valid from {promotion.starts_on:%B %-d, %Y}."
        )
    if promotion.ends_on and today > promotion.ends_on:
        raise PromotionRefused(f"The code {normalised} expired on {promotion.ends_on:%B %-d, %Y}.")
    if promotion.modality_id and promotion.modality_id != service.modality_id:
        technique = promotion.modality.name if promotion.modality else "another technique"
        raise PromotionRefused(f"The code {normalised} applies only to {technique} services.")
    if promotion.max_redemptions is not None and (
        promotion.redemptions_count >= promotion.max_redemptions
    ):
        raise PromotionRefused(f"The code {normalised} has been fully redeemed.")
    if client_id is not None and promotion.per_client_limit is not None:
        used = db.session.scalar(
            select(func.count(Booking.id)).where(
                Booking.client_id == client_id,
                Booking.promotion_id == promotion.id,
                Booking.status.in_((BookingStatus.CONFIRMED, BookingStatus.COMPLETED)),
                Booking.id != (exclude_booking_id or 0),
            )
        )
        if used >= promotion.per_client_limit:
            raise PromotionRefused(f"You have already used the code {normalised}.")
    return promotion


def describe(promotion: Promotion) -> str:
    """"$25 off" or "15% off", for pages and e-mails."""
    if promotion.kind == PromotionKind.PERCENT:
        return f"{promotion.value}% off"
    return f"{format_cents(promotion.value)} off"
