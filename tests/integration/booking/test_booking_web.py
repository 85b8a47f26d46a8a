"""The booking pages through the Flask client: picker (page and fragment), holds,
sign-in without losing the slot, paying with localstripe, and the failure answers."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from marketplace.models import (
    Booking,
    BookingStatus,
    ClinicStatus,
    Party,
    PaymentStatus,
    Promotion,
    PromotionKind,
    ScreeningOutcome,
    TimeOff,
    db,
)
from marketplace.services import booking as bookings
from tests.support import factories
from tests.support.booking import (
    confirmed,
    days_ahead,
    hold,
    provider_payments,
    succeeded_charges,
)

REF = re.compile(r"/book/([A-Z0-9]{8})")


def _book_url(b, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/clinics/{b.clinic.slug}/book" + (f"?{query}" if query else "")


def _hold(client, b, starts_at, therapist="any"):
    local = starts_at.astimezone(ZoneInfo(b.location.timezone))
    return client.post(f"/clinics/{b.clinic.slug}/book/hold", data={
        "service": b.service.id, "therapist": therapist, "start": local.isoformat()})


def _answer_intake(client, reference, **answers):
    """Answer the health questions (nothing ticked unless given) and follow on."""
    return client.post(f"/book/{reference}/intake", data={"share_consent": "y", **answers})


def _booking(reference) -> Booking:
    db.session.expire_all()
    return db.session.scalar(db.select(Booking).where(Booking.reference == reference))


# --- the picker --------------------------------------------------------------------------


def test_the_picker_lists_services_then_days_and_times_in_the_clinics_zone(
        client, create_bookable_clinic):
    b = create_bookable_clinic()
    first = client.get(_book_url(b))
    assert first.status_code == 200
    assert b.service.name in first.get_data(as_text=True)
    day = days_ahead(b, 2, 9).astimezone(ZoneInfo("America/New_York"))
    page = client.get(_book_url(b, service=b.service.id, date=day.date().isoformat()))
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert re.search(r"9:00 AM E[SD]T", text)
    assert "Any available therapist" in text
    assert b.therapist.name in text
    assert f'value="{day.isoformat()}"' in text  # the slot's value is its local ISO time
    assert page.headers["Vary"] == "HX-Request" or "HX-Request" in page.headers["Vary"]


def test_the_picker_answers_htmx_with_just_its_fragment(client, create_bookable_clinic):
    b = create_bookable_clinic()
    fragment = client.htmx("GET", _book_url(b, service=b.service.id))
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200
    assert "<html" not in text
    assert "slot-grid" in text
    assert "Vary" in fragment.headers


def _closed_today_clinic(now, *, open_in_days: int):
    """A clinic open only on the weekday ``open_in_days`` days after ``now`` (its zone)."""
    b = factories.create_bookable_clinic()
    for row in b.therapist.working_hours:
        db.session.delete(row)
    today = now.astimezone(ZoneInfo(b.location.timezone)).date()
    open_day = today + timedelta(days=open_in_days)
    factories.create_hours(b.therapist, b.location, weekdays=[open_day.weekday()])
    return b, open_day


def test_the_picker_opens_on_the_first_day_with_times_and_says_which(app, client, now):
    for open_in_days in (1, 2, 6):  # the next open day in this week's strip
        b, open_day = _closed_today_clinic(now, open_in_days=open_in_days)
        for get in (client.get, lambda url: client.htmx("GET", url)):
            text = get(_book_url(b, service=b.service.id)).get_data(as_text=True)
            said = f'{open_day.strftime("%A, %B")} {open_day.day}'
            assert f"Next open day: <strong>{said}</strong>" in text
            assert f"Open times on {said}" in text
            assert "slot-grid" in text
            assert "No open times on this day" not in text
            assert f'value="{open_day.isoformat()}"' in text  # the day field says it too


def test_the_picker_finds_an_open_day_beyond_the_first_week_and_shows_its_week(
        app, client, now):
    b = factories.create_bookable_clinic()  # open every day, but away for ten days
    tz = ZoneInfo(b.location.timezone)
    back = now.astimezone(tz).date() + timedelta(days=10)
    db.session.add(TimeOff(therapist=b.therapist, starts_at=now - timedelta(days=1),
                           ends_at=datetime(back.year, back.month, back.day, tzinfo=tz)))
    db.session.flush()
    text = client.get(_book_url(b, service=b.service.id)).get_data(as_text=True)
    said = f'{back.strftime("%A, %B")} {back.day}'
    assert f"Next open day: <strong>{said}</strong>" in text
    assert 'aria-current="date"' in text
    assert f"date={back.isoformat()}" in text  # its week's strip is the one shown
    assert "‹ Earlier" in text


def test_nothing_open_within_the_horizon_says_so_on_today(app, client, now):
    b = factories.create_bookable_clinic()
    for row in b.therapist.working_hours:
        db.session.delete(row)
    db.session.flush()
    text = client.get(_book_url(b, service=b.service.id)).get_data(as_text=True)
    today = now.astimezone(ZoneInfo(b.location.timezone)).date()
    assert f'value="{today.isoformat()}"' in text
    assert "Next open day:" not in text
    assert "Nothing is open in the coming weeks" in text


def test_a_day_the_client_chose_stays_chosen_even_with_no_times(app, client, now):
    b, open_day = _closed_today_clinic(now, open_in_days=3)
    today = open_day - timedelta(days=3)
    text = client.get(_book_url(b, service=b.service.id, date=today.isoformat())
                      ).get_data(as_text=True)
    assert "No open times on this day" in text
    assert "Next open day:" not in text
    assert f"See the next open day, {open_day.strftime('%A, %B')} {open_day.day}" in text


def test_the_picker_stays_on_today_when_today_has_times(app, client, time_machine):
    b = factories.create_bookable_clinic()  # open 9 to 5 every day
    tz = ZoneInfo(b.location.timezone)
    time_machine.move_to(datetime(2026, 12, 9, 8, 0, tzinfo=tz), tick=False)  # a Wednesday
    text = client.get(_book_url(b, service=b.service.id)).get_data(as_text=True)
    assert 'value="2026-12-09"' in text
    assert "Next open day:" not in text
    time_machine.move_to(datetime(2026, 12, 6, 23, 30, tzinfo=tz), tick=False)  # Sunday night
    text = client.get(_book_url(b, service=b.service.id)).get_data(as_text=True)
    assert 'value="2026-12-07"' in text
    assert "Next open day: <strong>Monday, December 7</strong>" in text


def test_bad_picker_input_is_a_clear_message_not_an_error(client, create_bookable_clinic):
    b = create_bookable_clinic()
    other = create_bookable_clinic()
    for args in ({"service": 999999}, {"service": b.service.id, "date": "2031-02-30"},
                 {"service": b.service.id, "start": "yesterday"}):
        answer = client.get(_book_url(b, **args))
        assert answer.status_code == 422, args
    answer = client.get(_book_url(b, service=b.service.id, therapist=other.therapist.id))
    assert answer.status_code == 200  # someone else's therapist: everyone here is shown
    assert client.get(_book_url(b, service=other.service.id)).status_code == 422


def test_a_link_with_a_start_preselects_that_time(client, create_bookable_clinic):
    b = create_bookable_clinic()
    start = days_ahead(b, 3, 11).astimezone(ZoneInfo("America/New_York"))
    page = client.get(_book_url(b, service=b.service.id, therapist=b.therapist.id) +
                      f"&start={start.isoformat().replace('+', '%2B')}")
    text = page.get_data(as_text=True)
    assert "You chose" in text
    assert "slot-selected" in text


def test_unpublished_and_suspended_clinics_are_not_bookable(client, create_bookable_clinic):
    for status in (ClinicStatus.PENDING, ClinicStatus.SUSPENDED):
        b = create_bookable_clinic(status=status)
        assert client.get(_book_url(b)).status_code == 404
        assert _hold(client, b, days_ahead(b, 2)).status_code == 404


# --- holding, signing in, paying ----------------------------------------------------------


def test_an_anonymous_hold_survives_sign_in_and_is_paid_for(client, create_bookable_clinic,
                                                            stripe_app):
    b = create_bookable_clinic()
    held = _hold(client, b, days_ahead(b, 3, 10))
    assert held.status_code == 303
    reference = REF.search(held.headers["Location"]).group(1)
    assert "kneaded_hold=" in held.headers["Set-Cookie"]
    booking = _booking(reference)
    assert booking.status is BookingStatus.HELD
    assert booking.client_id is None
    page = client.get(f"/book/{reference}").get_data(as_text=True)
    assert "Sign in to continue" in page
    assert "data-hold-expires" in page
    user = factories.create_user()
    db.session.commit()
    signed_in = client.post(f"/login?next=/book/{reference}",
                            data={"email": user.email, "password": factories.TEST_PASSWORD})
    assert signed_in.headers["Location"].endswith(f"/book/{reference}")
    step = client.get(f"/book/{reference}")
    assert "Answer the health questions" in step.get_data(as_text=True)
    assert _booking(reference).client_id == user.id
    assert "Does any of this apply to you now?" in client.get(
        f"/book/{reference}/intake").get_data(as_text=True)
    answered = _answer_intake(client, reference)
    assert answered.status_code == 303
    assert "Pay the deposit" in client.get(f"/book/{reference}").get_data(as_text=True)
    paid = client.post(f"/book/{reference}/pay", data={"card": "pm_card_visa", "agree": "y"})
    assert paid.status_code == 303
    assert paid.headers["Location"].endswith("/confirmed")
    assert _booking(reference).status is BookingStatus.CONFIRMED
    done = client.get(f"/book/{reference}/confirmed").get_data(as_text=True)
    assert "You are booked" in done
    assert re.search(r"10:00 AM E[SD]T", done)
    assert client.get(f"/book/{reference}").status_code == 303  # on to the confirmation


def test_a_declined_card_says_so_and_keeps_the_hold(client, auth, create_bookable_clinic,
                                                    stripe_app):
    b = create_bookable_clinic()
    user = factories.create_user()
    auth.session_for(user)
    reference = REF.search(_hold(client, b, days_ahead(b, 3)).headers["Location"]).group(1)
    early = client.post(f"/book/{reference}/pay", data={"card": "pm_card_visa", "agree": "y"})
    assert early.status_code == 409
    assert "health questions first" in early.get_data(as_text=True)
    _answer_intake(client, reference)
    declined = client.post(f"/book/{reference}/pay",
                           data={"card": "pm_card_chargeCustomerFail", "agree": "y"})
    text = declined.get_data(as_text=True)
    assert declined.status_code == 402
    assert "Payment declined" in text
    assert "still held" in text
    # The declined card is not left chosen (Pay again would only decline again): the
    # client picks a card deliberately; the policy box stays ticked.
    assert 'value="pm_card_chargeCustomerFail"' in text
    assert not re.search(r'<input checked[^>]*name="card"', text)
    assert re.search(r'<input checked[^>]*name="agree"', text)
    assert _booking(reference).status is BookingStatus.HELD
    missing = client.post(f"/book/{reference}/pay", data={"card": "pm_card_visa"})
    assert missing.status_code == 422
    assert "cancellation policy" in missing.get_data(as_text=True)


def _held_and_answered(client, auth, b):
    auth.session_for(factories.create_user())
    reference = REF.search(_hold(client, b, days_ahead(b, 3)).headers["Location"]).group(1)
    _answer_intake(client, reference)
    return reference


THREE_D_SECURE = "pm_card_threeDSecure2Required"


def test_a_card_whose_bank_asks_to_confirm_books_once_confirmed(
        client, auth, create_bookable_clinic, stripe_app, localstripe):
    b = create_bookable_clinic()
    reference = _held_and_answered(client, auth, b)
    asked = client.post(f"/book/{reference}/pay", data={"card": THREE_D_SECURE, "agree": "y"})
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Your bank wants to confirm this payment." in text
    assert "Confirm the payment" in text
    assert _booking(reference).status is BookingStatus.HELD
    assert succeeded_charges(localstripe, reference) == 0
    # Away and back (a reload): the check is still there to answer.
    again = client.get(f"/book/{reference}").get_data(as_text=True)
    assert "Your bank’s security check" in again
    confirmed_ = client.post(f"/book/{reference}/pay/bank-check", data={"decision": "approve"})
    assert confirmed_.status_code == 303
    assert confirmed_.headers["Location"].endswith(f"/book/{reference}/confirmed")
    assert _booking(reference).status is BookingStatus.CONFIRMED
    assert succeeded_charges(localstripe, reference) == 1
    # A second answer (a double click) changes nothing and charges nothing.
    twice = client.post(f"/book/{reference}/pay/bank-check", data={"decision": "approve"})
    assert twice.status_code == 303
    assert succeeded_charges(localstripe, reference) == 1


def test_a_refused_bank_check_keeps_the_hold_and_another_card_books(
        client, auth, create_bookable_clinic, stripe_app, localstripe):
    b = create_bookable_clinic()
    reference = _held_and_answered(client, auth, b)
    client.post(f"/book/{reference}/pay", data={"card": THREE_D_SECURE, "agree": "y"})
    refused = client.post(f"/book/{reference}/pay/bank-check", data={"decision": "refuse"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 402
    assert "security check was not passed" in text
    assert "still held" in text
    assert "Pay the deposit" in text
    assert _booking(reference).status is BookingStatus.HELD
    paid = client.post(f"/book/{reference}/pay", data={"card": "pm_card_visa", "agree": "y"})
    assert paid.status_code == 303
    assert _booking(reference).status is BookingStatus.CONFIRMED
    assert succeeded_charges(localstripe, reference) == 1


def test_the_bank_check_refuses_a_made_up_answer_and_exists_only_offline(
        client, auth, create_bookable_clinic, stripe_app, localstripe, monkeypatch):
    b = create_bookable_clinic()
    reference = _held_and_answered(client, auth, b)
    client.post(f"/book/{reference}/pay", data={"card": THREE_D_SECURE, "agree": "y"})
    odd = client.post(f"/book/{reference}/pay/bank-check", data={"decision": "maybe"})
    assert odd.status_code == 422
    assert "Confirm or refuse the payment." in odd.get_data(as_text=True)
    assert _booking(reference).status is BookingStatus.HELD
    monkeypatch.setitem(stripe_app.config, "STRIPE_API_BASE", "")  # real Stripe: its own page
    gone = client.post(f"/book/{reference}/pay/bank-check", data={"decision": "approve"})
    assert gone.status_code == 404


def test_a_taken_time_answers_just_taken_with_other_times(client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    starts = days_ahead(b, 3, 10)
    auth.session_for(factories.create_user())
    assert _hold(client, b, starts).status_code == 303
    auth.session_for(factories.create_user())
    taken = _hold(client, b, starts)
    text = taken.get_data(as_text=True)
    assert taken.status_code == 409
    assert "just taken" in text
    assert "Open times close to the one you chose" in text
    assert text.count('name="start"') > 5
    fragment = client.htmx("POST", f"/clinics/{b.clinic.slug}/book/hold", data={
        "service": b.service.id, "therapist": "any",
        "start": starts.astimezone(ZoneInfo("America/New_York")).isoformat()})
    assert fragment.status_code == 409
    assert "<html" not in fragment.get_data(as_text=True)


def test_a_hold_for_nonsense_is_refused_cleanly(client, create_bookable_clinic):
    b = create_bookable_clinic()
    for data in ({}, {"service": b.service.id, "therapist": "any", "start": "not a time"},
                 {"service": "x", "therapist": "any", "start": "2031-01-01T10:00:00"},
                 {"service": b.service.id, "therapist": "../1", "start": "2031-01-01T10:00"}):
        assert client.post(f"/clinics/{b.clinic.slug}/book/hold", data=data).status_code == 422


def test_promotion_codes_update_the_price_in_place(client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    db.session.add(Promotion(clinic=b.clinic, code="TEN", title="$10 off",
                             kind=PromotionKind.AMOUNT, value=1000))
    auth.session_for(factories.create_user())
    reference = REF.search(_hold(client, b, days_ahead(b, 3)).headers["Location"]).group(1)
    url = f"/book/{reference}/promotion"
    wrong = client.htmx("POST", url, data={"code": "ELEVEN", "apply": "1"})
    assert wrong.status_code == 422
    assert "no promotion with the code ELEVEN" in wrong.get_data(as_text=True)
    assert client.htmx("POST", url, data={"code": "", "apply": "1"}).status_code == 422
    applied = client.htmx("POST", url, data={"code": "ten", "apply": "1"})
    text = applied.get_data(as_text=True)
    assert applied.status_code == 200
    assert "<html" not in text
    assert "Code <strong>TEN</strong> applied" in text
    assert "−$10" in text
    booking = _booking(reference)
    assert (booking.discount_cents, booking.deposit_cents) == (1000, 2100)
    removed = client.post(url, data={"remove": "1"})
    assert removed.status_code == 303
    assert _booking(reference).discount_cents == 0


def test_letting_a_hold_go_frees_the_time(client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    auth.session_for(factories.create_user())
    reference = REF.search(_hold(client, b, days_ahead(b, 3)).headers["Location"]).group(1)
    answer = client.post(f"/book/{reference}/release")
    assert answer.status_code == 303
    assert f"/clinics/{b.clinic.slug}/book" in \
        answer.headers["Location"]
    assert _booking(reference).status is BookingStatus.CANCELLED


def test_an_expired_hold_says_so_and_offers_the_next_times(app, client, auth,
                                                           create_bookable_clinic):
    b = create_bookable_clinic()
    user = factories.create_user()
    booking = hold(app, b, days_ahead(b, 3), client=user,
                   now=datetime.now(UTC) - timedelta(minutes=30))
    db.session.commit()
    auth.session_for(user)
    text = client.get(f"/book/{booking.reference}").get_data(as_text=True)
    assert "Your hold ran out" in text
    assert "Nothing was charged" in text
    assert text.count('name="start"') >= 5
    paid = client.post(f"/book/{booking.reference}/pay", data={"card": "pm_card_visa",
                                                                "agree": "y"})
    assert paid.status_code == 409


def test_someone_elses_hold_is_a_404_and_an_anonymous_one_needs_its_cookie(
        app, client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    mine = hold(app, b, days_ahead(b, 3), client=factories.create_user())
    anonymous = hold(app, b, days_ahead(b, 4), token="t" * 43)
    db.session.commit()
    assert client.get(f"/book/{anonymous.reference}").status_code == 404  # no cookie
    client.set_cookie("kneaded_hold", "t" * 43)
    assert client.get(f"/book/{anonymous.reference}").status_code == 200
    auth.session_for(factories.create_user())
    assert client.get(f"/book/{mine.reference}").status_code == 404


def test_webhook_and_booking_posts_check_csrf_where_they_should(client, create_bookable_clinic):
    b = create_bookable_clinic()
    refused = client.post(f"/clinics/{b.clinic.slug}/book/hold", data={}, csrf=False)
    assert refused.status_code == 400
    assert client.post("/webhooks/stripe", data=b"{}", csrf=False).status_code == 400


# --- my bookings ------------------------------------------------------------------------


def test_my_bookings_lists_upcoming_and_past(app, client, auth, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    user = factories.create_user()
    booking = confirmed(app, b, days_ahead(b, 3), client=user, gateway=gateway)
    factories.create_completed_visit(b, client=user)
    db.session.commit()
    auth.session_for(user)
    page = client.get("/bookings").get_data(as_text=True)
    assert "Coming up" in page
    assert booking.reference in page
    assert "Past and cancelled" in page
    detail = client.get(f"/bookings/{booking.reference}").get_data(as_text=True)
    assert "deposit is refunded in full" in detail
    assert "Choose another time" in detail
    ics = client.get(f"/bookings/{booking.reference}/calendar.ics")
    assert ics.mimetype == "text/calendar"
    assert b"BEGIN:VEVENT" in ics.data


def test_cancelling_from_my_bookings_refunds_inside_the_window(app, client, auth,
                                                               create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    user = factories.create_user()
    booking = confirmed(app, b, days_ahead(b, 3), client=user, gateway=gateway)
    db.session.commit()
    auth.session_for(user)
    url = f"/bookings/{booking.reference}/cancel"
    assert "Cancel it" in client.get(url).get_data(as_text=True)
    unconfirmed = client.post(url, data={"reason": "Sick"})
    assert unconfirmed.status_code == 422
    assert "Tick the box" in unconfirmed.get_data(as_text=True)
    fragment = client.htmx("POST", url, data={"reason": "Sick", "confirm": "y"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200
    assert "<html" not in text
    assert "$23 is refunded" in text
    assert "Cancelled" in text
    assert _booking(booking.reference).status is BookingStatus.CANCELLED
    again = client.post(url, data={"confirm": "y"})
    assert again.status_code == 409


def test_a_late_cancellation_warns_first_that_the_deposit_is_kept(app, client, auth,
                                                                  create_bookable_clinic,
                                                                  gateway):
    b = create_bookable_clinic(cancellation_window_hours=72)
    user = factories.create_user()
    booking = confirmed(app, b, days_ahead(b, 1, 16), client=user, gateway=gateway)
    db.session.commit()
    auth.session_for(user)
    page = client.get(f"/bookings/{booking.reference}").get_data(as_text=True)
    assert "the clinic keeps your $23 deposit" in page
    assert "can no longer be moved online" in page
    done = client.post(f"/bookings/{booking.reference}/cancel", data={"confirm": "y"})
    assert done.status_code == 303
    followed = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "deposit of $23 is kept" in followed


def test_rescheduling_from_my_bookings(app, client, auth, create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    user = factories.create_user()
    booking = confirmed(app, b, days_ahead(b, 3, 10), client=user, gateway=gateway)
    blocker = hold(app, b, days_ahead(b, 4, 10), client=factories.create_user())
    db.session.commit()
    auth.session_for(user)
    url = f"/bookings/{booking.reference}/reschedule"
    day = days_ahead(b, 4, 14).astimezone(ZoneInfo("America/New_York"))
    page = client.get(f"{url}?date={day.date().isoformat()}")
    assert page.status_code == 200
    assert "Move your booking" in page.get_data(as_text=True)
    fragment = client.htmx("GET", f"{url}?date={day.date().isoformat()}")
    assert "<html" not in fragment.get_data(as_text=True)
    taken = blocker.starts_at.astimezone(day.tzinfo).isoformat()
    refused = client.post(url, data={"therapist": "any", "start": taken, "confirm": "y"})
    assert refused.status_code == 409
    assert "just taken" in refused.get_data(as_text=True)
    moved = client.post(url, data={"therapist": "any", "start": day.isoformat(),
                                   "confirm": "y"})
    assert moved.status_code == 303
    assert _booking(booking.reference).starts_at == day.astimezone(UTC)


def test_tapping_a_new_time_asks_before_moving_the_booking(app, client, auth,
                                                           create_bookable_clinic, gateway):
    b = create_bookable_clinic()
    user = factories.create_user()
    booking = confirmed(app, b, days_ahead(b, 3, 10), client=user, gateway=gateway)
    db.session.commit()
    auth.session_for(user)
    before = booking.starts_at
    url = f"/bookings/{booking.reference}/reschedule"
    day = days_ahead(b, 4, 14).astimezone(ZoneInfo(b.location.timezone))
    listing = client.get(f"{url}?date={day.date().isoformat()}").get_data(as_text=True)
    assert re.search(r'<form method="get"[^>]*class="slot-form"', listing)  # a tap only asks
    tapped = client.get(url, query_string={"therapist": "any", "start": day.isoformat()})
    text = tapped.get_data(as_text=True)
    assert tapped.status_code == 200
    assert re.search(r"Move your visit from .*10:00 AM.* to .*2:00 PM.*\?", text)
    assert "Confirm the move" in text
    assert "Keep current time" in text
    assert _booking(booking.reference).starts_at == before  # nothing moved yet
    fragment = client.htmx("GET", url, query_string={"therapist": "any",
                                                     "start": day.isoformat()})
    assert "<html" not in fragment.get_data(as_text=True)
    assert "Confirm the move" in fragment.get_data(as_text=True)
    unconfirmed = client.post(url, data={"therapist": "any", "start": day.isoformat()})
    assert unconfirmed.status_code == 200
    assert "Confirm the move" in unconfirmed.get_data(as_text=True)
    assert _booking(booking.reference).starts_at == before
    moved = client.htmx("POST", url, data={"therapist": "any", "start": day.isoformat(),
                                           "confirm": "y"})
    assert moved.headers["HX-Redirect"] == f"/bookings/{booking.reference}"
    assert _booking(booking.reference).starts_at == day.astimezone(UTC)


def test_my_bookings_keeps_unfinished_holds_apart_from_real_bookings(app, client, auth,
                                                                     create_bookable_clinic,
                                                                     now):
    b = create_bookable_clinic()
    user = factories.create_user()
    now = now.replace(microsecond=0)
    real = factories.create_booking(b, starts_at=days_ahead(b, 5, 10, now=now), client=user,
                                    confirmed_at=now - timedelta(days=1))
    changed_mind = factories.create_booking(
        b, starts_at=days_ahead(b, 6, 10, now=now), client=user,
        status=BookingStatus.CANCELLED, confirmed_at=now - timedelta(days=2),
        cancelled_at=now - timedelta(days=1), cancelled_by=Party.CLIENT)
    abandoned = [
        factories.create_booking(b, starts_at=days_ahead(b, 7, 9 + i, now=now), client=user,
                                 status=status, cancel_reason=reason,
                                 hold_expires_at=now - timedelta(hours=1),
                                 cancelled_by=by, screening_outcome=outcome)
        for i, (status, reason, by, outcome) in enumerate([
            (BookingStatus.EXPIRED, None, None, None),
            (BookingStatus.CANCELLED, "Hold released", None, None),
            (BookingStatus.CANCELLED, "Screening", Party.SYSTEM, ScreeningOutcome.NOT_NOW),
            (BookingStatus.HELD, None, None, None),  # lapsed, never marked expired
        ])]
    db.session.commit()
    mine = bookings.client_bookings(user, now=now)
    assert [x.reference for x in mine.upcoming] == [real.reference]
    assert [x.reference for x in mine.past] == [changed_mind.reference]
    assert {x.reference for x in mine.unfinished} == {x.reference for x in abandoned}
    auth.session_for(user)
    page = client.get("/bookings").get_data(as_text=True)
    main, _, apart = page.partition('id="unfinished-heading"')
    assert real.reference in main
    assert changed_mind.reference in main
    assert not any(x.reference in main for x in abandoned)
    assert all(x.reference in apart for x in abandoned)
    assert "<details>" in apart.split(abandoned[0].reference)[0]  # folded away (closed)


# --- 3-D Secure: never stranded -----------------------------------------------------------


def _lapse(reference, minutes=1):
    """The hold ran out ``minutes`` ago (the client left the bank's check unanswered)."""
    booking = _booking(reference)
    booking.hold_expires_at = datetime.now(UTC) - timedelta(minutes=minutes)
    db.session.commit()


def test_reloading_or_coming_back_to_the_bank_check_shows_it_again(
        client, auth, create_bookable_clinic, stripe_app, localstripe):
    b = create_bookable_clinic()
    reference = _held_and_answered(client, auth, b)
    client.post(f"/book/{reference}/pay", data={"card": THREE_D_SECURE, "agree": "y"})
    reload = client.get(f"/book/{reference}/pay")  # the address bar after the POST
    assert reload.status_code == 303
    assert reload.headers["Location"] == f"/book/{reference}"
    page = client.get(reload.headers["Location"]).get_data(as_text=True)
    assert "Your bank’s security check" in page
    assert "Confirm the payment" in page
    assert "Refuse it" in page
    fragment = client.htmx("GET", f"/book/{reference}/status").get_data(as_text=True)
    assert "Confirm the payment" in fragment  # the poll keeps the choice too
    done = client.post(f"/book/{reference}/pay/bank-check", data={"decision": "approve"})
    assert done.headers["Location"].endswith(f"/book/{reference}/confirmed")
    assert succeeded_charges(localstripe, reference) == 1


def test_a_bank_check_left_until_the_hold_lapses_ends_cleanly_when_the_page_is_visited(
        client, auth, create_bookable_clinic, stripe_app, localstripe):
    b = create_bookable_clinic()
    reference = _held_and_answered(client, auth, b)
    client.post(f"/book/{reference}/pay", data={"card": THREE_D_SECURE, "agree": "y"})
    _lapse(reference)
    page = client.get(f"/book/{reference}").get_data(as_text=True)
    assert "Your hold ran out" in page
    assert "Waiting for your bank" not in page
    assert "bank’s check was not answered" in page
    assert "payment was cancelled" in page
    booking = _booking(reference)
    assert booking.status is BookingStatus.EXPIRED
    assert [p.status for p in booking.payments] == [PaymentStatus.CANCELED]
    assert [pi["status"] for pi in provider_payments(localstripe, reference)] == ["canceled"]
    # A late answer to the bank's check (a tab left open) charges nothing.
    late = client.post(f"/book/{reference}/pay/bank-check", data={"decision": "approve"})
    assert late.status_code in (303, 409)
    assert succeeded_charges(localstripe, reference) == 0
    again = client.get(f"/book/{reference}").get_data(as_text=True)
    assert "bank’s check was not answered" in again  # still told on a later visit


def test_a_late_answer_to_the_bank_check_after_the_hold_lapsed_charges_nothing(
        client, auth, create_bookable_clinic, stripe_app, localstripe):
    b = create_bookable_clinic()
    reference = _held_and_answered(client, auth, b)
    client.post(f"/book/{reference}/pay", data={"card": THREE_D_SECURE, "agree": "y"})
    _lapse(reference)
    late = client.post(f"/book/{reference}/pay/bank-check", data={"decision": "approve"})
    assert late.status_code == 409
    assert "Your hold ran out" in late.get_data(as_text=True)
    assert succeeded_charges(localstripe, reference) == 0
    assert _booking(reference).status is BookingStatus.EXPIRED
