"""Treatment series from the client's side: buying one (the rules shown first, paid in
full by card, 3-D Secure included), its page (sessions left, bookings, the refund of
unused sessions), "Book the course", and using a session at a booking's checkout."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from ...extensions import rate_limit
from ...forms.base import EmptyForm
from ...forms.booking import BankCheckForm
from ...forms.giftcards import RedeemForm
from ...forms.series import (
    CourseForm,
    CourseHoldForm,
    SeriesGiftCardForm,
    SeriesPaymentForm,
    UseSeriesForm,
)
from ...models import SeriesStatus, utcnow
from ...services.common.errors import NotFound
from ...services.common.local_time import zone
from ...services.intake.records import keyring_for
from ...services.series import course, offers, purchase, refunds, sessions
from ...services.series import gift_cards as series_gift_cards
from ...services.series.purchase import Outcome
from ..actions import run
from ..htmx import is_htmx, redirect_to, render
from ..loaders import published_clinic_or_404
from ..payments import gateway
from ..rules import booking_rules
from ..security import uses_real_stripe
from .base import bp, checkout_booking_or_404
from .checkout import DONE, GIFT_CARD_TRIES, _refused, checkout_page


def _series_or_404(reference: str):
    found = purchase.by_reference(reference)
    if found is None or found.client_id != current_user.id:
        abort(404)
    return found


def _offer_or_404(clinic, offer_id: int):
    try:
        return offers.live_offer(clinic, offer_id)
    except NotFound as exc:
        abort(404, description=str(exc))


def _stripe_key() -> str | None:
    """The publishable key when the real Stripe.js card field is used (not offline)."""
    config = current_app.config
    return config["STRIPE_PUBLISHABLE_KEY"] if uses_real_stripe(current_app) else None


def _new_page(offer, form, *, status: int = 200, alert: str | None = None, gift_form=None):
    return render("booking/series_new.html", "series_form", status=status, offer=offer,
                  clinic=offer.clinic, form=form, alert=alert, series=offers,
                  gift_form=gift_form or SeriesGiftCardForm(formdata=None),
                  rules_text=purchase.policy_text(offer), test_cards=gateway().test_mode,
                  stripe_key=_stripe_key())


def series_page(found, *, status: int = 200, alert: str | None = None, pay_form=None,
                alert_kind: str = "error", client_secret: str | None = None,
                redeem_form=None):
    """The client's page of a series: its payment, sessions, bookings, course, refund."""
    gw, now = gateway(), utcnow()
    waiting = found.status is SeriesStatus.PENDING and found.intent_id is not None
    return render(
        "booking/series.html", "series_page", status=status, purchase=found, now=now,
        alert=alert, alert_kind=alert_kind, test_cards=gw.test_mode,
        stripe_key=_stripe_key(), client_secret=client_secret if not gw.stand_in else None,
        left=sessions.sessions_left(found, now), used=sessions.sessions_used(found, now),
        uses_session=sessions.uses_session, refund=refunds.terms(found, now),
        held=course.held_course(found, now), answered=course.answered_visit(found),
        bank_check_form=BankCheckForm(formdata=None) if gw.stand_in and waiting else None,
        pay_form=pay_form or SeriesPaymentForm(formdata=None, test_cards=gw.test_mode),
        button_form=EmptyForm(formdata=None),
        redeem_form=redeem_form or RedeemForm(formdata=None),
        gift_card_open=not purchase.payment_open(found, now))


@bp.route("/clinics/<slug:slug>/series/<int:offer_id>/buy", methods=["GET", "POST"])
@login_required
@rate_limit("10 per minute", methods=["POST"])
def series_new(slug: str, offer_id: int):
    """A series' rules, then paying for it in full."""
    offer = _offer_or_404(published_clinic_or_404(slug), offer_id)
    form = SeriesPaymentForm(test_cards=gateway().test_mode)
    if not form.validate_on_submit():
        return _new_page(offer, form, status=422 if form.errors else 200)
    started = run(lambda: purchase.start(client=current_user, offer=offer, now=utcnow()))
    if not started.ok:
        return _new_page(offer, form, status=started.status, alert=started.message)
    return _pay(started.value, form)


