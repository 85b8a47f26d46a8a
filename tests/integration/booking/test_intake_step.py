"""The health intake inside the booking flow: every screening outcome acted on, the
clearance flag carried to the clinic, and a returning client's answers reused."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace.models import (
    BookingStatus,
    DepositKind,
    IntakeRecord,
    Intensity,
    OutboxEmail,
    Party,
    ScreeningOutcome,
    db,
)
from marketplace.services import booking as bookings
from marketplace.services.booking import intake_step as booking_intake
from marketplace.services.common.errors import Conflict
from marketplace.services.intake.records import keyring_for
from marketplace.services.intake.screening import IntakeAnswers
from tests.support import factories
from tests.support.booking import booking_rules, days_ahead, hold

REF = re.compile(r"/book/([A-Z0-9]{8})")
SHARE = {"share_consent": "y"}  # the client's consent to share the answers with the clinic


def _start(app, client, auth, b, *, user=None):
    user = user or factories.create_user()
    booking = hold(app, b, days_ahead(b, 3), client=user, screened=False)
    db.session.commit()
    auth.session_for(user)
    return booking, user


def _refresh(booking):
    db.session.expire_all()
    return db.session.get(type(booking), booking.id)


def test_the_intake_page_stays_out_of_history_and_loads_no_outside_script(
        app, client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    booking, _ = _start(app, client, auth, b)
    page = client.get(f"/book/{booking.reference}/intake")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'hx-history="false"' in text
    assert "encrypted" in text
    assert all(src.startswith("/static/") for src in re.findall(r'<script src="([^"]+)"', text))
    assert "Content-Security-Policy" in page.headers
    fragment = client.htmx("GET", f"/book/{booking.reference}/intake")
    assert "<html" not in fragment.get_data(as_text=True)


def test_nothing_to_report_goes_on_to_the_deposit(app, client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    booking, user = _start(app, client, auth, b)
    answer = client.post(f"/book/{booking.reference}/intake", data={**SHARE, "medications": "None"})
    assert answer.status_code == 303
    booking = _refresh(booking)
    assert booking.screening_outcome is ScreeningOutcome.PROCEED
    record = db.session.scalar(select(IntakeRecord).where(IntakeRecord.booking_id == booking.id))
    assert record.client_id == user.id
    assert b"None" not in record.ciphertext  # encrypted at rest


def test_not_now_stops_the_booking_with_the_advice(app, client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    booking, _ = _start(app, client, auth, b)
    answer = client.post(f"/book/{booking.reference}/intake",
                         data={**SHARE, "acute_infection": "y"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "right now" in text
    assert "What to do next" in text
    assert "Nothing was charged" in text
    booking = _refresh(booking)
    assert booking.status is BookingStatus.CANCELLED
    assert booking.cancelled_by is Party.SYSTEM
    assert "should wait" in client.get(f"/book/{booking.reference}").get_data(as_text=True)
    hold(app, b, booking.starts_at, client=factories.create_user())  # the slot is free again


def test_gentle_only_refuses_a_deep_service_and_offers_the_gentle_ones(
        app, client, auth, create_bookable_clinic):
    b = create_bookable_clinic()  # the factory's NMT service is deep
    swedish = factories.create_modality("swedish-massage", name="Swedish massage",
                                        intensity=Intensity.GENTLE)
    gentle = factories.create_service(b.clinic, therapists=[b.therapist], modality=swedish,
                                      name="Gentle Swedish massage")
    booking, _ = _start(app, client, auth, b)
    answer = client.post(f"/book/{booking.reference}/intake",
                         data={**SHARE, "advanced_osteoporosis": "y"})
    text = answer.get_data(as_text=True)
    assert "Gentle techniques only" in text
    assert "Gentle Swedish massage" in text
    assert f"service={gentle.id}" in text
    assert _refresh(booking).status is BookingStatus.CANCELLED
    page = client.get(f"/book/{booking.reference}").get_data(as_text=True)
    assert "Gentle techniques only" in page
    assert "Gentle Swedish massage" in page


def test_a_gentle_service_goes_ahead_under_gentle_only(app, client, auth,
                                                       create_bookable_clinic):
    swedish = factories.create_modality("swedish-massage", name="Swedish massage",
                                        intensity=Intensity.GENTLE)
    b = create_bookable_clinic()
    b.service.modality = swedish
    db.session.flush()
    booking, _ = _start(app, client, auth, b)
    answer = client.post(f"/book/{booking.reference}/intake",
                         data={**SHARE, "advanced_osteoporosis": "y"})
    assert answer.status_code == 303
    assert _refresh(booking).screening_outcome is ScreeningOutcome.GENTLE_ONLY


def test_clearance_must_be_confirmed_and_the_clinic_sees_it(app, client, auth,
                                                           create_bookable_clinic, stripe_app):
    b = create_bookable_clinic()
    booking, _ = _start(app, client, auth, b)
    url = f"/book/{booking.reference}/intake"
    asked = client.post(url, data={**SHARE, "renal_disease": "y"})
    assert asked.status_code == 422
    assert "doctor" in asked.get_data(as_text=True).lower()
    assert _refresh(booking).screening_outcome is None  # nothing saved until confirmed
    confirmed = client.post(url, data={**SHARE, "renal_disease": "y", "clearance_confirmed": "y"})
    assert confirmed.status_code == 303
    booking = _refresh(booking)
    assert booking.screening_outcome is ScreeningOutcome.CLEARANCE
    assert booking.clearance_confirmed is True
    paid = client.post(f"/book/{booking.reference}/pay", data={"card": "pm_card_visa",
                                                                "agree": "y"})
    assert paid.status_code == 303
    clinic_mail = db.session.scalar(select(OutboxEmail).where(
        OutboxEmail.to_addr == b.owner.email))
    assert b"confirmed a doctor's clearance" in clinic_mail.message


def test_a_returning_client_reviews_their_last_answers(app, client, auth,
                                                       create_bookable_clinic):
    from marketplace.services.intake.records import save_intake
    from marketplace.services.intake.screening import screen

    b = create_bookable_clinic()
    user = factories.create_user()
    earlier = hold(app, b, days_ahead(b, 2, 14), client=user)
    answers = IntakeAnswers(medications="Ibuprofen now and then", notes="Left shoulder")
    save_intake(client=user, clinic=b.clinic, booking=earlier, answers=answers,
                screening=screen(answers, visit_date=earlier.starts_at.date()),
                clearance_confirmed=False, keyring=keyring_for(app.config),
                now=earlier.created_at - timedelta(days=30), consented=True)
    booking, _ = _start(app, client, auth, b, user=user)
    page = client.get(f"/book/{booking.reference}/intake").get_data(as_text=True)
    assert "We filled this in with your answers from" in page
    assert "Ibuprofen now and then" in page
    assert "Left shoulder" in page
    reused = client.post(f"/book/{booking.reference}/intake",
                         data={**SHARE, "medications": "Ibuprofen now and then",
                               "notes": "Left shoulder", "answers_confirmed": "y"})
    assert reused.status_code == 303
    assert _refresh(booking).screening_outcome is ScreeningOutcome.PROCEED


def test_invalid_answers_come_back_with_what_was_typed(app, client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    booking, _ = _start(app, client, auth, b)
    answer = client.post(f"/book/{booking.reference}/intake",
                         data={**SHARE, "recent_surgery": "y",
                               "surgery_date": "soon", "notes": "My knee"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert "year-month-day" in text
    assert "My knee" in text


def test_moving_a_booking_screens_the_answers_again_for_the_new_date(app,
                                                                     create_bookable_clinic):
    b = create_bookable_clinic(deposit_kind=DepositKind.FIXED, deposit_value=0)
    user = factories.create_user()
    now = datetime.now(UTC)
    booking = hold(app, b, days_ahead(b, 20), client=user, screened=False)
    operated = days_ahead(b, -30).date()  # 50 days before the visit: clearance
    answers = IntakeAnswers(contraindications=frozenset({"recent_surgery"}),
                            surgery_date=operated)
    keyring = keyring_for(app.config)
    decision = booking_intake.submit_intake(booking, client=user, answers=answers,
                                            clearance_confirmed=True, keyring=keyring, now=now,
                                            consented=True)
    assert decision.go_ahead
    bookings.confirm_without_deposit(booking, now=now)
    with pytest.raises(Conflict, match="rule out"):  # 33 days after the operation: not now
        bookings.reschedule(booking, starts_at=days_ahead(b, 3), therapist_id=None, actor=user,
                            now=now, rules=booking_rules(app), keyring=keyring)
    assert booking.starts_at == days_ahead(b, 20)
    bookings.reschedule(booking, starts_at=days_ahead(b, 55), therapist_id=None, actor=user,
                        now=now, rules=booking_rules(app), keyring=keyring)
    assert booking.screening_outcome is ScreeningOutcome.PROCEED  # 12 weeks on: healed


def _private(response) -> None:
    assert "no-store" in response.headers.get("Cache-Control", ""), response.headers
    assert 'hx-history="false"' in response.get_data(as_text=True)


def test_every_page_of_the_health_step_is_never_stored(app, client, auth,
                                                       create_bookable_clinic):
    """Health answers (or what they mean) are not kept by the browser or a proxy, nor
    in htmx's history cache: the question page, its fragment, a refused answer, the
    screening's outcome, and the checkout that says what the answers meant."""
    b = create_bookable_clinic()
    booking, _ = _start(app, client, auth, b)
    url = f"/book/{booking.reference}/intake"
    _private(client.get(url))
    assert "no-store" in client.htmx("GET", url).headers["Cache-Control"]
    _private(client.post(url, data={**SHARE, "medications": "x" * 5000}))  # refused: kept as typed
    stopped = client.post(url, data={**SHARE, "acute_infection": "y"})
    _private(stopped)
    _private(client.get(f"/book/{booking.reference}"))


