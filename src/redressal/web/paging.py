"""Keyset paging for the case lists: overdue first, then P1 and regulator transfers, then the nearest
deadline, then the oldest received.

OFFSET paging reads and throws away every row before the page, so page 20 000 of a million cases
costs as much as the whole list. Here a page starts from the last row seen (the cursor) with a row
comparison ``(urgency, decision_due_at, received_at, id) > (…)`` that an index on those columns answers
directly, whatever the depth. "Overdue" depends on the moment of the request, so it is not a column but
a segment: the open rows due before now, then the open rows due from now on, then the open rows with
no due moment (consultations; NULL breaks a row comparison), and last, when a list includes them, the
finished cases, newest first (on the primary key). Each segment is one index range read in index order;
the page walks into the next segment when one runs out, which keeps every query an index range
instead of an OR or a computed sort key that would need the whole list sorted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from redressal.cases.models import Case

COUNT_CAP = 1000
OVERDUE, UPCOMING, UNDATED, FINISHED = 0, 1, 2, 3
SEGMENTS = (OVERDUE, UPCOMING, UNDATED, FINISHED)
DATED_KEY = ("urgency", "decision_due_at", "received_at", "id")
UNDATED_KEY = ("urgency", "received_at", "id")


def _micros(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1_000_000))


def _moment(text: str) -> datetime:
    return datetime.fromtimestamp(int(text) / 1_000_000, tz=UTC)


@dataclass(frozen=True)
class Cursor:
    segment: int
    urgency: int
    due: datetime | None
    received: datetime
    id: int

    def encode(self) -> str:
        due = _micros(self.due) if self.due is not None and self.segment < UNDATED else "-"
        return f"{self.segment}~{self.urgency}~{due}~{_micros(self.received)}~{self.id}"

    @classmethod
    def decode(cls, text: str) -> Cursor | None:
        """The cursor in a link, or None when it is not one (a hand-edited URL shows the first page)."""
        parts = text.split("~")
        if len(text) > 80 or len(parts) != 5 or not all(p.lstrip("-").isdigit() for p in parts if p != "-"):
            return None
        segment, urgency, due, received, pk = parts
        if segment not in ("0", "1", "2", "3") or urgency not in ("0", "1") or not pk.isdigit():
            return None
        if (due == "-") != (int(segment) >= UNDATED):
            return None
        try:
            return cls(int(segment), int(urgency), None if due == "-" else _moment(due), _moment(received), int(pk))
        except (ValueError, OverflowError, OSError):
            return None

    @classmethod
    def of(cls, case: Case, now: datetime) -> Cursor:
        seg = segment_of(case.decision_due_at, now, finished=case.closed_at is not None)
        return cls(seg, case.urgency, case.decision_due_at, case.received_at, case.pk)


def segment_of(due: datetime | None, now: datetime, *, finished: bool = False) -> int:
    if finished:
        return FINISHED
    if due is None:
        return UNDATED
    return OVERDUE if due < now else UPCOMING


@dataclass
class Page:
    rows: list[Case]
    has_next: bool
    has_prev: bool
    next_cursor: str = ""
    prev_cursor: str = ""


def _cols(names: tuple[str, ...]) -> str:
    table = connection.ops.quote_name(Case._meta.db_table)
    return ", ".join(f"{table}.{connection.ops.quote_name(n)}" for n in names)


def _dt(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _beyond(qs: QuerySet[Case], c: Cursor, op: str) -> QuerySet[Case]:
    """Rows strictly after (``>``) or before (``<``) the cursor within the cursor's own segment."""
    if c.segment == FINISHED:  # newest first: "after" is a smaller id
        return qs.filter(pk__lt=c.id) if op == ">" else qs.filter(pk__gt=c.id)
    if c.due is None:
        where, params = f"({_cols(UNDATED_KEY)}) {op} (%s, %s, %s)", [c.urgency, _dt(c.received), c.id]
    else:
        where = f"({_cols(DATED_KEY)}) {op} (%s, %s, %s, %s)"
        params = [c.urgency, _dt(c.due), _dt(c.received), c.id]
    # A row-value comparison has no ORM spelling in Django 5.2; the columns are ours, values are params.
    return qs.extra(where=[where], params=params)  # noqa: S610


def segment(qs: QuerySet[Case], seg: int, now: datetime, *, descending: bool = False) -> QuerySet[Case]:
    """One segment of the list in list order (or reversed)."""
    if seg == FINISHED:
        return qs.filter(closed_at__isnull=False).order_by("id" if descending else "-id")
    key: tuple[str, ...] = DATED_KEY
    qs = qs.filter(closed_at__isnull=True)
    if seg == OVERDUE:
        qs = qs.filter(decision_due_at__lt=now)
    elif seg == UPCOMING:
        qs = qs.filter(decision_due_at__gte=now)
    else:
        qs, key = qs.filter(decision_due_at__isnull=True), UNDATED_KEY
    return qs.order_by(*(f"-{k}" if descending else k for k in key))


def keyset_page(
    qs: QuerySet[Case], *, after: Cursor | None, before: Cursor | None, size: int, now: datetime
) -> Page:
    want = size + 1
    rows: list[Case] = []
    if before is not None:
        for seg in reversed(SEGMENTS[: before.segment + 1]):
            part = segment(qs, seg, now, descending=True)
            if seg == before.segment:
                part = _beyond(part, before, "<")
            rows += list(part[: want - len(rows)])
            if len(rows) >= want:
                break
        has_prev = len(rows) > size
        page = Page(rows=list(reversed(rows[:size])), has_next=True, has_prev=has_prev)
    else:
        start = after.segment if after is not None else OVERDUE
        for seg in SEGMENTS[start:]:
            part = segment(qs, seg, now)
            if after is not None and seg == after.segment:
                part = _beyond(part, after, ">")
            rows += list(part[: want - len(rows)])
            if len(rows) >= want:
                break
        page = Page(rows=rows[:size], has_next=len(rows) > size, has_prev=after is not None)
    if page.rows:
        page.next_cursor = Cursor.of(page.rows[-1], now).encode() if page.has_next else ""
        page.prev_cursor = Cursor.of(page.rows[0], now).encode() if page.has_prev else ""
    return page
