"""The waitlist job: freed time offered first come, first served, each offer kept by a
hold; declined and lapsed offers pass to the next in line; entries expire; a second run
changes nothing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.models import (
    Booking,
    BookingStatus,
    EntryStatus,
    OfferState,
    OutboxEmail,
    WaitlistOffer,
    db,
)
from marketplace.services import waitlist
from marketplace.services.common.errors import Conflict, NotFound
from tests.support import factories
from tests.support.booking import local
from tests.support.waitlist import fill_day, free, join, run, target_day


@pytest.fixture
def b(create_bookable_clinic):
    return create_bookable_clinic()


def offers_of(entry):
    db.session.refresh(entry)
    return list(entry.offers)


def test_freed_time_goes_to_the_first_who_joined_held_for_them(app, b, now):
    day = target_day(b, now)
    freed = fill_day(b, day)
    first, second = factories.create_user(), factories.create_user()
    early = join(app, b, first, day, now=now - timedelta(hours=2))
    late = join(app, b, second, day, now=now - timedelta(hours=1))
    assert run(app, now).offered == []  # nothing open yet

    free(freed)
    report = run(app, now)
    assert len(report.offered) == 1
    (offer,) = offers_of(early)
    assert offers_of(late) == []
    booking = offer.booking
    assert booking.status is BookingStatus.HELD
    assert booking.client_id == first.id
    assert booking.starts_at == local(b.location.timezone, day, 12)
    assert booking.hold_expires_at == now + timedelta(minutes=30)
    assert offer.expires_at == booking.hold_expires_at
    assert early.status is EntryStatus.OFFERED
    assert late.status is EntryStatus.WAITING
    mail = db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_addr == first.email))
    (message,) = [m for m in mail if m.subject.startswith("A time opened up")]
    assert b"/waitlist/offers/" in message.message


def test_a_second_run_changes_nothing(app, b, now):
    day = target_day(b, now)
    freed = fill_day(b, day)
    entry = join(app, b, factories.create_user(), day, now=now)
    free(freed)
    assert len(run(app, now).offered) == 1
    emails = db.session.scalar(select(func.count(OutboxEmail.id)))
    again = run(app, now + timedelta(minutes=1))
    assert (again.offered, again.lapsed, again.booked, again.expired) == ([], 0, 0, 0)
    assert len(offers_of(entry)) == 1
    assert db.session.scalar(select(func.count(OutboxEmail.id))) == emails
    held = db.session.scalar(select(func.count(Booking.id)).where(
        Booking.status == BookingStatus.HELD))
    assert held == 1


def test_declining_passes_the_time_to_the_next_and_keeps_the_decliner_waiting(app, b, now):
    day = target_day(b, now)
    free(fill_day(b, day))
    first, second = factories.create_user(), factories.create_user()
    early = join(app, b, first, day, now=now - timedelta(hours=2))
    late = join(app, b, second, day, now=now - timedelta(hours=1))
    run(app, now)
    (offer,) = offers_of(early)
    with pytest.raises(NotFound):
        waitlist.decline(offer, client=second, now=now)  # not theirs
    waitlist.decline(offer, client=first, now=now)
    db.session.flush()
    assert offer.state is OfferState.DECLINED
    assert offer.booking.status is BookingStatus.CANCELLED
    assert early.status is EntryStatus.WAITING

    run(app, now + timedelta(minutes=1))
    (passed,) = offers_of(late)
    assert passed.starts_at == offer.starts_at
    assert passed.booking.client_id == second.id
    assert len(offers_of(early)) == 1  # never offered the same time twice
    with pytest.raises(Conflict):
        waitlist.accept(offer, client=first, now=now)  # a declined offer is over


def test_a_lapsed_offer_passes_to_the_next(app, b, now):
    day = target_day(b, now)
    free(fill_day(b, day))
    early = join(app, b, factories.create_user(), day, now=now - timedelta(hours=2))
    late = join(app, b, factories.create_user(), day, now=now - timedelta(hours=1))
    run(app, now)
    (offer,) = offers_of(early)
    later = offer.expires_at + timedelta(minutes=1)
    report = run(app, later)
    assert report.lapsed == 1
    assert len(report.offered) == 1
    db.session.refresh(offer)
    assert offer.state is OfferState.LAPSED
    assert offer.booking.status is BookingStatus.EXPIRED
    (passed,) = offers_of(late)
    assert passed.starts_at == offer.starts_at
    assert passed.expires_at == later + timedelta(minutes=30)
    assert early.status is EntryStatus.WAITING


def test_an_accepted_offer_once_confirmed_books_the_entry(app, b, now):
    day = target_day(b, now)
    free(fill_day(b, day))
    client = factories.create_user()
    entry = join(app, b, client, day, now=now)
    run(app, now)
    (offer,) = offers_of(entry)
    booking = waitlist.accept(offer, client=client, now=now)
    assert offer.state is OfferState.ACCEPTED
    assert booking is offer.booking
    booking.status = BookingStatus.CONFIRMED  # paid (the checkout's own tests cover it)
    db.session.flush()
    assert run(app, now + timedelta(minutes=2)).booked == 1
    db.session.refresh(entry)
    assert entry.status is EntryStatus.BOOKED
    assert offer.state is OfferState.BOOKED


def test_parts_of_the_day_and_a_named_therapist_are_respected(app, b, now):
    day = target_day(b, now)
    free(fill_day(b, day, free_from=9, free_to=11))  # only the morning opens
    evening = join(app, b, factories.create_user(), day, now=now - timedelta(hours=3),
                   parts=("afternoon", "evening"))
    other = factories.create_therapist(b.clinic)
    b.service.therapists.append(other)  # works no hours: never free
    someone_else = join(app, b, factories.create_user(), day, now=now - timedelta(hours=2),
                        therapist=other)
    morning = join(app, b, factories.create_user(), day, now=now - timedelta(hours=1),
                   parts=("morning",))
    run(app, now)
    assert offers_of(evening) == []
    assert offers_of(someone_else) == []
    (offer,) = offers_of(morning)
    assert offer.starts_at == local(b.location.timezone, day, 9)


def test_entries_expire_after_their_last_day(app, b, now):
    day = target_day(b, now, 1)
    gone = join(app, b, factories.create_user(), day, now=now)
    stays = join(app, b, factories.create_user(), day, now=now, last=day + timedelta(days=3))
    assert run(app, now).expired == 0
    report = run(app, now + timedelta(days=2, hours=12))
    assert report.expired == 1
    db.session.refresh(gone)
    db.session.refresh(stays)
    assert gone.status is EntryStatus.EXPIRED
    assert gone.ended_at is not None
    assert stays.status in (EntryStatus.WAITING, EntryStatus.OFFERED)


def test_leaving_lets_the_held_time_go(app, b, now):
    day = target_day(b, now)
    free(fill_day(b, day))
    client = factories.create_user()
    entry = join(app, b, client, day, now=now)
    run(app, now)
    (offer,) = offers_of(entry)
    waitlist.leave(entry=entry, client=client, now=now)
    db.session.flush()
    assert entry.status is EntryStatus.LEFT
    assert offer.state is OfferState.DECLINED
    assert offer.booking.status is BookingStatus.CANCELLED
    with pytest.raises(Conflict):
        waitlist.leave(entry=entry, client=client, now=now)


@pytest.mark.parametrize(("first", "last", "parts", "field"), [
    (-1, 0, ("morning",), "first_day"),  # in the past
    (3, 2, ("morning",), "last_day"),  # in the wrong order
    (0, 61, ("morning",), "last_day"),  # past the horizon
    (0, 2, (), "morning"),  # no part of the day
])
def test_a_bad_window_is_refused_with_the_field_named(app, b, now, first, last, parts, field):
    today = target_day(b, now, 0)
    with pytest.raises(waitlist.entries.FieldError) as refused:
        join(app, b, factories.create_user(), today + timedelta(days=first), now=now,
             last=today + timedelta(days=last), parts=parts)
    assert refused.value.field == field


def test_one_entry_per_service_and_therapist(app, b, now):
    client = factories.create_user()
    join(app, b, client, target_day(b, now), now=now)
    with pytest.raises(Conflict):
        join(app, b, client, target_day(b, now, 6), now=now)
    assert db.session.scalar(select(func.count(WaitlistOffer.id))) == 0
