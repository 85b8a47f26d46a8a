"""The search form, read from the query string."""

from __future__ import annotations

from wtforms import IntegerField, SearchField, StringField
from wtforms.validators import NumberRange, Optional

from .base import GetForm


class SearchForm(GetForm):
    q = SearchField(
        "Technique, condition or clinic",
        validators=[Optional()],
        render_kw={"placeholder": "e.g. trigger point, sciatica"},
    )
    near = StringField(
        "Near",
        validators=[Optional()],
        render_kw={"placeholder": "ZIP or City, ST", "autocomplete": "postal-code"},
    )
    radius_mi = IntegerField(
        "Within (miles)",
        default=25,
        validators=[
            Optional(),
            NumberRange(min=1, max=100, message="Choose a distance from 1 to 100 miles."),
        ],
    )
