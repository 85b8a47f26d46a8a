"""Deposits per period (taken = refunded + kept + open, in the clinic's zone) and
the CSV exports: attachments, formula-safe cells, audited, bad dates a message."""

import csv
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from marketplace.models import AuditLog, BookingStatus, Payment, PaymentStatus, db
from marketplace.services.clinics import money as clinic_money
from tests.support.factories import create_user

NY = ZoneInfo("America/New_York")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=NY).astimezone(UTC)


def pay(booking, paid_at, *, amount=2300, refunded=0, status=PaymentStatus.SUCCEEDED):
    payment = Payment(booking=booking, idempotency_key=f"k-{booking.reference}-{amount}",
                      intent_id=f"pi_{booking.reference}_{amount}", amount_cents=amount,
                      refunded_cents=refunded, status=status, succeeded_at=paid_at)
    db.session.add(payment)
    db.session.flush()
    return payment


@pytest.fixture
def books(create_bookable_clinic, create_booking):
    """A week (Mon Mar 2 - Sun Mar 8, 2026) of deposits at one clinic, and noise around it."""
    b = create_bookable_clinic()
    mk = lambda starts, status, **kw: create_booking(  # noqa: E731
        b, starts_at=starts, status=status, client=create_user(name=kw.pop("name", "Ann Client")),
        **kw)
    completed = mk(local(2026, 3, 5, 10), BookingStatus.COMPLETED)
    no_show = mk(local(2026, 3, 5, 12), BookingStatus.NO_SHOW)
    cancelled = mk(local(2026, 3, 20, 10), BookingStatus.CANCELLED)
    late_cancel = mk(local(2026, 3, 21, 10), BookingStatus.CANCELLED)
    upcoming = mk(local(2026, 4, 2, 10), BookingStatus.CONFIRMED, name="=HYPERLINK(\"x\")")
    pay(completed, local(2026, 3, 2, 0, 5))  # just after local midnight Monday
    pay(no_show, local(2026, 3, 3, 9))
    pay(cancelled, local(2026, 3, 4, 9), refunded=2300, status=PaymentStatus.REFUNDED)
    pay(late_cancel, local(2026, 3, 6, 9), refunded=1000, status=PaymentStatus.PARTIALLY_REFUNDED)
    pay(upcoming, local(2026, 3, 8, 23, 55))  # just before local midnight Sunday
    # Outside the week, failed, or another clinic's: none of it counts.
    pay(mk(local(2026, 3, 1, 10), BookingStatus.COMPLETED), local(2026, 3, 1, 23, 55))
    pay(mk(local(2026, 3, 6, 15), BookingStatus.EXPIRED), local(2026, 3, 4, 10),
        status=PaymentStatus.FAILED)
    other = create_bookable_clinic()
    pay(create_booking(other, starts_at=local(2026, 3, 5, 10), client=create_user()),
        local(2026, 3, 5, 9))
    return b


def test_a_weeks_deposits_split_into_refunded_kept_and_open(app, books):
    p = clinic_money.period("week", anchor=date(2026, 3, 4), first=None, last=None,
                            tz="America/New_York", now=datetime.now(UTC))
    assert (p.first, p.last) == (date(2026, 3, 2), date(2026, 3, 8))
    summary = clinic_money.deposits(clinic=books.clinic, p=p, tz="America/New_York")
    assert len(summary.lines) == 5
    assert summary.taken == 5 * 2300
    assert summary.refunded == 2300 + 1000
    assert summary.kept == 2300 + 2300 + 1300  # completed, no-show, the late cancellation
    assert summary.open == 2300  # the visit still ahead
    assert summary.taken == summary.refunded + summary.kept + summary.open


def test_months_and_custom_ranges(app):
    now = datetime(2026, 3, 15, tzinfo=UTC)
    feb = clinic_money.period("month", anchor=date(2028, 2, 10), first=None, last=None,
                              tz="UTC", now=now)
    assert (feb.first, feb.last) == (date(2028, 2, 1), date(2028, 2, 29))
    custom = clinic_money.period("custom", anchor=None, first=date(2026, 1, 1),
                                 last=date(2026, 12, 31), tz="UTC", now=now)
    assert custom.days == 365
    with pytest.raises(clinic_money.FieldError, match="at most 366"):
        clinic_money.checked_range(date(2026, 1, 1), date(2027, 6, 1))
    with pytest.raises(clinic_money.FieldError, match="before the first"):
        clinic_money.checked_range(date(2026, 2, 1), date(2026, 1, 1))


