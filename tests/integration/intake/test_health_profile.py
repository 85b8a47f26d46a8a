"""The health profile and the consent to share intake answers, in the services: the
profile sealed and rotated like intake records, kept up to date from a booking, deleted
without touching bookings; the clinic's access window (before consent, during, after
the retention period, after a withdrawal) and the read log the client sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import current_app

from marketplace.models import AuditLog, HealthProfile, IntakeRecord, db
from marketplace.services.booking import intake_step as booking_intake
from marketplace.services.common.errors import FieldError, NotAllowed
from marketplace.services.intake import access as intake_access
from marketplace.services.intake import profile as health_profile
from marketplace.services.intake import records as intake
from marketplace.services.intake.access import Access
from marketplace.services.intake.records import IntakeUnreadable, KeyRing
from marketplace.services.intake.screening import IntakeAnswers, screen
from tests.support import factories
from tests.support.booking import days_ahead, hold

DAYS = 90
OLD_KEY = KeyRing.generate_key()
NEW_KEY = KeyRing.generate_key()
OLD = KeyRing.from_config(f"old:{OLD_KEY}")
BOTH = KeyRing.from_config(f"new:{NEW_KEY},old:{OLD_KEY}")
NEW_ONLY = KeyRing.from_config(f"new:{NEW_KEY}")
ANSWERS = IntakeAnswers(contraindications=frozenset({"bleeding_disorder"}),
                        medications="Warfarin 5 mg daily", notes="Left shoulder")


def _visit(b, client, now, *, days: int):
    """A confirmed visit ``days`` from ``now`` (negative: in the past) with answers saved
    for it, consent given a week before the visit (or now, for a coming one)."""
    starts = now + timedelta(days=days)
    booking = factories.create_booking(b, client=client, starts_at=starts)
    given = min(now, starts - timedelta(days=7))
    record = intake.save_intake(client=client, clinic=b.clinic, booking=booking, answers=ANSWERS,
                                screening=screen(ANSWERS, visit_date=starts.date()),
                                clearance_confirmed=False, keyring=OLD, now=given,
                                consented=True)
    return booking, record


@pytest.fixture
def place(app):
    return factories.create_bookable_clinic(), factories.create_user()


# --- the profile ----------------------------------------------------------------------


def test_the_profile_is_sealed_read_back_updated_and_deleted(place, now):
    _, client = place
    assert health_profile.read_profile(client, keyring=OLD) is None
    saved = health_profile.save_profile(client=client, answers=ANSWERS, keyring=OLD, now=now)
    assert b"Warfarin" not in saved.ciphertext
    assert len(saved.ciphertext) % 256 == 28
    assert health_profile.read_profile(client, keyring=OLD) == (ANSWERS, now)
    changed = IntakeAnswers(medications="Vitamin D")
    later = now + timedelta(days=3)
    again = health_profile.save_profile(client=client, answers=changed, keyring=OLD, now=later)
    assert again.id == saved.id  # one profile per client
    assert health_profile.read_profile(client, keyring=OLD) == (changed, later)
    assert health_profile.delete_profile(client=client, now=later) is True
    assert health_profile.read_profile(client, keyring=OLD) is None
    assert health_profile.delete_profile(client=client, now=later) is False
    actions = list(db.session.scalars(sa.select(AuditLog.action).where(
        AuditLog.object_type == "health_profile").order_by(AuditLog.id)))
    assert actions == ["health_profile.save", "health_profile.save", "health_profile.delete"]


def test_a_profile_moved_to_another_client_does_not_open(place, now):
    _, client = place
    other = factories.create_user()
    mine = health_profile.save_profile(client=client, answers=ANSWERS, keyring=OLD, now=now)
    theirs = health_profile.save_profile(client=other, answers=IntakeAnswers(), keyring=OLD,
                                         now=now)
    theirs.key_id, theirs.ciphertext = mine.key_id, mine.ciphertext
    db.session.flush()
    with pytest.raises(IntakeUnreadable):
        health_profile.read_profile(other, keyring=OLD)


def test_deleting_the_profile_keeps_the_answers_given_for_bookings(place, now):
    b, client = place
    _, record = _visit(b, client, now, days=5)
    health_profile.save_profile(client=client, answers=ANSWERS, keyring=OLD, now=now)
    health_profile.delete_profile(client=client, now=now)
    db.session.expire_all()
    kept = db.session.get(IntakeRecord, record.id)
    assert intake.read_intake(kept, viewer=client, keyring=OLD, now=now)[0] == ANSWERS


def test_rotation_moves_profiles_to_the_new_key(place, now):
    _, client = place
    profile = health_profile.save_profile(client=client, answers=ANSWERS, keyring=OLD, now=now)
    lost_owner = factories.create_user()
    lost = health_profile.save_profile(
        client=lost_owner, answers=ANSWERS, now=now,
        keyring=KeyRing.from_config(f"lost:{KeyRing.generate_key()}"))
    batch = health_profile.rotate(BOTH)
    assert (batch.rotated, batch.unreadable) == (1, [lost.id])
    db.session.expire_all()
    assert db.session.get(HealthProfile, profile.id).key_id == "new"
    assert health_profile.read_profile(client, keyring=NEW_ONLY)[0] == ANSWERS
    assert health_profile.rotate(BOTH).rotated == 0  # idempotent
    assert intake.keys_in_use() == {"new": 1, "lost": 1}


def test_the_rotate_command_covers_profiles(app, place, now, runner, monkeypatch):
    _, client = place
    health_profile.save_profile(client=client, answers=ANSWERS, keyring=OLD, now=now)
    db.session.commit()
    monkeypatch.setitem(app.config, "INTAKE_KEYS", f"new:{NEW_KEY},old:{OLD_KEY}")
    result = runner.invoke(args=["rotate-intake-keys"])
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 1 health profile(s) under key 'new'" in result.output
    assert "'old'" not in result.output.split("Records per key:")[1]
    monkeypatch.setitem(app.config, "INTAKE_KEYS", f"new:{NEW_KEY}")
    assert health_profile.read_profile(client, keyring=NEW_ONLY)[0] == ANSWERS


# --- the booking's intake step ----------------------------------------------------------


def test_a_booking_needs_consent_and_saves_nothing_without_it(app, place, now):
    b, client = place
    booking = hold(app, b, days_ahead(b, 3, now=now), client=client, now=now, screened=False)
    with pytest.raises(FieldError, match=f"share your answers with {b.clinic.name}"):
        booking_intake.submit_intake(booking, client=client, answers=ANSWERS,
                                     clearance_confirmed=False, keyring=OLD, now=now,
                                     consented=False, keep_profile=True)
    assert booking_intake.intake_of(booking) is None
    assert health_profile.profile_of(client) is None


def test_submitting_keeps_a_snapshot_and_updates_the_profile_when_asked(app, place, now):
    b, client = place
    health_profile.save_profile(client=client, answers=IntakeAnswers(medications="Old list"),
                                keyring=OLD, now=now - timedelta(days=60))
    current = IntakeAnswers(medications="Ibuprofen now and then", notes="Left shoulder")
    first = hold(app, b, days_ahead(b, 3, now=now), client=client, now=now, screened=False)
    decision = booking_intake.submit_intake(first, client=client, answers=current,
                                            clearance_confirmed=False, keyring=OLD, now=now,
                                            consented=True, keep_profile=True)
    assert decision.go_ahead
    record = booking_intake.intake_of(first)
    assert record.consent_given_at == now
    assert record.consent_withdrawn_at is None
    assert health_profile.read_profile(client, keyring=OLD) == (current, now)
    # Without "keep my profile up to date" the booking keeps its answers, the profile stays.
    second = hold(app, b, days_ahead(b, 4, now=now), client=client, now=now, screened=False)
    booking_intake.submit_intake(second, client=client, answers=IntakeAnswers(notes="Just once"),
                                 clearance_confirmed=False, keyring=OLD, now=now,
                                 consented=True, keep_profile=False)
    assert health_profile.read_profile(client, keyring=OLD)[0] == current
    answers, _ = intake.read_intake(booking_intake.intake_of(second), viewer=client,
                                    keyring=OLD, now=now)
    assert answers.notes == "Just once"


def test_the_profile_is_what_the_next_booking_shows_for_review(app, place, now):
    b, client = place
    earlier = hold(app, b, days_ahead(b, 2, now=now), client=client, now=now, screened=False)
    booking_intake.submit_intake(earlier, client=client, answers=IntakeAnswers(notes="Visit"),
                                 clearance_confirmed=False, keyring=OLD, now=now,
                                 consented=True)
    assert booking_intake.reusable_answers(client, keyring=OLD, now=now).from_profile is False
    health_profile.save_profile(client=client, answers=ANSWERS, keyring=OLD, now=now)
    shown = booking_intake.reusable_answers(client, keyring=OLD, now=now)
    assert (shown.answers, shown.from_profile) == (ANSWERS, True)


# --- the clinic's access --------------------------------------------------------------


def test_the_clinic_reads_from_consent_until_the_retention_period_ends(place, now):
    b, client = place
    booking, record = _visit(b, client, now, days=-30)
    assert intake_access.clinic_access(record, now=now, access_days=DAYS).shared
    answers, _ = intake.read_intake(record, viewer=b.owner, keyring=OLD, now=now,
                                    access_days=DAYS)
    assert answers == ANSWERS
    last_day = booking.ends_at + timedelta(days=DAYS)
    assert intake_access.clinic_access(record, now=last_day, access_days=DAYS).shared
    after = last_day + timedelta(seconds=1)
    ended = intake_access.clinic_access(record, now=after, access_days=DAYS)
    assert ended.state is Access.ENDED
    assert "no longer available" in ended.message
    with pytest.raises(NotAllowed, match="no longer available"):
        intake.read_intake(record, viewer=b.owner, keyring=OLD, now=after, access_days=DAYS)
    # The client still reads their own answers.
    assert intake.read_intake(record, viewer=client, keyring=OLD, now=after)[0] == ANSWERS


def test_without_consent_the_clinic_sees_the_answers_withheld(place, now):
    b, client = place
    booking = factories.create_booking(b, client=client, starts_at=now + timedelta(days=4))
    record = intake.save_intake(client=client, clinic=b.clinic, booking=booking,
                                answers=ANSWERS, screening=screen(ANSWERS, visit_date=now.date()),
                                clearance_confirmed=False, keyring=OLD, now=now)
    access = intake_access.clinic_access(record, now=now, access_days=DAYS)
    assert access.state is Access.WITHHELD
    assert "withheld by the client" in access.message
    with pytest.raises(NotAllowed, match="withheld by the client"):
        intake.read_intake(record, viewer=b.owner, keyring=OLD, now=now)
    assert not db.session.scalar(sa.select(sa.func.count(AuditLog.id)).where(
        AuditLog.action == "intake.read"))
    # Consent given with the answers (on the intake step) opens it from then on.
    later = now + timedelta(hours=1)
    intake.save_intake(client=client, clinic=b.clinic, booking=booking, answers=ANSWERS,
                       screening=screen(ANSWERS, visit_date=now.date()),
                       clearance_confirmed=False, keyring=OLD, now=later, consented=True)
    assert intake_access.clinic_access(record, now=later, access_days=DAYS).shared


def test_withdrawing_stops_the_clinic_at_once(place, now):
    b, client = place
    booking, record = _visit(b, client, now, days=6)
    with pytest.raises(NotAllowed):
        intake_access.withdraw_consent(booking, client=factories.create_user(), now=now)
    intake_access.withdraw_consent(booking, client=client, now=now)
    access = intake_access.clinic_access(record, now=now, access_days=DAYS)
    assert access.state is Access.WITHDRAWN
    assert access.withdrawn_at == now
    with pytest.raises(NotAllowed, match="withdrew their consent"):
        intake.read_intake(record, viewer=b.owner, keyring=OLD, now=now)
    assert booking.status.value == "confirmed"  # hiding, not cancelling


def test_withdrawing_for_a_clinic_covers_its_shared_bookings_only(place, now):
    b, client = place
    other = factories.create_bookable_clinic()
    coming, coming_record = _visit(b, client, now, days=6)
    _, recent_record = _visit(b, client, now, days=-10)
    _, old_record = _visit(b, client, now, days=-(DAYS + 30))  # already ended
    _, elsewhere = _visit(other, client, now, days=8)
    shared = intake_access.shared_clinics(client, now=now, access_days=DAYS)
    assert {s.clinic.id for s in shared} == {b.clinic.id, other.clinic.id}
    count = intake_access.withdraw_for_clinic(client=client, clinic=b.clinic, now=now,
                                              access_days=DAYS)
    assert count == 2
    assert coming_record.consent_withdrawn_at == now == recent_record.consent_withdrawn_at
    assert old_record.consent_withdrawn_at is None
    assert intake_access.clinic_access(elsewhere, now=now, access_days=DAYS).shared
    shared = intake_access.shared_clinics(client, now=now, access_days=DAYS)
    assert [s.clinic.id for s in shared] == [other.clinic.id]


def test_another_clinic_never_reads_them(place, now):
    b, client = place
    _, record = _visit(b, client, now, days=3)
    stranger = factories.create_bookable_clinic()
    with pytest.raises(NotAllowed, match="Only the client and the clinic"):
        intake.read_intake(record, viewer=stranger.owner, keyring=OLD, now=now)


def test_the_client_sees_each_clinic_read(place, now):
    b, client = place
    booking, record = _visit(b, client, now, days=3)
    intake.read_intake(record, viewer=b.owner, keyring=OLD, now=now)
    intake.read_intake(record, viewer=b.owner, keyring=OLD, now=now + timedelta(hours=2))
    intake.read_intake(record, viewer=client, keyring=OLD, now=now)  # their own: not listed
    someone_else = factories.create_user()
    _, theirs = _visit(b, someone_else, now, days=4)
    intake.read_intake(theirs, viewer=b.owner, keyring=OLD, now=now)
    reads = intake_access.reads_of(client)
    assert [(r.at, r.clinic_name, r.booking.id) for r in reads] == [
        (now + timedelta(hours=2), b.clinic.name, booking.id),
        (now, b.clinic.name, booking.id),
    ]


def test_the_access_period_is_a_setting(app):
    from marketplace.services.common.rules import BookingRules, BookingRulesError

    assert BookingRules.from_config(current_app.config).intake_access_days == 90
    with pytest.raises(BookingRulesError, match="INTAKE_CLINIC_ACCESS_DAYS"):
        BookingRules.from_config({**current_app.config, "INTAKE_CLINIC_ACCESS_DAYS": 0})
