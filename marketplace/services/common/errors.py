"""Domain exceptions. Services raise them; views turn them into messages.

Each carries the HTTP ``status`` a web answer gives it, so a view that shows the
message and the error handler for one a view lets through agree (``web/actions.py``
and ``web/errors.py``). Services only set it; they never answer HTTP themselves.
"""


class DomainError(Exception):
    """Something the user can fix or must be told about; ``str()`` is the message."""

    #: The request cannot be done as things stand (a booking not ready, a payment refused).
    status = 409


class NotAllowed(DomainError):
    """The acting user may not do this."""

    status = 403


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to this user)."""

    status = 404


class Conflict(DomainError):
    """The request clashes with the current state (a taken slot, a used code)."""

    status = 409


class FieldError(DomainError):
    """One field of the input is wrong; ``field`` names it so a form can show it there."""

    status = 422

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
