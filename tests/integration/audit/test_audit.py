from sqlalchemy import select

from marketplace.models import AuditLog, Role, db, utcnow
from marketplace.services import audit


def test_record_takes_type_id_and_clinic_from_the_object(app, create_user, create_clinic):
    admin = create_user(role=Role.ADMIN)
    clinic = create_clinic()
    audit.record(
        actor=admin, action="clinic.verify", obj=clinic, detail={"note": "ok"}, now=utcnow()
    )
    db.session.flush()
    entry = db.session.scalar(select(AuditLog))
    assert (entry.actor_id, entry.action, entry.object_type, entry.object_id) == (
        admin.id,
        "clinic.verify",
        "clinic",
        clinic.id,
    )
    assert entry.detail == {"note": "ok"}
    assert entry.clinic_id == clinic.id


def test_system_actions_have_no_actor(app):
    audit.record(
        actor=None, action="payments.reconcile", object_type="payment", object_id=7, now=utcnow()
    )
    db.session.flush()
    assert db.session.scalar(select(AuditLog)).actor_id is None
