"""The small error hierarchy: services raise these, views and the API render them."""


class AppError(Exception):
    """An expected failure with a Chinese message, an HTTP status and a machine code."""

    status = 400
    code = "error"

    def __init__(self, message: str, *, code: str | None = None, details: list | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or []


class Invalid(AppError):
    """Bad input; details lists {"field"|"row", "message"}."""

    status = 400
    code = "invalid"


class Unauthorized(AppError):
    """Not logged in, or a missing, bad or expired token."""

    status = 401
    code = "unauthorized"


class NotAllowed(AppError):
    """Logged in, but this role or owner may not do this."""

    status = 403
    code = "forbidden"


class NotFound(AppError):
    """No such object."""

    status = 404
    code = "not_found"


class InvalidState(AppError):
    """The object's state does not allow this action now."""

    status = 409
    code = "invalid_state"


class Duplicate(AppError):
    """A business uniqueness rule would be broken."""

    status = 409
    code = "duplicate"


class TooLarge(AppError):
    """An upload beyond the size limits."""

    status = 413
    code = "too_large"
