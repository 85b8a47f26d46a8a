"""The JSON API's blueprint and its error answers: a bad parameter is a 400 whose body
names it, in the same shape as every other API error (see web/errors.py)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

from ...services.common.errors import FieldError

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def bad_parameter(parameter: str, message: str, errors: dict | None = None) -> Response:
    """400 with ``error.parameter`` naming what to fix (and every problem in ``errors``)."""
    body = {"code": 400, "name": "Bad Request", "message": message, "parameter": parameter}
    if errors:
        body["errors"] = {name: list(problems) for name, problems in errors.items()}
    response = jsonify(error=body)
    response.status_code = 400
    return response


def form_error(form) -> Response:
    """The first problem of an invalid form, naming its parameter (a field's name in the
    query string, which may differ from its attribute: ``from`` is ``first``)."""
    errors = {form[attr].name: problems for attr, problems in form.errors.items()}
    name, problems = next(iter(errors.items()))
    return bad_parameter(name, problems[0], errors)


def strict_args(names: dict[str, int | None],
                repeatable: Collection[str] = ()) -> Response | None:
    """API parameters come once (those in ``repeatable`` as often as needed), and only
    free text may be empty or long up to its limit.

    ``names`` maps each parameter to its longest allowed value, or None for a typed
    parameter (a number, date or choice) that may not be empty. The search page is
    kinder (a form posts every field); an API caller can leave a parameter out.
    """
    for name, longest in names.items():
        values = request.args.getlist(name)
        if len(values) > 1 and name not in repeatable:
            return bad_parameter(name, f"Give {name} once.")
        if not values:
            continue
        if longest is None and not all(values):
            return bad_parameter(name, f"{name} is empty; leave it out to mean any.")
        if longest is not None and len(values[0]) > longest:
            return bad_parameter(name, f"{name} is longer than {longest} characters.")
    return None


def read(names: dict[str, int | None], form_class, query: Callable[[Any], Any],
         shape: Callable[[Any], dict | str], repeatable: Collection[str] = (),
         before_refusal: Callable[[], Any] | None = None) -> Response:
    """A read-only endpoint: the parameters checked (``strict_args``, then ``form_class``),
    ``query(form)`` asked, its answer as JSON by ``shape`` (a dict for ``jsonify``, or
    JSON text already written); a parameter the query refuses (a ``FieldError``) is a
    400 naming it. ``before_refusal`` runs before a parameter is refused (a 404 for an
    unknown resource comes first)."""
    refused = strict_args(names, repeatable)
    form = None
    if refused is None:
        form = form_class(request.args)
        if not form.validate():
            refused = form_error(form)
    if refused is not None:
        if before_refusal is not None:
            before_refusal()
        return refused
    try:
        found = query(form)
    except FieldError as exc:
        return bad_parameter(exc.field, str(exc))
    answer = shape(found)
    if isinstance(answer, str):
        return current_app.response_class(answer, mimetype=current_app.json.mimetype)
    return jsonify(answer)
