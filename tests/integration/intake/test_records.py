"""Health intake records in the database: encryption at rest, who may read, the audit of
clinic reads, reuse, and key rotation (service and command)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from marketplace.models import (
    AuditLog,
    ClinicMember,
    IntakeRecord,
    MemberRole,
    Role,
    ScreeningOutcome,
    db,
)
from marketplace.services.common.errors import NotAllowed
from marketplace.services.intake import records as intake
from marketplace.services.intake.records import IntakeUnreadable, KeyRing
from marketplace.services.intake.screening import IntakeAnswers, screen
from tests.support import factories

NOW = datetime(2026, 5, 4, 15, 30, tzinfo=UTC)
VISIT = date(2026, 5, 20)
OLD_KEY = KeyRing.generate_key()
NEW_KEY = KeyRing.generate_key()
OLD = KeyRing.from_config(f"old:{OLD_KEY}")
BOTH = KeyRing.from_config(f"new:{NEW_KEY},old:{OLD_KEY}")
NEW_ONLY = KeyRing.from_config(f"new:{NEW_KEY}")

SECRET_WORDS = ("Warfarin", "hip replacement", "left knee", "bleeding_disorder", "blood thinner")
ANSWERS = IntakeAnswers(
    contraindications=frozenset({"bleeding_disorder", "recent_surgery"}),
    medications="Warfarin 5 mg daily",
    surgery_date=date(2026, 1, 10),
    notes="Had a hip replacement; the left knee is sore.",
)


@pytest.fixture
def place(app):
    """A bookable clinic, a client and a held booking for them."""
    b = factories.create_bookable_clinic()
    client = factories.create_user()
    booking = factories.create_booking(
        b, client=client, starts_at=datetime(2026, 5, 20, 14, tzinfo=UTC)
    )
    return b, client, booking


def save(client, clinic, booking=None, answers=ANSWERS, keyring=OLD, clearance=False, now=NOW):
    return intake.save_intake(
        client=client,
        clinic=clinic,
        booking=booking,
        answers=answers,
        screening=screen(answers, visit_date=VISIT),
        clearance_confirmed=clearance,
        keyring=keyring,
        now=now,
        consented=True,
    )


def reload(record: IntakeRecord) -> IntakeRecord:
    db.session.flush()
    db.session.expire_all()
    return db.session.get(IntakeRecord, record.id)


def raw_row(record_id: int) -> dict:
    row = db.session.execute(
        sa.text("SELECT * FROM intake_records WHERE id = :id"), {"id": record_id}
    ).mappings()
    return dict(row.one())


def intake_reads() -> list[AuditLog]:
    return list(db.session.scalars(select(AuditLog).where(AuditLog.action == "intake.read")))


# --- saving and reading back ------------------------------------------------------------


def test_the_client_reads_back_exactly_what_was_saved(place):
    b, client, booking = place
    record = reload(save(client, b.clinic, booking))
    answers, screening = intake.read_intake(record, viewer=client, keyring=OLD, now=NOW)
    assert answers == ANSWERS
    assert screening == screen(ANSWERS, visit_date=VISIT)
    assert screening.outcome is ScreeningOutcome.GENTLE_ONLY
    assert intake_reads() == []  # a client reading their own answers is not audited


def test_outcome_and_clearance_are_kept_in_clear_on_the_record_and_booking(place):
    b, client, booking = place
    answers = IntakeAnswers(contraindications=frozenset({"stroke"}))
    record = save(client, b.clinic, booking, answers=answers, clearance=True)
    assert record.outcome is ScreeningOutcome.CLEARANCE
    assert record.clearance_confirmed is True
    assert record.key_id == "old"
    assert record.created_at == NOW
    assert record.reviewed_at == NOW
    assert booking.screening_outcome is ScreeningOutcome.CLEARANCE
    assert booking.clearance_confirmed is True


def test_clearance_is_recorded_only_when_the_outcome_asks_for_it(place):
    b, client, booking = place
    record = save(client, b.clinic, booking, clearance=True)  # gentle only
    assert record.clearance_confirmed is False
    assert booking.clearance_confirmed is False


def test_saving_again_for_a_booking_replaces_its_answers(place):
    b, client, booking = place
    first = save(client, b.clinic, booking)
    later = NOW + timedelta(minutes=5)
    changed = IntakeAnswers(contraindications=frozenset({"acute_infection"}))
    second = save(client, b.clinic, booking, answers=changed, now=later)
    assert second.id == first.id
    assert second.created_at == NOW
    assert second.reviewed_at == later
    record = reload(second)
    assert intake.read_intake(record, viewer=client, keyring=OLD, now=NOW)[0] == changed
    assert record.outcome is ScreeningOutcome.NOT_NOW
    count = db.session.scalar(
        select(sa.func.count()).select_from(IntakeRecord).where(IntakeRecord.client_id == client.id)
    )
    assert count == 1


def test_an_intake_without_a_booking_can_be_saved(place):
    b, client, _ = place
    record = reload(save(client, b.clinic))
    assert record.booking_id is None
    assert intake.read_intake(record, viewer=client, keyring=OLD, now=NOW)[0] == ANSWERS


def test_a_booking_of_another_client_or_clinic_is_refused(place):
    b, client, booking = place
    with pytest.raises(NotAllowed):
        save(factories.create_user(), b.clinic, booking)
    with pytest.raises(NotAllowed):
        save(client, factories.create_clinic(), booking)


def test_the_database_holds_none_of_the_answers_in_readable_form(place):
    b, client, booking = place
    record = save(client, b.clinic, booking)
    row = raw_row(record.id)
    stored = bytes(row["ciphertext"])
    for word in SECRET_WORDS:
        assert word.encode() not in stored
        assert word.lower().encode() not in stored.lower()
        assert all(word not in str(value) for value in row.values() if not isinstance(value, bytes))
    assert b'"answers"' not in stored
    # Padded: the length gives away only a size class.
    assert (len(stored) - 12 - 16) % intake.PAD_TO == 0


# --- tampering and moved ciphertexts ---------------------------------------------------


def test_a_changed_byte_in_the_database_is_detected(place):
    b, client, booking = place
    record = save(client, b.clinic, booking)
    stored = bytearray(raw_row(record.id)["ciphertext"])
    stored[-5] ^= 0x01
    db.session.execute(
        sa.update(IntakeRecord).where(IntakeRecord.id == record.id).values(ciphertext=bytes(stored))
    )
    with pytest.raises(IntakeUnreadable):
        intake.read_intake(reload(record), viewer=client, keyring=OLD, now=NOW)


def test_a_ciphertext_copied_to_another_row_does_not_decrypt(place):
    b, client, booking = place
    source = save(client, b.clinic, booking)
    target = save(client, b.clinic, answers=IntakeAnswers(contraindications=frozenset()))
    db.session.execute(
        sa.update(IntakeRecord)
        .where(IntakeRecord.id == target.id)
        .values(ciphertext=source.ciphertext, outcome=source.outcome)
    )
    with pytest.raises(IntakeUnreadable):
        intake.read_intake(reload(target), viewer=client, keyring=OLD, now=NOW)


@pytest.mark.parametrize("column", ["clinic_id", "client_id"])
def test_a_record_moved_to_another_clinic_or_client_does_not_decrypt(place, column):
    b, client, booking = place
    record = save(client, b.clinic, booking)
    elsewhere = factories.create_clinic() if column == "clinic_id" else factories.create_user()
    db.session.execute(
        sa.update(IntakeRecord).where(IntakeRecord.id == record.id).values({column: elsewhere.id})
    )
    # Whoever the row now names as its client reads it: the seal still refuses.
    viewer = client if column == "clinic_id" else elsewhere
    with pytest.raises(IntakeUnreadable):
        intake.read_intake(reload(record), viewer=viewer, keyring=OLD, now=NOW)


def test_an_outcome_changed_in_clear_no_longer_matches(place):
    b, client, booking = place
    record = save(client, b.clinic, booking)
    db.session.execute(
        sa.update(IntakeRecord)
        .where(IntakeRecord.id == record.id)
        .values(outcome=ScreeningOutcome.PROCEED)
    )
    with pytest.raises(IntakeUnreadable, match="outcome"):
        intake.read_intake(reload(record), viewer=client, keyring=OLD, now=NOW)


# --- who may read ----------------------------------------------------------------------


@pytest.mark.parametrize("member_role", [MemberRole.OWNER, MemberRole.STAFF])
def test_the_treating_clinic_reads_and_every_read_is_audited(place, member_role):
    b, client, booking = place
    record = save(client, b.clinic, booking)
    member = b.owner
    if member_role is MemberRole.STAFF:
        member = factories.create_user(role=Role.OWNER)
        db.session.add(ClinicMember(clinic=b.clinic, user=member, role=MemberRole.STAFF))
    answers, _ = intake.read_intake(
        record, viewer=member, keyring=OLD, now=NOW, ip_address="203.0.113.9"
    )
    assert answers == ANSWERS
    intake.read_intake(record, viewer=member, keyring=OLD, now=NOW + timedelta(minutes=1))
    reads = intake_reads()
    assert len(reads) == 2
    entry = reads[0]
    assert entry.actor_id == member.id
    assert entry.object_type == "intake_record"
    assert entry.object_id == record.id
    assert entry.clinic_id == b.clinic.id
    assert entry.ip_address == "203.0.113.9"
    assert entry.created_at == NOW
    assert entry.detail == {"client_id": client.id, "booking_id": booking.id}
    assert "Warfarin" not in str(entry.detail)


@pytest.mark.parametrize("who", ["other_client", "other_owner", "admin"])
def test_nobody_else_reads_an_intake_not_even_an_admin(place, who):
    b, client, booking = place
    record = save(client, b.clinic, booking)
    if who == "other_owner":
        viewer = factories.create_bookable_clinic().owner
    else:
        viewer = factories.create_user(role=Role.ADMIN if who == "admin" else Role.CLIENT)
    with pytest.raises(NotAllowed):
        intake.read_intake(record, viewer=viewer, keyring=OLD, now=NOW)
    assert intake_reads() == []


# --- reuse ----------------------------------------------------------------------------


def test_latest_intake_is_the_clients_newest(place):
    b, client, booking = place
    assert intake.latest_intake(client) is None
    older = save(client, b.clinic, booking, now=NOW - timedelta(days=30))
    newer = save(client, factories.create_clinic(), now=NOW)
    save(factories.create_user(), b.clinic, now=NOW + timedelta(days=1))  # someone else's
    assert intake.latest_intake(client) == newer
    assert intake.latest_intake(client, since=NOW + timedelta(days=1)) is None
    assert intake.latest_intake(client, since=NOW - timedelta(days=31)) == newer
    assert older.id != newer.id


def test_a_reused_intake_is_sealed_again_for_the_new_clinic(place):
    b, client, booking = place
    first = save(client, b.clinic, booking)
    answers, _ = intake.read_intake(
        intake.latest_intake(client), viewer=client, keyring=OLD, now=NOW
    )
    other = factories.create_bookable_clinic()
    second = save(client, other.clinic, answers=answers)
    assert second.ciphertext != first.ciphertext
    # The new clinic reads it; the first clinic does not read the copy.
    assert intake.read_intake(second, viewer=other.owner, keyring=OLD, now=NOW)[0] == ANSWERS
    with pytest.raises(NotAllowed):
        intake.read_intake(second, viewer=b.owner, keyring=OLD, now=NOW)


# --- key rotation -----------------------------------------------------------------------


def test_old_keys_still_decrypt_and_rotation_moves_records_to_the_new_key(place):
    b, client, booking = place
    record = save(client, b.clinic, booking, keyring=OLD)
    before = bytes(record.ciphertext)
    assert intake.read_intake(record, viewer=client, keyring=BOTH, now=NOW)[0] == ANSWERS
    with pytest.raises(IntakeUnreadable):
        intake.read_intake(record, viewer=client, keyring=NEW_ONLY, now=NOW)

    batch = intake.rotate(BOTH)
    assert (batch.rotated, batch.unreadable, batch.done) == (1, [], True)
    record = reload(record)
    assert record.key_id == "new"
    assert bytes(record.ciphertext) != before
    assert intake.read_intake(record, viewer=client, keyring=NEW_ONLY, now=NOW)[0] == ANSWERS
    assert intake.rotate(BOTH).rotated == 0  # idempotent
    assert intake.keys_in_use().get("old") is None


def test_new_intakes_are_sealed_with_the_first_key(place):
    b, client, booking = place
    assert save(client, b.clinic, booking, keyring=BOTH).key_id == "new"


def test_rotation_goes_in_batches_and_lists_what_it_cannot_read(place):
    b, client, _ = place
    records = [save(client, b.clinic, keyring=OLD) for _ in range(5)]
    lost = save(client, b.clinic, keyring=KeyRing.from_config(f"lost:{KeyRing.generate_key()}"))
    after_id, rotated, unreadable, calls = 0, 0, [], 0
    while True:
        batch = intake.rotate(BOTH, after_id=after_id, batch_size=2)
        rotated, unreadable, after_id = (
            rotated + batch.rotated,
            unreadable + batch.unreadable,
            batch.last_id,
        )
        calls += 1
        if batch.done:
            break
    assert rotated == 5
    assert unreadable == [lost.id]
    assert calls == 4
    assert {reload(r).key_id for r in records} == {"new"}
    assert reload(lost).key_id == "lost"


def test_the_rotate_command_re_encrypts_everything_under_the_first_key(
    app, place, runner, monkeypatch
):
    b, client, booking = place
    record = save(client, b.clinic, booking, keyring=OLD)
    save(client, b.clinic, keyring=OLD)
    db.session.commit()
    monkeypatch.setitem(app.config, "INTAKE_KEYS", f"new:{NEW_KEY},old:{OLD_KEY}")
    result = runner.invoke(args=["rotate-intake-keys", "--batch-size", "1"])
    assert result.exit_code == 0, result.output
    assert "Re-encrypted 2 intake record(s) under key 'new'" in result.output
    assert "'new': 2" in result.output
    assert reload(record).key_id == "new"
    again = runner.invoke(args=["rotate-intake-keys"])
    assert "Re-encrypted 0 intake record(s)" in again.output


def test_the_rotate_command_fails_loudly_on_unreadable_records(app, place, runner, monkeypatch):
    b, client, booking = place
    record = save(client, b.clinic, booking, keyring=OLD)
    db.session.commit()
    monkeypatch.setitem(app.config, "INTAKE_KEYS", f"new:{NEW_KEY}")
    result = runner.invoke(args=["rotate-intake-keys"])
    assert result.exit_code == 1
    assert f"1 record(s) could not be decrypted with any key in INTAKE_KEYS (ids {record.id})" in (
        result.output
    )
    assert reload(record).key_id == "old"
