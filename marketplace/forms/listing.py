"""Forms of an owner's listing: profile, locations, therapists, services, hours,
time off, policy and promotions. Formats and ranges are checked here; rules
that need the database (stranded bookings, unknown ZIP codes) in the services."""

from __future__ import annotations

from datetime import date

from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TimeField,
    URLField,
)
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from ..models import DepositKind, PromotionKind
from ..services.clinics.hours import WEEKDAYS
from ..services.common.features import AMENITIES, LANGUAGES
from ..services.common.money import parse_dollars
from .admin import MultiCheckboxField
from .base import BaseForm, text_area

US_STATES = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY",
)
PHONE = Regexp(r"^[0-9+().\- ]{7,32}$", message="Enter a phone number, like 727-279-5205.")
WEEKDAY_CHOICES = list(enumerate(WEEKDAYS))


class SaneDate:
    """Dates this product can mean: 2000 to 2100 (9999-12-31 plus a day overflows)."""

    FIRST, LAST = date(2000, 1, 1), date(2100, 12, 31)

    def __call__(self, form, field):
        if field.data is not None and not self.FIRST <= field.data <= self.LAST:
            raise ValidationError("Enter a date between 2000 and 2100.")


def int_or_none(value):
    """Coerce a select's value: "" (no choice) is None."""
    if value in (None, "", "None"):
        return None
    return int(value)


def _text(label: str, limit: int, *, required: bool = False, rows: int = 4, **kw):
    first = InputRequired() if required else Optional()
    return text_area(label, limit, rows=rows, first=(first,), **kw)


def _dollars(field) -> int | None:
    """The field's amount in cents, or a validation error that says what to type."""
    try:
        return parse_dollars(field.data or "")
    except ValueError as exc:
        raise ValidationError("Enter an amount in dollars, like 115 or 57.50.") from exc


class ProfileForm(BaseForm):
    name = StringField("Clinic name", validators=[InputRequired(), Length(max=160)])
    tagline = StringField("Tagline (optional)", validators=[Optional(), Length(max=200)],
                          description="One line under the name in search results.")
    description = _text("About the clinic", 4000, rows=6,
                        description="Your approach, who you help, what to expect.")
    phone = TelField("Phone", validators=[Optional(), PHONE])
    email = EmailField("E-mail for clients (optional)",
                       validators=[Optional(), Email(check_deliverability=False), Length(max=254)])
    website = URLField("Website (optional)", validators=[
        Optional(), Length(max=300),
        Regexp(r"^https?://[^\s<>\"']+\.[^\s<>\"']+$", message="Enter a web address "
               "starting with https://"),
    ])
    # Unknown codes are refused by the service, with a message naming them.
    amenity_codes = MultiCheckboxField("Amenities", choices=AMENITIES.choices(),
                                   validate_choice=False,
                                   description="Clients can search for these.")


class AddressFields:
    address_line1 = StringField("Street address", validators=[InputRequired(), Length(max=200)])
    address_line2 = StringField("Suite, floor (optional)", validators=[Optional(), Length(max=200)])
    city = StringField("City (optional)", validators=[Optional(), Length(max=100)],
                       description="Leave it blank to use the ZIP code's city.")
    zip_code = StringField(
        "ZIP code",
        validators=[InputRequired(), Regexp(r"^\d{5}(-\d{4})?$", message="Enter a 5-digit ZIP.")],
        description="It sets the map position and the time zone of your schedule.",
        render_kw={"inputmode": "numeric", "autocomplete": "postal-code"},
    )


class LocationForm(AddressFields, BaseForm):
    name = StringField("Name of this location", default="Main",
                       validators=[InputRequired(), Length(max=120)])
    phone = TelField("Phone at this location (optional)", validators=[Optional(), PHONE])


class TherapistForm(BaseForm):
    name = StringField("Name", validators=[InputRequired(), Length(max=120)])
    credentials = StringField("Credentials", validators=[Optional(), Length(max=120)],
                              description="For example LMT, CNMT.")
    licence_number = StringField("Licence number", validators=[
        Optional(), Length(max=40),
        Regexp(r"^[A-Za-z0-9][A-Za-z0-9.\- ]*$", message="Letters, digits and hyphens only."),
    ])
    licence_state = SelectField("Licensing state", choices=[("", "None")] + [
        (s, s) for s in US_STATES], validators=[Optional()])
    practicing_since = IntegerField("Practicing since (year)",
                                    validators=[Optional(), NumberRange(1950, 2100)])
    modalities = MultiCheckboxField("Techniques", coerce=int)
    language_codes = MultiCheckboxField("Languages they give sessions in",
                                   choices=LANGUAGES.choices(), validate_choice=False)
    bio = _text("Short bio", 2000)
    active = BooleanField("Takes bookings", default=True)


class ServiceForm(BaseForm):
    name = StringField("Name", validators=[InputRequired(), Length(max=160)])
    modality_id = SelectField("Technique", coerce=int_or_none,
                              validators=[InputRequired(message="Choose a technique.")])
    description = _text("Description", 2000, rows=3)
    duration_min = IntegerField("Length (minutes)", default=60,
                                validators=[InputRequired(), NumberRange(10, 480)])
    price = StringField("Price ($)", validators=[InputRequired(), Length(max=12)],
                        render_kw={"inputmode": "decimal"})
    buffer_before_min = IntegerField("Buffer before (minutes)", default=0,
                                     validators=[Optional(), NumberRange(0, 120)])
    buffer_after_min = IntegerField("Buffer after (minutes)", default=0,
                                    validators=[Optional(), NumberRange(0, 120)],
                                    description="Time to reset the room; it is not booked.")
    includes_consultation = BooleanField("Includes a consultation")
    therapist_ids = MultiCheckboxField("Given by", coerce=int)
    active = BooleanField("Offered (clients can book it)", default=True)

    def validate_price(self, field):
        if _dollars(field) <= 0:
            raise ValidationError("Enter a price above $0.")


