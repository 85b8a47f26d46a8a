"""Refunding unused sessions under the stored rule through localstripe (once, however
often asked; owed and sent later when the provider is down), the owner's money page and
CSV (sales, sessions used, refunds, liability), and the calendar feed marking a series
visit."""

from datetime import timedelta

import icalendar
import pytest

from marketplace.models import RefundRule, SeriesStatus, db
from marketplace.services import booking as bookings
from marketplace.services.clinics import calendar_feeds, exports
from marketplace.services.clinics import money as clinic_money
from marketplace.services.common.errors import Conflict
from marketplace.services.payments import PaymentGateway
from marketplace.services.series import refunds, sessions
from tests.support import factories
from tests.support.booking import days_ahead, hold
from tests.support.series import bought, create_offer


def _booked(app, b, client, row, now, days=3):
    booking = hold(app, b, days_ahead(b, days, 10, now=now), client=client, now=now)
    sessions.draw(booking, row, now=now)
    bookings.confirm_without_deposit(booking, now=now)
    db.session.commit()
    return booking


def test_unused_sessions_are_refunded_less_the_fee_once(app, create_bookable_clinic,
                                                        gateway, now):
    b = create_bookable_clinic()
    offer = create_offer(b, now=now, refund_rule=RefundRule.PER_SESSION_LESS_FEE,
                         refund_fee_cents=1500)
    client = factories.create_user()
    row, _ = bought(offer, client, gateway=gateway, now=now)
    _booked(app, b, client, row, now)
    assert refunds.terms(row, now) == refunds.RefundTerms(3, 3 * 10000 - 1500)
    done = refunds.refund_unused(row, actor=client, gateway=gateway, now=now)
    assert (done.sessions, done.cents, done.pending) == (3, 28500, False)
    assert row.status is SeriesStatus.CLOSED
    assert row.refunded_at == now
    assert gateway.refunded_amount(row.intent_id) == 28500
    assert sessions.sessions_left(row, now) == 0
    with pytest.raises(Conflict):
        refunds.refund_unused(row, actor=client, gateway=gateway, now=now)
    assert refunds.send_refund(row, gateway=gateway, now=now)  # asked again: nothing more
    assert gateway.refunded_amount(row.intent_id) == 28500


def test_no_refund_rule_and_strangers_are_refused(app, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    client = factories.create_user()
    row, _ = bought(create_offer(b, now=now, refund_rule=RefundRule.NONE), client,
                    gateway=gateway, now=now)
    with pytest.raises(Conflict, match="refunds no unused"):
        refunds.refund_unused(row, actor=client, gateway=gateway, now=now)
    with pytest.raises(Exception, match="Only the client"):
        refunds.refund_unused(row, actor=factories.create_user(), gateway=gateway, now=now)


def test_a_refund_the_provider_missed_is_sent_by_reconcile(app, create_bookable_clinic,
                                                           gateway, now):
    b = create_bookable_clinic()
    client = factories.create_user()
    row, _ = bought(create_offer(b, now=now), client, gateway=gateway, now=now)
    down = PaymentGateway(None, secret_key="sk_test_offline", webhook_secret="whsec")
    done = refunds.refund_unused(row, actor=client, gateway=down, now=now)
    assert done.pending
    assert row.refunded_at is None
    assert row.refund_cents == 40000
    assert refunds.retry_refunds(gateway=gateway, now=now) == (1, 0)
    assert gateway.refunded_amount(row.intent_id) == 40000
    assert refunds.retry_refunds(gateway=gateway, now=now) == (0, 0)


def test_the_money_page_and_csv_show_sales_use_and_liability(
        app, client, auth, create_bookable_clinic, gateway, now):
    b = create_bookable_clinic()
    buyer = factories.create_user(name="Robin Client")
    row, _ = bought(create_offer(b, now=now), buyer, gateway=gateway, now=now)
    _booked(app, b, buyer, row, now)
    period = clinic_money.period("week", anchor=None, first=None, last=None,
                                 tz=b.clinic.timezone, now=now)
    summary = clinic_money.series(clinic=b.clinic, p=period, tz=b.clinic.timezone, now=now)
    assert (summary.sold, summary.sold_count, summary.sessions_used, summary.liability) == (
        40000, 1, 1, 30000)
    body = exports.series_csv(clinic=b.clinic, p=period, tz=b.clinic.timezone,
                              actor=b.owner, now=now)
    header, line = body.splitlines()[:2]
    assert header.startswith("series,client,service")
    assert line.startswith(f"{row.reference},Robin Client,")
    assert line.endswith(",paid,300.00,0.00")  # nothing paid by gift card
    auth.login(b.owner)
    page = client.get(f"/owner/clinics/{b.clinic.slug}/money").get_data(as_text=True)
    assert "Treatment series" in page
    assert "Liability now" in page
    assert "$300" in page
    csv = client.get(f"/owner/clinics/{b.clinic.slug}/money/series.csv",
                     query_string={"date_from": period.first.isoformat(),
                                   "date_to": period.last.isoformat()})
    assert csv.status_code == 200
    assert row.reference in csv.get_data(as_text=True)
    bad = client.get(f"/owner/clinics/{b.clinic.slug}/money/series.csv",
                     query_string={"date_from": "nonsense"})
    assert bad.status_code == 422


def test_the_calendar_feed_marks_series_sessions(app, create_bookable_clinic, now):
    b = create_bookable_clinic()
    client = factories.create_user(name="Robin Client")
    from tests.support.series import paid

    row = paid(create_offer(b, now=now), client, now=now)
    _booked(app, b, client, row, now)
    token = calendar_feeds.issue(clinic=b.clinic, therapist=None, actor=b.owner, now=now)
    feed = calendar_feeds.open_feed(token=token, now=now)
    cal = icalendar.Calendar.from_ical(calendar_feeds.calendar(
        feed, site_name="Kneaded", domain="kneaded.test", now=now))
    events = [e for e in cal.walk("VEVENT") if "series session" in str(e["summary"])]
    assert len(events) == 1
    assert "Client" not in str(events[0]["summary"])  # first name and initial only
    assert "treatment series" in str(events[0]["description"])


def test_the_series_page_refunds_through_the_site(client, auth, app, create_bookable_clinic,
                                                  gateway, now):
    b = create_bookable_clinic()
    buyer = factories.create_user()
    row, _ = bought(create_offer(b, now=now), buyer, gateway=gateway, now=now)
    auth.login(buyer)
    page = client.get(f"/series/{row.reference}").get_data(as_text=True)
    assert "Refund $400" in page
    response = client.post(f"/series/{row.reference}/refund")
    assert response.status_code == 303
    db.session.refresh(row)
    assert row.status is SeriesStatus.CLOSED
    again = client.post(f"/series/{row.reference}/refund")
    assert again.status_code == 409
    assert row.expires_at > now + timedelta(days=1)
