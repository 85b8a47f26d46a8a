"""What a search asks for, checked and understood: the query, the vocabulary it names,
the place it means, and the sort that can apply."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ..common import geo
from ..common.errors import FieldError
from ..common.features import AMENITIES, LANGUAGES, Term
from ..common.local_time import zone
from . import index as search_index
from .terms import ConditionTerm, Technique, Vocabulary, load_vocabulary

SORTS = {
    "relevance": "Best match",
    "distance": "Distance",
    "price": "Price per 60 minutes",
    "rating": "Rating, weighted by number of reviews",
    "soonest": "Soonest opening",
}
# Sorting by rating ranks a Bayesian average: each clinic's published average,
# pulled toward RATING_PRIOR_MEAN as if it had RATING_PRIOR_WEIGHT more reviews
# of that score. One 5.0 review scores 4.17; three averaging 4.7 score 4.26.
RATING_PRIOR_MEAN = 4.0
RATING_PRIOR_WEIGHT = 5
RATING_HELP = ("Rating ranks each clinic's average as if it had five more reviews of 4 stars, "
               "so a few reviews count for less than many.")
MAX_RADIUS_MI = 100
MAX_PER_PAGE = 50
# A search with neither a place nor words could match the whole catalogue: it counts
# at most this many matches ("1,000+ clinics") and pages through those only.
COUNT_CAP = 1000


def rating_score(average: float | None, count: int) -> float | None:
    """The Bayesian average the rating sort ranks by; None without reviews."""
    if average is None:
        return None
    return (RATING_PRIOR_MEAN * RATING_PRIOR_WEIGHT + average * count) / (
        RATING_PRIOR_WEIGHT + count)


class SearchError(FieldError):
    """A search parameter we cannot use; ``field`` names it, ``str()`` says why."""


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    technique: str | None = None  # a technique's slug
    condition: str | None = None  # a condition's slug
    near: str = ""  # a ZIP code or "City, ST"
    radius_mi: int = 25
    max_price_cents: int | None = None  # per 60 minutes
    available_on: date | None = None  # in each clinic's own time zone
    min_rating: float | None = None
    language: str | None = None  # a code from features.LANGUAGES
    amenities: tuple[str, ...] = ()  # codes from features.AMENITIES: every one required
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10


@dataclass
class Plan:
    query: SearchQuery
    vocabulary: Vocabulary
    technique: Technique | None = None
    condition: ConditionTerm | None = None
    understood: str | None = None
    tokens: tuple[str, ...] = ()
    place: geo.Place | None = None
    language: Term | None = None
    amenities: list[Term] = field(default_factory=list)
    sort: str = "relevance"
    notes: list[str] = field(default_factory=list)
    bookable_day: bool = True  # False: the date asked for is outside the booking window

    @property
    def modality_ids(self) -> set[int] | None:
        ids = None
        if self.technique is not None:
            ids = {self.technique.id}
        if self.condition is not None:
            wanted = {m.id for m in self.condition.modalities}
            ids = wanted if ids is None else ids & wanted
        return ids


def make_plan(query: SearchQuery, vocabulary: Vocabulary | None, *, now: datetime,
              horizon_days: int, refuse_unbookable_days: bool = True) -> Plan:
    """Check the query against the vocabulary, the map and the calendar; raises SearchError.

    A date outside the booking window (past, or beyond the horizon) is refused, or
    with ``refuse_unbookable_days=False`` planned as a day with nothing open."""
    if vocabulary is None:
        vocabulary = load_vocabulary()
    plan = Plan(query, vocabulary)
    try:
        _check_day(query.available_on, now=now, horizon_days=horizon_days)
    except SearchError as exc:
        if refuse_unbookable_days:
            raise
        plan.bookable_day = False
        plan.notes.append(f"No clinic has open slots on {query.available_on.isoformat()}: "
                          f"{exc}")
    if query.technique:
        plan.technique = vocabulary.technique(query.technique)
        if plan.technique is None:
            raise SearchError("technique", f"We do not know the technique “{query.technique}”. "
                              "Choose one from the list.")
    if query.condition:
        plan.condition = vocabulary.condition(query.condition)
        if plan.condition is None:
            raise SearchError("condition", f"We do not know the condition “{query.condition}”. "
                              "Choose one from the list.")
    _check_features(plan)
    _understand_text(plan)
    if query.near:
        try:
            plan.place = geo.geocode(query.near)
        except geo.GeocodeError as exc:
            raise SearchError("near", str(exc)) from exc
    plan.sort = _effective_sort(plan)
    return plan


def _check_day(day: date | None, *, now: datetime, horizon_days: int) -> None:
    if day is None:
        return
    # The last US time zone to reach a date is Hawaii's: before its today is past everywhere.
    today = now.astimezone(zone("Pacific/Honolulu")).date()
    if day < today:
        raise SearchError("available_on", "That date has passed. Choose today or a later date.")
    if day > (now + timedelta(days=horizon_days)).date():
        raise SearchError("available_on", f"Clinics take bookings up to {horizon_days} days "
                          "ahead. Choose an earlier date.")


def _check_features(plan: Plan) -> None:
    """The language and amenities must come from their lists (the page shows them)."""
    query = plan.query
    if query.language:
        if not LANGUAGES.known(query.language):
            raise SearchError("language", f"We do not know the language “{query.language[:40]}”"
                              ". Choose one from the list.")
        plan.language = LANGUAGES.terms_for([query.language])[0]
    try:
        plan.amenities = AMENITIES.terms_for(AMENITIES.checked(query.amenities, field="amenity"))
    except FieldError as exc:
        raise SearchError("amenity", str(exc)) from exc


def _understand_text(plan: Plan) -> None:
    """Free text that names a technique or condition becomes that filter."""
    q = plan.query.q
    if not q:
        return
    named = plan.vocabulary.named(q)
    if isinstance(named, Technique) and plan.technique is None:
        plan.technique, plan.understood = named, named.name
    elif isinstance(named, ConditionTerm) and plan.condition is None:
        plan.condition, plan.understood = named, named.name
    else:
        plan.tokens = tuple(search_index.query_tokens(q))


def _effective_sort(plan: Plan) -> str:
    sort = plan.query.sort if plan.query.sort in SORTS else "relevance"
    if sort in ("distance", "soonest") and plan.place is None:
        # The soonest opening anywhere has no index to stop at: it would group the kept
        # open time of every clinic in the country (and nobody travels that far).
        plan.notes.append(f"Sorting by {SORTS[sort].lower()} needs a place: enter a ZIP "
                          "code or a city and state. Showing the best matches first.")
        return "relevance"
    return sort
