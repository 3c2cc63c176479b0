"""Domain errors: each names the field at fault, so the API and the forms can point at it."""


class DomainError(Exception):
    """A command was refused; nothing was appended."""

    code = "invalid"

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


class InvalidInput(DomainError):
    """The input breaks a rule (empty title, a date in the future, probability outside 1-5)."""


class Taken(DomainError):
    """The name (a slug) is another's already: the request was well formed, the state refuses it."""

    code = "taken"


class NotFound(DomainError):
    """The command names something that does not exist (an unknown track or milestone)."""

    code = "not_found"


class NotAllowed(DomainError):
    """The actor may not do this (not a manager of the project, not in the steering group)."""

    code = "forbidden"


class Withdrawn(DomainError):
    """The command names a milestone or risk that was withdrawn; it takes no more changes."""

    code = "gone"


class Closed(DomainError):
    """The project is closed; it takes no more changes."""

    code = "closed"
