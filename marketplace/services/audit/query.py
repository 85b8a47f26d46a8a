"""Reading the audit trail: filters for the admin console and a CSV export.

The CSV is opened in spreadsheets, so its cells go through ``csv_safe``: a
text cell that would start a formula gets a leading apostrophe.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, distinct, func, or_, select
from sqlalchemy.orm import selectinload

from ...models import AuditLog, User, db
from ..common.csv_safe import csv_stream

CSV_MAX_ROWS = 50_000  # newest first; narrow the filters for older entries
CSV_COLUMNS = (
    "id",
    "time_utc",
    "actor_id",
    "actor_email",
    "action",
    "object_type",
    "object_id",
    "clinic_id",
    "detail",
    "ip_address",
)


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # part of an e-mail or name; "system" for entries with no actor
    action: str = ""  # "review.reject", or a noun such as "review" for all its verbs
    object_type: str = ""
    object_id: int | None = None
    date_from: date | None = None  # UTC days, both ends included
    date_to: date | None = None


def entries(f: AuditFilter) -> Select:
    """Audit entries matching ``f``, newest first."""
    return (
        select(AuditLog)
        .options(selectinload(AuditLog.actor))
        .where(*_conditions(f))
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
    )


def _conditions(f: AuditFilter) -> list:
    conditions = []
    if f.actor.lower() == "system":
        conditions.append(AuditLog.actor_id.is_(None))
    elif f.actor:
        needle = f.actor.lower()
        actors = select(User.id).where(
            or_(
                func.lower(User.email).contains(needle, autoescape=True),
                func.lower(User.name).contains(needle, autoescape=True),
            )
        )
        conditions.append(AuditLog.actor_id.in_(actors))
    if f.action and "." in f.action:
        conditions.append(AuditLog.action == f.action)
    elif f.action:
        conditions.append(AuditLog.action.startswith(f"{f.action}.", autoescape=True))
    if f.object_type:
        conditions.append(AuditLog.object_type == f.object_type)
    if f.object_id is not None:
        conditions.append(AuditLog.object_id == f.object_id)
    if f.date_from:
        conditions.append(AuditLog.created_at >= datetime.combine(f.date_from, time(), UTC))
    if f.date_to:
        end = datetime.combine(f.date_to + timedelta(days=1), time(), UTC)
        conditions.append(AuditLog.created_at < end)
    return conditions


def known_actions() -> list[str]:
    """Every action in the log, for the filter's suggestions."""
    return list(db.session.scalars(select(distinct(AuditLog.action)).order_by(AuditLog.action)))


def known_object_types() -> list[str]:
    return list(
        db.session.scalars(select(distinct(AuditLog.object_type)).order_by(AuditLog.object_type))
    )


def csv_rows(f: AuditFilter, *, batch: int = 2000) -> Iterator[str]:
    """The filtered log as CSV text, a header then ``batch`` rows at a time.

    Plain rows, not ORM objects: an export of tens of thousands of entries is
    mostly the cost of building objects otherwise.
    """
    stmt = (
        select(
            AuditLog.id,
            AuditLog.created_at,
            AuditLog.actor_id,
            User.email,
            AuditLog.action,
            AuditLog.object_type,
            AuditLog.object_id,
            AuditLog.clinic_id,
            AuditLog.detail,
            AuditLog.ip_address,
        )
        .outerjoin(User, User.id == AuditLog.actor_id)
        .where(*_conditions(f))
        .order_by(AuditLog.created_at.desc(), AuditLog.id.desc())
        .limit(CSV_MAX_ROWS)
        .execution_options(yield_per=batch)
    )
    rows = (_cells(row) for row in db.session.execute(stmt))
    return csv_stream(CSV_COLUMNS, rows, batch=batch)


def _cells(row) -> tuple:
    entry_id, created_at, actor_id, email, action, object_type, object_id, clinic, detail, ip = row
    return (
        entry_id,
        created_at.isoformat(timespec="seconds"),
        actor_id,
        email or "",
        action,
        object_type,
        object_id,
        clinic,
        json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        ip or "",
    )
