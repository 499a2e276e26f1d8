"""Reads over the org tree that every scoped list needs."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from redressal.domain.escalation import UnitRef
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit


def units_under(paths: Iterable[str]) -> list[int]:
    """Ids of the units at or below any of these org paths (a short list from the small org table).

    Lists filter on ``unit_id IN (…)`` rather than a LIKE on the joined unit path: PostgreSQL estimates
    the former from its statistics, and misjudged the latter by orders of magnitude at 1 M cases.
    """
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    if not under:
        return []
    return list(OrgUnit.objects.filter(under).values_list("pk", flat=True))


def scope_unit_ids(actor: Actor, perm: str) -> list[int]:
    """The units in which ``actor`` holds ``perm``."""
    return units_under(actor.scope_paths(perm))


def unit_ref(unit: OrgUnit) -> UnitRef:
    return UnitRef(code=unit.code, path=unit.path, kind=unit.kind)


def all_unit_refs() -> dict[str, tuple[UnitRef, str]]:
    """Every unit as the domain's rules see it, with its name: {code: (ref, name)} (the org table is small)."""
    rows = OrgUnit.objects.values_list("code", "path", "kind", "name")
    return {code: (UnitRef(code=code, path=path, kind=kind), name) for code, path, kind, name in rows}
