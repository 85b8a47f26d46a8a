"""From a held slot to a confirmed booking: the hold page with its countdown and
next step, promotion codes, the deposit, and the confirmation page."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from ...extensions import rate_limit
from ...forms.base import EmptyForm
from ...forms.booking import BankCheckForm, ConfirmForm, PaymentForm, PromotionForm
from ...forms.giftcards import RedeemForm
from ...forms.series import UseSeriesForm
from ...models import BookingStatus, PaymentStatus, utcnow
from ...services import booking as bookings
from ...services.booking import deposits
from ...services.booking import intake_step as booking_intake
from ...services.booking.changes import free_cancellation_until
from ...services.booking.pricing import PromotionRefused
from ...services.common.local_time import describe_time
from ...services.payments import PaymentRefused, PaymentUnavailable
from ...services.series import sessions as series_sessions
from ..actions import run
from ..htmx import is_htmx, redirect_to, render
from ..loaders import my_booking_or_404
from ..payments import gateway
from ..rules import booking_rules
from ..security import shows_health_data, uses_real_stripe
from .base import bp, checkout_booking_or_404

DONE = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)
#: Tries at a gift card code that did not take one, per signed-in user and per address.
GIFT_CARD_TRIES = "10 per hour"


def checkout_page(booking, *, status: int = 200, alert: str | None = None,
                  alert_kind: str = "error", pay_form=None, promo_form=None,
                  client_secret: str | None = None, block: str = "checkout",
                  redeem_form=None):
    """The hold page as it stands now (every POST here re-renders it on a problem).
    It can say what the client's health answers meant, so it is never stored."""
    shows_health_data()
    now = utcnow()
    step = bookings.next_step(booking, now)
    alternatives = []
    if step == "expired":
        alternatives = bookings.nearby_slots(
            booking.service, around=booking.starts_at, therapist_id=None, now=now,
            rules=booking_rules())
    elif step == "refused":
        alternatives = booking_intake.gentle_services(booking)
    gw = gateway()
    open_payment = bookings.open_payment(booking)
    bank_check = gw.stand_in and (client_secret is not None or (
        open_payment is not None and open_payment.status is PaymentStatus.REQUIRES_ACTION))
    return render(
        "booking/checkout.html", block, status=status, booking=booking, step=step, now=now,
        alert=alert, alert_kind=alert_kind, alternatives=alternatives,
        pay_form=pay_form or PaymentForm(formdata=None, test_cards=gw.test_mode),
        confirm_form=ConfirmForm(formdata=None),
        promo_form=promo_form or PromotionForm(formdata=None),
        redeem_form=redeem_form or RedeemForm(formdata=None),
        release_form=EmptyForm(formdata=None), test_cards=gw.test_mode,
        stripe_key=current_app.config["STRIPE_PUBLISHABLE_KEY"]
        if uses_real_stripe(current_app) else None,
        client_secret=client_secret, free_until=free_cancellation_until(booking),
        open_payment=open_payment,
        lapsed=deposits.lapsed_attempt(booking) if step == "expired" else None,
        bank_check_form=BankCheckForm(formdata=None) if bank_check else None,
        series_choices=series_sessions.usable_for(booking.client, booking.service, now)
        if booking.series_purchase_id is None and booking.gift_card_cents == 0 else [],
        use_series_form=UseSeriesForm(formdata=None), sessions_left=series_sessions.sessions_left,
    )


@bp.get("/book/<ref:reference>")
def checkout(reference: str):
    """The held slot: what it is, how long it is kept for, and the next step."""
    booking = checkout_booking_or_404(reference)
    end_if_lapsed(booking)
    if booking.status in DONE:
        return redirect(url_for("booking.confirmation", reference=booking.reference), code=303)
    return checkout_page(booking, client_secret=_pending_check(booking))


