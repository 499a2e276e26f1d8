"""The case queue's order, in one place: the case list sorts by it, and search sorts its matches by it
(on the search document's copies of the same columns, which its queue-order index serves)."""

from __future__ import annotations

from django.db.models import F
from django.db.models.expressions import OrderBy


def queue_order(prefix: str = "") -> tuple[OrderBy, ...]:
    """Open work first, nearest deadline first; finished cases after, newest first. ``prefix`` names
    a relation holding copies of the columns (``"search_doc__"``)."""
    return (
        F(f"{prefix}closed_at").asc(nulls_first=True),
        F(f"{prefix}decision_due_at").asc(nulls_last=True),
        F(f"{prefix}priority").asc(),
        F(f"{prefix}received_at").desc(),
    )


QUEUE_ORDER = queue_order()
