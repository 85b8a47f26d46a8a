"""Buying a gift card for a clinic: the form (with the card to pay by), the card's page
(its status, what is left, another card after a decline), and paying again."""

from __future__ import annotations

from flask import abort, flash, url_for
from flask_login import current_user, login_required

from ...extensions import rate_limit
from ...forms.giftcards import GiftCardPaymentForm, GiftCardPurchaseForm
from ...models import GiftCardStatus, utcnow
from ...services.common.local_time import local_today
from ...services.giftcards import purchase
from ...services.giftcards.purchase import Outcome
from ..actions import run
from ..htmx import redirect_to, render
from ..loaders import published_clinic_or_404
from ..payments import gateway
from .base import bp


def _card_or_404(reference: str):
    card = purchase.by_reference(reference)
    if card is None or card.buyer_id != current_user.id:
        abort(404)
    return card


def _new_page(clinic, form, *, status: int = 200, alert: str | None = None):
    return render("booking/gift_card_new.html", "gift_form", status=status, clinic=clinic,
                  form=form, alert=alert, test_cards=gateway().test_mode,
                  today=local_today(clinic.timezone, utcnow()))


def card_page(card, *, status: int = 200, alert: str | None = None, pay_form=None):
    """The buyer's page of a card: where its payment and delivery stand, and its ledger."""
    gw = gateway()
    return render("booking/gift_card.html", "gift_card", status=status, card=card,
                  alert=alert, test_cards=gw.test_mode,
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
    """A card the signed-in client bought (polled while its payment is processing)."""
    card = _card_or_404(reference)
    if card.status is GiftCardStatus.PENDING and card.intent_id:
        run(lambda: purchase.refresh(card, gateway=gateway(), now=utcnow()))
    return card_page(card)


@bp.post("/gift-cards/<ref:reference>/pay")
@login_required
@rate_limit("10 per minute", methods=["POST"])
def gift_card_pay(reference: str):
    """Pay for a card again (another card after a decline): never charged twice."""
    card = _card_or_404(reference)
    if card.status not in (GiftCardStatus.PENDING, GiftCardStatus.DECLINED):
        return redirect_to(url_for("booking.gift_card", reference=card.reference))
    form = GiftCardPaymentForm(test_cards=gateway().test_mode)
    if not form.validate_on_submit():
        return card_page(card, status=422, pay_form=form)
    return _pay(card, form)


def _pay(card, form):
    reference = card.reference
    done = url_for("booking.gift_card", reference=reference)
    paid = run(lambda: purchase.pay(card, payment_method=form.payment_method,
                                    gateway=gateway(), now=utcnow()))
    result = paid.get()
    if result.outcome is Outcome.PAID:
        flash("Thank you: the gift card is paid. A receipt is on its way by e-mail.", "success")
        return redirect_to(done)
    if result.outcome is Outcome.DECLINED:
        form.forget_card()
        return card_page(card, status=402, pay_form=form, alert=(
            f"Payment declined: {result.message} Nothing was charged; try another card."))
    if result.outcome is Outcome.UNAVAILABLE:
        return card_page(card, status=503, pay_form=form, alert=(
            f"{result.message} Please try again in a moment: you will never be charged twice "
            "for this gift card."))
    return card_page(card, alert=result.message or "Your bank is still processing the payment; "
                     "this page updates when it is done.")