# --- issue 'Trust': remembered answers confirmed, and the answer that stopped a booking
# --- named and changed on the spot -----------------------------------------------------


def _earlier_intake(app, b, user, answers):
    from marketplace.services.intake.records import save_intake
    from marketplace.services.intake.screening import screen

    earlier = hold(app, b, days_ahead(b, 2, 14), client=user)
    save_intake(client=user, clinic=b.clinic, booking=earlier, answers=answers,
                screening=screen(answers, visit_date=earlier.starts_at.date()),
                clearance_confirmed=False, keyring=keyring_for(app.config),
                now=earlier.created_at - timedelta(days=30), consented=True)
    bookings.release_hold(earlier, actor=user, now=earlier.created_at)
    return earlier


def _warfarin_client(app, client, auth, b):
    user = factories.create_user()
    _earlier_intake(app, b, user, IntakeAnswers(
        contraindications=frozenset({"bleeding_disorder"}), medications="Warfarin 5 mg"))
    return _start(app, client, auth, b, user=user)


def test_prefilled_answers_are_marked_and_must_be_confirmed(app, client, auth,
                                                            create_bookable_clinic):
    b = create_bookable_clinic()
    booking, _ = _warfarin_client(app, client, auth, b)
    url = f"/book/{booking.reference}/intake"
    page = client.get(url).get_data(as_text=True)
    assert "From your last visit on" in page
    assert "check these are still true" in page
    assert 'name="answers_confirmed"' in page
    unconfirmed = client.post(url, data={**SHARE, "medications": "Vitamin D", "notes": "Left knee"})
    text = unconfirmed.get_data(as_text=True)
    assert unconfirmed.status_code == 422
    assert "still true today" in text
    assert "Vitamin D" in text
    assert "Left knee" in text
    assert "From your last visit on" in text
    assert _refresh(booking).screening_outcome is None
    confirmed = client.post(url, data={**SHARE, "medications": "Vitamin D",
                                       "answers_confirmed": "y"})
    assert confirmed.status_code == 303


