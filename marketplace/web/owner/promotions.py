"""A clinic's promotion codes, edited in place."""

from __future__ import annotations

from ...forms.listing import PromotionForm
from ...models import Promotion, PromotionKind, utcnow
from ...services.clinics import promotions
from ...services.common import catalog
from ...services.common.money import format_cents
from ..auth import owner_required
from .base import actor, bp, child_or_404, clinic_or_404
from .collection import Collection


def _promotion_form(clinic, *, obj=None, blank=False, prefix="") -> PromotionForm:
    if blank:
        form = PromotionForm(formdata=None)
    elif obj is not None:
        form = PromotionForm(obj=obj, prefix=prefix)
        form.kind.data = obj.kind.value
        form.value.data = (str(obj.value) if obj.kind is PromotionKind.PERCENT
                           else format_cents(obj.value).lstrip("$").replace(",", ""))
    else:
        form = PromotionForm(prefix=prefix)
    form.modality_id.choices = [("", "Any service")] + [
        (m.id, m.name) for m in catalog.modalities()
    ]
    return form


PROMOTIONS = Collection(
    name="promotion", list_endpoint="owner.promotions", make_form=_promotion_form,
    context=lambda clinic: {"promotions": clinic.promotions},
)


def _data(form) -> promotions.PromotionData:
    return promotions.PromotionData(
        code=form.code.data, title=form.title.data, description=form.description.data or "",
        kind=PromotionKind(form.kind.data), value=form.value_units(),
        modality_id=form.modality_id.data, starts_on=form.starts_on.data,
        ends_on=form.ends_on.data, max_redemptions=form.max_redemptions.data,
        per_client_limit=form.per_client_limit.data, active=form.active.data,
    )


@bp.route("/clinics/<slug:slug>/promotions", methods=["GET", "POST"], endpoint="promotions")
@owner_required
def promotions_page(slug: str):
    """The clinic's promotion codes, and a form to add one."""
    clinic = clinic_or_404(slug)
    return PROMOTIONS.add(
        clinic, lambda form: promotions.create_promotion(
            clinic=clinic, data=_data(form), actor=actor(), now=utcnow()),
        message=lambda form: f"Promotion {form.code.data} added.")


@bp.route("/clinics/<slug:slug>/promotions/<int:promotion_id>/edit", methods=["GET", "POST"])
@owner_required
def promotion_edit(slug: str, promotion_id: int):
    """Edit one promotion in place (bookings already made keep their discount)."""
    clinic = clinic_or_404(slug)
    promotion = child_or_404(Promotion, promotion_id, clinic)
    return PROMOTIONS.edit(
        clinic, promotion, lambda form: promotions.update_promotion(
            promotion=promotion, data=_data(form), actor=actor(), now=utcnow()),
        message=lambda form: f"Promotion {form.code.data} saved.")
