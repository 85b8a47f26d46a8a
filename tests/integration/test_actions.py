"""The one way a view runs an action (``web/actions.py``): the service's changes are
committed once when it returns, rolled back when it raises a domain error, and the
error comes back with its HTTP status; one a view lets through is answered with it."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from wtforms import StringField

from marketplace import create_app
from marketplace.forms.base import BaseForm
from marketplace.models import User, db
from marketplace.services.accounts.tokens import TokenInvalid
from marketplace.services.booking import HoldLapsed, NotBookable, NotReady, SlotTaken
from marketplace.services.booking.pricing import PromotionRefused
from marketplace.services.clinics.stranding import WouldStrand
from marketplace.services.common.errors import (
    Conflict,
    DomainError,
    FieldError,
    NotAllowed,
    NotFound,
)
from marketplace.services.common.text import TextTooLong
from marketplace.services.discovery.plan import SearchError
from marketplace.services.discovery.tray import TrayFull
from marketplace.services.payments import PaymentRefused, PaymentUnavailable, WebhookRejected
from marketplace.web.actions import Outcome, run, show_on
from tests.support import factories


def _saved(email: str) -> bool:
    db.session.rollback()  # forget what this session holds: ask the database
    return db.session.scalar(select(User).where(User.email == email)) is not None


def test_a_finished_action_is_committed_and_its_value_handed_back(app):
    outcome = run(lambda: factories.create_user(email="kept@example.test"))
    assert outcome.ok
    assert (outcome.status, outcome.error) == (200, None)
    assert outcome.value.email == "kept@example.test"
    assert outcome.get() is outcome.value
    assert _saved("kept@example.test")


def test_a_refused_action_saves_nothing_and_hands_the_error_back(app):
    def refused():
        factories.create_user(email="lost@example.test")
        raise NotAllowed("Only the clinic's owners may do that.")

    outcome = run(refused)
    assert not outcome.ok
    assert (outcome.status, outcome.message) == (403, "Only the clinic's owners may do that.")
    assert outcome.value is None
    assert not _saved("lost@example.test")
    with pytest.raises(NotAllowed):
        outcome.get()


def test_an_unexpected_error_is_not_swallowed(app):
    def broken():
        raise RuntimeError("a bug")

    with pytest.raises(RuntimeError):
        run(broken)


def test_a_refused_schedule_change_names_the_bookings_it_would_strand(app):
    def change():
        raise WouldStrand("Two visits are booked.", ["b1"])

    outcome = run(change)
    assert (outcome.status, outcome.stranded) == (409, ["b1"])
    assert Outcome().stranded == []


@pytest.mark.parametrize(("error", "status"), [
    (DomainError("Not now."), 409),
    (NotAllowed("No."), 403),
    (NotFound("Gone."), 404),
    (Conflict("Taken."), 409),
    (FieldError("name", "Too short."), 422),
    (SearchError("near", "Unknown place."), 422),
    (SlotTaken("Taken."), 409),
    (HoldLapsed("Ran out."), 409),
    (TrayFull("Four at most."), 409),
    (WouldStrand("Booked.", []), 409),
    (NotBookable("Not taking bookings."), 404),
    (NotReady("Answer the health questions first."), 409),
    (PromotionRefused("That code has expired."), 422),
    (TextTooLong("At most 2000 characters."), 422),
    (TokenInvalid("That link has expired."), 400),
    (PaymentRefused("Use another card."), 402),
    (PaymentUnavailable("The payment service did not answer."), 503),
    (WebhookRejected("Bad signature."), 400),
])
def test_each_domain_error_carries_its_status(error, status):
    assert error.status == status
    assert Outcome(error=error).status == status


class NameForm(BaseForm):
    name = StringField()


def test_a_field_error_is_shown_on_its_field_and_any_other_on_the_form(app):
    with app.test_request_context(method="POST"):
        form = NameForm(meta={"csrf": False})
        show_on(form, FieldError("name", "Too short."))
        show_on(form, FieldError("nickname", "Not a field of this form."))
        Outcome(error=Conflict("Taken meanwhile.")).show_on(form)
        assert form.name.errors == ["Too short."]
        assert form.form_errors == ["Not a field of this form.", "Taken meanwhile."]


@pytest.fixture
def refusing(tmp_path):
    app = create_app({"APP_ENV": "testing", "TESTING": True, "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{tmp_path}/x.db", "RATE_LIMITS": False})

    def refuse(kind: str):
        raise {"found": NotFound("No such booking."), "allowed": NotAllowed("Not yours."),
               "conflict": SlotTaken("That time was just taken."),
               "field": FieldError("date", "Choose a later day."),
               "payment": PaymentUnavailable("The payment service did not answer.")}[kind]

    app.add_url_rule("/refuse/<kind>", "refuse", refuse)
    app.add_url_rule("/api/v1/refuse/<kind>", "api_refuse", refuse)
    return app.test_client()


@pytest.mark.parametrize(("kind", "status", "message"), [
    ("found", 404, "No such booking."),
    ("allowed", 403, "Not yours."),
    ("conflict", 409, "That time was just taken."),
    ("field", 422, "Choose a later day."),
    ("payment", 503, "The payment service did not answer."),
])
def test_a_domain_error_a_view_lets_through_is_answered_with_its_status(
        refusing, kind, status, message):
    page = refusing.get(f"/refuse/{kind}")
    assert page.status_code == status
    assert message in page.get_data(as_text=True)
    fragment = refusing.get(f"/refuse/{kind}", headers={"HX-Request": "true"})
    assert fragment.status_code == status
    assert "<html" not in fragment.get_data(as_text=True)
    api = refusing.get(f"/api/v1/refuse/{kind}")
    assert api.status_code == status
    assert api.json["error"]["code"] == status
    assert api.json["error"]["message"] == message
