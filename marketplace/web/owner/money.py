"""Deposits taken, refunded and kept per period, and the CSV exports."""

from __future__ import annotations

from flask import Response, request

from ...forms.owner import ExportForm, MoneyForm
from ...models import utcnow
from ...services.clinics import exports as clinic_exports
from ...services.clinics import money as clinic_money
from ...services.common.errors import FieldError
from ..actions import run, show_on
from ..auth import owner_required
from ..htmx import render
from .base import actor, bp, clinic_or_404


def _money_page(clinic, form, *, export_form=None, status=200):
    tz = clinic.timezone
    summary = gifts = series = None
    if form.validate():
        try:
            period = clinic_money.period(
                form.period.data or "week", anchor=form.date.data, first=form.date_from.data,
                last=form.date_to.data, tz=tz, now=utcnow(),
            )
        except FieldError as exc:
            show_on(form, exc)
        else:
            summary = clinic_money.deposits(clinic=clinic, p=period, tz=tz)
            gifts = clinic_money.gift_cards(clinic=clinic, p=period, tz=tz)
            series = clinic_money.series(clinic=clinic, p=period, tz=tz, now=utcnow())
            if period.kind != "custom" and form.date.data is None:
                form.date.data = period.first  # the date field shows the period in view
    if form.errors:
        status = max(status, 422)
    export_form = export_form or ExportForm(formdata=None, data=_export_defaults(summary))
    return render("owner/money.html", "money", clinic=clinic, form=form, summary=summary,
                  gifts=gifts, series=series,
                  export_form=export_form, tz=tz, status=status)


def _export_defaults(summary) -> dict:
    if summary is None:
        return {}
    return {"date_from": summary.period.first, "date_to": summary.period.last}


@bp.get("/clinics/<slug:slug>/money")
@owner_required
def money(slug: str):
    """Deposits per week, month or chosen dates, in the clinic's time zone."""
    return _money_page(clinic_or_404(slug), MoneyForm(request.args))


def _export(slug: str, build, name: str):
    clinic = clinic_or_404(slug)
    form = ExportForm(request.args)
    tz = clinic.timezone
    if form.validate():
        try:
            period = clinic_money.checked_range(form.date_from.data, form.date_to.data)
        except FieldError as exc:
            show_on(form, exc)
        else:  # the export is written to the audit log
            body = run(lambda: build(clinic=clinic, p=period, tz=tz, actor=actor(),
                                     now=utcnow())).get()
            filename = f"{clinic.slug}-{name}-{period.first}-to-{period.last}.csv"
            return Response(body, mimetype="text/csv", headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
            })
    return _money_page(clinic, MoneyForm(formdata=None), export_form=form, status=422)


@bp.get("/clinics/<slug:slug>/money/bookings.csv")
@owner_required
def bookings_csv(slug: str):
    """Bookings whose visit falls in the dates, as CSV safe for spreadsheets."""
    return _export(slug, clinic_exports.bookings_csv, "bookings")


@bp.get("/clinics/<slug:slug>/money/deposits.csv")
@owner_required
def deposits_csv(slug: str):
    """Deposits taken in the dates, with what became of each, as CSV."""
    return _export(slug, clinic_exports.deposits_csv, "deposits")


@bp.get("/clinics/<slug:slug>/money/gift-cards.csv")
@owner_required
def gift_cards_csv(slug: str):
    """The clinic's gift card ledger in the dates (sales, redemptions, returns, expiries)."""
    return _export(slug, clinic_exports.gift_cards_csv, "gift-cards")


@bp.get("/clinics/<slug:slug>/money/series.csv")
@owner_required
def series_csv(slug: str):
    """The clinic's series sold or refunded in the dates, with sessions used and left and
    the liability now."""
    return _export(slug, clinic_exports.series_csv, "series")
