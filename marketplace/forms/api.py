"""Query strings of the JSON API beyond search (see forms/search.py for ApiSearchForm)."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..services.slugs import SLUG_PATTERN
from .base import GetForm
from .search import DayField, WholeNumberField

SLUG = f"^{SLUG_PATTERN}$"


class AvailabilityForm(GetForm):
    """``GET /api/v1/clinics/<slug>/availability``."""

    service = WholeNumberField(
        "service", low=1, high=2**31 - 1,
        validators=[DataRequired(message="service is required: the id of one of the "
                                 "clinic's services.")],
        message="service is the id of one of the clinic's services, a whole number.")
    date = DayField("date", message="date is a day written YYYY-MM-DD.")
    therapist = StringField("therapist", validators=[
        Optional(), Length(max=120, message="therapist is a therapist's slug."),
        Regexp(SLUG, message="therapist is a therapist's slug, like danielle-ortiz.")])
