"""Booking: a client's visit from hold to confirmation, change or cancellation,
and the deposit that secures it.

This ``__init__`` is the package's public face: views and other domains call
``bookings.place_hold(...)``, ``bookings.next_step(...)``, ``bookings.cancel(...)``
after ``from marketplace.services import booking as bookings``. Inside the
package each module imports its siblings directly, never this face.

- ``holds``: placing, claiming, releasing and expiring holds (the database decides contested slots)
- ``intake_step``: the health-intake step of a hold (screening, saved answers)
- ``checkout``: what a hold still needs, promotions, confirmation
- ``pricing``: prices, deposits due and promotion codes applied
- ``deposits``: taking deposits through the payment provider and settling what it says
- ``refunds``: refunding a deposit, exactly the amount owed, however often asked
- ``payment_events``: the provider's webhook events, applied once each
- ``reconcile``: settling payments whose outcome a request never saw
- ``gift_cards``: paying a deposit (or part of it) with a gift card, and giving that part back
- ``changes``: cancelling (with the refund the policy allows) and rescheduling
- ``notifications`` and ``ics``: the e-mails and calendar files a booking sends
- ``picker``: the slot picker's days and times (first open day, the 7-day strip)

README.md beside this file has the states, the money invariants and the payment flow.
"""

from .changes import Cancellation, cancel, client_bookings, refund_due_cents, reschedule
from .checkout import (
    INTAKE_REQUIRED,
    NotReady,
    apply_promotion,
    confirm,
    confirm_without_deposit,
    next_step,
    remove_promotion,
    require_ready_to_pay,
)
from .gift_cards import GiftCardRefused, redeem_gift_card, release_hold, remove_gift_card
from .holds import (
    OPEN_PAYMENT,
    PAID,
    REFERENCE_PATTERN,
    HoldLapsed,
    NotBookable,
    SlotTaken,
    bookable_services,
    by_reference,
    check_bookable,
    claim_hold,
    client_booking,
    expire_lapsed_holds,
    hold_is_live,
    is_overlap,
    is_reference,
    nearby_slots,
    new_hold_token,
    open_payment,
    paid_payment,
    place_hold,
    require_live_hold,
    slots_between,
    token_matches,
)

__all__ = [
    "INTAKE_REQUIRED", "OPEN_PAYMENT", "PAID", "REFERENCE_PATTERN", "Cancellation",
    "GiftCardRefused", "HoldLapsed", "redeem_gift_card", "remove_gift_card",
    "NotBookable", "NotReady", "SlotTaken", "apply_promotion", "bookable_services", "by_reference",
    "cancel", "check_bookable", "claim_hold", "client_booking", "client_bookings", "confirm",
    "confirm_without_deposit", "expire_lapsed_holds", "hold_is_live", "is_overlap",
    "is_reference", "nearby_slots", "new_hold_token", "next_step", "open_payment",
    "paid_payment", "place_hold", "refund_due_cents", "release_hold", "remove_promotion",
    "require_live_hold", "require_ready_to_pay", "reschedule", "slots_between", "token_matches",
]
