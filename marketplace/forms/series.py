"""Forms of treatment series: the owner's offer, buying one, booking the course,
using a session at checkout."""

from __future__ import annotations

from datetime import datetime

from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.utils import unset_value
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..models import LateRule, RefundRule
from ..models.series import MAX_SESSIONS, MIN_SESSIONS
from ..services.common.money import parse_dollars
from .base import EXPECTS_TEXT, BaseForm
from .booking import PaymentForm
from .giftcards import RedeemForm
from .listing import SaneDate, int_or_none


def _cents(field) -> int:
    try:
        return parse_dollars(field.data or "")
    except ValueError as exc:
        raise ValidationError("Enter an amount in dollars, like 540 or 57.50.") from exc


class SeriesOfferForm(BaseForm):
    """An owner's series: the service, how many sessions, the price, validity and rules."""

    service_id = SelectField("Service", coerce=int_or_none,
                             validators=[InputRequired("Choose a service.")])
    sessions = IntegerField(
        "Sessions", default=6, validators=[InputRequired("Enter how many sessions."), NumberRange(
            MIN_SESSIONS, MAX_SESSIONS,
            message=f"A series has {MIN_SESSIONS} to {MAX_SESSIONS} sessions.")])
    price = StringField("Price of the series", validators=[InputRequired("Enter the price."),
                                                          Length(max=12)],
                        description="Less than that many single visits.",
                        render_kw={"inputmode": "decimal"})
    validity = IntegerField("Valid for", default=12, validators=[
        InputRequired("Enter how long the series is valid."),
        NumberRange(1, 1095, message="Enter a number from 1 to 1095.")])
    validity_unit = RadioField("Unit", choices=[("weeks", "Weeks"), ("days", "Days")],
                               default="weeks", validators=[InputRequired()])
    refund_rule = RadioField("Unused sessions", choices=[
        (RefundRule.PER_SESSION.value, "Refunded at the series' per-session price"),
        (RefundRule.PER_SESSION_LESS_FEE.value, "Refunded at that price, less a fee"),
        (RefundRule.NONE.value, "Not refunded")],
        default=RefundRule.PER_SESSION.value, validators=[InputRequired()])
    refund_fee = StringField("Fee (for “less a fee”)", validators=[Optional(), Length(max=12)],
                             render_kw={"inputmode": "decimal"})
    late_rule = RadioField("A late cancellation or a no-show", choices=[
        (LateRule.USED.value, "Uses the session up"),
        (LateRule.RETURNED.value, "Gives the session back")],
        default=LateRule.USED.value, validators=[InputRequired()],
        description="Inside the clinic's free-cancellation window the session always "
                    "goes back.")

    def validate_price(self, field):
        if _cents(field) <= 0:
            raise ValidationError("Enter a price above $0.")

    def validate_refund_fee(self, field):
        if self.refund_rule.data == RefundRule.PER_SESSION_LESS_FEE.value:
            if not (field.data or "").strip():
                raise ValidationError("Enter the fee.")
            _cents(field)

    @property
    def validity_days(self) -> int:
        return self.validity.data * (7 if self.validity_unit.data == "weeks" else 1)

    @property
    def price_cents(self) -> int:
        return parse_dollars(self.price.data)

    @property
    def refund_fee_cents(self) -> int:
        if self.refund_rule.data != RefundRule.PER_SESSION_LESS_FEE.value:
            return 0
        return parse_dollars(self.refund_fee.data or "0")


class SeriesPaymentForm(PaymentForm):
    """Paying for a series: the deposit's card choice (3-D Secure included), and
    agreeing to the rules shown above it."""

    agree = BooleanField(
        "I have read the rules of this series above",
        validators=[DataRequired(message="Please confirm you have read the rules of the "
                                         "series.")])

    def validate(self, extra_validators=None) -> bool:
        # The card's Optional() ends its checks on an empty choice, so the check that one
        # was made at all is here: nothing reaches the provider without a card.
        valid = super().validate(extra_validators)
        if not (self.payment_method or "").strip():
            self.card.errors = [*self.card.errors, "Choose a card to pay with."]
            return False
        return valid


class SeriesGiftCardForm(RedeemForm):
    """A gift card code paying a series before any card payment, with the rules agreed to."""

    agree = BooleanField(
        "I have read the rules of this series above", id="gift_card_agree",
        validators=[DataRequired(message="Please confirm you have read the rules of the "
                                         "series.")])


class CourseForm(BaseForm):
    """Plan the course: a therapist, the first visit, and how often."""

    class Meta:
        csrf = False  # a GET form: planning changes nothing

    therapist_id = SelectField("Therapist", coerce=int_or_none,
                               validators=[InputRequired("Choose a therapist.")])
    first_day = DateField("First visit", validators=[InputRequired("Choose the first day."),
                                                     SaneDate()])
    first_time = TimeField("At", validators=[InputRequired("Choose a time.")])
    every = RadioField("How often", choices=[("7", "Every week"), ("14", "Every two weeks"),
                                             ("days", "Every few days")],
                       default="7", validators=[InputRequired()])
    every_days = IntegerField("Every how many days", validators=[
        Optional(), NumberRange(1, 28, message="Enter 1 to 28 days.")])

    def validate_every_days(self, field):
        if self.every.data == "days" and field.data is None:
            raise ValidationError("Enter how many days apart.")

    @property
    def interval_days(self) -> int:
        return self.every_days.data if self.every.data == "days" else int(self.every.data)


class IndexedTimesField(Field):
    """Times posted as ``starts-0``, ``starts-1``, ...: one hidden input or one radio group
    per session of the course."""

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors, self.raw_data, self.data = [], [], []
        if formdata is None:
            return
        keys = [self.name] + [f"{self.name}-{index}" for index in range(MAX_SESSIONS)]
        if any(isinstance(v, FileStorage) for k in keys for v in formdata.getlist(k)):
            self.process_errors.append(EXPECTS_TEXT)
            return
        for key in keys[1:]:
            value = formdata.get(key)
            if isinstance(value, str):
                self.data.append(value.strip())

    def _value(self) -> str:
        return ""


class CourseHoldForm(BaseForm):
    """Hold the planned course: one chosen time per session (ISO 8601, UTC)."""

    therapist_id = HiddenField(validators=[InputRequired()])
    starts = IndexedTimesField()

    def validate_therapist_id(self, field):
        if not (field.data or "").isdigit() or len(field.data) > 9:
            raise ValidationError("Choose a therapist.")

    def validate_starts(self, field):
        if not field.data:
            raise ValidationError("Choose a time for each session.")
        for value in field.data:
            try:
                moment = datetime.fromisoformat(value) if len(value) <= 40 else None
            except (TypeError, ValueError) as exc:
                raise ValidationError("Choose a time for each session.") from exc
            if moment is None or moment.tzinfo is None:
                raise ValidationError("Choose a time for each session.")

    @property
    def start_times(self) -> list[datetime]:
        return [datetime.fromisoformat(value) for value in self.starts.data]


class UseSeriesForm(BaseForm):
    """At checkout: let a session of a series pay for this visit, or stop it doing so."""

    series = StringField(validators=[Optional(), Length(max=12)])
    action = StringField(validators=[Optional(), AnyOf(["use", "remove"])])
