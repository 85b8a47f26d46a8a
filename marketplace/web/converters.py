"""The shapes of URL parts, checked by routing: a slug, a booking reference, a database id.

A URL whose part has the wrong shape matches no route, so it is a 404 before any
view or query runs (``tests/integration/test_hostile_input.py`` sends them junk).
The patterns are the domain's own: ``SLUG_PATTERN`` is what ``slugify`` makes and
``REFERENCE_PATTERN`` what a booking reference may look like.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter

from ..services.booking import REFERENCE_PATTERN
from ..services.common.slugs import SLUG_PATTERN


class SlugConverter(BaseConverter):
    """``<slug:slug>``: a clinic's or therapist's slug (``pier-clinic``)."""

    regex = SLUG_PATTERN


class ReferenceConverter(BaseConverter):
    """``<ref:reference>``: a booking reference (``K7QX2MPA``; any case)."""

    regex = REFERENCE_PATTERN


class BoundedInt(IntegerConverter):
    """``<int:...>`` URL parts that fit the database's integer ids: /reviews/99999999999999999999
    is a 404, not an overflow in the driver."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register(app: Flask) -> None:
    """Make the converters available to every blueprint's rules (before they are added)."""
    app.url_map.converters.update(slug=SlugConverter, ref=ReferenceConverter, int=BoundedInt)
