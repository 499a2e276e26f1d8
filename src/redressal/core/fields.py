"""A model field that stores personal data encrypted (see ``redressal.core.crypto``)."""

from __future__ import annotations

from typing import Any

from django.db import models

from redressal.core import crypto


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Plaintext in Python, AES-GCM ciphertext in the database. Not filterable: use a blind index."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def to_python(self, value: Any) -> Any:
        return value
