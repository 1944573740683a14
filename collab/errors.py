"""Domain exceptions, mapped to HTTP status codes once (see :mod:`collab.core.views`)."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every business-rule error; ``status`` is the HTTP status it maps to."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The object does not exist *or* the user may not know it exists (another Pemda's)."""

    status = 404


class NotAllowed(DomainError):
    """The user's role or organisation may not do this (HTTP 403)."""

    status = 403


class InvalidTransition(DomainError):
    """The action is not possible in the object's current state (HTTP 409)."""

    status = 409


class StaleObject(DomainError):
    """The object changed since the user loaded it (version mismatch, HTTP 409)."""

    status = 409


class ValidationFailed(DomainError):
    """Input is invalid; ``errors`` maps field name to a list of messages (HTTP 422)."""

    status = 422

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.errors = errors or {}
