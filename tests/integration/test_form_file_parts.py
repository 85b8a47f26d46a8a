"""A file part sent where a form expects text (multipart/form-data) is a validation
message, never a 500: checked on every form class, and on every POST route as a
visitor allowed to use it."""

from __future__ import annotations

import importlib
import io
import pkgutil

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import FileField, MultipleFileField
from wtforms.fields.core import UnboundField

import marketplace.forms
from marketplace.forms.base import BaseForm
from tests.integration.test_authorization_matrix import MATRIX, NEEDS_STAND_IN, VISITORS
from tests.support.world import build_world

MESSAGE = "This field expects text"


def _all_form_classes() -> list[type[BaseForm]]:
    for module in pkgutil.iter_modules(marketplace.forms.__path__):
        importlib.import_module(f"marketplace.forms.{module.name}")
    found, todo = [], [BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("marketplace.forms"):
                found.append(sub)
                todo.append(sub)
    return sorted(set(found), key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _declares_fields(cls: type[BaseForm]) -> bool:
    return any(isinstance(getattr(cls, name, None), UnboundField) for name in dir(cls))


ALL_FORMS = _all_form_classes()
# Base classes with no field of their own (GetForm) have nothing to send a file to.
FORMS = [c for c in ALL_FORMS if _declares_fields(c)]


def _file(name: str = "x.txt") -> FileStorage:
    return FileStorage(stream=io.BytesIO(b"not text"), filename=name, name=name)


def test_every_form_is_checked():
    names = {c.__name__ for c in FORMS}
    assert {"ProfileForm", "ServiceForm", "RegisterForm", "IntakeForm", "SearchForm"} <= names
    assert len(FORMS) > 40
    assert {c.__name__ for c in ALL_FORMS} - names <= {"GetForm", "EmptyForm"}


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__[18:]}.{c.__name__}")
def test_a_file_in_any_text_field_of_any_form_is_a_message(app, form_class):
    with app.test_request_context("/", method="POST"):
        names = [field.name for field in form_class()]  # as sent: "from", not "first"
        assert names
        data = MultiDict([(name, _file()) for name in names])
        form = form_class(formdata=data)
        for field in form:  # choices some views fill in per request
            if getattr(field, "choices", ()) is None:
                field.choices = []
        assert form.validate() is False  # and above all, no exception
        for field in form:
            if isinstance(field, FileField | MultipleFileField):
                continue
            assert any(MESSAGE in str(e) for e in field.errors), (field.name, field.errors)


@pytest.fixture
def world(app):
    return build_world()


def _allowed_visitor(rule: dict) -> str | None:
    return next((v for v in VISITORS if rule[v] == "ok"), None)


POST_ROUTES = sorted(e for e, (methods, _) in MATRIX.items()
                     if "POST" in methods and e != "webhooks.stripe_event")


def _field_names(app) -> list[str]:
    with app.test_request_context("/", method="POST"):
        names = {name for cls in FORMS for name in cls()._fields}
    return sorted(names - {"csrf_token"})


@pytest.mark.parametrize("endpoint", POST_ROUTES)
def test_a_file_part_in_every_post_route_is_never_a_server_error(app, client, auth, world,
                                                                 endpoint, monkeypatch):
    users, args = world
    _, rule = MATRIX[endpoint]
    visitor = _allowed_visitor(rule)
    if endpoint in NEEDS_STAND_IN:
        monkeypatch.setitem(app.config, "STRIPE_API_BASE", "http://127.0.0.1:9")
    if visitor not in (None, "anonymous"):
        auth.session_for(users[visitor])
    url_rule = next(r for r in app.url_map.iter_rules()
                    if r.endpoint == endpoint and "POST" in r.methods)
    with app.test_request_context():
        url = app.url_for(endpoint, **{a: args[a] for a in url_rule.arguments})
    data = {name: (io.BytesIO(b"not text"), "x.txt") for name in _field_names(app)}
    response = client.post(url, data=data, content_type="multipart/form-data")
    assert response.status_code < 500, f"POST {url} as {visitor}: {response.status_code}"