@bp.post("/clinics/<slug:slug>/series/<int:offer_id>/gift-card")
@login_required
@rate_limit(GIFT_CARD_TRIES, methods=["POST"], deduct_when=_refused)
@rate_limit(GIFT_CARD_TRIES, methods=["POST"], deduct_when=_refused,
            key_func=get_remote_address)
def series_new_gift_card(slug: str, offer_id: int):
    """Start paying for a series with a gift card code of the clinic: it pays all of the
    price (the series is then paid) or part of it (the card pays the rest on its page)."""
    offer = _offer_or_404(published_clinic_or_404(slug), offer_id)
    pay_form = SeriesPaymentForm(formdata=None, test_cards=gateway().test_mode)
    form = SeriesGiftCardForm()
    if not form.validate_on_submit():
        return _new_page(offer, pay_form, gift_form=form, status=422)

    def start_and_redeem():
        now = utcnow()
        found = purchase.start(client=current_user, offer=offer, now=now)
        purchase.redeem_gift_card(found, code=form.code.data, client=current_user,
                                  now=now)
        return found

    outcome = run(start_and_redeem)  # a refused code rolls the new purchase back too
    if isinstance(outcome.error, series_gift_cards.GiftCardRefused):
        form.code.errors = [outcome.message]
        return _new_page(offer, pay_form, gift_form=form, status=422)
    if not outcome.ok:
        return _new_page(offer, pay_form, gift_form=form, status=outcome.status,
                         alert=outcome.message)
    return _gift_card_taken(outcome.value)


@bp.post("/series/<ref:reference>/gift-card")
@login_required
@rate_limit(GIFT_CARD_TRIES, methods=["POST"], deduct_when=_refused)
@rate_limit(GIFT_CARD_TRIES, methods=["POST"], deduct_when=_refused,
            key_func=get_remote_address)
def series_gift_card(reference: str):
    """A gift card code for a series not paid yet, or take the card's part off it."""
    found = _series_or_404(reference)
    if found.status not in (SeriesStatus.PENDING, SeriesStatus.DECLINED):
        return redirect_to(url_for("booking.series", reference=found.reference))
    form = RedeemForm()
    if not form.validate_on_submit():
        return series_page(found, redeem_form=form, status=422)
    if form.action.data == "remove":
        outcome = run(lambda: purchase.remove_gift_card(found, client=current_user,
                                                       now=utcnow()))
    else:
        outcome = run(lambda: purchase.redeem_gift_card(found, code=form.code.data,
                                                       client=current_user, now=utcnow()))
    if isinstance(outcome.error, series_gift_cards.GiftCardRefused):
        form.code.errors = [outcome.message]
        return series_page(found, redeem_form=form, status=422)
    if not outcome.ok:
        return series_page(found, alert=outcome.message, status=outcome.status)
    if form.action.data == "remove":
        flash(f"The gift card no longer pays for this series: ${outcome.value / 100:,.2f} "
              "went back to it.", "success")
        return redirect_to(url_for("booking.series", reference=found.reference))
    return _gift_card_taken(found)


def _gift_card_taken(found):
    if found.status is SeriesStatus.PAID:
        flash("Thank you: your gift card paid the whole series. Book your sessions below; a "
              "receipt is on its way by e-mail.", "success")
    else:
        flash(f"Your gift card pays ${found.gift_card_cents / 100:,.2f} of the series; pay "
              f"the remaining ${found.card_cents / 100:,.2f} by card below.", "success")
    return redirect_to(url_for("booking.series", reference=found.reference))


@bp.get("/series/<ref:reference>")
@login_required
def series(reference: str):
    """A series the signed-in client bought (polled while its payment is processing)."""
    found = _series_or_404(reference)
    secret = None
    if found.status is SeriesStatus.PENDING and found.intent_id:
        result = run(lambda: purchase.refresh(found, gateway=gateway(), now=utcnow())).value
        if result is not None and result.outcome is Outcome.REQUIRES_ACTION:
            secret = result.client_secret  # real Stripe.js shows the bank's check again
    return series_page(found, client_secret=secret)


