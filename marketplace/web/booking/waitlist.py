"""The waitlist: joining one (from the booking page or the clinic's profile), and the
offer a freed time brings (its e-mailed link): book it, or turn it down."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, request, url_for
from flask_login import current_user, login_required

from ...extensions import rate_limit
from ...forms.base import EmptyForm
from ...forms.booking import WaitlistForm, therapist_id_of
from ...models import Clinic, Therapist, WaitlistOffer, db, utcnow
from ...services import booking as bookings
from ...services import waitlist
from ...services.common.errors import Conflict, NotFound
from ...services.common.local_time import local_today
from ..actions import run, show_on
from ..htmx import redirect_to, render
from ..loaders import published_clinic_or_404
from ..rules import booking_rules
from .base import NOT_TAKING, bp

INCOMPLETE = "That form was incomplete; try again."


@bp.route("/clinics/<slug:slug>/waitlist", methods=["GET", "POST"])
@login_required
@rate_limit("30 per hour", methods=["POST"])
def join_waitlist(slug: str):
    """Wait for a time: the service, who, which days and parts of the day suit."""
    clinic = published_clinic_or_404(slug, message=NOT_TAKING)
    services = bookings.bookable_services(clinic)
    form = WaitlistForm() if request.method == "POST" else _prefilled(clinic)
    form.service.choices = [(s.id, s.name) for s in services]
    if request.method == "GET" or not form.validate_on_submit():
        return _page(clinic, services, form, status=422 if form.errors else 200)
    service = next((s for s in services if s.id == form.service.data), None)
    if service is None:
        form.service.errors = ["Choose one of this clinic’s services."]
        return _page(clinic, services, form, status=422)
    outcome = run(lambda: waitlist.join(
        client=current_user._get_current_object(), clinic=clinic, service=service,
        therapist=_therapist(clinic, form.therapist.data), window=_window(form),
        now=utcnow(), rules=booking_rules()))
    if not outcome.ok:
        show_on(form, outcome.error)
        return _page(clinic, services, form, status=outcome.status)
    flash(f"You are on the waitlist for {service.name} at {clinic.name}. When a time that "
          "suits you opens up we hold it for you and e-mail you.", "success")
    return redirect_to(url_for("account.bookings") + "#waitlist")


def _prefilled(clinic: Clinic) -> WaitlistForm:
    """The form as a link from the booking page leaves it: its service, who and day."""
    today = local_today(clinic.timezone, utcnow())
    args = request.args
    first = _day_arg(args.get("date")) or today
    first = max(first, today)
    form = WaitlistForm(formdata=None, service=args.get("service", type=int),
                        therapist=args.get("therapist", "any"), first_day=first,
                        last_day=first + timedelta(days=13), morning=True, afternoon=True,
                        evening=True)
    form.therapist.validate(form)
    if form.therapist.errors:
        form.therapist.data, form.therapist.errors = "any", []
    return form


def _day_arg(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None


def _therapist(clinic: Clinic, value: str | None) -> Therapist | None:
    therapist_id = therapist_id_of(value)
    if therapist_id is None:
        return None
    therapist = db.session.get(Therapist, therapist_id)
    if therapist is None or therapist.clinic_id != clinic.id:
        abort(404)
    return therapist


def _window(form: WaitlistForm) -> waitlist.Window:
    return waitlist.Window(first_day=form.first_day.data, last_day=form.last_day.data,
                           morning=form.morning.data, afternoon=form.afternoon.data,
                           evening=form.evening.data)


def _page(clinic: Clinic, services, form: WaitlistForm, *, status: int = 200):
    now = utcnow()
    therapists = {s.id: [t for t in s.therapists if t.active] for s in services}
    return render("booking/waitlist.html", "waitlist_form", status=status, clinic=clinic,
                  services=services, therapists=therapists, form=form,
                  today=local_today(clinic.timezone, now),
                  latest=waitlist.last_day_allowed(clinic, now=now, rules=booking_rules()))


# --- the offer ------------------------------------------------------------------------------


def _offer_or_404(token: str) -> WaitlistOffer:
    try:
        return waitlist.offer_for(token, client=current_user)
    except NotFound:
        abort(404)


@bp.get("/waitlist/offers/<offer_token>")
@login_required
def waitlist_offer(offer_token: str):
    """The time held for the client: book it (health questions, then the deposit) or not."""
    return _offer_page(_offer_or_404(offer_token), offer_token)


def _offer_page(offer: WaitlistOffer, token: str, *, status: int = 200,
                alert: str | None = None):
    now = utcnow()
    try:
        waitlist.require_open(offer, now=now)
        ended = None
    except Conflict as exc:
        ended = str(exc)
    return render("booking/waitlist_offer.html", "offer", status=status, offer=offer,
                  booking=offer.booking, token=token, ended=ended, alert=alert,
                  form=EmptyForm(formdata=None))


@bp.post("/waitlist/offers/<offer_token>/accept")
@login_required
def waitlist_accept(offer_token: str):
    """Book the offered time: on to the held booking's health questions and deposit."""
    offer = _offer_or_404(offer_token)
    form = EmptyForm()
    if not form.validate_on_submit():
        return _offer_page(offer, offer_token, status=422, alert=INCOMPLETE)
    user = current_user._get_current_object()
    outcome = run(lambda: waitlist.accept(offer, client=user, now=utcnow()).reference)
    if not outcome.ok:
        return _offer_page(offer, offer_token, status=outcome.status, alert=outcome.message)
    return redirect_to(url_for("booking.checkout", reference=outcome.value))


@bp.post("/waitlist/offers/<offer_token>/decline")
@login_required
def waitlist_decline(offer_token: str):
    """Turn the offered time down: it goes to the next in line; the client keeps waiting."""
    offer = _offer_or_404(offer_token)
    form = EmptyForm()
    if not form.validate_on_submit():
        return _offer_page(offer, offer_token, status=422, alert=INCOMPLETE)
    user = current_user._get_current_object()
    outcome = run(lambda: waitlist.decline(offer, client=user, now=utcnow()))
    if not outcome.ok:
        return _offer_page(offer, offer_token, status=outcome.status, alert=outcome.message)
    flash("You turned that time down; it goes to the next person waiting. You stay on the "
          "waitlist for other times.", "success")
    return redirect_to(url_for("account.bookings") + "#waitlist")
