"""The client's health profile (under account settings): fill it in, review and update
it, delete it; see which clinics may read their answers and withdraw that; see every
time a clinic opened them. Withdrawing the consent for one booking is on its page in
My bookings. Kept out of htmx's history cache, like the intake step."""

from __future__ import annotations

from flask import abort, current_app, url_for
from flask_login import current_user, login_required

from ...extensions import rate_limit
from ...forms.base import EmptyForm
from ...forms.intake import IntakeForm
from ...models import utcnow
from ...services.common.errors import NotFound
from ...services.intake import access as intake_access
from ...services.intake import profile as health_profile
from ...services.intake.keys import IntakeUnreadable
from ...services.intake.records import keyring_for
from .. import actions
from ..htmx import render
from ..loaders import my_booking_or_404
from ..rules import booking_rules
from ..security import shows_health_data
from .base import bp


def _today():
    return utcnow().date()


def _page(form=None, *, status: int = 200, error: str | None = None, saved: str | None = None):
    """The profile page (htmx: the profile form's block)."""
    shows_health_data()
    now, keyring = utcnow(), keyring_for(current_app.config)
    days = booking_rules().intake_access_days
    updated_at, unreadable = None, False
    try:
        kept = health_profile.read_profile(current_user, keyring=keyring)
    except IntakeUnreadable:
        kept, unreadable = None, True
    if kept is not None:
        updated_at = kept[1]
    if form is None:
        data = IntakeForm.prefill_data(kept[0]) if kept else None
        form = IntakeForm(formdata=None, data=data, today=_today())
    return render(
        "account/health_profile.html", "health_profile", status=status, form=form,
        updated_at=updated_at, unreadable=unreadable, error=error, saved=saved,
        shared=intake_access.shared_clinics(current_user, now=now, access_days=days),
        reads=intake_access.reads_of(current_user), access_days=days,
        delete_form=EmptyForm(formdata=None), withdraw_form=EmptyForm(formdata=None),
    )


@bp.get("/account/health-profile")
@login_required
def health_profile_page():
    """The profile, the clinics that may read the client's answers, and their reads."""
    return _page()


@bp.post("/account/health-profile")
@login_required
@rate_limit("30 per hour")
def save_health_profile():
    """Save the answers as the client's profile (a clinic never reads the profile itself)."""
    form = IntakeForm(today=_today())

    def answer(*, form=None, error=None, saved=None, status=200, **_):
        return _page(form, error=error, saved=saved, status=status)

    return actions.edit(
        form,
        lambda: health_profile.save_profile(client=current_user, answers=form.to_answers(),
                                            keyring=keyring_for(current_app.config),
                                            now=utcnow()),
        fragment=answer, page=answer, back=url_for("account.health_profile_page"),
        message="Your health profile is saved. Each booking will show it to you to check.",
    )


@bp.post("/account/health-profile/delete")
@login_required
def delete_health_profile():
    """Delete the profile; the answers kept with past bookings stay with them."""
    return actions.button(
        EmptyForm(),
        lambda: health_profile.delete_profile(client=current_user, now=utcnow()),
        message=lambda deleted: (
            "Your health profile is deleted. The answers you gave for your bookings stay "
            "with those bookings." if deleted else "You had no health profile to delete."),
        back=url_for("account.health_profile_page"),
    )


@bp.post("/account/health-profile/clinics/<slug:slug>/withdraw")
@login_required
def withdraw_clinic_consent(slug: str):
    """Stop sharing every answer this clinic may still read, at once."""
    try:
        clinic = intake_access.clinic_named(slug)
    except NotFound:
        abort(404)
    return actions.button(
        EmptyForm(),
        lambda: intake_access.withdraw_for_clinic(
            client=current_user, clinic=clinic, now=utcnow(),
            access_days=booking_rules().intake_access_days),
        message=lambda count: (
            f"{clinic.name} can no longer read your health answers ({count} booking"
            f"{'' if count == 1 else 's'})." if count
            else f"{clinic.name} could not read any of your health answers."),
        back=url_for("account.health_profile_page"),
    )


@bp.post("/bookings/<ref:reference>/withdraw-consent")
@login_required
def withdraw_booking_consent(reference: str):
    """Stop sharing this booking's answers with its clinic, at once (the visit stays)."""
    b = my_booking_or_404(reference)
    return actions.button(
        EmptyForm(),
        lambda: intake_access.withdraw_consent(b, client=current_user, now=utcnow()),
        message=f"{b.clinic.name} can no longer read your health answers for this booking. "
        "Your booking stands; tell your therapist what they need to know at the visit.",
        back=url_for("account.booking", reference=b.reference),
    )
