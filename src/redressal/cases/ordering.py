"""The case lists' order, in one place.

``list_order`` is the order of the queue, the all-cases list and the API's case list: overdue work
first, within it and within the rest P1 cases and regulators' transfers first (``Case.urgency``), then
the nearest deadline, then the oldest received; finished cases, when listed, last and newest first.
The web lists page it by keyset (``web.paging``, which spells the same order as index ranges); the
API, which pages by offset, sorts by it directly.

``queue_order`` is the older order that search sorts its matches by (on the search document's copies
of the columns, which its queue-order index serves; the document has no urgency copy).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Case, F, IntegerField, Value, When
from django.db.models.expressions import OrderBy


def list_order(now: datetime) -> tuple[OrderBy, ...]:
    overdue_first = Case(
        When(closed_at__isnull=False, then=Value(3)),  # finished cases, when listed, come last
        When(decision_due_at__lt=now, then=Value(0)),
        When(decision_due_at__isnull=True, then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )
    finished_newest_first = Case(
        When(closed_at__isnull=False, then=F("id") * -1), default=Value(0), output_field=IntegerField()
    )
    return (
        overdue_first.asc(),
        finished_newest_first.asc(),
        F("urgency").asc(),
        F("decision_due_at").asc(nulls_last=True),
        F("received_at").asc(),
        F("id").asc(),
    )


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
