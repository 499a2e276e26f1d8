"""Who may see and change the issues and the accountability findings (SPEC §1, §13; domain.roles).

An issue is read by those holding ``improvement.read`` over its unit, by its owner and by the owners of
its actions (who may work in another department); changed by those holding ``improvement.manage``
over its unit. A finding on a member of staff is read by that person, by the people above them on the
reporting line, and by those holding ``accountability.read`` over the person's unit — not by peers.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from redressal.core.errors import NotFound, PermissionDenied
from redressal.improvement.models import ImprovementAction, RootCauseIssue
from redressal.org.authz import Actor, manager_map
from redressal.org.models import OrgUnit, Staff
from redressal.org.selectors import scope_unit_ids

READ = "improvement.read"
MANAGE = "improvement.manage"
ACCOUNTABILITY_READ = "accountability.read"
ACCOUNTABILITY_MANAGE = "accountability.manage"


def may_list_issues(actor: Actor) -> bool:
    return (
        bool(actor.scopes(READ))
        or ImprovementAction.objects.filter(owner_id=actor.id).exists()
        or (RootCauseIssue.objects.filter(owner_id=actor.id).exists())
    )


def may_open_issues(actor: Actor) -> bool:
    return bool(actor.scopes(MANAGE))


def visible_issues(actor: Actor) -> QuerySet[RootCauseIssue]:
    """The issues in the actor's units, and those they own or hold an action of."""
    units = scope_unit_ids(actor, READ)
    mine = ImprovementAction.objects.filter(owner_id=actor.id).values("issue_id")
    return RootCauseIssue.objects.filter(Q(unit_id__in=units) | Q(owner_id=actor.id) | Q(pk__in=mine))


def may_read(actor: Actor, issue: RootCauseIssue) -> bool:
    return actor.has(READ, issue.unit) or issue.owner_id == actor.id or issue.actions.filter(owner_id=actor.id).exists()


def may_manage(actor: Actor, issue: RootCauseIssue) -> bool:
    return actor.has(MANAGE, issue.unit)


def readable_issue(actor: Actor, issue_id: int, *, lock: bool = False) -> RootCauseIssue:
    qs = RootCauseIssue.objects.select_related("unit", "owner", "opened_by", "closed_by", "mass_incident")
    if lock:
        qs = qs.select_for_update(of=("self",))
    issue = qs.filter(pk=issue_id).first()
    if issue is None:
        raise NotFound("not_found", f"issue {issue_id} not found", field="issue_id")
    if not may_read(actor, issue):
        raise PermissionDenied("permission_denied", "you may not see this issue")
    return issue


def require_manage(actor: Actor, unit: OrgUnit) -> None:
    if not actor.has(MANAGE, unit):
        raise PermissionDenied("permission_denied", f"missing permission '{MANAGE}' for {unit.code}")


def _above(staff_id: int, candidate_id: int) -> bool:
    """Whether ``candidate_id`` is on ``staff_id``'s reporting line (their manager, that manager's …)."""
    managers = manager_map()
    seen: set[int] = set()
    current = managers.get(staff_id)
    while current is not None and current not in seen:
        if current == candidate_id:
            return True
        seen.add(current)
        current = managers.get(current)
    return False


def may_see_accountability(actor: Actor, staff: Staff) -> bool:
    """The staff member, their reporting line, and accountability readers over their unit."""
    if actor.id == staff.pk:
        return True
    if staff.unit is not None and actor.has(ACCOUNTABILITY_READ, staff.unit):
        return True
    return _above(int(staff.pk), actor.id)


def may_manage_accountability(actor: Actor, unit: OrgUnit) -> bool:
    return actor.has(ACCOUNTABILITY_MANAGE, unit)
