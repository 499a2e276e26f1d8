"""Errors raised by services; the API and the web layer turn them into 4xx answers."""

from __future__ import annotations


class ServiceError(Exception):
    """A request that the rules refuse. ``code`` is stable; ``message`` is for people."""

    status = 400

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class ValidationFailed(ServiceError):
    status = 422


class PermissionDenied(ServiceError):
    status = 403


class NotFound(ServiceError):
    status = 404


class Conflict(ServiceError):
    status = 409
