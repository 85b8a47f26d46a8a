"""Booking with a series: a session pays for a held visit (no deposit, nothing due), the
count follows the bookings (a lapsed hold and a cancellation inside the free window give
the session back; a late cancellation or a no-show uses it up under the stored rule), the
checkout's button with and without htmx, and two bookings racing for the last session."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from marketplace.models import BookingStatus, LateRule, Party, SeriesPurchase, User, db
from marketplace.services import booking as bookings
from marketplace.services.common.errors import Conflict
from marketplace.services.series import sessions
from tests.support import factories
from tests.support.booking import booking_rules, days_ahead, hold
from tests.support.faults import committed_app
from tests.support.series import create_offer, paid


def _series(b, now, **offer):
    client = factories.create_user()
    return client, paid(create_offer(b, now=now, **offer), client, now=now)


def test_a_session_pays_for_a_visit_with_no_deposit(app, create_bookable_clinic, now):
    b = create_bookable_clinic()
    client, row = _series(b, now)
    booking = hold(app, b, days_ahead(b, 3, 10, now=now), client=client, now=now)
    assert sessions.usable_for(client, b.service, now) == [row]
    sessions.draw(booking, row, now=now)
    assert (booking.deposit_cents, booking.amount_due_cents, booking.price_cents) == (0, 0, 10000)
    assert sessions.sessions_left(row, now) == 3
    assert bookings.next_step(booking, now) == "confirm"
    bookings.confirm_without_deposit(booking, now=now)
    db.session.commit()
    assert booking.status is BookingStatus.CONFIRMED
    assert (sessions.sessions_used(row, now), sessions.sessions_left(row, now)) == (1, 3)


def test_a_lapsed_hold_gives_its_session_back(app, create_bookable_clinic, now):
    b = create_bookable_clinic()
    client, row = _series(b, now)
    booking = hold(app, b, days_ahead(b, 3, 10, now=now), client=client, now=now)
    sessions.draw(booking, row, now=now)
    assert sessions.sessions_left(row, now) == 3
    assert sessions.sessions_left(row, booking.hold_expires_at) == 4


def _confirmed(app, b, client, row, now, days=3):
    booking = hold(app, b, days_ahead(b, days, 10, now=now), client=client, now=now)
    sessions.draw(booking, row, now=now)
    bookings.confirm_without_deposit(booking, now=now)
    db.session.commit()
    return booking


@pytest.mark.parametrize(("rule", "late_left"), [(LateRule.USED, 3), (LateRule.RETURNED, 4)])
def test_cancelling_follows_the_free_window_and_the_stored_late_rule(
        app, create_bookable_clinic, now, gateway, rule, late_left):
    b = create_bookable_clinic()
    client, row = _series(b, now, late_rule=rule)
    early = _confirmed(app, b, client, row, now, days=5)
    result = bookings.cancel(early, by=Party.CLIENT, actor=client, reason="", now=now,
                             gateway=gateway)
    assert (result.refund_cents, result.kept_cents) == (0, 0)  # no money moved
    assert sessions.sessions_left(row, now) == 4  # inside the free window: given back
    late = _confirmed(app, b, client, row, now, days=6)
    bookings.cancel(late, by=Party.CLIENT, actor=client, reason="",
                    now=late.starts_at - timedelta(hours=1), gateway=gateway)
    assert sessions.sessions_left(row, now) == late_left
    by_clinic = _confirmed(app, b, client, row, now, days=7)
    bookings.cancel(by_clinic, by=Party.CLINIC, actor=b.owner, reason="Closed",
                    now=by_clinic.starts_at - timedelta(hours=1), gateway=gateway)
    assert sessions.sessions_left(row, now) == late_left  # the clinic's: always back


@pytest.mark.parametrize(("rule", "left"), [(LateRule.USED, 3), (LateRule.RETURNED, 4)])
def test_a_no_show_follows_the_stored_rule(app, create_bookable_clinic, now, rule, left):
    b = create_bookable_clinic()
    client, row = _series(b, now, late_rule=rule)
    booking = _confirmed(app, b, client, row, now)
    booking.status = BookingStatus.NO_SHOW
    db.session.commit()
    assert sessions.sessions_left(row, now) == left


def test_a_series_cannot_pay_past_its_sessions_expiry_or_for_another_service(
        app, create_bookable_clinic, now):
    b = create_bookable_clinic()
    client, row = _series(b, now, sessions=2, price_cents=20000)
    _confirmed(app, b, client, row, now, days=2)
    _confirmed(app, b, client, row, now, days=3)
    third = hold(app, b, days_ahead(b, 4, 10, now=now), client=client, now=now)
    with pytest.raises(sessions.NoSessionLeft, match="no sessions left"):
        sessions.draw(third, row, now=now)
    assert sessions.usable_for(client, b.service, now) == []
    other = factories.create_user()
    _, mine = _series(b, now)
    theirs = hold(app, b, days_ahead(b, 5, 10, now=now), client=other, now=now)
    with pytest.raises(sessions.NoSessionLeft):
        sessions.draw(theirs, mine, now=now)
    late = hold(app, b, days_ahead(b, 6, 10, now=now), client=mine.client, now=now)
    mine.expires_at = now + timedelta(days=1)
    with pytest.raises(sessions.NoSessionLeft, match="after the series expires"):
        sessions.draw(late, mine, now=now)


def test_a_promotion_cannot_reprice_a_visit_a_session_pays(app, create_bookable_clinic, now):
    b = create_bookable_clinic()
    client, row = _series(b, now)
    booking = hold(app, b, days_ahead(b, 3, 10, now=now), client=client, now=now)
    sessions.draw(booking, row, now=now)
    with pytest.raises(Conflict, match="series"):
        bookings.apply_promotion(booking, code="ANY", now=now)
    sessions.undraw(booking, now=now)
    assert booking.deposit_cents > 0
    assert booking.series_purchase_id is None


def test_using_and_removing_a_session_at_checkout(client, auth, app, create_bookable_clinic,
                                                  now):
    b = create_bookable_clinic()
    buyer, row = _series(b, now)
    booking = hold(app, b, days_ahead(b, 3, 10, now=now), client=buyer, now=now)
    db.session.commit()
    auth.login(buyer)
    url = f"/book/{booking.reference}"
    page = client.get(url).get_data(as_text=True)
    assert f"Your series {row.reference} has 4 sessions left" in page
    response = client.post(f"{url}/series", data={"series": row.reference, "action": "use"})
    assert response.status_code == 303
    db.session.refresh(booking)
    assert booking.series_purchase_id == row.id
    assert booking.deposit_cents == 0
    assert "Confirm your booking" in client.get(url).get_data(as_text=True)
    response = client.htmx("POST", f"{url}/series", data={"action": "remove"})
    assert response.status_code == 200
    assert "<html" not in response.get_data(as_text=True)
    db.session.refresh(booking)
    assert booking.series_purchase_id is None
    stranger_series = _series(b, now)[1]
    response = client.post(f"{url}/series", data={"series": stranger_series.reference,
                                                  "action": "use"})
    assert response.status_code == 404
    response = client.post(f"{url}/series", data={"series": "<script>", "action": "use"})
    assert response.status_code in (404, 422)



@pytest.mark.concurrency
def test_two_bookings_racing_for_the_last_session_draw_it_once(tmp_path):
    now = datetime.now(UTC)
    with committed_app(tmp_path, "seriesrace") as (app, _url):
        with app.app_context():
            b = factories.create_bookable_clinic()
            client = factories.create_user()
            row = paid(create_offer(b, now=now, sessions=2, price_cents=20000), client, now=now)
            held = [bookings.place_hold(
                service=b.service, therapist_id=b.therapist.id,
                starts_at=days_ahead(b, d, 10, now=now), client=client, hold_token=None,
                now=now, rules=booking_rules(app), release_others=False) for d in (2, 3, 4)]
            sessions.draw(held[0], row, now=now)
            held = [h.reference for h in held[1:]]
            db.session.commit()
            row_id, client_id = row.id, client.id
            db.session.remove()
        barrier, drawn, errors = threading.Barrier(2), [], []

        def draw(reference: str) -> None:
            with app.app_context():
                try:
                    barrier.wait(timeout=10)
                    booking = bookings.by_reference(reference)
                    series = db.session.get(SeriesPurchase, row_id)
                    sessions.draw(booking, series, now=now)
                    db.session.commit()
                    drawn.append(reference)
                except Exception as exc:  # noqa: BLE001 - reported below
                    db.session.rollback()
                    errors.append(exc)
                finally:
                    db.session.remove()

        threads = [threading.Thread(target=draw, args=(ref,)) for ref in held]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        with app.app_context():
            series = db.session.get(SeriesPurchase, row_id)
            assert len(drawn) == 1, errors
            assert [type(e) for e in errors] == [sessions.NoSessionLeft]
            assert sessions.sessions_used(series, now) == 2
            assert sessions.sessions_left(series, now) == 0
            assert db.session.get(User, client_id) is not None


def test_the_booking_page_says_what_cancelling_does_to_the_session(
        client, auth, app, create_bookable_clinic, now):
    b = create_bookable_clinic()
    buyer, row = _series(b, now)
    booking = _confirmed(app, b, buyer, row, now, days=5)
    auth.login(buyer)
    page = client.get(f"/bookings/{booking.reference}").get_data(as_text=True)
    assert "the session goes back to your series" in page


def test_the_owner_sees_a_visit_paid_by_a_series(client, auth, app, create_bookable_clinic,
                                                 now):
    b = create_bookable_clinic()
    buyer, row = _series(b, now)
    booking = _confirmed(app, b, buyer, row, now, days=5)
    auth.login(b.owner)
    page = client.get(f"/owner/clinics/{b.clinic.slug}/bookings/{booking.reference}")
    assert page.status_code == 200
    assert f"treatment series {row.reference}" in page.get_data(as_text=True)
