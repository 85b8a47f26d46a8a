"""Compare up to three clinics side by side, and the tray that collects them.

The tray lives in the session, so it follows the visitor across pages. Its
buttons are plain POST forms (CSRF included) that redirect back without
JavaScript; with htmx the button or the tray replaces itself and the other
one is updated out of band.
"""

from __future__ import annotations

from flask import flash, request, url_for

from ...forms.compare import CompareForm, TrayForm
from ...models import utcnow
from ...services.common.errors import DomainError, NotFound
from ...services.discovery import profiles
from ...services.discovery import terms as search_terms
from ...services.discovery import tray as compare_tray
from ...services.discovery.compare import compare as compare_clinics
from ...services.discovery.search import SearchError
from ...services.series import offers as series_offers
from ..account import safe_next
from ..htmx import is_htmx, redirect_to, render
from ..rules import booking_rules
from .base import (
    bp,
    remember_context,
    save_tray,
    tray_clinics,
    tray_context,
    tray_slugs,
    without_empty_params,
)


@bp.get("/compare")
def compare():
    """The side-by-side table; without clinics in the URL, the tray's (as a shareable URL)."""
    if clean := without_empty_params():
        return clean
    slugs = request.args.getlist("c")
    if not slugs and tray_slugs():
        return redirect_to(url_for("public.compare", c=tray_slugs(),
                                   **(_filters() or tray_context())))
    vocabulary = search_terms.load_vocabulary()
    form = CompareForm(request.args)
    form.vocabulary_choices(vocabulary)
    comparison = None
    if form.validate():
        try:
            comparison = compare_clinics(slugs, vocabulary=vocabulary,
                                         technique=form.technique.data or None,
                                         near=form.near.data or "", now=utcnow(),
                                         rules=booking_rules())
        except SearchError as exc:
            getattr(form, exc.field).errors = [str(exc)]
    status = 422 if form.errors else 200
    ids = [col.clinic.id for col in comparison.columns] if comparison else []
    return render("public/compare.html", "comparison", status=status, form=form,
                  comparison=comparison, slugs=slugs, tray=tray_clinics(),
                  series_by_clinic=series_offers.offers_by_clinic(ids), series=series_offers)


def _filters() -> dict:
    return {k: v for k, v in request.args.items() if k in ("technique", "near") and v}


@bp.post("/compare/add")
def compare_add():
    """Put a clinic in the compare tray (at most three)."""
    return _change_tray(lambda slugs, clinic: compare_tray.add(slugs, clinic),
                        "{name} is in your comparison.", remember=True)


@bp.post("/compare/remove")
def compare_remove():
    """Take a clinic out of the compare tray."""
    return _change_tray(lambda slugs, clinic: compare_tray.remove(slugs, clinic.slug),
                        "{name} is out of your comparison.")


def _change_tray(change, done: str, *, remember: bool = False):
    form = TrayForm()
    back = safe_next(url_for("public.search_page"))
    if not form.validate_on_submit():
        return _answer(form, None, "That button was stale. Reload the page and try again.",
                       back, status=400)
    try:
        clinic = profiles.published_clinic(form.clinic.data)
        save_tray(change(tray_slugs(), clinic))
        if remember:
            remember_context(back)
    except NotFound as exc:
        save_tray(compare_tray.remove(tray_slugs(), form.clinic.data))
        return _answer(form, None, str(exc), back, status=exc.status)
    except DomainError as exc:  # a full tray
        return _answer(form, clinic, str(exc), back, status=exc.status)
    return _answer(form, clinic, done.format(name=clinic.name), back)


def _answer(form: TrayForm, clinic, message: str, back: str, status: int = 200):
    """htmx: the button or the tray, with the other out of band; otherwise back, with a flash."""
    if not is_htmx():
        flash(message, "success" if status == 200 else "error")
        return redirect_to(back)
    from_tray = form.source.data == "tray"
    shown = request.form.getlist("shown")
    # A full tray is an answer the page expects, not a failure: htmx gets it as a 200
    # and swaps the message (an alert) in place, so the browser logs no error.
    answered = 200 if status == 409 else status
    return render("public/_compare_response.html", status=answered, clinic=clinic,
                  from_tray=from_tray, toggle_shown=bool(clinic and clinic.slug in shown),
                  message=message, error=status != 200, tray=tray_clinics(), tray_next=back)
