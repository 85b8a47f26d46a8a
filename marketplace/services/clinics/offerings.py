"""An owner's services: technique, duration, price, buffers and who gives each.

Price and duration change together through ``Service.set_price``, so the
stored per-60-minute price that search sorts on stays true. Changing price,
duration or buffers strands nothing (bookings keep their own times and
price); deactivating a service with upcoming bookings, or taking it away from
a therapist booked for it, is refused (``stranding``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ...models import Booking, Clinic, Modality, Service, Therapist, User, db
from ..audit import diff as changes
from ..availability import schedules
from ..common.errors import FieldError
from . import stranding


@dataclass(frozen=True)
class ServiceData:
    name: str
    modality_id: int
    description: str
    duration_min: int
    price_cents: int
    buffer_before_min: int
    buffer_after_min: int
    includes_consultation: bool
    active: bool
    therapist_ids: Sequence[int] = ()


def _check(clinic: Clinic, data: ServiceData) -> list[Therapist]:
    """The therapists named, after checking the technique and ranges."""
    if db.session.get(Modality, data.modality_id) is None:
        raise FieldError("modality_id", "Choose a technique from the list.")
    if not 10 <= data.duration_min <= 480:
        raise FieldError("duration_min", "A service lasts between 10 and 480 minutes.")
    if data.price_cents <= 0:
        raise FieldError("price", "Enter a price above $0.")
    mine = {t.id: t for t in clinic.therapists}
    if set(data.therapist_ids) - set(mine):
        raise FieldError("therapist_ids", "Choose therapists of this clinic.")
    return [mine[i] for i in sorted(set(data.therapist_ids))]


def _columns(data: ServiceData) -> dict:
    return {
        "name": data.name,
        "modality_id": data.modality_id,
        "description": data.description,
        "buffer_before_min": data.buffer_before_min,
        "buffer_after_min": data.buffer_after_min,
        "includes_consultation": data.includes_consultation,
        "active": data.active,
    }


def create_service(*, clinic: Clinic, data: ServiceData, actor: User, now: datetime) -> Service:
    """Add a service the clinic sells."""
    givers = _check(clinic, data)
    service = Service(clinic=clinic, created_at=now, **_columns(data))
    service.set_price(price_cents=data.price_cents, duration_min=data.duration_min)
    service.therapists = givers
    db.session.add(service)
    db.session.flush()
    changes.record(service, "service.create", actor=actor, now=now, name=service.name,
                   price_cents=service.price_cents, duration_min=service.duration_min,
                   therapist_ids=[t.id for t in givers])
    return service


def update_service(*, service: Service, data: ServiceData, actor: User, now: datetime) -> dict:
    """Change a service; refused when it would strand upcoming bookings."""
    givers = _check(service.clinic, data)
    _refuse_stranding(service, data, now=now)
    changed = changes.apply(service, _columns(data))
    old_price = (service.price_cents, service.duration_min)
    service.set_price(price_cents=data.price_cents, duration_min=data.duration_min)
    if old_price != (service.price_cents, service.duration_min):
        changed["price_cents"] = [old_price[0], service.price_cents]
        changed["duration_min"] = [old_price[1], service.duration_min]
    old_ids = {t.id for t in service.therapists}
    if old_ids != {t.id for t in givers}:
        changed["therapist_ids"] = [sorted(old_ids), sorted(t.id for t in givers)]
        service.therapists = givers
    changes.record(service, "service.update", actor=actor, now=now, changed=changed)
    return changed


def _refuse_stranding(service: Service, data: ServiceData, *, now: datetime) -> None:
    if service.active and not data.active:
        stranding.refuse_if(
            stranding.upcoming(Booking.service_id == service.id, now=now),
            f"{service.name} cannot be withdrawn while clients are booked for it.",
        )
    removed = {t.id for t in service.therapists} - set(data.therapist_ids)
    if removed:
        schedules.lock_therapists(removed)
        stranding.refuse_if(
            stranding.upcoming(
                Booking.service_id == service.id, Booking.therapist_id.in_(removed), now=now
            ),
            "Those therapists have clients booked for this service.",
        )