def end_if_lapsed(booking) -> None:
    """A hold that ran out while its payment waited for the client (the bank's check
    left unanswered) ends now: the intent is cancelled at the provider, the time let
    go, and the page says so. Left as it is if the provider cannot be asked."""
    if booking.status not in (BookingStatus.HELD, BookingStatus.EXPIRED) or \
            bookings.hold_is_live(booking, utcnow()):
        return
    ended = run(lambda: deposits.end_lapsed_attempt(booking, gateway=gateway(), now=utcnow()))
    if not isinstance(ended.error, (PaymentUnavailable, PaymentRefused)):
        ended.get()


def _pending_check(booking) -> str | None:
    """The client secret of a bank's check still waiting for the client, so the page can
    show it again (Stripe.js reopens it; offline the page has the Confirm/Refuse form)."""
    payment = bookings.open_payment(booking)
    if payment is None or payment.status is not PaymentStatus.REQUIRES_ACTION or \
            not bookings.hold_is_live(booking, utcnow()):
        return None
    result = run(lambda: deposits.refresh_payment(booking, gateway=gateway(), now=utcnow())).get()
    if result is None or result.outcome is not deposits.Outcome.REQUIRES_ACTION:
        return None
    return result.client_secret


@bp.get("/book/<ref:reference>/status")
def status(reference: str):
    """Polled while a payment is processing: the page's step, or off to the confirmation."""
    booking = checkout_booking_or_404(reference)
    end_if_lapsed(booking)
    if booking.status is BookingStatus.HELD and bookings.open_payment(booking) is not None:
        run(lambda: deposits.refresh_payment(booking, gateway=gateway(), now=utcnow())).get()
    if booking.status in DONE:
        return redirect_to(url_for("booking.confirmation", reference=booking.reference))
    return checkout_page(booking)


def _checkout_again(message: str):
    """Too many tries at a checkout step: the hold's page again, with what was chosen."""
    booking = checkout_booking_or_404(request.view_args["reference"])
    if request.endpoint == "booking.promotion":
        form = PromotionForm()
        form.code.errors = [message]
        return checkout_page(booking, promo_form=form, block="price")
    if request.endpoint == "booking.redeem_gift_card":
        form = RedeemForm()
        form.code.errors = [message]
        return checkout_page(booking, redeem_form=form)
    pay_form = PaymentForm(test_cards=gateway().test_mode) if request.endpoint == "booking.pay" \
        else None
    return checkout_page(booking, pay_form=pay_form, alert=message)


@bp.post("/book/<ref:reference>/promotion")
@rate_limit("20 per minute", methods=["POST"], page=_checkout_again)
def promotion(reference: str):
    """Apply (or remove) a promotion code; the price and deposit update in place."""
    booking = checkout_booking_or_404(reference)
    form = PromotionForm()
    if not form.validate_on_submit():
        return checkout_page(booking, promo_form=form, status=422, block="price")
    if form.remove.data:
        outcome = run(lambda: bookings.remove_promotion(booking, now=utcnow()))
    else:
        outcome = run(lambda: bookings.apply_promotion(booking, code=form.code.data, now=utcnow()))
    if isinstance(outcome.error, PromotionRefused):
        form.code.errors = [outcome.message]
        return checkout_page(booking, promo_form=form, status=422, block="price")
    if not outcome.ok:
        return checkout_page(booking, alert=outcome.message, status=409)
    if not is_htmx():
        return redirect(url_for("booking.checkout", reference=booking.reference), code=303)
    return checkout_page(booking, block="price")


def _refused(response) -> bool:
    """Only a try that did not take a gift card counts against the guessing limit."""
    return response.status_code >= 400


@bp.post("/book/<ref:reference>/gift-card")
@login_required
@rate_limit(GIFT_CARD_TRIES, methods=["POST"], page=_checkout_again, deduct_when=_refused)
@rate_limit(GIFT_CARD_TRIES, methods=["POST"], page=_checkout_again, deduct_when=_refused,
            key_func=get_remote_address)
