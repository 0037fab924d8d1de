"""Domain errors raised by services; views turn them into GOV.UK form errors or messages."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request. ``field`` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """The record asked for does not exist."""


class Forbidden(DomainError):
    """The acting user may not do this."""


class ConcurrentEdit(DomainError):
    """Someone else saved this record since it was opened."""
