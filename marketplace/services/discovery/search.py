"""Clinic search: free text, technique, condition, place and radius, price, an open
slot on a date, rating; sorted by relevance, distance, price, rating or the
soonest opening; one page at a time.

The database applies every filter in one statement (``sql``), exact distance,
"open on <date>" and the soonest opening included (from the open time kept as rows,
``availability/kept.py``), and sorts, pages and counts there too, so the work in
Python does not grow with the directory. A nearest-first search in a dense place reads
rings of growing radius and stops once it has its page and one more match
(``_page_nearest_first``); one sorted by the soonest opening reads widening windows of
time the same way (``_page_soonest_first``). A page is then loaded as plain rows in a
fixed number of queries, whatever its length (``cards``).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import datetime

from ...models import db
from ..availability import kept, openings
from ..availability.engine import Slot
from ..common import geo
from ..common.features import AMENITIES, ENGLISH, LANGUAGES, Term
from ..common.rules import BookingRules
from . import cards, features
from . import index as search_index
from . import sql as search_sql
from .cards import Card, CardLocation
from .plan import (  # noqa: F401 - SORTS and the limits are part of this module's API
    COUNT_CAP,
    MAX_PER_PAGE,
    MAX_RADIUS_MI,
    SORTS,
    Plan,
    SearchError,
    SearchQuery,
    make_plan,
    rating_score,
)
from .terms import ConditionTerm, Technique, Vocabulary


@dataclass
class Result:
    clinic: Card  # what the card shows of the clinic (plain rows, ``cards``)
    location: CardLocation | None  # its nearest to the place searched
    distance_mi: float | None
    price_from_cents: int | None  # the cheapest matching session
    price_per_60_from_cents: int | None  # the lowest matching price per 60 minutes
    modalities: list[Technique]  # every technique the clinic offers
    matched: list[Technique]  # those the technique or condition asked for
    next_opening: Slot | None
    languages: list[Term] = field(default_factory=list)  # its team's, English first
    amenities: list[Term] = field(default_factory=list)

    @property
    def languages_beyond_english(self) -> list[Term]:
        return [t for t in self.languages if t.code != ENGLISH]


@dataclass
class SearchResults:
    query: SearchQuery
    results: list[Result] = field(default_factory=list)
    total: int = 0
    capped: bool = False  # more than COUNT_CAP matched: ``total`` is the cap, not a count
    page: int = 1
    pages: int = 1
    place: geo.Place | None = None
    technique: Technique | None = None
    condition: ConditionTerm | None = None
    understood: str | None = None  # the technique or condition the free text named
    language: Term | None = None
    amenities: list[Term] = field(default_factory=list)
    sort: str = "relevance"  # the sort applied (what the sort box shows)
    ranked_by_text: bool = False  # free-text words rank the best matches
    notes: list[str] = field(default_factory=list)
    suggestions: list[tuple[str, dict]] = field(default_factory=list)  # label, query args

    @property
    def beyond_the_end(self) -> bool:
        return self.total > 0 and self.page > self.pages

    @property
    def total_words(self) -> str:
        """The total as the page says it: "1,000+" when the count stopped at the cap."""
        return f"{self.total:,}+" if self.capped else str(self.total)

    @property
    def sort_words(self) -> str:
        """The sort applied, in words: with no words to rank, the best match is the nearest."""
        words = SORTS[self.sort].lower()
        if self.sort == "relevance" and not self.ranked_by_text and self.place is not None:
            words += " (nearest first)"
        return words

    @property
    def condition_modalities(self) -> list[Technique]:
        return list(self.condition.modalities) if self.condition else []


@dataclass
class _Candidate:
    id: int
    name: str
    rating: float | None
    reviews: int
    per_60: int | None
    price: int | None
    rank: float
    distance: float | None = None
    opening: Slot | None = None


# --- running it ----------------------------------------------------------------------


def search(
    query: SearchQuery, *, now: datetime, rules: BookingRules, vocabulary: Vocabulary | None = None,
    refuse_unbookable_days: bool = True,
) -> SearchResults:
    """One page of published clinics matching ``query``; raises SearchError.

    A date outside the booking window is refused (the page says so), or with
    ``refuse_unbookable_days=False`` (the API) finds nothing open, with a note."""
    plan = make_plan(query, vocabulary, now=now, horizon_days=rules.horizon_days,
                     refuse_unbookable_days=refuse_unbookable_days)
    results = SearchResults(
        query=query, place=plan.place, technique=plan.technique, condition=plan.condition,
        understood=plan.understood, sort=plan.sort, notes=plan.notes,
        ranked_by_text=bool(plan.tokens), language=plan.language, amenities=plan.amenities,
    )
    if not plan.bookable_day:
        return results
    modality_ids = plan.modality_ids
    if modality_ids is not None and not modality_ids:
        results.notes.append(f"{plan.technique.name} is not among the techniques for "
                             f"{plan.condition.name.lower()}. Choose another technique, "
                             "or any technique.")
        return results
    filters = search_sql.Filters(
        tokens=plan.tokens, modality_ids=modality_ids, max_price_cents=query.max_price_cents,
        min_rating=query.min_rating, place=plan.place, radius_mi=query.radius_mi,
        openings=_opening_filter(plan, now=now, rules=rules),
        language=plan.language.code if plan.language else None,
        amenities=tuple(t.code for t in plan.amenities),
    )
    if plan.tokens:
        search_index.refresh_pending(db.session)  # what this session changed, indexed
    dialect = db.session.get_bind().dialect.name
    if filters.everywhere:
        page, total = _page_of_catalogue(filters, plan, dialect)
        results.capped = total > COUNT_CAP
        total = min(total, COUNT_CAP)
    elif _reads_nearest_first(plan):
        page, total, results.capped = _page_nearest_first(filters, plan, dialect)
    elif _reads_soonest_first(plan):
        page, total, results.capped = _page_soonest_first(filters, plan, dialect)
    else:
        page, total = _page(filters, plan, dialect)
    results.total = total
    results.pages = max(1, math.ceil(total / query.per_page))
    results.page = query.page
    results.results = _hydrate(page, plan, now=now, rules=rules)
    if not total:
        results.suggestions = plan.vocabulary.suggestions(query.q) if query.q else []
    return results


def _row_candidate(row) -> _Candidate:
    return _Candidate(row.id, row.name, row.rating_avg, row.review_count, row.per_60,
                      row.price, row.rank or 0.0, row.distance)


def _opening_filter(plan: Plan, *, now, rules: BookingRules) -> search_sql.OpeningFilter | None:
    """Open time for "open on a date" (up to the horizon) or the soonest sort (the next
    ``LOOKAHEAD_DAYS``), read from the kept rows."""
    day = plan.query.available_on
    if day is None and plan.sort != "soonest":
        return None
    kept.ensure_covered(db.session, now=now, rules=rules)
    days = None if day is not None else openings.LOOKAHEAD_DAYS
    cutoff, end = openings.bounds(now, rules, days)
    if day is not None:
        cutoff, end = openings.day_bounds(day, cutoff, end)
    return search_sql.OpeningFilter(cutoff=cutoff, end=end, day=day)


def _page(filters: search_sql.Filters, plan: Plan,
          dialect: str) -> tuple[list[_Candidate], int]:
    """The database filters, sorts, pages and counts (``count(*) OVER ()``) in one
    statement."""
    query = plan.query
    offset = (query.page - 1) * query.per_page
    rows = search_sql.page(filters, dialect, sort=plan.sort, limit=query.per_page,
                           offset=offset)
    if rows:
        return [_row_candidate(r) for r in rows], rows[0].total
    return [], search_sql.count(filters, dialect) if offset else 0


# A place with more locations than this in its box is read nearest first (below it the
# whole radius costs little); the first ring is sized to hold RING_FILL times the rows the
# page needs if the locations were spread evenly, and each ring that falls short doubles.
NEAREST_FIRST_AFTER = 300
RING_FILL = 4


def _reads_nearest_first(plan: Plan) -> bool:
    """Nearest first is the order: a place, no words, sorted by distance or best match."""
    return plan.place is not None and not plan.tokens and plan.sort in ("distance",
                                                                         "relevance")


def _page_nearest_first(filters: search_sql.Filters, plan: Plan,
                        dialect: str) -> tuple[list[_Candidate], int, bool]:
    """A page of a nearest-first search that stops once the page and one more are found.

    Every clinic within a smaller radius (a ring) sorts before every clinic beyond it, so
    when a ring holds the page and one more match, the page read within the ring is the
    page of the whole radius. The search then counts only what the ring holds: the total
    is "at least" (``capped``). A ring that falls short doubles; at the full radius the
    search is the ordinary one, counted exactly. Returns (page, total, capped)."""
    query = plan.query
    needed = query.page * query.per_page + 1
    in_box = search_sql.locations_in_box(filters, dialect)
    radius = filters.radius_mi
    if in_box > NEAREST_FIRST_AFTER:
        ring = radius * math.sqrt(min(1.0, RING_FILL * needed / in_box))
        while ring < radius:
            ringed = dataclasses.replace(filters, radius_mi=ring)
            page, total = _page(ringed, plan, dialect)
            if total >= needed:
                return page, total, True
            ring *= 2
    page, total = _page(filters, plan, dialect)
    return page, total, False


# A soonest-first search in a dense place reads widening windows of time from its notice.
SOONEST_WINDOWS_S = (3 * 3600, 12 * 3600, 2 * 86400, 5 * 86400)


def _reads_soonest_first(plan: Plan) -> bool:
    """Soonest first is the order: a place, sorted by the soonest opening (any date)."""
    return plan.place is not None and plan.sort == "soonest" and plan.query.available_on is None


def _page_soonest_first(filters: search_sql.Filters, plan: Plan,
                        dialect: str) -> tuple[list[_Candidate], int, bool]:
    """A page of a soonest-first search that stops once the page and one more are found.

    Every clinic open within the next few hours sorts before every clinic that is not
    (the order is the first opening, then distance), so when a window of time holds the
    page and one more clinic open in it, the page read within the window (only the
    clinics open in it, each with the same first opening) is the page of the whole
    search. A dense place's search reads a few hours of kept runs per clinic instead of
    two weeks; a window that falls short widens; past the last, the search is the
    ordinary one, counted exactly. Returns (page, total, capped)."""
    query = plan.query
    needed = query.page * query.per_page + 1
    wanted = filters.openings
    if search_sql.locations_in_box(filters, dialect) > NEAREST_FIRST_AFTER:
        for span in SOONEST_WINDOWS_S:
            if wanted.cutoff + span >= wanted.end:
                break
            narrower = dataclasses.replace(wanted, end=wanted.cutoff + span, within=True)
            page, total = _page(dataclasses.replace(filters, openings=narrower), plan, dialect)
            if total >= needed:
                return page, total, True
    page, total = _page(filters, plan, dialect)
    return page, total, False


def _page_of_catalogue(filters: search_sql.Filters, plan: Plan,
                       dialect: str) -> tuple[list[_Candidate], int]:
    """Neither a place nor words: a page read in index order, and a count that stops
    at ``COUNT_CAP + 1``; the pages reach as far as the cap, no further.

    With one technique or a price cap, the matches are counted on the prices kept as
    data (``sql.count(reading="walked")``: one walk per technique, stopped at the cap
    and after ``COUNT_CAP + 1`` rows), so a rare technique or a low cap costs what it
    finds, not the catalogue. A condition without a cap is counted in the rating order
    instead: its several techniques match many clinics, so the cap comes soon there,
    where the walks would read ``COUNT_CAP + 1`` rows each. The price sort walks the
    prices cheapest first (``sql.by_price``); in another order, a search with fewer
    matches than the cap reads them all from the walks and sorts them, and one with more
    walks the rating order, in which a page is soon found. The soonest sort needs a
    place (``plan`` falls back without one)."""
    query = plan.query
    walkable = filters.modality_ids is not None or filters.max_price_cents is not None
    walked_count = filters.max_price_cents is not None or len(filters.modality_ids or ()) == 1
    total = search_sql.count(filters, dialect, cap=COUNT_CAP + 1,
                             reading="walked" if walked_count else "catalogue")
    offset = (query.page - 1) * query.per_page
    if offset >= min(total, COUNT_CAP):
        return [], total
    limit = min(query.per_page, COUNT_CAP - offset)
    if plan.sort != "price":
        few = walkable and total <= COUNT_CAP
        rows = search_sql.page(filters, dialect, sort=plan.sort, limit=limit, offset=offset,
                               reading="walked" if few else "catalogue", walk=COUNT_CAP + 1)
        return [_row_candidate(r) for r in rows], total
    rows = search_sql.page(filters, dialect, sort="price", limit=limit, offset=offset,
                           reading="by_price")
    # A short page has reached the clinics without a price, which the general order puts
    # last: with a technique or a cap there are none to add; with neither, read them whole.
    if len(rows) == limit or filters.modality_ids is not None \
            or filters.max_price_cents is not None:
        return [_row_candidate(r) for r in rows], total
    rows = search_sql.page(filters, dialect, sort="price", limit=limit, offset=offset)
    return [_row_candidate(r) for r in rows], total


# --- a page, loaded in a fixed number of queries ---------------------------------------


def _hydrate(page: list[_Candidate], plan: Plan, *, now, rules: BookingRules) -> list[Result]:
    if not page:
        return []
    ids = [c.id for c in page]
    found = cards.cards(ids)
    if plan.query.available_on is not None:
        first = openings.open_on(ids, plan.query.available_on, now=now, rules=rules,
                                 modality_ids=plan.modality_ids)
    else:
        first = openings.first_by_clinic(ids, now=now, rules=rules,
                                         modality_ids=plan.modality_ids)
    spoken = features.team_languages(ids)
    results = []
    for c in page:
        card = found.get(c.id)
        if card is None:  # removed since the page was read
            continue
        c.opening = first.get(c.id)
        item = _result(c, card, plan)
        item.languages = LANGUAGES.terms_for(spoken[c.id])
        item.amenities = AMENITIES.terms_for(card.amenity_codes)
        results.append(item)
    return results


def _nearest(card: Card, place: geo.Place | None) -> CardLocation | None:
    if not card.locations:
        return None
    if place is None:
        return card.locations[0]
    return min(card.locations, key=lambda loc: geo.distance_mi(
        place.latitude, place.longitude, loc.latitude, loc.longitude))


def _result(c: _Candidate, card: Card, plan: Plan) -> Result:
    by_id = plan.vocabulary.by_id
    modalities = sorted((by_id[m] for m in card.modality_ids if m in by_id),
                        key=lambda m: m.name)
    wanted = plan.modality_ids
    matched = [m for m in modalities if wanted is not None and m.id in wanted]
    return Result(
        clinic=card, location=_nearest(card, plan.place),
        distance_mi=c.distance, price_from_cents=c.price, price_per_60_from_cents=c.per_60,
        modalities=modalities, matched=matched, next_opening=c.opening,
    )
