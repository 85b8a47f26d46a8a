"""The demo seed's conversations: the demo client has two, one with an answer they have
not read, one the clinic has not read; a second run adds nothing."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from marketplace.demo import seed
from marketplace.demo.common import clinic_by_slug
from marketplace.demo.data.clinics_real import CENTER_FOR_MASSAGE_THERAPY, SOLELY
from marketplace.models import Message, MessageThread, User, db
from marketplace.services.messages import threads


def test_the_demo_has_conversations_with_one_unread_answer(app):
    now = datetime.now(UTC)
    seed.seed_demo(now=now)
    seed.seed_demo(now=now)
    client = db.session.scalar(select(User).where(User.email == "client@demo.test"))
    mine = list(db.session.scalars(threads.client_threads(client)))
    assert {t.clinic.slug for t in mine} == {SOLELY.slug, CENTER_FOR_MASSAGE_THERAPY.slug}
    assert threads.client_unread_count(client) == 1
    assert threads.clinic_unread_count(clinic_by_slug(SOLELY.slug)) == 0
    assert threads.clinic_unread_count(clinic_by_slug(CENTER_FOR_MASSAGE_THERAPY.slug)) == 1
    about_booking = next(t for t in mine if t.booking is not None)
    assert about_booking.booking.reference == "DEMOB2M4"
    assert db.session.scalar(select(func.count(MessageThread.id))) == 2
    assert db.session.scalar(select(func.count(Message.id))) == 5
