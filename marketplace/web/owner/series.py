"""A clinic's treatment series offers, edited in place; retiring one stops its sales."""

from __future__ import annotations

from ...forms.base import EmptyForm
from ...forms.series import SeriesOfferForm
from ...models import LateRule, RefundRule, SeriesOffer, utcnow
from ...services.common.money import format_cents
from ...services.series import offers
from .. import actions
from ..auth import owner_required
from .base import actor, bp, child_or_404, clinic_or_404
from .collection import Collection


def _offer_form(clinic, *, obj=None, blank=False, prefix="") -> SeriesOfferForm:
    if blank:
        form = SeriesOfferForm(formdata=None)
    elif obj is not None:
        form = SeriesOfferForm(obj=obj, prefix=prefix)
        form.price.data = format_cents(obj.price_cents).lstrip("$").replace(",", "")
        weeks = obj.validity_days % 7 == 0
        form.validity.data = obj.validity_days // 7 if weeks else obj.validity_days
        form.validity_unit.data = "weeks" if weeks else "days"
        form.refund_rule.data, form.late_rule.data = obj.refund_rule.value, obj.late_rule.value
        form.refund_fee.data = (format_cents(obj.refund_fee_cents).lstrip("$")
                                if obj.refund_fee_cents else "")
    else:
        form = SeriesOfferForm(prefix=prefix)
    form.service_id.choices = [("", "Choose a service")] + [
        (s.id, f"{s.name} ({s.duration_min} min, {format_cents(s.price_cents)})")
        for s in clinic.services if s.active]
    return form


SERIES = Collection(
    name="series_offer", list_endpoint="owner.series_offers", make_form=_offer_form,
    context=lambda clinic: {"offers": offers.clinic_offers(clinic), "series": offers},
)


def _data(form) -> offers.OfferData:
    return offers.OfferData(
        service_id=form.service_id.data, sessions=form.sessions.data,
        price_cents=form.price_cents, validity_days=form.validity_days,
        refund_rule=RefundRule(form.refund_rule.data), refund_fee_cents=form.refund_fee_cents,
        late_rule=LateRule(form.late_rule.data))


@bp.route("/clinics/<slug:slug>/series", methods=["GET", "POST"], endpoint="series_offers")
@owner_required
def series_offers_page(slug: str):
    """The clinic's series offers, and a form to offer one."""
    clinic = clinic_or_404(slug)
    return SERIES.add(
        clinic, lambda form: offers.create_offer(
            clinic=clinic, data=_data(form), actor=actor(), now=utcnow()),
        message=lambda form: f"Series of {form.sessions.data} sessions offered.")


@bp.route("/clinics/<slug:slug>/series/<int:offer_id>/edit", methods=["GET", "POST"])
@owner_required
def series_offer_edit(slug: str, offer_id: int):
    """Edit one offer in place (series already bought keep their rules)."""
    clinic = clinic_or_404(slug)
    offer = child_or_404(SeriesOffer, offer_id, clinic)
    return SERIES.edit(
        clinic, offer, lambda form: offers.update_offer(
            offer=offer, data=_data(form), actor=actor(), now=utcnow()),
        message=lambda form: "Series saved.")


@bp.post("/clinics/<slug:slug>/series/<int:offer_id>/retire")
@owner_required
def series_offer_retire(slug: str, offer_id: int):
    """Stop selling a series; clients who bought it keep their sessions."""
    clinic = clinic_or_404(slug)
    offer = child_or_404(SeriesOffer, offer_id, clinic)
    return actions.edit(
        EmptyForm(), lambda: offers.retire_offer(offer=offer, actor=actor(), now=utcnow()),
        fragment=lambda form=None, **kw: SERIES.item(clinic, offer, **kw),
        page=lambda form, **kw: SERIES.page(clinic, **kw), back=SERIES.back(clinic),
        message="Series retired: it is no longer sold; clients who bought it keep it.")