def test_the_money_page_and_its_fragment(client, auth, books):
    db.session.commit()
    auth.session_for(books.owner)
    base = f"/owner/clinics/{books.clinic.slug}/money"
    page = client.get(base, query_string={"period": "week", "date": "2026-03-04"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "$115" in body
    assert "$33" in body
    assert "$59" in body
    assert "$23" in body
    fragment = client.htmx("GET", f"{base}?period=custom&date_from=2026-03-02&date_to=2026-03-08")
    assert "<html" not in fragment.get_data(as_text=True)
    assert "$115" in fragment.get_data(
        as_text=True)
    bad = client.get(base, query_string={"period": "custom", "date_from": "2026-03-02",
                                         "date_to": "tomorrow"})
    assert bad.status_code == 422
    assert "Not a valid date value" in bad.get_data(as_text=True)
    missing = client.get(base, query_string={"period": "custom"})
    assert missing.status_code == 422
    assert "Enter the first day" in missing.get_data(as_text=True)


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_bookings_csv_is_an_audited_formula_safe_attachment(client, auth, books):
    db.session.commit()
    auth.session_for(books.owner)
    response = client.get(f"/owner/clinics/{books.clinic.slug}/money/bookings.csv",
                          query_string={"date_from": "2026-03-01", "date_to": "2026-04-30"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "2026-03-01-to-2026-04-30" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    data = rows(response)
    # Expired holds are left out; everything else of this clinic in the dates is in.
    assert len(data) == 6
    upcoming = next(r for r in data if r["status"] == "confirmed")
    assert upcoming["client_name"] == "'=HYPERLINK(\"x\")"
    assert upcoming["starts_local"] == "2026-04-02T10:00-04:00"
    assert (upcoming["price"], upcoming["deposit_paid"]) == ("115.00", "23.00")
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "export.bookings_csv"))
    assert entry.detail == {"from": "2026-03-01", "to": "2026-04-30", "rows": 6}


def test_deposits_csv_matches_the_summary(client, auth, books):
    db.session.commit()
    auth.session_for(books.owner)
    response = client.get(f"/owner/clinics/{books.clinic.slug}/money/deposits.csv",
                          query_string={"date_from": "2026-03-02", "date_to": "2026-03-08"})
    data = rows(response)
    assert len(data) == 5
    total = {k: sum(float(r[k]) for r in data) for k in ("amount", "refunded", "kept", "open")}
    assert total == {"amount": 115.0, "refunded": 33.0, "kept": 59.0, "open": 23.0}
    assert data[0]["paid_at_local"] == "2026-03-02T00:05-05:00"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Enter the first day."),
        ({"date_from": "2026-03-01", "date_to": "2026-02-01"}, "cannot be before the first"),
        ({"date_from": "2026-01-01", "date_to": "2027-12-31"}, "at most 366 days"),
        ({"date_from": "=1+1", "date_to": "2026-02-01"}, "Not a valid date value"),
        ({"date_from": "9999-12-31", "date_to": "9999-12-31"}, "between 2000 and 2100"),
    ],
)
def test_bad_export_dates_get_a_message(client, auth, create_bookable_clinic, query, message):
    b = create_bookable_clinic()
    db.session.commit()
    auth.session_for(b.owner)
    response = client.get(f"/owner/clinics/{b.clinic.slug}/money/deposits.csv",
                          query_string=query)
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert message in response.get_data(as_text=True)


def test_a_booking_page_shows_what_was_paid_and_refunded(client, auth, books):
    db.session.commit()
    auth.session_for(books.owner)
    late = db.session.scalars(select(Payment).where(Payment.refunded_cents == 1000)).one()
    page = client.get(f"/owner/clinics/{books.clinic.slug}/bookings/{late.booking.reference}")
    assert "$23 paid, $10 refunded" in page.get_data(as_text=True)