def redeem_gift_card(reference: str):
    """Pay the deposit (or part of it) with a gift card code, or take the card off."""
    booking = checkout_booking_or_404(reference)
    if booking.status in DONE:
        return redirect_to(url_for("booking.confirmation", reference=booking.reference))
    form = RedeemForm()
    if not form.validate_on_submit():
        return checkout_page(booking, redeem_form=form, status=422)
    if form.action.data == "remove":
        outcome = run(lambda: bookings.remove_gift_card(booking, client=current_user,
                                                        now=utcnow()))
    else:
        outcome = run(lambda: bookings.redeem_gift_card(
            booking, code=form.code.data, client=current_user, now=utcnow()))
    if isinstance(outcome.error, bookings.GiftCardRefused):
        form.code.errors = [outcome.message]
        return checkout_page(booking, redeem_form=form, status=422)
    if not outcome.ok:
        return checkout_page(booking, alert=outcome.message, status=outcome.status)
    if booking.status in DONE:
        flash("You are booked: your gift card paid the whole deposit. A confirmation is on "
              "its way by e-mail.", "success")
        return redirect_to(url_for("booking.confirmation", reference=booking.reference))
    if not is_htmx():
        return redirect(url_for("booking.checkout", reference=booking.reference), code=303)
    return checkout_page(booking, block="checkout")


@bp.post("/book/<ref:reference>/pay")
@login_required
@rate_limit("10 per minute", methods=["POST"], page=_checkout_again)
def pay(reference: str):
    """Pay the deposit: a server-confirmed PaymentIntent (a declined card keeps the hold)."""
    booking = checkout_booking_or_404(reference)
    if booking.status in DONE:  # paid already (a second click, a retry after an error)
        return redirect_to(url_for("booking.confirmation", reference=booking.reference))
    gw = gateway()
    form = PaymentForm(test_cards=gw.test_mode)
    if not form.validate_on_submit():
        return checkout_page(booking, pay_form=form, status=422)
    done = url_for("booking.confirmation", reference=booking.reference)
    # The deposit service commits its attempt before it calls the provider, and again
    # with what the provider said; ``run`` answers a refusal (rolled back) the same way.
    paid = run(lambda: deposits.pay_deposit(booking, payment_method=form.payment_method,
                                            gateway=gw, now=utcnow()))
    if not paid.ok:
        end_if_lapsed(booking)
        return checkout_page(booking, alert=paid.message, status=409)
    return after_payment(booking, paid.value, form, done=done)


@bp.get("/book/<ref:reference>/pay/return")
@login_required
def payment_return(reference: str):
    """Back from 3-D Secure (Stripe.js): the server asks the provider how it went."""
    booking = checkout_booking_or_404(reference)
    done = url_for("booking.confirmation", reference=booking.reference)
    result = run(lambda: deposits.refresh_payment(booking, gateway=gateway(), now=utcnow())).get()
    if result is None:
        return redirect(url_for("booking.checkout", reference=booking.reference), code=303)
    return after_payment(booking, result, None, done=done)


@bp.post("/book/<ref:reference>/pay/bank-check")
@login_required
@rate_limit("10 per minute", methods=["POST"], page=_checkout_again)
def bank_check(reference: str):
    """Offline (the local Stripe stand-in) only: the client answers for their bank in the
    3-D Secure check, as Stripe's own test page lets them do with real test keys."""
    booking = checkout_booking_or_404(reference)
    gw = gateway()
    if not gw.stand_in:
        abort(404)
    form = BankCheckForm()
    if not form.validate_on_submit():
        return checkout_page(booking, status=422, alert=" ".join(form.decision.errors)
                             or "Confirm or refuse the payment.")
    if not bookings.hold_is_live(booking, utcnow()):  # too late: the check is called off
        end_if_lapsed(booking)
        if booking.status in DONE:  # it went through just before the hold ran out
            return redirect_to(url_for("booking.confirmation", reference=booking.reference))
        return checkout_page(booking, status=409)
    done = url_for("booking.confirmation", reference=booking.reference)
    result = run(lambda: deposits.answer_bank_check(
        booking, approve=form.decision.data == "approve", gateway=gw, now=utcnow())).get()
    if result is None:
        return redirect_to(url_for("booking.checkout", reference=booking.reference))
    return after_payment(booking, result, None, done=done)


