"""Buying a gift card for a clinic: the form (with the card to pay by), the card's page
(its status, what is left, the bank's check, another card after a decline), paying
again, and coming back from the bank's 3-D Secure check."""

from __future__ import annotations

from flask import abort, current_app, flash, url_for
from flask_login import current_user, login_required

from ...extensions import rate_limit
from ...forms.booking import BankCheckForm
from ...forms.giftcards import GiftCardPaymentForm, GiftCardPurchaseForm
from ...models import GiftCardStatus, utcnow
from ...services.common.local_time import local_today
from ...services.giftcards import purchase
from ...services.giftcards.purchase import Outcome
from ..actions import run
from ..htmx import redirect_to, render
from ..loaders import published_clinic_or_404
from ..payments import gateway
from ..security import uses_real_stripe
from .base import bp

_ASKS = "Your bank wants to confirm this payment."


def _card_or_404(reference: str):
    card = purchase.by_reference(reference)
    if card is None or card.buyer_id != current_user.id:
        abort(404)
    return card


def _stripe_key() -> str | None:
    """The publishable key when real Stripe.js takes the card (and shows the bank's check)."""
    app = current_app
    return app.config["STRIPE_PUBLISHABLE_KEY"] if uses_real_stripe(app) else None


def _new_page(clinic, form, *, status: int = 200, alert: str | None = None):
    return render("booking/gift_card_new.html", "gift_form", status=status, clinic=clinic,
                  form=form, alert=alert, test_cards=gateway().test_mode,
                  stripe_key=_stripe_key(), today=local_today(clinic.timezone, utcnow()))


def card_page(card, *, status: int = 200, alert: str | None = None, pay_form=None,
              client_secret: str | None = None):
    """The buyer's page of a card: where its payment and delivery stand, and its ledger.
    With ``client_secret`` the bank's 3-D Secure check waits for the buyer: Stripe.js
    opens it with real keys; offline the page has the Confirm/Refuse form."""
    gw = gateway()
    bank_check = client_secret is not None and card.status is GiftCardStatus.PENDING
    return render("booking/gift_card.html", "gift_card", status=status, card=card,
                  alert=alert, test_cards=gw.test_mode, stripe_key=_stripe_key(),
                  client_secret=client_secret if bank_check else None,
                  bank_check=bank_check,
                  bank_check_form=BankCheckForm(formdata=None)
                  if bank_check and gw.stand_in else None,
                  pay_form=pay_form or GiftCardPaymentForm(formdata=None,
                                                           test_cards=gw.test_mode))


@bp.route("/clinics/<slug:slug>/gift-cards/new", methods=["GET", "POST"])
@login_required
@rate_limit("10 per minute", methods=["POST"])
def gift_card_new(slug: str):
    """Buy a gift card for this clinic, paid in full now by card."""
    clinic = published_clinic_or_404(slug)
    gw = gateway()
    form = GiftCardPurchaseForm(test_cards=gw.test_mode)
    if not form.validate_on_submit():
        return _new_page(clinic, form, status=422 if form.errors else 200)
    started = run(lambda: purchase.start(
        buyer=current_user, clinic=clinic, amount_cents=form.amount_cents,
        recipient_name=form.recipient_name.data, recipient_email=form.recipient_email.data,
        message=form.message.data or "", deliver_on=form.deliver_on.data, now=utcnow()))
    if not started.ok:
        started.show_on(form)
        return _new_page(clinic, form, status=started.status)
    return _pay(started.value, form)


@bp.get("/gift-cards/<ref:reference>")
@login_required
def gift_card(reference: str):
    """A card the signed-in client bought (polled while its payment is processing; the
    bank's check again while one waits, after a reload or coming back)."""
    card = _card_or_404(reference)
    secret = None
    if card.status is GiftCardStatus.PENDING and card.intent_id:
        result = run(lambda: purchase.refresh(card, gateway=gateway(), now=utcnow())).get()
        if result is not None and result.outcome is Outcome.REQUIRES_ACTION:
            secret = result.client_secret
    return card_page(card, client_secret=secret)


@bp.post("/gift-cards/<ref:reference>/pay")
@login_required
@rate_limit("10 per minute", methods=["POST"])
def gift_card_pay(reference: str):
    """Pay for a card again (another card after a decline, or instead of the one whose
    bank's check waits): never charged twice."""
    card = _card_or_404(reference)
    if card.status not in (GiftCardStatus.PENDING, GiftCardStatus.DECLINED):
        return redirect_to(url_for("booking.gift_card", reference=card.reference))
    form = GiftCardPaymentForm(test_cards=gateway().test_mode)
    if not form.validate_on_submit():
        return card_page(card, status=422, pay_form=form)
    return _pay(card, form)


@bp.get("/gift-cards/<ref:reference>/pay/return")
@login_required
def gift_card_payment_return(reference: str):
    """Back from the bank's 3-D Secure check (Stripe.js): the server asks the provider
    how it went. Coming back again changes nothing."""
    card = _card_or_404(reference)
    result = run(lambda: purchase.refresh(card, gateway=gateway(), now=utcnow())).get()
    if result is None:  # settled already (paid, or declined and shown on the card's page)
        return redirect_to(url_for("booking.gift_card", reference=card.reference))
    return _answer(card, result, None)


@bp.post("/gift-cards/<ref:reference>/pay/bank-check")
@login_required
@rate_limit("10 per minute", methods=["POST"])
def gift_card_bank_check(reference: str):
    """Offline (the local Stripe stand-in) only: the buyer answers for their bank in the
    3-D Secure check, as Stripe's own test page lets them do with real test keys."""
    card = _card_or_404(reference)
    gw = gateway()
    if not gw.stand_in:
        abort(404)
    form = BankCheckForm()
    if not form.validate_on_submit():
        return card_page(card, status=422, alert=" ".join(form.decision.errors)
                         or "Confirm or refuse the payment.")
    result = run(lambda: purchase.answer_bank_check(
        card, approve=form.decision.data == "approve", gateway=gw, now=utcnow())).get()
    if result is None:  # settled meanwhile: its page says how
        return redirect_to(url_for("booking.gift_card", reference=card.reference))
    return _answer(card, result, None)


def _pay(card, form):
    paid = run(lambda: purchase.pay(card, payment_method=form.payment_method,
                                    gateway=gateway(), now=utcnow()))
    return _answer(card, paid.get(), form)


def _answer(card, result: purchase.PurchaseResult, form):
    """Say what the payment did; the bank's check is shown on the card's own page, so a
    reload or the back button asks the provider again instead of paying again."""
    done = url_for("booking.gift_card", reference=card.reference)
    if result.outcome is Outcome.PAID:
        flash("Thank you: the gift card is paid. A receipt is on its way by e-mail.", "success")
        return redirect_to(done)
    if result.outcome is Outcome.REQUIRES_ACTION:
        flash(_ASKS, "info")
        return redirect_to(done)
    if result.outcome is Outcome.DECLINED:
        if form is not None:
            form.forget_card()
        return card_page(card, status=402, pay_form=form, alert=(
            f"Payment declined: {result.message} Nothing was charged; try another card."))
    if result.outcome is Outcome.UNAVAILABLE:
        return card_page(card, status=503, pay_form=form, alert=(
            f"{result.message} Please try again in a moment: you will never be charged twice "
            "for this gift card."))
    return card_page(card, alert=result.message or "Your bank is still processing the payment; "
                     "this page updates when it is done.")
