"""Server-side authorisation (SPEC §1, §13): a permission, held through a role, scoped to a unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from redressal.core.errors import PermissionDenied
from redressal.domain.roles import ROLE_PERMISSIONS, Role
from redressal.org.models import OrgUnit, Staff

if TYPE_CHECKING:
    from django.http import HttpRequest


@dataclass(frozen=True)
class Grant:
    role: str
    unit_path: str
    unit_code: str
    subtree: bool

    def covers(self, path: str) -> bool:
        return path == self.unit_path or (self.subtree and path.startswith(self.unit_path))


@dataclass(frozen=True)
class Actor:
    """Who is acting, with what roles and where. Built once per request."""

    staff: Staff
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    @property
    def id(self) -> int:
        return int(self.staff.pk)

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    @property
    def primary_role(self) -> str:
        order = [r.value for r in Role]
        return max(self.roles, key=order.index) if self.roles else ""

    @property
    def unit_code(self) -> str:
        return self.staff.unit.code if self.staff.unit_id else ""  # type: ignore[union-attr]

    def has(self, perm: str, unit: OrgUnit | None = None) -> bool:
        for g in self.grants:
            if perm in ROLE_PERMISSIONS.get(Role(g.role), frozenset()) and (unit is None or g.covers(unit.path)):
                return True
        return False

    def roles_covering(self, unit: OrgUnit) -> set[str]:
        return {g.role for g in self.grants if g.covers(unit.path)}

    def scope_paths(self, perm: str) -> list[str]:
        """The paths of the units where ``perm`` is granted (with or without their subtree); to select the
        units a grant reaches use ``scopes``, which says whether the subtree is included."""
        return [path for path, _subtree in self.scopes(perm)]

    def scopes(self, perm: str) -> list[tuple[str, bool]]:
        """(unit path, include subtree) of each grant carrying ``perm``: a grant without its subtree
        reaches its own unit only (exact path), one with it every unit whose path starts with it."""
        return [
            (g.unit_path, g.subtree) for g in self.grants if perm in ROLE_PERMISSIONS.get(Role(g.role), frozenset())
        ]

    def require(self, perm: str, unit: OrgUnit | None = None) -> None:
        if not self.has(perm, unit):
            where = f" for {unit.code}" if unit is not None else ""
            raise PermissionDenied("permission_denied", f"missing permission '{perm}'{where}")


def actor_for(staff: Staff) -> Actor:
    assignments = staff.role_assignments.select_related("unit").all()
    grants = tuple(Grant(a.role, a.unit.path, a.unit.code, a.include_subtree) for a in assignments)
    return Actor(staff=staff, grants=grants)


def request_actor(request: HttpRequest) -> Actor | None:
    """The signed-in staff member's actor, built once per request (grants are read from the database);
    None when nobody active is signed in."""
    user = request.user
    if not (user.is_authenticated and user.is_active and isinstance(user, Staff)):
        return None
    cached: Actor | None = getattr(request, "_redressal_actor", None)
    if cached is None:
        cached = actor_for(user)
        request._redressal_actor = cached  # type: ignore[attr-defined]
    return cached


def manager_map() -> dict[int, int | None]:
    """The whole reporting line as {staff_id: manager_id}; small (staff counts, not cases)."""
    return {int(pk): mid for pk, mid in Staff.objects.values_list("pk", "manager_id")}
