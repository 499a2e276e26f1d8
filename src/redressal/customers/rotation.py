"""Re-seal every encrypted personal-data value under the active key (SPEC §13 key rotation).

Rotation: put the new key first in ``REDRESSAL_PII_KEYS`` (``k2:<new>,k1:<old>``), run
``redressal pii-rotate``, then drop the old key once it reports nothing left under it. The blind
index key is separate and does not rotate with the encryption keys (changing it means rebuilding
every index, which this command also does when given ``--reindex``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction

from redressal.core import crypto
from redressal.customers.models import Customer

ENCRYPTED = ("id_number", "phone", "card_number", "address", "birth_date")
INDEXED = {"id_number": "id_number_index", "phone": "phone_index", "card_number": "card_index"}


def rotate(batch: int = 500, reindex: bool = False, progress: Callable[[int], None] | None = None) -> int:
    active = crypto.active_key_id()
    table = Customer._meta.db_table
    changed = 0
    last = 0
    while True:
        with transaction.atomic():
            rows = list(Customer.objects.filter(pk__gt=last).order_by("pk")[:batch])
            if not rows:
                break
            for customer in rows:
                last = customer.pk
                with connection.cursor() as cur:
                    cols = ", ".join(ENCRYPTED)
                    cur.execute(f"SELECT {cols} FROM {table} WHERE id = %s", [customer.pk])  # noqa: S608
                    raw = cur.fetchone()
                stale = any(v and crypto.key_id_of(v) != active for v in raw)
                if stale or reindex:
                    fields = list(ENCRYPTED)
                    if reindex:
                        for plain, index in INDEXED.items():
                            value = getattr(customer, plain)
                            setattr(customer, index, crypto.blind_index(value) if value else "")
                            fields.append(index)
                    customer.save(update_fields=fields)  # the field re-encrypts under the active key
                    changed += 1
            if progress:
                progress(len(rows))
    return changed
