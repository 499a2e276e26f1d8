"""Keyset paging for case lists ordered by (decision_due_at, priority, id), cases without a due moment last.

OFFSET paging reads and throws away every row before the page, so page 20 000 of a million cases
costs as much as the whole list. Here a page starts from the last row seen (the cursor) with a row
comparison ``(decision_due_at, priority, id) > (…)`` that an index on those three columns answers
directly, whatever the depth. Rows with no due moment (consultations) form a second segment after
the dated ones, paged on (priority, id): NULL breaks a row comparison, and splitting keeps each
segment an index range instead of an OR that would need a sort.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from redressal.cases.models import Case

COUNT_CAP = 1000


@dataclass(frozen=True)
class Cursor:
    due: datetime | None
    priority: str
    id: int

    def encode(self) -> str:
        due = str(int(self.due.timestamp() * 1_000_000)) if self.due is not None else "-"
        return f"{due}~{self.priority}~{self.id}"

    @classmethod
    def decode(cls, text: str) -> Cursor | None:
        """The cursor in a link, or None when it is not one (a hand-edited URL shows the first page)."""
        parts = text.split("~")
        if len(parts) != 3 or not parts[2].isdigit() or len(parts[1]) > 2 or len(text) > 60:
            return None
        try:
            due = None if parts[0] == "-" else datetime.fromtimestamp(int(parts[0]) / 1_000_000, tz=UTC)
            return cls(due, parts[1], int(parts[2]))
        except (ValueError, OverflowError, OSError):
            return None

    @classmethod
    def of(cls, case: Case) -> Cursor:
        return cls(case.decision_due_at, case.priority, case.pk)


@dataclass
class Page:
    rows: list[Case]
    has_next: bool
    has_prev: bool
    next_cursor: str = ""
    prev_cursor: str = ""


def _cols(*names: str) -> str:
    table = connection.ops.quote_name(Case._meta.db_table)
    return ", ".join(f"{table}.{connection.ops.quote_name(n)}" for n in names)


def _beyond(qs: QuerySet[Case], c: Cursor, op: str) -> QuerySet[Case]:
    """Rows strictly after (``>``) or before (``<``) the cursor within the cursor's own segment."""
    if c.due is None:
        where, params = f"({_cols('priority', 'id')}) {op} (%s, %s)", [c.priority, c.id]
    else:
        value: Any = connection.ops.adapt_datetimefield_value(c.due)
        where, params = f"({_cols('decision_due_at', 'priority', 'id')}) {op} (%s, %s, %s)", [value, c.priority, c.id]
    # A row-value comparison has no ORM spelling in Django 5.2; the columns are ours, values are params.
    return qs.extra(where=[where], params=params)  # noqa: S610


def _dated(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.filter(decision_due_at__isnull=False)


def _undated(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.filter(decision_due_at__isnull=True)


ASC = ("decision_due_at", "priority", "id")
DESC = ("-decision_due_at", "-priority", "-id")


def keyset_page(qs: QuerySet[Case], *, after: Cursor | None, before: Cursor | None, size: int) -> Page:
    want = size + 1
    if before is not None:
        rows: list[Case] = []
        if before.due is None:
            rows = list(_beyond(_undated(qs), before, "<").order_by(*DESC)[:want])
            if len(rows) < want:
                rows += list(_dated(qs).order_by(*DESC)[: want - len(rows)])
        else:
            rows = list(_beyond(_dated(qs), before, "<").order_by(*DESC)[:want])
        has_prev = len(rows) > size
        rows = list(reversed(rows[:size]))
        page = Page(rows=rows, has_next=True, has_prev=has_prev)
    else:
        rows = []
        if after is None or after.due is not None:
            dated = _dated(qs) if after is None else _beyond(_dated(qs), after, ">")
            rows = list(dated.order_by(*ASC)[:want])
        if len(rows) < want:
            undated = _undated(qs)
            if after is not None and after.due is None:
                undated = _beyond(undated, after, ">")
            rows += list(undated.order_by("priority", "id")[: want - len(rows)])
        page = Page(rows=rows[:size], has_next=len(rows) > size, has_prev=after is not None)
    if page.rows:
        page.next_cursor = Cursor.of(page.rows[-1]).encode() if page.has_next else ""
        page.prev_cursor = Cursor.of(page.rows[0]).encode() if page.has_prev else ""
    return page

