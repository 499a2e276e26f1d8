"""Model fields: personal data stored encrypted (see ``redressal.core.crypto``), money read safely."""

from __future__ import annotations

import decimal
from functools import cached_property
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


# Enough digits for the largest float (1.8E308) to the fen.
FLOAT_DIGITS = 320


class MoneyField(models.DecimalField):  # type: ignore[type-arg]
    """Yuan to the fen, 18 digits. Reads back any stored value, even one past ``max_digits``.

    SQLite keeps decimals as 15-digit floats and Django quantizes each one read in a context of
    ``max_digits`` digits: a value that rounds past it (¥9,999,999,999,999,999.99 reads as 1E16)
    raised InvalidOperation on every page listing the row. Reading in a wider context returns the
    number instead; writing still goes through ``max_digits``, so no new such value is stored.
    """

    @cached_property
    def context(self) -> decimal.Context:
        return decimal.Context(prec=FLOAT_DIGITS)
