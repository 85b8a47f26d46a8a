"""Apply an owner's edits to a row and describe them for the audit log."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date, datetime, time

from ...models import User
from . import entries as audit

#: Long texts (descriptions, bios) are cut in the audit detail; the row keeps all of it.
DETAIL_TEXT_MAX = 200


def json_value(value: object) -> object:
    """``value`` as JSON can hold it: enums by value, dates and times in ISO 8601."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    if isinstance(value, str) and len(value) > DETAIL_TEXT_MAX:
        return value[:DETAIL_TEXT_MAX] + "…"
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(json_value(v) for v in value)
    return value


def apply(row: object, values: Mapping[str, object]) -> dict[str, list]:
    """Set each attribute that differs; return ``{name: [old, new]}`` for those."""
    changed: dict[str, list] = {}
    for name, new in values.items():
        old = getattr(row, name)
        if old != new:
            changed[name] = [json_value(old), json_value(new)]
            setattr(row, name, new)
    return changed


def record(
    row: object,
    action: str,
    *,
    actor: User,
    now: datetime,
    changed: dict | None = None,
    clinic_id: int | None = None,
    **detail,
) -> None:
    """Audit an owner's change to ``row`` (nothing to record when ``changed`` is empty).

    ``clinic_id`` is needed for rows that do not carry one (hours, time off).
    """
    if changed is not None and not changed:
        return
    if changed:
        detail["changed"] = changed
    audit.record(actor=actor, action=action, obj=row, clinic_id=clinic_id, detail=detail, now=now)
