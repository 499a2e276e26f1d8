"""The one error the domain raises: a rule refused a change. ``rule`` is a stable code."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, rule: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.field = field
