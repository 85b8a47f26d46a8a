"""What each status is called on a page, and the colour of its badge: one table.

Every status a page shows as a badge has one label and one tone here, and the
``status_badge`` macro in ``templates/_badges.html`` is the only thing that draws
them, so a booking reads the same to the client who made it, the owner who
hosts it and the admin who looks it up.

The wording is chosen so a client and an owner both understand it:

* Bookings: "Held, not booked yet" (a time kept for a few minutes while the
  client pays) is a caution; "Confirmed" is positive for everyone, because it is
  the state both sides want; "Completed" is neutral, the visit is simply over;
  "Missed" (the client did not come; owners mark it with "Mark no-show") and
  "Cancelled" are negative; "Expired" (the hold ran out unpaid) is neutral.
* Clinics: "Listed" rather than "published", "Waiting for verification" rather
  than "pending".
* Reviews: "Waiting for moderation", "Published", "Not published" (rejected,
  with a reason for the author) and "Hidden by moderators".
* Claims on a clinic: "Waiting for an admin", "Approved", "Not approved".
* Reports about a review or a visit, accounts, payments, outgoing e-mail and
  health screening outcomes have their own rows below.

Tones are the badge classes in ``static/css/app.css``: positive is
``badge-ok`` (green), caution ``badge-warn``, negative ``badge-danger`` and
neutral the plain ``badge``.

Templates compare statuses with the enums themselves, which ``register`` makes
available by name (``booking.status == BookingStatus.CONFIRMED``), never with
their stored strings.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from flask import Flask

from ..models import (
    BookingStatus,
    ClaimStatus,
    ClinicStatus,
    DepositKind,
    EntryStatus,
    GiftCardStatus,
    LateRule,
    OfferState,
    OutboxStatus,
    Party,
    PaymentStatus,
    PromotionKind,
    ReportStatus,
    ReviewStatus,
    Role,
    ScreeningOutcome,
    SeriesStatus,
    UserStatus,
)
from ..services.intake.access import Access
from ..services.messages import Side


class Tone(enum.StrEnum):
    """How a status feels, as the suffix of its badge class."""

    POSITIVE = "ok"
    CAUTION = "warn"
    NEGATIVE = "danger"
    NEUTRAL = ""

    @property
    def css_class(self) -> str:
        """The badge's classes: "badge badge-ok", or "badge" for a neutral one."""
        return f"badge badge-{self.value}" if self.value else "badge"


class Label(NamedTuple):
    text: str
    tone: Tone


