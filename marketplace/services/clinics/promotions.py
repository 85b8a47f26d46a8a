"""An owner's promotion codes: amount or percent off, dates, limits, one technique.

Codes are stored upper-case and unique within a clinic. A change applies to
bookings made afterwards; bookings already made keep their discount. A code
that has been used is never deleted (bookings name it): it is switched off.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import select

from ...models import Clinic, Modality, Promotion, PromotionKind, User, db
from ..audit import diff as changes
from ..common.errors import FieldError

CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")


@dataclass(frozen=True)
class PromotionData:
    code: str
    title: str
    description: str
    kind: PromotionKind
    value: int  # cents off, or whole percent off
    modality_id: int | None
    starts_on: date | None
    ends_on: date | None
    max_redemptions: int | None
    per_client_limit: int | None
    active: bool


def _check(clinic: Clinic, data: PromotionData, *, promotion: Promotion | None = None) -> None:
    if not CODE_RE.match(data.code):
        raise FieldError("code", "Use 3 to 40 letters, digits or hyphens, like ACU25.")
    if data.value <= 0:
        raise FieldError("value", "The discount must be more than zero.")
    if data.kind is PromotionKind.PERCENT and data.value > 100:
        raise FieldError("value", "A percentage discount is at most 100.")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        raise FieldError("ends_on", "The last day cannot be before the first.")
    if data.modality_id is not None and db.session.get(Modality, data.modality_id) is None:
        raise FieldError("modality_id", "Choose a technique from the list.")
    used = promotion.redemptions_count if promotion else 0
    if data.max_redemptions is not None and data.max_redemptions < max(1, used):
        raise FieldError("max_redemptions", f"It has been used {used} times already.")
    taken = db.session.scalar(
        select(Promotion.id).where(Promotion.clinic_id == clinic.id, Promotion.code == data.code)
    )
    if taken is not None and (promotion is None or taken != promotion.id):
        raise FieldError("code", f"You already have a promotion with the code {data.code}.")


def create_promotion(
    *, clinic: Clinic, data: PromotionData, actor: User, now: datetime
) -> Promotion:
    """Add a promotion code."""
    _check(clinic, data)
    promotion = Promotion(clinic=clinic, created_at=now, **asdict(data))
    db.session.add(promotion)
    db.session.flush()
    changes.record(promotion, "promotion.create", actor=actor, now=now,
                   **{k: changes.json_value(v) for k, v in asdict(data).items()})
    return promotion


def update_promotion(
    *, promotion: Promotion, data: PromotionData, actor: User, now: datetime
) -> dict:
    """Change a promotion, for bookings made from now on."""
    _check(promotion.clinic, data, promotion=promotion)
    changed = changes.apply(promotion, asdict(data))
    changes.record(promotion, "promotion.update", actor=actor, now=now, changed=changed)
    return changed
