"""Before a page or an API answer that reads open time, make sure the kept rows cover today
to the booking horizon, and keep what that took.

``flask openings refresh`` (cron, every minute) moves the window ahead of time, so on a
deployed site this is one small query per request (the readers after it in the same
transaction trust it: ``kept.ensure_covered``). Without the job (a fresh database, a
demo) the first reader of the day computes the new days and commits them here, so the
next request does not pay again and writes keep the rows true from then on.
"""

from __future__ import annotations

from flask import Flask, request

from ..models import db, utcnow
from ..services.availability import kept
from .rules import booking_rules

#: The pages and API answers that read open time (the availability API reads the window
#: in its own first statement and moves it the same way: ``availability/day_slots.py``).
READERS = frozenset({"public.home", "public.search_page", "public.clinic", "public.therapist",
                     "public.compare", "api.clinics", "api.clinic"})


def register(app: Flask) -> None:
    @app.before_request
    def _keep_the_window_current() -> None:
        if request.method != "GET" or request.endpoint not in READERS:
            return
        if kept.ensure_covered(db.session, now=utcnow(), rules=booking_rules()):
            db.session.commit()
