"""Errors with stable codes so every surface can map them (HTTP status, chat sentence, exit code)."""

from __future__ import annotations

from typing import Any, ClassVar


class PlanbotError(Exception):
    code: ClassVar[str] = "error"

    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadInput(PlanbotError):
    code = "bad_input"


class NotFound(PlanbotError):
    code = "not_found"


class Conflict(PlanbotError):
    code = "conflict"


class Upstream(PlanbotError):
    code = "upstream"


class TooLarge(PlanbotError):
    code = "too_large"


class Unauthorized(PlanbotError):
    code = "unauthorized"


class RateLimited(PlanbotError):
    code = "rate_limited"


class Unavailable(PlanbotError):
    """A dependency (database, vector store) is down or busy: retry later."""

    code = "unavailable"


class Forbidden(PlanbotError):
    code = "forbidden"


class Misconfigured(PlanbotError):
    """The server cannot start safely as configured (an empty signing key, say): the message says the fix."""

    code = "misconfigured"
