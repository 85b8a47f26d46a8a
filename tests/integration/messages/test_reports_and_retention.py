"""Reporting a message, the admins' decisions (audited), and the retention rule with its
command (idempotent)."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.models import (
    AuditLog,
    Message,
    MessageReport,
    MessageReportReason,
    MessageThread,
    ReportStatus,
    Role,
    db,
)
from marketplace.services.common.errors import Conflict, FieldError, NotAllowed, NotFound
from marketplace.services.messages import reports, retention
from marketplace.services.messages.threads import Side
from tests.support.factories import create_bookable_clinic, create_thread, create_user


@pytest.fixture
def answered(app, now):
    x = create_bookable_clinic()
    thread = create_thread(x.clinic, at=now, answer="Buy my supplements!")
    return x, thread, thread.messages[-1]


def _report(thread, message, now, **kw):
    values = {"reporter": thread.client, "side": Side.CLIENT,
              "reason": MessageReportReason.SPAM, "text": ""}
    values.update(kw)
    return reports.report(message=message, now=now, **values)


def test_a_client_reports_the_clinics_message_once(app, answered, now):
    x, thread, answer = answered
    entry = _report(thread, answer, now)
    assert entry.status is ReportStatus.OPEN
    assert reports.queue() == [answer]
    assert reports.reported_count() == 1
    with pytest.raises(Conflict, match="already reported"):
        _report(thread, answer, now)
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "message.report"))
    assert audit.clinic_id == x.clinic.id
    assert audit.detail["reason"] == "spam"


def test_one_may_only_report_the_other_sides_message_of_ones_own_thread(app, answered, now):
    x, thread, answer = answered
    question = thread.messages[0]
    with pytest.raises(NotAllowed):
        _report(thread, answer, now, reporter=x.owner, side=Side.CLINIC)
    with pytest.raises(NotAllowed):
        _report(thread, question, now)
    _report(thread, question, now, reporter=x.owner, side=Side.CLINIC)
    with pytest.raises(NotFound):
        _report(thread, answer, now, reporter=create_user())
    with pytest.raises(NotFound):
        _report(thread, question, now, reporter=create_bookable_clinic().owner, side=Side.CLINIC)


def test_other_needs_words_and_a_report_has_a_length_limit(app, answered, now):
    _, thread, answer = answered
    with pytest.raises(FieldError, match="Tell us"):
        _report(thread, answer, now, reason=MessageReportReason.OTHER, text=" ")
    with pytest.raises(FieldError, match="at most 1000"):
        _report(thread, answer, now, text="x" * 1001)


def test_hiding_upholds_the_reports_and_is_audited(app, answered, now):
    _, thread, answer = answered
    _report(thread, answer, now)
    admin = create_user(role=Role.ADMIN)
    reports.hide(message=answer, admin=admin, now=now)
    assert answer.is_hidden
    assert answer.hidden_by_id == admin.id
    assert [r.status for r in answer.reports] == [ReportStatus.UPHELD]
    assert reports.queue() == []
    assert reports.reported_count() == 0
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "message.hide"))
    assert entry.actor_id == admin.id
    assert entry.detail["reports_resolved"] == 1
    with pytest.raises(Conflict, match="already hidden"):
        reports.hide(message=answer, admin=admin, now=now)
    with pytest.raises(Conflict, match="already hidden"):
        _report(thread, answer, now, reporter=thread.client)


def test_dismissing_keeps_the_message_and_is_audited(app, answered, now):
    _, thread, answer = answered
    _report(thread, answer, now)
    admin = create_user(role=Role.ADMIN)
    reports.dismiss(message=answer, admin=admin, now=now)
    assert not answer.is_hidden
    assert [r.status for r in answer.reports] == [ReportStatus.DISMISSED]
    assert db.session.scalar(
        select(AuditLog).where(AuditLog.action == "message.dismiss_reports"))
    with pytest.raises(Conflict, match="no open reports"):
        reports.dismiss(message=answer, admin=admin, now=now)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_retention_deletes_threads_idle_past_the_limit_and_nothing_else(app, now):
    x = create_bookable_clinic()
    idle = create_thread(x.clinic, at=now - timedelta(days=731), answer="Old answer")
    _report(idle, idle.messages[-1], now - timedelta(days=731))
    kept = create_thread(x.clinic, at=now - timedelta(days=729))
    idle_id, kept_id, before = idle.id, kept.id, _count(Message)
    assert retention.purge_inactive(now=now) == 1
    assert db.session.get(MessageThread, idle_id) is None
    assert db.session.get(MessageThread, kept_id) is not None
    assert _count(Message) == before - 2
    assert _count(MessageReport) == 0
    assert retention.purge_inactive(now=now) == 0  # idempotent
    entry = db.session.scalar(select(AuditLog).where(AuditLog.action == "messages.purge"))
    assert entry.detail == {"threads": 1, "days": 730}


def test_a_new_message_keeps_an_old_thread(app, now):
    x = create_bookable_clinic()
    thread = create_thread(x.clinic, at=now - timedelta(days=800))
    thread.last_message_at = now - timedelta(days=10)
    assert retention.purge_inactive(now=now) == 0


def test_the_purge_command_uses_the_setting_and_can_be_run_again(app, runner, now):
    x = create_bookable_clinic()
    create_thread(x.clinic, at=now - timedelta(days=40))
    create_thread(x.clinic, at=now - timedelta(days=5))
    db.session.commit()
    app.config["MESSAGE_RETENTION_DAYS"] = 30
    try:
        first = runner.invoke(args=["purge-messages"])
        second = runner.invoke(args=["purge-messages"])
    finally:
        app.config["MESSAGE_RETENTION_DAYS"] = 730
    assert first.exit_code == 0, first.output
    assert "Deleted 1 conversation(s) with no message in 30 days." in first.output
    assert "Deleted 0 conversation(s)" in second.output
    third = runner.invoke(args=["purge-messages", "--days", "1"])
    assert "Deleted 1 conversation(s) with no message in 1 days." in third.output
    assert runner.invoke(args=["purge-messages", "--days", "0"]).exit_code != 0
