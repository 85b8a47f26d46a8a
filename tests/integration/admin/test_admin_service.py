"""The admin console's operations: verification with licence checks, claims,
suspensions, search and the audit log with its CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.models import (
    AuditLog,
    BookingStatus,
    ClaimStatus,
    ClinicMember,
    ClinicStatus,
    MemberRole,
    OutboxEmail,
    Role,
    UserStatus,
    db,
    utcnow,
)
from marketplace.services import audit
from marketplace.services.admin import clinics as admin
from marketplace.services.admin import users as admin_users
from marketplace.services.audit import query as audit_log
from marketplace.services.common import csv_safe
from marketplace.services.common.errors import Conflict, NotAllowed
from marketplace.services.discovery.search import SearchQuery, search
from tests.support.booking import booking_rules
from tests.support.factories import (
    create_bookable_clinic,
    create_booking,
    create_claim,
    create_clinic,
    create_therapist,
    create_user,
)

SENDER = "bookings@kneaded.test"


def mails_to(address):
    return db.session.scalars(select(OutboxEmail).where(OutboxEmail.to_addr == address)).all()


def test_verifying_publishes_and_records_the_licences_checked(app):
    owner = create_user(role=Role.OWNER)
    clinic = create_clinic(owner=owner, status=ClinicStatus.PENDING)
    checked = create_therapist(clinic, licence_number="MA12345", licence_state="FL")
    unchecked = create_therapist(clinic, licence_number="MA67890")
    boss = create_user(role=Role.ADMIN)
    now = utcnow()
    admin.verify_clinic(
        clinic=clinic, admin=boss, checked_therapist_ids=[checked.id], now=now, sender=SENDER
    )
    assert clinic.status is ClinicStatus.PUBLISHED
    assert (clinic.verified_at, clinic.verified_by_id) == (now, boss.id)
    assert checked.licence_checked_at == now
    assert unchecked.licence_checked_at is None
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "clinic.verify"))
    assert entry.detail == {
        "licences_checked": [{"therapist_id": checked.id, "licence": "FL MA12345"}]
    }
    assert mails_to(owner.email)[0].subject.endswith("is verified and listed")


def test_verification_refuses_what_it_cannot_check(app):
    clinic = create_clinic(status=ClinicStatus.PENDING)
    nameless = create_therapist(clinic, licence_number=None)
    elsewhere = create_therapist(create_clinic())
    boss = create_user(role=Role.ADMIN)
    with pytest.raises(NotAllowed, match="no licence number"):
        admin.verify_clinic(
            clinic=clinic,
            admin=boss,
            checked_therapist_ids=[nameless.id],
            now=utcnow(),
            sender=SENDER,
        )
    with pytest.raises(NotAllowed, match="do not work"):
        admin.verify_clinic(
            clinic=clinic,
            admin=boss,
            checked_therapist_ids=[elsewhere.id],
            now=utcnow(),
            sender=SENDER,
        )
    published = create_clinic()
    with pytest.raises(Conflict):
        admin.verify_clinic(
            clinic=published, admin=boss, checked_therapist_ids=[], now=utcnow(), sender=SENDER
        )


def test_licences_can_be_checked_later(app):
    clinic = create_clinic()
    therapist = create_therapist(clinic)
    boss = create_user(role=Role.ADMIN)
    with pytest.raises(NotAllowed):
        admin.check_licences(clinic=clinic, admin=boss, therapist_ids=[], now=utcnow())
    admin.check_licences(clinic=clinic, admin=boss, therapist_ids=[therapist.id], now=utcnow())
    assert therapist.licence_checked_at is not None


def test_approving_a_claim_makes_the_user_an_owner(app):
    clinic = create_clinic()
    claimant = create_user()
    claim = create_claim(clinic, claimant)
    boss = create_user(role=Role.ADMIN)
    admin.approve_claim(claim=claim, admin=boss, now=utcnow(), sender=SENDER)
    assert claim.status is ClaimStatus.APPROVED
    assert claimant.role is Role.OWNER
    member = db.session.scalar(select(ClinicMember).where(ClinicMember.user_id == claimant.id))
    assert (member.clinic_id, member.role) == (clinic.id, MemberRole.OWNER)
    assert mails_to(claimant.email)
    with pytest.raises(Conflict):
        admin.approve_claim(claim=claim, admin=boss, now=utcnow(), sender=SENDER)
    assert admin.pending_claims() == []


def test_rejecting_a_claim_needs_a_reason(app):
    claim = create_claim(create_clinic(), create_user(role=Role.OWNER))
    boss = create_user(role=Role.ADMIN)
    with pytest.raises(NotAllowed):
        admin.reject_claim(claim=claim, admin=boss, reason="", now=utcnow(), sender=SENDER)
    admin.reject_claim(
        claim=claim,
        admin=boss,
        reason="The listed phone says otherwise.",
        now=utcnow(),
        sender=SENDER,
    )
    assert claim.status is ClaimStatus.REJECTED
    assert claim.user.role is Role.OWNER
    assert (
        db.session.scalar(select(ClinicMember).where(ClinicMember.user_id == claim.user_id)) is None
    )


def test_suspending_a_user_revokes_their_sessions(app):
    user = create_user()
    version = user.session_version
    boss = create_user(role=Role.ADMIN)
    admin_users.suspend_user(user=user, admin=boss, reason="Abusive messages", now=utcnow())
    assert user.status is UserStatus.SUSPENDED
    assert user.session_version == version + 1
    with pytest.raises(Conflict):
        admin_users.suspend_user(user=user, admin=boss, reason="Again", now=utcnow())
    admin_users.restore_user(user=user, admin=boss, now=utcnow())
    assert (user.status, user.suspended_reason) == (UserStatus.ACTIVE, None)
    assert [e.action for e in db.session.scalars(select(AuditLog).order_by(AuditLog.id))] == [
        "user.suspend",
        "user.restore",
    ]


def test_admins_cannot_suspend_themselves_or_other_admins(app):
    boss = create_user(role=Role.ADMIN)
    with pytest.raises(NotAllowed):
        admin_users.suspend_user(user=boss, admin=boss, reason="x", now=utcnow())
    with pytest.raises(NotAllowed):
        admin_users.suspend_user(user=create_user(role=Role.ADMIN), admin=boss, reason="x",
                                 now=utcnow())


def test_suspending_a_clinic_hides_it_keeps_bookings_and_tells_clients(app):
    b = create_bookable_clinic()
    now = utcnow()
    future = [
        create_booking(b, starts_at=now + timedelta(days=d), client=create_user()) for d in (1, 2)
    ]
    held = create_booking(
        b, starts_at=now + timedelta(days=3), client=None, status=BookingStatus.HELD
    )
    past = create_booking(
        b, starts_at=now - timedelta(days=2), client=create_user(), status=BookingStatus.COMPLETED
    )
    assert search(SearchQuery(q=b.clinic.name), now=utcnow(), rules=booking_rules(app)).total == 1
    told = admin.suspend_clinic(
        clinic=b.clinic,
        admin=create_user(role=Role.ADMIN),
        reason="Licence lapsed",
        now=now,
        sender=SENDER,
    )
    assert told == 2
    assert b.clinic.status is ClinicStatus.SUSPENDED
    assert search(SearchQuery(q=b.clinic.name), now=utcnow(), rules=booking_rules(app)).total == 0
    assert [bk.status for bk in future] == [BookingStatus.CONFIRMED] * 2
    assert held.status is BookingStatus.HELD
    for booking in future:
        [mail] = mails_to(booking.client.email)
        assert booking.reference in mail.subject
        assert "is kept" in mail.message.decode()
    assert mails_to(past.client.email) == []
    assert mails_to(b.owner.email)
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "clinic.suspend"))
    assert entry.detail == {"reason": "Licence lapsed", "bookings_kept": 3, "clients_told": 2}


def test_restoring_a_clinic_returns_it_to_where_it_was(app):
    boss = create_user(role=Role.ADMIN)
    verified = create_clinic(verified_at=utcnow())
    never = create_clinic(status=ClinicStatus.PENDING)
    for clinic in (verified, never):
        admin.suspend_clinic(clinic=clinic, admin=boss, reason="Check", now=utcnow(), sender=SENDER)
        admin.restore_clinic(clinic=clinic, admin=boss, now=utcnow())
    assert (verified.status, never.status) == (ClinicStatus.PUBLISHED, ClinicStatus.PENDING)
    with pytest.raises(Conflict):
        admin.restore_clinic(clinic=verified, admin=boss, now=utcnow())


def test_search_users_and_clinics(app):
    alice = create_user(name="Alice Lindqvist", email="alice.l@example.test")
    create_user(name="Bob", role=Role.OWNER)
    found = db.session.scalars(admin_users.search_users(q="LINDQ")).all()
    assert found == [alice]
    assert db.session.scalars(admin_users.search_users(q="100%_")).all() == []
    owners = db.session.scalars(admin_users.search_users(role=Role.OWNER)).all()
    assert all(u.role is Role.OWNER for u in owners)
    pending = create_clinic(name="Zeta Pending Rooms", status=ClinicStatus.PENDING)
    create_clinic(name="Alpha Rooms")
    rows = db.session.scalars(admin.search_clinics(q="rooms")).all()
    assert rows[0] == pending  # pending first


def test_audit_filters(app):
    boss = create_user(role=Role.ADMIN, email="boss@example.test")
    clinic = create_clinic()
    now = utcnow()
    audit.record(actor=boss, action="clinic.verify", obj=clinic, now=now - timedelta(days=3))
    audit.record(actor=boss, action="review.reject", object_type="review", object_id=9, now=now)
    audit.record(actor=None, action="review.auto_hide", object_type="review", object_id=9, now=now)
    db.session.flush()

    def actions(**kw):
        return sorted(
            e.action for e in db.session.scalars(audit_log.entries(audit_log.AuditFilter(**kw)))
        )

    assert actions(actor="boss@") == ["clinic.verify", "review.reject"]
    assert actions(actor="system") == ["review.auto_hide"]
    assert actions(action="review") == ["review.auto_hide", "review.reject"]
    assert actions(action="review.reject") == ["review.reject"]
    assert actions(object_type="clinic", object_id=clinic.id) == ["clinic.verify"]
    assert actions(date_from=(now - timedelta(days=1)).date()) == [
        "review.auto_hide",
        "review.reject",
    ]
    assert actions(date_to=(now - timedelta(days=2)).date()) == ["clinic.verify"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("plain", "plain"),
        (42, 42),
        (None, None),
    ],
)
def test_csv_cells_never_start_a_formula(value, expected):
    assert csv_safe.csv_cell(value) == expected


def test_csv_export_neutralises_formulas_everywhere(app):
    boss = create_user(role=Role.ADMIN, email="=cmd@example.test")
    audit.record(
        actor=boss,
        action="user.suspend",
        object_type="user",
        object_id=1,
        detail={"reason": "=1+1"},
        now=utcnow(),
    )
    db.session.flush()
    text = "".join(audit_log.csv_rows(audit_log.AuditFilter()))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(audit_log.CSV_COLUMNS)
    assert rows[1][3] == "'=cmd@example.test"
    assert rows[1][8] == '{"reason": "=1+1"}'  # starts with "{": shown as text
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
