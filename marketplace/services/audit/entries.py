"""The audit trail: one call records who did what to which object."""

from __future__ import annotations

from datetime import datetime

from ...models import AuditLog, User, db


def record(
    *,
    actor: User | None,
    action: str,
    obj: object | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    clinic_id: int | None = None,
    detail: dict | None = None,
    ip_address: str | None = None,
    now: datetime,
) -> AuditLog:
    """Add an audit entry in the current transaction.

    ``action`` is "<noun>.<verb>", e.g. "clinic.verify", "review.reject", "intake.read".
    Pass ``obj`` (a model row) or ``object_type``/``object_id``; the clinic is
    taken from ``obj.clinic_id`` when there is one.
    """
    if obj is not None:
        object_type = object_type or obj.__tablename__.rstrip("s")
        object_id = object_id if object_id is not None else obj.id
        if clinic_id is None:
            clinic_id = obj.id if object_type == "clinic" else getattr(obj, "clinic_id", None)
    entry = AuditLog(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=object_type or "site",
        object_id=object_id,
        clinic_id=clinic_id,
        detail=detail or {},
        ip_address=ip_address,
        created_at=now,
    )
    db.session.add(entry)
    return entry
