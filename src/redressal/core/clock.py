"""The one place that asks what time it is.

Tests move time with time-machine; the demo seeder replays a year of history by setting the
clock for a block of work (``at_time``), so every service sees the same "now" as the events it writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_override: ContextVar[datetime | None] = ContextVar("redressal_clock", default=None)


def now() -> datetime:
    fixed = _override.get()
    return fixed if fixed is not None else timezone.now()


@contextmanager
def at_time(moment: datetime) -> Iterator[None]:
    if moment.tzinfo is None:
        raise ValueError("the clock needs an aware datetime")
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
