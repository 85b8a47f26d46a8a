"""The operator's commands: what they say when the input is wrong, and that nothing is written."""

from __future__ import annotations

from sqlalchemy import func, select

from marketplace.models import Role, User, db


def _admins() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.role == Role.ADMIN))


def test_create_admin_makes_an_admin_who_can_sign_in(app, runner):
    result = runner.invoke(args=["create-admin", "ops@kneaded.test", "--name", "Ops"],
                           input="plum-harbour-velvet-kite\nplum-harbour-velvet-kite\n")
    assert result.exit_code == 0, result.output
    assert "Admin ops@kneaded.test created." in result.output
    admin = db.session.scalar(select(User).where(User.email == "ops@kneaded.test"))
    assert admin.role is Role.ADMIN


def test_create_admin_refuses_a_weak_password_with_the_reason(app, runner):
    before = _admins()
    result = runner.invoke(args=["create-admin", "ops@kneaded.test"],
                           input="password\npassword\n")
    assert result.exit_code == 2, result.output
    assert "Invalid value for password: Use at least 10 characters." in result.output
    assert _admins() == before


def test_create_admin_refuses_an_address_already_in_use(app, runner, create_user):
    create_user(email="taken@kneaded.test")
    result = runner.invoke(args=["create-admin", "taken@kneaded.test"],
                           input="plum-harbour-velvet-kite\nplum-harbour-velvet-kite\n")
    assert result.exit_code == 2, result.output
    assert "an account with that e-mail exists" in result.output
