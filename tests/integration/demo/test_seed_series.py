"""The demo seed's treatment series: Solely offers four sessions for $420 and the demo
client bought one, paid, with four sessions to book; the pages show it."""

from sqlalchemy import select

from marketplace.demo import seed
from marketplace.models import SeriesOffer, SeriesPurchase, SeriesStatus, User, db
from marketplace.services.series import offers, sessions


def test_the_demo_offers_a_series_and_the_client_holds_one(app, client, auth, now):
    seed.seed_demo(now=now)
    db.session.commit()
    seed.seed_demo(now=now)  # run twice: found again, not doubled
    db.session.commit()
    assert db.session.scalar(select(db.func.count(SeriesOffer.id))) == 1
    row = db.session.scalar(select(SeriesPurchase))
    assert (row.reference, row.status, row.sessions_total) == ("DEMOSERIES", SeriesStatus.PAID, 4)
    assert sessions.sessions_left(row, now) == 4
    assert offers.saving_cents(row.offer) == 4 * 11500 - 42000
    buyer = db.session.scalar(select(User).where(User.email == "client@demo.test"))
    auth.session_for(buyer)
    page = client.get("/series/DEMOSERIES").get_data(as_text=True)
    assert "Book the course" in page
    assert "DEMOSERIES" in client.get("/bookings").get_data(as_text=True)