@bp.post("/series/<ref:reference>/pay")
@login_required
@rate_limit("10 per minute", methods=["POST"])
def series_pay(reference: str):
    """Pay for a series again (another card after a decline): never charged twice."""
    found = _series_or_404(reference)
    if found.status not in (SeriesStatus.PENDING, SeriesStatus.DECLINED):
        return redirect_to(url_for("booking.series", reference=found.reference))
    form = SeriesPaymentForm(test_cards=gateway().test_mode)
    if not form.validate_on_submit():
        return series_page(found, status=422, pay_form=form)
    return _pay(found, form)


@bp.post("/series/<ref:reference>/pay/bank-check")
@login_required
@rate_limit("10 per minute", methods=["POST"])
def series_bank_check(reference: str):
    """Offline (the local Stripe stand-in) only: the client answers for their bank."""
    found = _series_or_404(reference)
    gw = gateway()
    if not gw.stand_in:
        abort(404)
    form = BankCheckForm()
    if not form.validate_on_submit():
        return series_page(found, status=422, alert="Confirm or refuse the payment.")
    result = run(lambda: purchase.answer_bank_check(
        found, approve=form.decision.data == "approve", gateway=gw, now=utcnow())).get()
    if result is None:
        return redirect_to(url_for("booking.series", reference=found.reference))
    return _answer(found, result, None)


def _pay(found, form):
    result = run(lambda: purchase.pay(found, payment_method=form.payment_method,
                                      gateway=gateway(), now=utcnow())).get()
    return _answer(found, result, form)


def _answer(found, result, form):
    done = url_for("booking.series", reference=found.reference)
    if result.outcome is Outcome.PAID:
        flash("Thank you: the series is paid. Book your sessions below; a receipt is on its "
              "way by e-mail.", "success")
        return redirect_to(done)
    if result.outcome is Outcome.DECLINED:
        if form is not None:
            form.forget_card()
        return series_page(found, status=402, pay_form=form, alert=(
            f"Payment declined: {result.message} Nothing was charged; try another card."))
    if result.outcome is Outcome.UNAVAILABLE:
        return series_page(found, status=503, pay_form=form, alert=(
            f"{result.message} Please try again in a moment: you will never be charged "
            "twice for this series."))
    if result.outcome is Outcome.REQUIRES_ACTION:
        return series_page(found, pay_form=form, alert_kind="info",
                           client_secret=result.client_secret,
                           alert="Your bank wants to confirm this payment.")
    return series_page(found, alert_kind="info", alert=result.message or (
        "Your bank is still processing the payment; this page updates when it is done."))


@bp.post("/series/<ref:reference>/refund")
@login_required
@rate_limit("10 per minute", methods=["POST"])
def series_refund(reference: str):
    """Refund the unused sessions under the series' rule; the series closes."""
    found = _series_or_404(reference)
    form = EmptyForm()
    if not form.validate_on_submit():
        return series_page(found, status=422, alert="That form was incomplete; try again.")
    outcome = run(lambda: refunds.refund_unused(found, actor=current_user, gateway=gateway(),
                                                now=utcnow()))
    if not outcome.ok:
        return series_page(found, status=outcome.status, alert=outcome.message)
    done = outcome.value
    to_card = done.cents - done.gift_card_cents
    where = (f"${done.gift_card_cents / 100:,.2f} goes back to your gift card"
             + (f" and ${to_card / 100:,.2f} to your card" if to_card else "")
             if done.gift_card_cents else f"${done.cents / 100:,.2f} goes back to your card")
    flash(f"{done.sessions} unused session{'s' if done.sessions != 1 else ''} refunded: "
          + where + (" as soon as the payment service answers." if done.pending else "."),
          "success")
    return redirect_to(url_for("booking.series", reference=found.reference))


# --- book the course ------------------------------------------------------------------


def _course_form(found) -> CourseForm:
    form = CourseForm(request.args)
    form.therapist_id.choices = [("", "Choose a therapist")] + [
        (t.id, t.name) for t in found.service.therapists if t.active]
    return form


def _first_start(found, form) -> datetime:
    local = datetime.combine(form.first_day.data, form.first_time.data)
    return local.replace(tzinfo=zone(found.timezone)).astimezone(UTC)


