"""Forms for gift cards: buying one (with the card to pay by) and spending one at checkout."""

from __future__ import annotations

from wtforms import DateField, EmailField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, ValidationError

from ..services.common.text import plain_text
from ..services.giftcards.purchase import MAX_CENTS, MIN_CENTS, PRESETS_CENTS
from .base import BaseForm
from .booking import PaymentForm


class GiftCardForm(BaseForm):
    """Buy a gift card: a preset or a custom whole-dollar amount, for whom, when."""

    preset = RadioField(
        "Amount",
        choices=[(str(c // 100), f"${c // 100}") for c in PRESETS_CENTS] + [("other", "Other")],
        default=str(PRESETS_CENTS[1] // 100), validators=[InputRequired("Choose an amount.")])
    custom = IntegerField(
        "Other amount, in dollars", validators=[Optional(), NumberRange(
            min=MIN_CENTS // 100, max=MAX_CENTS // 100,
            message=f"Choose a whole-dollar amount from ${MIN_CENTS // 100} "
                    f"to ${MAX_CENTS // 100}.")],
        description=f"Whole dollars, ${MIN_CENTS // 100} to ${MAX_CENTS // 100}.")
    recipient_name = StringField("Recipient’s name", filters=[plain_text],
                                 validators=[InputRequired("Enter the recipient’s name."),
                                             Length(max=100)])
    recipient_email = EmailField("Recipient’s e-mail", validators=[
        InputRequired("Enter the recipient’s e-mail address."), Length(max=254),
        Email(check_deliverability=False,
              message="Enter an e-mail address like name@example.com.")])
    message = TextAreaField("Message (optional)", filters=[plain_text],
                            validators=[Optional(), Length(max=500)],
                            description="Plain text, up to 500 characters.")
    deliver_on = DateField("Send it on", validators=[Optional()],
                           description="Today, or any day up to a year ahead. "
                                       "Empty means today.")

    def validate_preset(self, field):
        if field.data == "other" and self.custom.data is None and not self.custom.errors:
            raise ValidationError("Enter the other amount in dollars.")

    @property
    def amount_cents(self) -> int:
        dollars = self.custom.data if self.preset.data == "other" else int(self.preset.data)
        return int(dollars) * 100


class GiftCardPaymentForm(PaymentForm):
    """Paying for a gift card: the deposit's card choice (test cards offline, the 3-D
    Secure one included), without the policy box."""

    agree = None


class GiftCardPurchaseForm(GiftCardForm, GiftCardPaymentForm):
    """The purchase page's one form: the card's details and the card to pay with."""


class RedeemForm(BaseForm):
    """A gift card code at checkout (or removing the card applied)."""

    # Its own id: the checkout page also has the promotion form's "code" field, and a
    # shared id would tie this label to that input.
    code = StringField("Gift card code", id="gift_card_code",
                       validators=[Optional(), Length(max=40)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters",
                                  "spellcheck": "false"})
    action = StringField(validators=[Optional()])

    def validate_code(self, field):
        if self.action.data != "remove" and not field.data:
            raise ValidationError("Enter the gift card code from the e-mail.")
