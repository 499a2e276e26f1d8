"""Re-seal the channel keys (openids) of conversations and bindings under the active PII key, as
``customers.rotation`` does for customers (``redressal conversations-rotate`` after ``pii-rotate``);
``--reindex`` rebuilds their keyed hashes after a change of the index key."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Model

from redressal.conversations.keys import party_index
from redressal.conversations.models import ChannelBinding, Conversation
from redressal.core import crypto


def _rotate(model: type[Conversation] | type[ChannelBinding], *, reindex: bool, batch: int) -> int:
    active = crypto.active_key_id()
    table = model._meta.db_table
    changed = 0
    last = 0
    while True:
        with transaction.atomic():
            rows: list[Model] = list(model.objects.filter(pk__gt=last).order_by("pk")[:batch])
            if not rows:
                return changed
            for row in rows:
                last = int(row.pk)
                with connection.cursor() as cur:
                    cur.execute(f"SELECT party FROM {table} WHERE id = %s", [row.pk])  # noqa: S608
                    (raw,) = cur.fetchone()
                fields = []
                if raw and crypto.key_id_of(raw) != active:
                    fields.append("party")
                if reindex:
                    row.party_index = party_index(row.channel, row.party)  # type: ignore[attr-defined]
                    fields += ["party", "party_index"]
                if fields:
                    row.save(update_fields=sorted(set(fields)))  # the field re-encrypts under the active key
                    changed += 1


def rotate(*, reindex: bool = False, batch: int = 500) -> int:
    return _rotate(Conversation, reindex=reindex, batch=batch) + _rotate(ChannelBinding, reindex=reindex, batch=batch)
