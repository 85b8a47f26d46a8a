"""Read-only lookups of the technique and condition vocabulary."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...models import Condition, Modality, db


def modalities() -> list[Modality]:
    """Every technique, alphabetically, with aliases loaded."""
    return list(
        db.session.scalars(
            select(Modality).options(selectinload(Modality.aliases)).order_by(Modality.name)
        )
    )


def conditions() -> list[Condition]:
    """Every condition, alphabetically, with the techniques that address it."""
    return list(
        db.session.scalars(
            select(Condition).options(selectinload(Condition.modalities)).order_by(Condition.name)
        )
    )
