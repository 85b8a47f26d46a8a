"""Domain exceptions. Services raise them; views turn them into messages."""


class DomainError(Exception):
    """Something the user can fix or must be told about; ``str()`` is the message."""


class NotAllowed(DomainError):
    """The acting user may not do this."""


class NotFound(DomainError):
    """The thing asked for does not exist (or is not visible to this user)."""


class Conflict(DomainError):
    """The request clashes with the current state (a taken slot, a used code)."""


class FieldError(DomainError):
    """One field of the input is wrong; ``field`` names it so a form can show it there."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