def test_a_first_intake_is_not_asked_to_confirm(app, client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    booking, _ = _start(app, client, auth, b)
    page = client.get(f"/book/{booking.reference}/intake").get_data(as_text=True)
    assert "answers_confirmed" not in page
    assert "From your last visit" not in page


def test_a_stop_names_the_answer_and_the_client_changes_it_on_the_spot(
        app, client, auth, create_bookable_clinic):
    b = create_bookable_clinic()  # the factory's NMT service is deep
    booking, user = _warfarin_client(app, client, auth, b)
    url = f"/book/{booking.reference}/intake"
    # The box is unticked, but the remembered "Warfarin" is left in the medicines.
    stopped = client.post(url, data={**SHARE, "medications": "Warfarin 5 mg",
                                     "answers_confirmed": "y"})
    text = stopped.get_data(as_text=True)
    assert "Gentle techniques only" in text
    assert "Your medicines list names warfarin, a blood thinner." in text
    change = f"{url}?change=medications#medications"
    assert f'href="{change}"' in text
    assert _refresh(booking).status is BookingStatus.CANCELLED

    form = client.get(change).get_data(as_text=True)
    assert "Warfarin 5 mg" in form  # the answers are kept
    assert re.search(r'<textarea[^>]*autofocus[^>]*id="medications"', form)
    assert 'aria-describedby="medications-changing medications-help"' in form
    assert "hold the same time for you again" in form
    fragment = client.htmx("GET", change).get_data(as_text=True)
    assert "<html" not in fragment
    assert "autofocus" in fragment

    unconfirmed = client.post(url, data={**SHARE, "medications": "Vitamin D"})
    assert unconfirmed.status_code == 422
    again = client.htmx("POST", url, data={**SHARE, "medications": "Vitamin D",
                                           "answers_confirmed": "y"})
    assert again.status_code == 204
    new_ref = REF.search(again.headers["HX-Redirect"]).group(1)
    assert new_ref != booking.reference
    db.session.expire_all()
    new = bookings_by_reference(new_ref)
    assert new.status is BookingStatus.HELD
    assert (new.starts_at, new.therapist_id, new.service_id, new.client_id) == (
        booking.starts_at, booking.therapist_id, booking.service_id, user.id)
    assert new.screening_outcome is ScreeningOutcome.PROCEED
    assert _refresh(booking).status is BookingStatus.CANCELLED
    assert client.get(f"/book/{new_ref}").status_code == 200


def test_an_answer_still_stopping_the_booking_is_shown_again(app, client, auth,
                                                            create_bookable_clinic):
    b = create_bookable_clinic()
    booking, _ = _start(app, client, auth, b)
    url = f"/book/{booking.reference}/intake"
    client.post(url, data={**SHARE, "acute_infection": "y"})
    text = client.post(url, data={**SHARE, "pneumonia": "y"}).get_data(as_text=True)
    assert "You ticked: Pneumonia." in text
    assert f'href="{url}?change=pneumonia#pneumonia"' in text
    assert _refresh(booking).status is BookingStatus.CANCELLED
    form = client.get(f"{url}?change=pneumonia").get_data(as_text=True)
    assert re.search(r'id="pneumonia"[^>]*checked|checked[^>]*id="pneumonia"', form)


def test_a_changed_answer_when_the_time_was_taken_meanwhile(app, client, auth,
                                                           create_bookable_clinic):
    b = create_bookable_clinic()
    booking, _ = _start(app, client, auth, b)
    url = f"/book/{booking.reference}/intake"
    client.post(url, data={**SHARE, "acute_infection": "y", "notes": "My knee"})
    hold(app, b, booking.starts_at, client=factories.create_user())
    db.session.commit()
    answer = client.post(url, data={**SHARE, "notes": "My knee"})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 409
    assert "that time was taken meanwhile" in text
    assert "My knee" in text


def test_the_clearance_question_links_each_answer_to_its_field_on_the_page(
        app, client, auth, create_bookable_clinic):
    b = create_bookable_clinic()
    booking, _ = _start(app, client, auth, b)
    asked = client.post(f"/book/{booking.reference}/intake", data={**SHARE, "stroke": "y"})
    text = asked.get_data(as_text=True)
    assert "You ticked: A stroke." in text
    assert 'href="#stroke"' in text


def test_only_the_client_can_answer_a_stopped_booking_again(app, client, auth,
                                                           create_bookable_clinic):
    b = create_bookable_clinic()
    booking, _ = _start(app, client, auth, b)
    client.post(f"/book/{booking.reference}/intake", data={**SHARE, "acute_infection": "y"})
    auth.session_for(factories.create_user())
    assert client.get(f"/book/{booking.reference}/intake?change=acute_infection"
                      ).status_code == 404


def bookings_by_reference(reference):
    from marketplace.models import Booking
    return db.session.scalar(select(Booking).where(Booking.reference == reference))
