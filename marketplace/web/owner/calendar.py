"""The therapist's calendar: private iCalendar addresses the owner makes, replaces
and turns off, and the feed a calendar app polls (no sign-in: the address is the key)."""

from __future__ import annotations

from flask import Response, abort, current_app, session, url_for

from ...forms.listing import int_or_none
from ...forms.owner import CalendarFeedForm
from ...models import Therapist, db, utcnow
from ...services.clinics import calendar_feeds as feeds
from ...services.common.errors import NotFound
from .. import actions
from ..auth import owner_required
from ..htmx import render
from ..security import shows_secret
from .base import actor, bp, child_or_404, clinic_or_404

NEW_FEED = "new_calendar_feed"  # shown once: the token is not stored


@bp.get("/clinics/<slug:slug>/calendar")
@owner_required
def calendar_feeds(slug: str):
    """Each calendar's address: the clinic's and every active therapist's."""
    clinic = clinic_or_404(slug)
    shows_secret()
    new = session.pop(NEW_FEED, None)
    fresh = None
    if new and new.get("clinic") == clinic.id:
        fresh = {"therapist": new["therapist"], "url": feed_url(new["token"])}
    return render("owner/calendar.html", clinic=clinic, links=feeds.links(clinic), fresh=fresh)


@bp.post("/clinics/<slug:slug>/calendar")
@owner_required
def calendar_feed_issue(slug: str):
    """A new address for a calendar; the one it replaces stops working."""
    clinic = clinic_or_404(slug)
    form = CalendarFeedForm()
    therapist = _therapist(clinic, form)

    def issue():
        token = feeds.issue(clinic=clinic, therapist=therapist, actor=actor(), now=utcnow())
        session[NEW_FEED] = {"clinic": clinic.id,
                             "therapist": therapist.id if therapist else None, "token": token}

    return actions.button(form, issue, message="Your new calendar address is below. "
                          "Any address it replaces has stopped working.",
                          back=url_for("owner.calendar_feeds", slug=slug))


@bp.post("/clinics/<slug:slug>/calendar/off")
@owner_required
def calendar_feed_revoke(slug: str):
    """Turn a calendar's address off."""
    clinic = clinic_or_404(slug)
    form = CalendarFeedForm()
    therapist = _therapist(clinic, form)
    return actions.button(
        form, lambda: feeds.revoke(clinic=clinic, therapist=therapist, actor=actor(),
                                   now=utcnow()),
        message="That calendar address is off: calendars subscribed to it stop updating.",
        back=url_for("owner.calendar_feeds", slug=slug))


def _therapist(clinic, form: CalendarFeedForm) -> Therapist | None:
    """The therapist the form names (None: the whole clinic); a forged one is a 404."""
    if not form.therapist.validate(form):
        abort(404)
    therapist_id = int_or_none(form.therapist.data)
    return None if therapist_id is None else child_or_404(Therapist, therapist_id, clinic)


@bp.get("/calendar/<feed_token>.ics")
def calendar_feed(feed_token: str):
    """The calendar itself, for Google Calendar, Apple Calendar or Outlook."""
    now = utcnow()
    try:
        feed = feeds.open_feed(token=feed_token, now=now)
    except NotFound:
        abort(404)
    body = feeds.calendar(
        feed, site_name=current_app.config["SITE_NAME"], domain=_domain(), now=now,
        booking_url=lambda ref: url_for("owner.booking", slug=feed.clinic.slug, reference=ref,
                                        _external=True))
    db.session.commit()  # when it was last read
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def feed_url(token: str) -> str:
    """The address at the host the owner is using (the site's, behind its proxy)."""
    return url_for("owner.calendar_feed", feed_token=token, _external=True)


def _domain() -> str:
    base = current_app.config["BASE_URL"].split("://", 1)[-1]
    return base.split("/", 1)[0].split(":", 1)[0] or "localhost"