class PolicyForm(BaseForm):
    deposit_kind = RadioField("Deposit", choices=[
        (DepositKind.PERCENT.value, "A share of the price"),
        (DepositKind.FIXED.value, "A fixed amount"),
    ], default=DepositKind.PERCENT.value, validators=[InputRequired()])
    deposit_percent = IntegerField("Deposit (% of the price)",
                                   validators=[Optional(), NumberRange(0, 100)])
    deposit_amount = StringField("Deposit ($)", validators=[Optional(), Length(max=12)],
                                 render_kw={"inputmode": "decimal"})
    cancellation_window_hours = IntegerField(
        "Free cancellation up to (hours before)", default=24,
        validators=[InputRequired(), NumberRange(0, 720)],
        description="Earlier cancellations get the deposit back; later ones and no-shows "
        "do not.",
    )
    policy_text = _text("Policy in your words", 4000, rows=5)
    intake_note = _text("Note before the health questions (optional)", 1000, rows=3)

    def validate(self, extra_validators=None) -> bool:
        # The amount a deposit kind needs is checked here: an empty optional field
        # stops its own validators before a validate_<field> method would run.
        valid = super().validate(extra_validators)
        if self.deposit_kind.data == DepositKind.FIXED.value:
            if not self.deposit_amount.data:
                self.deposit_amount.errors = [*self.deposit_amount.errors, "Enter the amount."]
                return False
            try:
                _dollars(self.deposit_amount)
            except ValidationError as exc:
                self.deposit_amount.errors = [*self.deposit_amount.errors, str(exc)]
                return False
        elif self.deposit_percent.data is None and not self.deposit_percent.errors:
            self.deposit_percent.errors = [*self.deposit_percent.errors, "Enter the percentage."]
            return False
        return valid

    def deposit_value(self) -> int:
        if self.deposit_kind.data == DepositKind.FIXED.value:
            return parse_dollars(self.deposit_amount.data)
        return self.deposit_percent.data


class _SpanTimes:
    location_id = SelectField("Location", coerce=int_or_none, validators=[InputRequired()])
    starts = TimeField("From", validators=[InputRequired(message="Enter a time, like 09:00.")])
    ends = TimeField("Until", validators=[InputRequired(message="Enter a time, like 17:00.")])

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError("The end must be after the start.")


class HoursForm(_SpanTimes, BaseForm):
    weekdays = MultiCheckboxField("Days", coerce=int, choices=WEEKDAY_CHOICES,
                                  validators=[InputRequired(message="Choose at least one day.")])


class HoursEditForm(_SpanTimes, BaseForm):
    weekday = SelectField("Day", coerce=int, choices=WEEKDAY_CHOICES,
                          validators=[InputRequired()])


class TimeOffForm(BaseForm):
    starts_on = DateField("First day",
                          validators=[InputRequired(message="Enter a date."), SaneDate()])
    starts_time = TimeField("From (optional)", validators=[Optional()],
                            description="Blank: from the start of the day.")
    ends_on = DateField("Last day", validators=[InputRequired(message="Enter a date."), SaneDate()])
    ends_time = TimeField("Until (optional)", validators=[Optional()],
                          description="Blank: to the end of the day.")
    reason = StringField("Reason (only you see it)", validators=[Optional(), Length(max=200)])


class PromotionForm(BaseForm):
    code = StringField("Code", filters=[lambda v: v.upper() if isinstance(v, str) else v],
                       validators=[InputRequired(), Length(max=40)],
                       description="What clients type, like ACU25.")
    title = StringField("Title", validators=[InputRequired(), Length(max=160)])
    description = _text("Details (optional)", 1000, rows=2)
    kind = RadioField("Discount", choices=[(PromotionKind.AMOUNT.value, "Dollars off"),
                                           (PromotionKind.PERCENT.value, "Percent off")],
                      default=PromotionKind.AMOUNT.value, validators=[InputRequired()])
    value = StringField("How much off", validators=[InputRequired(), Length(max=12)],
                        description="25 means $25 off, or 25% off.",
                        render_kw={"inputmode": "decimal"})
    modality_id = SelectField("Only for (optional)", coerce=int_or_none, validators=[Optional()])
    starts_on = DateField("First day (optional)", validators=[Optional(), SaneDate()])
    ends_on = DateField("Last day (optional)", validators=[Optional(), SaneDate()])
    max_redemptions = IntegerField("Uses in total (optional)",
                                   validators=[Optional(), NumberRange(1, 1_000_000)])
    per_client_limit = IntegerField("Uses per client (optional)", default=1,
                                    validators=[Optional(), NumberRange(1, 100)])
    active = BooleanField("Active", default=True)

    def validate_value(self, field):
        if self.kind.data == PromotionKind.PERCENT.value:
            if not (field.data or "").isdigit() or not 1 <= int(field.data) <= 100:
                raise ValidationError("Enter a whole percentage from 1 to 100.")
        elif _dollars(field) <= 0:
            raise ValidationError("Enter an amount above $0.")

    def value_units(self) -> int:
        if self.kind.data == PromotionKind.PERCENT.value:
            return int(self.value.data)
        return parse_dollars(self.value.data)