def course_page(found, *, form=None, plan=None, status: int = 200, alert: str | None = None):
    """The course planner: the pattern's form, then its times (or nearest alternatives)."""
    return render("booking/series_course.html", "course", status=status, purchase=found,
                  form=form or _course_form(found), plan=plan, alert=alert, now=utcnow(),
                  left=sessions.sessions_left(found, utcnow()),
                  hold_form=CourseHoldForm(formdata=None), tz=found.timezone)


@bp.get("/series/<ref:reference>/course")
@login_required
def series_course(reference: str):
    """Plan the course: a therapist, a first visit, weekly or every N days."""
    found = _series_or_404(reference)
    form = _course_form(found)
    if not request.args:
        return course_page(found, form=form)
    if not form.validate():
        return course_page(found, form=form, status=422)
    planned = run(lambda: course.plan(
        found, therapist_id=form.therapist_id.data, first_start=_first_start(found, form),
        every_days=form.interval_days, now=utcnow(), rules=booking_rules()))
    if not planned.ok:
        planned.show_on(form)
        return course_page(found, form=form, status=planned.status,
                           alert=None if form.errors else planned.message)
    return course_page(found, form=form, plan=planned.value)


@bp.post("/series/<ref:reference>/course")
@login_required
@rate_limit("10 per minute", methods=["POST"])
def series_course_hold(reference: str):
    """Hold every chosen time of the course at once, or none of them."""
    found = _series_or_404(reference)
    form = CourseHoldForm()
    if not form.validate_on_submit():
        return course_page(found, status=422, alert=" ".join(
            [*form.starts.errors, *form.therapist_id.errors]) or "Choose a time for each "
            "session.")
    held = run(lambda: course.hold(found, client=current_user,
                                   therapist_id=int(form.therapist_id.data),
                                   starts=form.start_times, now=utcnow(), rules=booking_rules()))
    if not held.ok:
        return course_page(found, status=held.status, alert=held.message)
    flash(f"{len(held.value)} sessions are held for you for {course.COURSE_HOLD_MINUTES} "
          "minutes. Answer the health questions once, then book the course.", "success")
    return redirect_to(url_for("booking.series", reference=found.reference) + "#course")


@bp.post("/series/<ref:reference>/course/confirm")
@login_required
def series_course_confirm(reference: str):
    """Book every held session of the course with the health answers given once."""
    found = _series_or_404(reference)
    if not EmptyForm().validate_on_submit():
        return series_page(found, status=422, alert="That form was incomplete; try again.")
    done = run(lambda: course.confirm(found, client=current_user,
                                      keyring=keyring_for(current_app.config), now=utcnow()))
    if not done.ok:
        return series_page(found, status=done.status, alert=done.message)
    flash(f"Your course is booked: {len(done.value)} visits. Confirmations are on their way "
          "by e-mail.", "success")
    return redirect_to(url_for("booking.series", reference=found.reference))


# --- a session paying at checkout ---------------------------------------------------------


@bp.post("/book/<ref:reference>/series")
@login_required
def use_series(reference: str):
    """Let a session of the client's series pay for this held visit, or stop it doing so."""
    booking = checkout_booking_or_404(reference)
    if booking.status in DONE:
        return redirect_to(url_for("booking.confirmation", reference=booking.reference))
    form = UseSeriesForm()
    if not form.validate_on_submit():
        return checkout_page(booking, status=422, alert="That form was incomplete; try again.")
    if form.action.data == "remove":
        outcome = run(lambda: sessions.undraw(booking, now=utcnow()))
    else:
        chosen = purchase.by_reference(form.series.data or "")
        if chosen is None or chosen.client_id != current_user.id:
            return checkout_page(booking, status=404, alert="No such series.")
        outcome = run(lambda: sessions.draw(booking, chosen, now=utcnow()))
    if not outcome.ok:
        return checkout_page(booking, alert=outcome.message, status=outcome.status)
    if not is_htmx():
        return redirect(url_for("booking.checkout", reference=booking.reference), code=303)
    return checkout_page(booking)
