"""Forms of the owner console outside the listing: a new clinic, a claim, and the
schedule and money filters (GET forms: bad dates become messages)."""

from __future__ import annotations

from wtforms import BooleanField, DateField, HiddenField, RadioField, SearchField, SelectField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from ..services.common.slugs import SLUG_PATTERN
from .base import BaseForm, GetForm
from .listing import AddressFields, ProfileForm, SaneDate, _text


class NewClinicForm(AddressFields, ProfileForm):
    """The clinic's name and contact, and its first location."""


class ClaimSearchForm(GetForm):
    q = SearchField("Clinic name", validators=[Optional(), Length(max=100)])


class ClaimForm(BaseForm):
    clinic = HiddenField(validators=[InputRequired(), Regexp(f"^{SLUG_PATTERN}$")])
    message = _text("How are you connected to this clinic?", 1000, required=True, rows=3,
                    description="For example: I own it; call the clinic's number to check.")

DATE_HELP = "A date like 2026-03-09."


class ScheduleForm(GetForm):
    view = RadioField("Show", choices=[("day", "Day"), ("week", "Week")], default="week",
                      validators=[Optional()])
    date = DateField("Date", validators=[Optional(), SaneDate()], description=DATE_HELP)
    therapist = SelectField("Therapist", validate_choice=False, validators=[Optional()])
    location = SelectField("Location", validate_choice=False, validators=[Optional()])

    def validate_therapist(self, field):
        _one_of(field)

    def validate_location(self, field):
        _one_of(field)


def _one_of(field) -> None:
    """An optional select: nothing, or one of its choices (the choices come from the view)."""
    if field.data and field.data not in {str(value) for value, _ in field.choices}:
        raise ValidationError(f"Choose a {field.label.text.lower()} from the list.")


class MoneyForm(GetForm):
    period = RadioField("Period", choices=[("week", "Week"), ("month", "Month"),
                                           ("custom", "Dates")],
                        default="week", validators=[Optional()])
    date = DateField("Around", validators=[Optional(), SaneDate()], description=DATE_HELP)
    date_from = DateField("From", validators=[Optional(), SaneDate()])
    date_to = DateField("To", validators=[Optional(), SaneDate()])


class ExportForm(GetForm):
    # Own ids: the money page shows this form beside the period form's date fields.
    date_from = DateField("From", id="export-from",
                          validators=[InputRequired(message="Enter the first day."), SaneDate()])
    date_to = DateField("To", id="export-to",
                        validators=[InputRequired(message="Enter the last day."), SaneDate()])



class ClinicCancelForm(BaseForm):
    """The clinic cancels a booking: the client is told why, and gets the deposit back."""

    reason = _text("Why (the client reads this in the e-mail)", 500, required=True, rows=2)
    confirm = BooleanField(
        "Yes, cancel this booking and refund the deposit",
        validators=[DataRequired(message="Tick the box to confirm the cancellation.")],
    )


class CalendarFeedForm(BaseForm):
    """Make, replace or turn off a calendar address: the clinic's (no therapist) or one
    therapist's."""

    therapist = HiddenField(validators=[Optional(), Regexp(r"^\d{1,9}$")])
