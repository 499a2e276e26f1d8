"""Lists of choices (demands, challenge routes, vulnerable groups): each choice named at most once, so
no such list is longer than its choices and no stored one can swell a page (a case with 2,000,000
demands made an 18 MB page)."""

from __future__ import annotations

from collections.abc import Sequence

from redressal.domain.errors import DomainError


def check_choices(values: Sequence[str], allowed: Sequence[str], field: str) -> None:
    if len(values) > len(allowed):
        raise DomainError("too_many", f"{field}: at most {len(allowed)} entries", field=field)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise DomainError("invalid_choice", f"{field}: unknown entries: {', '.join(map(str, unknown))}", field=field)
    if len(set(values)) != len(values):
        raise DomainError("duplicate", f"{field}: each entry at most once", field=field)


def at_most(values: Sequence[str], limit: int) -> list[str]:
    """What a page shows of a stored list: each entry once, no more than ``limit`` of them, however
    the row was written."""
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        if value not in seen:
            seen.add(value)
            out.append(value)
            if len(out) == limit:
                break
    return out
