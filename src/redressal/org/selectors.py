"""Reads over the org tree that every scoped list needs."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from redressal.domain.authority import Holding
from redressal.domain.escalation import UnitRef
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit, RoleAssignment


def units_under(scopes: Iterable[tuple[str, bool]]) -> list[int]:
    """Ids of the units these (path, include subtree) scopes reach: the unit itself, and the units below
    it only when the subtree is included (a short list from the small org table).

    Lists filter on ``unit_id IN (…)`` rather than a LIKE on the joined unit path: PostgreSQL estimates
    the former from its statistics, and misjudged the latter by orders of magnitude at 1 M cases.
    """
    under = Q()
    for path, subtree in scopes:
        under |= Q(path__startswith=path) if subtree else Q(path=path)
    if not under:
        return []
    return list(OrgUnit.objects.filter(under).values_list("pk", flat=True))


def scope_unit_ids(actor: Actor, perm: str) -> list[int]:
    """The units in which ``actor`` holds ``perm``."""
    return units_under(actor.scopes(perm))


def unit_ref(unit: OrgUnit) -> UnitRef:
    return UnitRef(code=unit.code, path=unit.path, kind=unit.kind)


def all_unit_refs() -> dict[str, tuple[UnitRef, str]]:
    """Every unit as the domain's rules see it, with its name: {code: (ref, name)} (the org table is small)."""
    rows = OrgUnit.objects.values_list("code", "path", "kind", "name")
    return {code: (UnitRef(code=code, path=path, kind=kind), name) for code, path, kind, name in rows}


def ancestor_paths(path: str) -> list[str]:
    """"/HO/BJ/BJ01/" → ["/HO/", "/HO/BJ/", "/HO/BJ/BJ01/"]: the unit and every unit above it."""
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def holdings_over(unit: OrgUnit, roles: Iterable[str]) -> list[Holding]:
    """The active staff holding any of ``roles`` over ``unit`` (granted on it, or above it with its
    subtree), each with the depth of the granting unit: the grants ``Actor.has`` would honour."""
    rows = (
        RoleAssignment.objects.filter(
            role__in=list(roles), staff__is_active=True, unit__path__in=ancestor_paths(unit.path)
        )
        .filter(Q(include_subtree=True) | Q(unit_id=unit.pk))
        .values_list("staff_id", "role", "unit__path")
    )
    return [Holding(staff_id=int(staff_id), role=role, depth=path.count("/") - 1) for staff_id, role, path in rows]
