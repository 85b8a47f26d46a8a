"""Query strings of the JSON API beyond search (see forms/search.py for ApiSearchForm)."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..services.common.slugs import SLUG_PATTERN
from .base import GetForm
from .search import DayField, WholeNumberField

SLUG = f"^{SLUG_PATTERN}$"


class AvailabilityForm(GetForm):
    """``GET /api/v1/clinics/<slug>/availability``: one ``date``, or ``from``/``to``."""

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.date.data and (self.first.data or self.last.data):
            self.date.errors = [*self.date.errors, "Give date for one day, or from and to "
                                "for several, not both."]
            return False
        if self.first.data and not self.last.data:
            self.last.errors = [*self.last.errors, "to is required with from: the last day "
                                "to list (at most 14 days after from)."]
            return False
        return valid

    service = WholeNumberField(
        "service", low=1, high=2**31 - 1,
        validators=[DataRequired(message="service is required: the id of one of the "
                                 "clinic's services.")],
        message="service is the id of one of the clinic's services, a whole number.")
    date = DayField("date", message="date is a day written YYYY-MM-DD.")
    # a run of days in one request: from (default today) through to, at most 14 days
    first = DayField("from", name="from", message="from is a day written YYYY-MM-DD.")
    last = DayField("to", name="to", message="to is a day written YYYY-MM-DD.")
    therapist = StringField("therapist", validators=[
        Optional(), Length(max=120, message="therapist is a therapist's slug."),
        Regexp(SLUG, message="therapist is a therapist's slug, like danielle-ortiz.")])