#: Every member of every status enum a page badges, with its label and tone.
STATUS_LABELS: dict[type[enum.Enum], dict[enum.Enum, Label]] = {
    BookingStatus: {
        BookingStatus.HELD: Label("Held, not booked yet", Tone.CAUTION),
        BookingStatus.CONFIRMED: Label("Confirmed", Tone.POSITIVE),
        BookingStatus.COMPLETED: Label("Completed", Tone.NEUTRAL),
        BookingStatus.NO_SHOW: Label("Missed", Tone.NEGATIVE),
        BookingStatus.CANCELLED: Label("Cancelled", Tone.NEGATIVE),
        BookingStatus.EXPIRED: Label("Expired", Tone.NEUTRAL),
    },
    PaymentStatus: {
        PaymentStatus.CREATED: Label("Not paid yet", Tone.CAUTION),
        PaymentStatus.REQUIRES_ACTION: Label("Waiting for the bank's check", Tone.CAUTION),
        PaymentStatus.PROCESSING: Label("Processing", Tone.CAUTION),
        PaymentStatus.SUCCEEDED: Label("Paid", Tone.POSITIVE),
        PaymentStatus.FAILED: Label("Declined", Tone.NEGATIVE),
        PaymentStatus.CANCELED: Label("Cancelled", Tone.NEUTRAL),
        PaymentStatus.REFUNDED: Label("Refunded", Tone.NEUTRAL),
        PaymentStatus.PARTIALLY_REFUNDED: Label("Partly refunded", Tone.NEUTRAL),
    },
    ClinicStatus: {
        ClinicStatus.PENDING: Label("Waiting for verification", Tone.CAUTION),
        ClinicStatus.PUBLISHED: Label("Listed", Tone.POSITIVE),
        ClinicStatus.SUSPENDED: Label("Suspended", Tone.NEGATIVE),
    },
    ClaimStatus: {
        ClaimStatus.PENDING: Label("Waiting for an admin", Tone.CAUTION),
        ClaimStatus.APPROVED: Label("Approved", Tone.POSITIVE),
        ClaimStatus.REJECTED: Label("Not approved", Tone.NEGATIVE),
    },
    ReviewStatus: {
        ReviewStatus.PENDING: Label("Waiting for moderation", Tone.CAUTION),
        ReviewStatus.PUBLISHED: Label("Published", Tone.POSITIVE),
        ReviewStatus.REJECTED: Label("Not published", Tone.NEGATIVE),
        ReviewStatus.HIDDEN: Label("Hidden by moderators", Tone.NEGATIVE),
    },
    ReportStatus: {
        ReportStatus.OPEN: Label("Open", Tone.CAUTION),
        ReportStatus.UPHELD: Label("Upheld", Tone.NEGATIVE),
        ReportStatus.DISMISSED: Label("Dismissed", Tone.NEUTRAL),
    },
    UserStatus: {
        UserStatus.ACTIVE: Label("Active", Tone.POSITIVE),
        UserStatus.SUSPENDED: Label("Suspended", Tone.NEGATIVE),
    },
    OutboxStatus: {
        OutboxStatus.PENDING: Label("Waiting to be sent", Tone.CAUTION),
        OutboxStatus.SENT: Label("Sent", Tone.POSITIVE),
        OutboxStatus.FAILED: Label("Failed", Tone.NEGATIVE),
    },
    GiftCardStatus: {
        GiftCardStatus.PENDING: Label("Payment processing", Tone.CAUTION),
        GiftCardStatus.DECLINED: Label("Payment declined", Tone.NEGATIVE),
        GiftCardStatus.PAID: Label("Paid, to be sent", Tone.POSITIVE),
        GiftCardStatus.ACTIVE: Label("Sent", Tone.POSITIVE),
        GiftCardStatus.EXPIRED: Label("Expired", Tone.NEUTRAL),
    },
    SeriesStatus: {
        SeriesStatus.PENDING: Label("Payment processing", Tone.CAUTION),
        SeriesStatus.DECLINED: Label("Payment declined", Tone.NEGATIVE),
        SeriesStatus.PAID: Label("Paid", Tone.POSITIVE),
        SeriesStatus.CLOSED: Label("Closed: unused sessions refunded", Tone.NEUTRAL),
    },
    ScreeningOutcome: {
        ScreeningOutcome.PROCEED: Label("Screening: fine to proceed", Tone.POSITIVE),
        ScreeningOutcome.GENTLE_ONLY: Label("Screening: gentle work only", Tone.CAUTION),
        ScreeningOutcome.CLEARANCE: Label("Screening: doctor's clearance needed", Tone.CAUTION),
        ScreeningOutcome.NOT_NOW: Label("Screening: not now", Tone.NEGATIVE),
    },
    EntryStatus: {
        EntryStatus.WAITING: Label("Waiting", Tone.CAUTION),
        EntryStatus.OFFERED: Label("A time is held", Tone.POSITIVE),
        EntryStatus.BOOKED: Label("Booked from the waitlist", Tone.POSITIVE),
        EntryStatus.LEFT: Label("Left the waitlist", Tone.NEUTRAL),
        EntryStatus.EXPIRED: Label("Ended: last day passed", Tone.NEUTRAL),
    },
    OfferState: {
        OfferState.OPEN: Label("Offered, no answer yet", Tone.CAUTION),
        OfferState.ACCEPTED: Label("Being booked", Tone.CAUTION),
        OfferState.BOOKED: Label("Booked", Tone.POSITIVE),
        OfferState.DECLINED: Label("Turned down", Tone.NEUTRAL),
        OfferState.LAPSED: Label("Ran out", Tone.NEUTRAL),
    },
}

#: The enums templates compare with, by their class names.
TEMPLATE_ENUMS: tuple[type[enum.Enum], ...] = (
    *STATUS_LABELS, DepositKind, Party, PromotionKind, Role, Side, Access, LateRule,
)


def status_label(status: enum.Enum) -> Label:
    """The label and tone of one status; a KeyError for a status without a row."""
    return STATUS_LABELS[type(status)][status]


def register(app: Flask) -> None:
    app.jinja_env.globals["status_label"] = status_label
    for enum_cls in TEMPLATE_ENUMS:
        app.jinja_env.globals[enum_cls.__name__] = enum_cls
