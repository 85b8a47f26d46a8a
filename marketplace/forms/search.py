"""Search filters read from the query string: the search page's form and the API's.

Every field parses strictly (no NaN, no 1e309, no 20-digit pages) and says
in words what it wants. Whether a technique, condition or place exists is
the search service's call; these forms check only the shape of the input.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from wtforms import Field, SearchField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError
from wtforms.widgets import DateInput, NumberInput, TextInput

from ..services.common.features import AMENITIES, LANGUAGES
from ..services.discovery.plan import RATING_HELP
from ..services.discovery.search import MAX_PER_PAGE, MAX_RADIUS_MI, SORTS, SearchQuery
from .admin import MultiCheckboxField
from .base import GetForm

RADIUS_CHOICES = (5, 10, 25, 50, 100)
RATING_CHOICES = [("", "Any rating"), ("3", "3 stars and up"), ("3.5", "3.5 and up"),
                  ("4", "4 stars and up"), ("4.5", "4.5 and up")]
SORT_CHOICES = list(SORTS.items())
MAX_PAGE = 1000


class ParsedField(Field):
    """A text input parsed by ``pattern`` and ``convert``; anything else is ``message``."""

    widget = TextInput()
    pattern = re.compile(r".*")

    def __init__(self, label=None, validators=None, *, message: str, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message

    def convert(self, text: str):
        return text

    def process_formdata(self, valuelist):
        if not valuelist:
            return  # absent: keep the default
        raw = valuelist[0]
        if not raw:
            self.data = self.default
        elif not self.pattern.fullmatch(raw):
            self.data = None
            raise ValueError(self.message)
        else:
            self.data = self.convert(raw)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class WholeNumberField(ParsedField):
    """A whole number between ``low`` and ``high``."""

    widget = NumberInput()

    def __init__(self, label=None, validators=None, *, low: int, high: int, message: str,
                 **kwargs):
        super().__init__(label, validators, message=message, **kwargs)
        self.low, self.high = low, high
        self.pattern = self.pattern_for(high)

    @staticmethod
    def pattern_for(high: int) -> re.Pattern:
        """Digits only, no more of them than ``high`` has (no 20-digit numbers)."""
        return re.compile(rf"\d{{1,{len(str(high))}}}")

    def convert(self, text: str) -> int:
        value = int(text)
        if not self.low <= value <= self.high:
            raise ValueError(self.message)
        return value


class DecimalNumberField(WholeNumberField):
    """A number with up to two decimals, between ``low`` and ``high``."""

    widget = NumberInput(step="any")

    @staticmethod
    def pattern_for(high: int) -> re.Pattern:
        return re.compile(rf"\$?\d{{1,{len(str(high))}}}(\.\d{{1,2}})?")

    def convert(self, text: str) -> Decimal:
        value = Decimal(text.lstrip("$"))
        if not self.low <= value <= self.high:
            raise ValueError(self.message)
        return value


class DayField(ParsedField):
    """A calendar date written 2026-03-14 (what a date input sends)."""

    widget = DateInput()
    pattern = re.compile(r"\d{4}-\d{2}-\d{2}")

    def convert(self, text: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(self.message) from None


class ChoiceField(SelectField):
    """A select whose wrong values get ``message`` rather than "Not a valid choice"."""

    def __init__(self, label=None, validators=None, *, message: str, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message

    def pre_validate(self, form):
        if self.validate_choice and self.data not in {value for value, *_ in self.choices}:
            raise ValidationError(self.message)


class SearchFilters(GetForm):
    """The filters the search page and the API share."""

    q = SearchField(
        "Technique, condition, clinic or therapist",
        validators=[Optional(), Length(max=100, message="Use at most 100 characters.")],
        render_kw={"placeholder": "e.g. trigger point, sciatica", "autocomplete": "off"},
    )
    technique = SelectField("Technique", choices=[("", "Any technique")], validate_choice=False)
    condition = SelectField("Condition", choices=[("", "Any condition")], validate_choice=False)
    near = StringField("Near", validators=[Optional(), Length(
        max=80, message="Enter a ZIP code or a city and state, like Denver, CO.")],
        render_kw={"placeholder": "ZIP or City, ST", "autocomplete": "postal-code"})
    radius_mi = WholeNumberField(
        "Within (miles)", low=1, high=MAX_RADIUS_MI, default=25,
        message=f"Choose a distance from 1 to {MAX_RADIUS_MI} miles.",
        render_kw={"min": 1, "max": MAX_RADIUS_MI, "inputmode": "numeric"})
    max_price = DecimalNumberField(
        "Max price per 60 min ($)", low=1, high=10000,
        message="Enter a price in dollars, like 120.", render_kw={"min": 1, "placeholder": "Any"})
    available_on = DayField("Open slot on", message="Enter a date like 2026-03-14.")
    # Whether a language or amenity exists is the search's call (a clear message either way).
    language = SelectField("Language", choices=[("", "Any language"), *LANGUAGES.choices()],
                           validate_choice=False)
    amenity = MultiCheckboxField("Amenities (all of them)", choices=AMENITIES.choices(),
                                 validate_choice=False)
    sort = ChoiceField("Sort by", choices=SORT_CHOICES, default="relevance",
                       description=RATING_HELP,
                       message="Sort by best match, distance, price, rating or soonest opening.")
    page = WholeNumberField("Page", low=1, high=MAX_PAGE, default=1,
                            message=f"Pages run from 1 to {MAX_PAGE}.")

    def vocabulary_choices(self, vocabulary) -> None:
        """Fill the technique and condition lists from the vocabulary."""
        self.technique.choices = [("", "Any technique")] + [
            (m.slug, m.name) for m in vocabulary.modalities]
        self.condition.choices = [("", "Any condition")] + [
            (c.slug, c.name) for c in vocabulary.conditions]

    def min_rating_value(self) -> float | None:
        raise NotImplementedError

    def per_page_value(self) -> int:
        raise NotImplementedError

    def to_query(self) -> SearchQuery:
        """The validated filters as a search query."""
        max_price = self.max_price.data
        return SearchQuery(
            q=self.q.data or "", technique=self.technique.data or None,
            condition=self.condition.data or None, near=self.near.data or "",
            radius_mi=self.radius_mi.data or 25,
            max_price_cents=int(max_price * 100) if max_price is not None else None,
            available_on=self.available_on.data, min_rating=self.min_rating_value(),
            language=self.language.data or None,
            amenities=tuple(code for code in self.amenity.data or () if code),
            sort=self.sort.data or "relevance", page=self.page.data or 1,
            per_page=self.per_page_value(),
        )


class SearchForm(SearchFilters):
    """The search page: ten clinics a page, ratings from a short list."""

    min_rating = ChoiceField("Rating", choices=RATING_CHOICES, default="",
                             message="Choose a rating from the list.")

    def min_rating_value(self) -> float | None:
        return float(self.min_rating.data) if self.min_rating.data else None

    def per_page_value(self) -> int:
        return 10


class ApiSearchForm(SearchFilters):
    """``GET /api/v1/clinics``: any rating from 1 to 5, up to 50 clinics a page."""

    min_rating = DecimalNumberField("min_rating", low=1, high=5,
                                    message="min_rating is a number from 1 to 5.")
    per_page = WholeNumberField("per_page", low=1, high=MAX_PER_PAGE, default=20,
                                message=f"per_page is a whole number from 1 to {MAX_PER_PAGE}.")

    def min_rating_value(self) -> float | None:
        value = self.min_rating.data
        return float(value) if value is not None else None

    def per_page_value(self) -> int:
        return self.per_page.data or 20