def after_payment(booking, result: deposits.PaymentResult, form, *, done: str):
    """Say what the payment did, keeping the hold and what was typed on every failure.

    ``done`` (the confirmation's address) is worked out before the payment commits, so
    a confirmed booking is answered without touching the database again: it is never
    reported as a failure because the database went away just after the commit.
    """
    outcome = result.outcome
    if outcome is deposits.Outcome.CONFIRMED:
        flash("You are booked. A confirmation is on its way by e-mail.", "success")
        return redirect_to(done)
    until = describe_time(booking.hold_expires_at, booking.timezone)
    if outcome is deposits.Outcome.DECLINED:
        if form is not None:
            form.forget_card()  # paying again must be a deliberate choice of another card
        message = (f"Payment declined: {result.message} Nothing was charged. Your time is still "
                   f"held for you until {until}; try another card.")
        return checkout_page(booking, alert=message, status=402, pay_form=form)
    if outcome is deposits.Outcome.UNAVAILABLE:
        message = (f"{result.message} Your time is still held for you until {until}. Please "
                   "try again in a moment: you will never be charged twice for this booking.")
        return checkout_page(booking, alert=message, status=503, pay_form=form)
    if outcome is deposits.Outcome.SLOT_GONE:
        return checkout_page(booking, alert=result.message, status=409)
    if outcome is deposits.Outcome.REQUIRES_ACTION:
        return checkout_page(booking, client_secret=result.client_secret, pay_form=form,
                             alert="Your bank wants to confirm this payment.", alert_kind="info")
    return checkout_page(booking, alert=result.message or "Your bank is still processing the "
                         "payment; this page updates when it is done.", alert_kind="info")


@bp.post("/book/<ref:reference>/confirm")
@login_required
def confirm_free(reference: str):
    """Confirm a booking whose clinic asks for no deposit."""
    booking = checkout_booking_or_404(reference)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return checkout_page(booking, status=422)
    outcome = run(lambda: bookings.confirm_without_deposit(booking, now=utcnow()))
    if not outcome.ok:
        return checkout_page(booking, alert=outcome.message, status=409)
    flash("You are booked. A confirmation is on its way by e-mail.", "success")
    return redirect_to(url_for("booking.confirmation", reference=booking.reference))


@bp.post("/book/<ref:reference>/release")
def release(reference: str):
    """Let the held time go (for someone else, or to choose another)."""
    booking = checkout_booking_or_404(reference)
    if not EmptyForm().validate_on_submit():
        abort(400)
    outcome = run(lambda: bookings.release_hold(
        booking, actor=current_user if current_user.is_authenticated else None, now=utcnow()))
    if not outcome.ok:
        return checkout_page(booking, alert=outcome.message, status=409)
    flash(f"You let {describe_time(booking.starts_at, booking.timezone)} go.", "info")
    return redirect_to(url_for("booking.start", slug=booking.clinic.slug,
                               service=booking.service_id))


@bp.get("/book/<ref:reference>/confirmed")
@login_required
def confirmation(reference: str):
    """You are booked: the visit in the clinic's time, what was paid, the policy, the .ics."""
    booking = my_booking_or_404(reference)
    if booking.status not in DONE:
        return redirect(url_for("booking.checkout", reference=booking.reference), code=303)
    return render("booking/confirmation.html", booking=booking,
                  payment=bookings.paid_payment(booking),
                  free_until=free_cancellation_until(booking))
