"""Query helpers shared by every list (web pages, API, benches)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def capped_count(qs: QuerySet[Any], cap: int) -> tuple[int, bool]:
    """How many rows match, counting no further than ``cap``; the flag says whether there are more.

    A list shows "10,000+" rather than paying for a COUNT(*) over a million matches.
    """
    n = qs.order_by()[: cap + 1].count()
    return min(n, cap), n > cap
