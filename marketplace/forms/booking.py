"""Forms of the booking flow: picking a slot, holding it, promotion codes, paying,
cancelling and moving a booking."""

from __future__ import annotations

from datetime import UTC, date, datetime

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..services.common.local_time import zone
from ..services.common.text import plain_text
from ..services.payments import TEST_CARD_AUTHENTICATE, TEST_CARD_DECLINED, TEST_CARD_SUCCEEDS
from .base import BaseForm, GetForm

MAX_ID = 2**31 - 1
THERAPIST_CHOICE = Regexp(r"^(any|[1-9][0-9]{0,9})$", message="Choose a therapist or “Any”.")


def parse_start(value: str | None, tz: str) -> datetime | None:
    """An ISO 8601 start ("2031-03-04T09:00:00-05:00", or local wall time) as aware UTC."""
    if not value:
        return None
    text = value.strip().replace(" ", "+")  # a "+" offset arrives as a space in a query string
    if len(text) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not 2000 <= parsed.year <= 2200:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(tz))
    return parsed.astimezone(UTC)


def therapist_id_of(value: str | None) -> int | None:
    """None for "any", else the id (the form has already checked the shape)."""
    return None if not value or value == "any" else int(value)


class PickerForm(GetForm):
    """What the slot picker shows: read from the query string, so links can preselect."""

    service = SelectField("Service", coerce=int, validate_choice=False,
                          validators=[Optional()])
    therapist = StringField("Therapist", default="any", validators=[Optional(), THERAPIST_CHOICE])
    date = DateField("Date", validators=[Optional()])
    start = StringField("Time", validators=[Optional(), Length(max=40)])

    def validate_service(self, field):
        if field.data is not None and not 0 < field.data <= MAX_ID:
            raise ValidationError("Choose one of the clinic's services.")

    def validate_date(self, field):
        if field.data is not None and not date(2000, 1, 1) <= field.data <= date(2200, 1, 1):
            raise ValidationError("Choose a date from the calendar.")


class HoldForm(BaseForm):
    """One slot button: the service, who, and the start with its UTC offset."""

    service = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=MAX_ID)])
    therapist = StringField(default="any", validators=[InputRequired(), THERAPIST_CHOICE])
    start = StringField(validators=[InputRequired(), Length(max=40)])


class PromotionForm(BaseForm):
    code = StringField("Promotion code", validators=[Optional(), Length(max=40)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters"})
    apply = SubmitField("Apply")
    remove = SubmitField("Remove the code")

    def validate_code(self, field):
        if self.apply.data and not field.data:
            raise ValidationError("Enter a promotion code.")


class PaymentForm(BaseForm):
    """The deposit: a test card offline, or a payment method made by Stripe.js."""

    card = RadioField(
        "Test card",
        choices=[(TEST_CARD_SUCCEEDS, "Visa ending 4242: the payment succeeds"),
                 (TEST_CARD_DECLINED, "Visa ending 0341: the bank declines it"),
                 (TEST_CARD_AUTHENTICATE,
                  "Visa ending 3220: the bank asks you to confirm (3-D Secure)")],
        validators=[Optional()],
        description="This site is in test mode: no real money moves.",
    )
    payment_method_id = HiddenField(validators=[
        Optional(), Regexp(r"^pm_[A-Za-z0-9_]{1,96}$", message="Enter your card again."),
    ])
    agree = BooleanField(
        "I have read the cancellation policy above",
        validators=[DataRequired(message="Please confirm you have read the cancellation policy.")],
    )

    def __init__(self, *args, test_cards: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.test_cards = test_cards

    def validate_card(self, field):
        if not self.payment_method_id.data and not (self.test_cards and field.data):
            raise ValidationError("Choose a card to pay with.")

    def forget_card(self) -> None:
        """After a decline: no card stays chosen (a Stripe.js card is entered again)."""
        self.card.data = None
        self.payment_method_id.data = ""

    @property
    def payment_method(self) -> str:
        return self.payment_method_id.data or self.card.data


class BankCheckForm(BaseForm):
    """Offline only: the client answers for their bank in a 3-D Secure check."""

    decision = StringField(validators=[
        InputRequired(message="Confirm or refuse the payment."),
        AnyOf(["approve", "refuse"], message="Confirm or refuse the payment."),
    ])


class ConfirmForm(BaseForm):
    """Confirm a booking that needs no deposit."""

    agree = BooleanField(
        "I have read the cancellation policy above",
        validators=[DataRequired(message="Please confirm you have read the cancellation policy.")],
    )


class CancelForm(BaseForm):
    reason = TextAreaField("Reason (optional, shared with the clinic)", filters=[plain_text],
                           validators=[Optional(), Length(max=500)])
    confirm = BooleanField(
        "Yes, cancel this booking",
        validators=[DataRequired(message="Tick the box to confirm the cancellation.")],
    )


class RescheduleForm(BaseForm):
    therapist = StringField(default="any", validators=[InputRequired(), THERAPIST_CHOICE])
    start = StringField(validators=[InputRequired(), Length(max=40)])
    #: Set only by the confirmation's "Confirm the move" button: without it nothing moves.
    confirm = BooleanField()


class WaitlistForm(BaseForm):
    """Joining a waitlist: the service, who (or anyone), the days and the parts of the day."""

    service = SelectField("Service", coerce=int, validate_choice=False,
                          validators=[InputRequired(message="Choose a service.")])
    therapist = StringField("Therapist", default="any", validators=[Optional(), THERAPIST_CHOICE])
    first_day = DateField("First day", validators=[InputRequired(message="Choose the first day.")])
    last_day = DateField("Last day", validators=[InputRequired(message="Choose the last day.")])
    morning = BooleanField("Morning (before noon)")
    afternoon = BooleanField("Afternoon (noon to 5 PM)")
    evening = BooleanField("Evening (from 5 PM)")

    def validate_service(self, field):
        if field.data is not None and not 0 < field.data <= MAX_ID:
            raise ValidationError("Choose one of the clinic's services.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.service.errors and self.service.data is None \
                and not getattr(self.service, "got_file", False):  # not a number at all
            self.service.errors = ["Choose a service."]
        return valid

    def validate_first_day(self, field):
        _calendar_date(field)

    def validate_last_day(self, field):
        _calendar_date(field)


def _calendar_date(field) -> None:
    if field.data is not None and not date(2000, 1, 1) <= field.data <= date(2200, 1, 1):
        raise ValidationError("Choose a date from the calendar.")


class WaitlistFilterForm(GetForm):
    """The owner's waitlist page: one service, one therapist, or all."""

    service = IntegerField("Service", validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    therapist = IntegerField("Therapist", validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
