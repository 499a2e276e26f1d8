"""Creating the organisation and its people (admin work; also used by the demo seeder and tests)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from redressal.audit.services import record_audit
from redressal.core.errors import ValidationFailed
from redressal.domain.roles import Role
from redressal.org.models import OrgUnit, RoleAssignment, Staff


def create_unit(
    code: str, name: str, kind: str, parent: OrgUnit | None = None, *, name_en: str = "", region: str = ""
) -> OrgUnit:
    if kind not in OrgUnit.Kind.values:
        raise ValidationFailed("invalid_choice", f"unknown unit kind '{kind}'", field="kind")
    if OrgUnit.objects.filter(code=code).exists():
        raise ValidationFailed("duplicate", f"unit code '{code}' is taken", field="code")
    return OrgUnit.objects.create(
        code=code,
        name=name,
        name_en=name_en,
        kind=kind,
        parent=parent,
        region=region,
        is_outlet=kind == OrgUnit.Kind.OUTLET,
    )


def create_staff(
    username: str,
    password: str,
    unit: OrgUnit,
    roles: Iterable[str | tuple[str, OrgUnit]],
    *,
    display_name: str = "",
    manager: Staff | None = None,
    skills: list[str] | None = None,
    actor_id: int | None = None,
) -> Staff:
    """Roles are scoped to ``unit`` (and its subtree) unless given as (role, scope unit)."""
    with transaction.atomic():
        staff = Staff(
            username=username, unit=unit, display_name=display_name or username, manager=manager, skills=skills or []
        )
        staff.set_password(password)
        staff.save()
        for entry in roles:
            role, scope = (entry, unit) if isinstance(entry, str) else entry
            if role not in {r.value for r in Role}:
                raise ValidationFailed("invalid_choice", f"unknown role '{role}'", field="roles")
            RoleAssignment.objects.create(staff=staff, role=role, unit=scope, include_subtree=True)
        record_audit(
            "admin.staff_created",
            actor_id=actor_id,
            object_type="staff",
            object_id=username,
            payload={"unit": unit.code, "roles": sorted(r if isinstance(r, str) else r[0] for r in roles)},
        )
    return staff
