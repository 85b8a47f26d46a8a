"""Errors answer in the caller's language: JSON under /api/, a fragment for
htmx, a page otherwise. Nothing leaks a stack trace. A domain error a view lets
through is answered with its own status and message (a 4xx, never a 500)."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable
from werkzeug.http import HTTP_STATUS_CODES

from ..extensions import too_many_message
from ..models import db
from ..services.common.errors import DomainError
from . import landing
from .htmx import HX_REQUEST, HX_RESWAP, HX_RETARGET

log = logging.getLogger(__name__)

MESSAGES = {
    400: "The request could not be understood. Check what you entered and try again.",
    403: "You do not have access to this page.",
    404: "We could not find that page. It may have moved or been removed.",
    405: "That action is not allowed here.",
    413: "That upload or form is too large.",
    422: "Some of what you entered needs another look.",
    429: "Too many attempts. Please wait a little and try again.",
    500: "Something went wrong on our side. Nothing you saved was lost; please try again.",
    503: "The service is briefly unavailable. Please try again in a minute.",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _respond(code: int, message: str, name: str) -> Response:
    if _wants_json():
        return make_response(jsonify(error={"code": code, "name": name, "message": message}), code)
    template = "errors/fragment.html" if request.headers.get(HX_REQUEST) else "errors/page.html"
    body = render_template(template, code=code, message=message, name=name)
    return make_response(body, code)


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        message = "Your session expired or the form was stale. Reload the page and try again."
        return _respond(400, message, "Bad Request")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = error.code or 500
        if code == 429 and getattr(error, "response", None) is not None:
            return error.response  # the form step again, with what was typed (rate_limit)
        custom = _is_custom(error) and code != 429  # Flask-Limiter's text is "5 per 1 minute"
        message = error.description if custom else MESSAGES.get(code, error.name)
        minutes = g.get("rate_limit_retry") if code == 429 else None
        if minutes:
            message = too_many_message(minutes)
        response = _respond(code, message, error.name)
        if code in (429, 503):
            response.headers["Retry-After"] = str(minutes * 60 if minutes else 60)
        if code == 429 and request.headers.get(HX_REQUEST):
            # htmx would swap the bare message over what the client typed: put it at the
            # top of the page instead and leave the form as it is.
            response.headers[HX_RETARGET] = "#main"
            response.headers[HX_RESWAP] = "afterbegin"
        return response

    @app.errorhandler(DomainError)
    def _domain(error: DomainError):
        db.session.rollback()  # what the failed action wrote is not kept
        response = _respond(error.status, str(error), HTTP_STATUS_CODES[error.status])
        if error.status == 503:
            response.headers["Retry-After"] = "60"
        return response


    landing.register(app, _http)  # a GET of a POST-only address lands on its page

    @app.errorhandler(OperationalError)
    def _db_down(error: OperationalError):
        log.error("database unavailable: %s", error.orig)
        db.session.rollback()  # the broken connection goes back to the pool clean
        response = _respond(503, MESSAGES[503], ServiceUnavailable().name)
        response.headers["Retry-After"] = "30"
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()  # nothing a failed request wrote is kept
        return _respond(500, MESSAGES[500], InternalServerError().name)


def _is_custom(error: HTTPException) -> bool:
    """A description set by our own ``abort(code, "...")`` is meant for the user."""
    return error.description != type(error).description
