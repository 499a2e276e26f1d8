"""Reads for supervisors, approvers and collaborators: the team's queue and workload, the approvals
inbox, collaboration tasks. Every list is scoped by the actor's grants and bounded (no unbounded
COUNT over all cases; aggregates run in SQL over the scope's open cases only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from redressal.cases.models import Case, CaseEvent, CollaborationTask, Proposal
from redressal.cases.selectors import can_read
from redressal.cases.selectors_risk import at_risk
from redressal.cases.services.deadlines import profile_of
from redressal.cases.services.extension_requests import RESOLVING
from redressal.core.errors import NotFound, PermissionDenied
from redressal.domain.authority import limit_of, may_approve, required_approver_role
from redressal.domain.lifecycle import OPEN_STATES, State
from redressal.domain.recusal import conflicted_staff
from redressal.domain.roles import EXTENSION_PERMISSION
from redressal.domain.routing import Member, assignment_refusal
from redressal.notify.models import StaffNotification
from redressal.org.authz import Actor, Grant, manager_map
from redressal.org.models import RoleAssignment, Staff
from redressal.org.selectors import scope_unit_ids

# Open and not yet answered: a responded case waits on the complainant, not on the team.
UNANSWERED_STATES = sorted(s.value for s in OPEN_STATES - {State.RESPONDED})
HANDLING_ROLES = ("handler", "supervisor", "branch_head")
PRIORITIES = ("P1", "P2", "P3", "P4")


def _scope(actor: Actor, perm: str, prefix: str = "unit") -> Q:
    """``<prefix>_id IN (units where the actor holds perm)`` (see ``units_under`` for why not a LIKE)."""
    units = scope_unit_ids(actor, perm)
    if not units:
        raise PermissionDenied("permission_denied", f"missing permission '{perm}'")
    return Q(**{f"{prefix}_id__in": units})


def team_cases(actor: Actor) -> QuerySet[Case]:
    """Open cases in the units where the actor may assign (case_unit_status_idx)."""
    return Case.objects.filter(_scope(actor, "case.assign"), status__in=UNANSWERED_STATES)


def team_queue(actor: Actor, *, limit: int = 50, unassigned: bool = False) -> list[Case]:
    qs = team_cases(actor).select_related("unit", "assignee")
    if unassigned:
        qs = qs.filter(assignee__isnull=True)
    return list(qs.order_by("decision_due_at", "priority", "pk")[:limit])


def team_members(actor: Actor) -> list[Staff]:
    """Active staff in the actor's assign scope who can handle cases (assignment candidates)."""
    return list(
        Staff.objects.filter(
            _scope(actor, "case.assign", "role_assignments__unit"),
            is_active=True,
            role_assignments__role__in=HANDLING_ROLES,
        )
        .select_related("unit")
        .distinct()
        .order_by("unit__path", "username")
    )


@dataclass
class Workload:
    staff: Staff
    by_priority: dict[str, int] = field(default_factory=dict)
    open: int = 0
    overdue: int = 0
    at_risk: int = 0

    @property
    def priority_counts(self) -> list[int]:
        return [self.by_priority.get(p, 0) for p in PRIORITIES]


def workload(actor: Actor, now: datetime) -> list[Workload]:
    """Open cases per member by priority, overdue and at risk: two grouped queries, no N+1."""
    members = team_members(actor)
    rows = {m.pk: Workload(m) for m in members}
    ids = list(rows)
    cases = Case.objects.filter(assignee_id__in=ids, status__in=UNANSWERED_STATES)
    for assignee_id, priority, n, overdue in cases.values_list("assignee_id", "priority").annotate(
        n=Count("pk"), overdue=Count("pk", filter=Q(decision_due_at__lt=now))
    ):
        w = rows[assignee_id]
        w.by_priority[priority] = w.by_priority.get(priority, 0) + n
        w.open += n
        w.overdue += overdue
    risky = at_risk(cases, now).values_list("assignee_id").annotate(n=Count("pk"))
    for assignee_id, n in risky:
        rows[assignee_id].at_risk = n
    return list(rows.values())


@dataclass
class Candidate:
    """One person a case may be given to, with their open cases (the load the list shows)."""

    staff: Staff
    open: int


def assignee_choices(cases: list[Case], rows: list[Workload], now: datetime) -> dict[int, list[Candidate]]:
    """For each case, the team members it may be given to by hand (``assignment_refusal``: a handler
    of its unit, available, not recused) — the assign service applies the same rule. One query for
    the members' grants, and the reporting line only when some case names a member of staff."""
    ids = [w.staff.pk for w in rows]
    grants: dict[int, list[Grant]] = {i: [] for i in ids}
    for a in RoleAssignment.objects.filter(staff_id__in=ids).select_related("unit"):
        grants[a.staff_id].append(Grant(a.role, a.unit.path, a.unit.code, a.include_subtree))
    managers = manager_map() if any(c.respondent_staff_id for c in cases) else {}
    today = timezone.localdate(now)
    out: dict[int, list[Candidate]] = {}
    for case in cases:
        conflicted = frozenset(conflicted_staff(case.respondent_staff_id, managers, depth=1))
        out[case.pk] = []
        for w in rows:
            member = Member(int(w.staff.pk), w.staff.username, available=w.staff.available,
                            absent_until=w.staff.absent_until)
            roles = {g.role for g in grants[w.staff.pk] if g.covers(case.unit.path)}
            review = case.kind == Case.Kind.REVIEW
            if not assignment_refusal(member, roles=roles, review=review, today=today, conflicted=conflicted):
                out[case.pk].append(Candidate(w.staff, w.open))
    return out


def at_risk_cases(actor: Actor, now: datetime, *, limit: int = 50) -> list[Case]:
    """Open, not yet overdue, and a warning that means risk has come for the current due date."""
    return list(
        at_risk(team_cases(actor), now)
        .select_related("unit", "assignee")
        .order_by("decision_due_at", "pk")[:limit]
    )


def overdue_cases(actor: Actor, now: datetime, *, limit: int = 50) -> list[Case]:
    return list(
        team_cases(actor)
        .filter(decision_due_at__lt=now, decided_at__isnull=True)
        .select_related("unit", "assignee")
        .order_by("decision_due_at", "pk")[:limit]
    )


def escalations_here(actor: Actor, *, limit: int = 30) -> list[CaseEvent]:
    """Escalations that landed with the actor, newest first: the escalation service notifies the
    supervisors and heads of the target unit, so the actor's own ``escalation`` notifications
    (``notif_inbox_idx``) find them without scanning events; the events give who, from, to and why.
    Only cases still open and still in the actor's units are listed."""
    case_ids = list(
        StaffNotification.objects.filter(recipient_id=actor.id, kind="escalation", case__isnull=False)
        .order_by("-pk")
        .values_list("case_id", flat=True)[: limit * 2]
    )
    events = (
        CaseEvent.objects.filter(
            _scope(actor, "case.assign", "case__unit"),
            case_id__in=set(case_ids),
            type="escalated",
            case__status__in=UNANSWERED_STATES,
        )
        .select_related("case", "case__unit", "case__assignee", "actor")
        .order_by("-recorded_at", "-pk")
    )
    latest: dict[int, CaseEvent] = {}
    for e in events:
        latest.setdefault(e.case_id, e)  # the newest escalation of each case
    return list(latest.values())[:limit]


# --- approvals -------------------------------------------------------------------------------------


@dataclass
class ProposalItem:
    proposal: Proposal
    case: Case
    proposer_limit: Decimal | None
    approver_limit: Decimal | None
    needed_role: str
    can_approve: bool
    own: bool


def _approver_perms(actor: Actor) -> list[str]:
    return [p for p in ("case.approve", "case.approve_extension.l1", "case.approve_extension.l2") if actor.has(p)]


def require_approver(actor: Actor) -> None:
    if not _approver_perms(actor):
        raise PermissionDenied("permission_denied", "you approve nothing")


def pending_proposals(actor: Actor, *, limit: int = 100) -> list[ProposalItem]:
    """Compensation awaiting an approver, in the actor's approval scope, oldest first.

    Shown with the proposer's and the approver's limit (SPEC §8); only proposals the actor's limit
    covers are approvable here — the service checks again (and refuses approver = proposer).
    """
    if not actor.has("case.approve"):
        return []
    rows = (
        # Only a case waiting for approval can be approved: a withdrawn or closed case's proposal is moot.
        Proposal.objects.filter(
            _scope(actor, "case.approve", "case__unit"), status="pending", case__status=State.PENDING_APPROVAL.value
        )
        .select_related("case", "case__unit", "proposed_by")
        .order_by("proposed_at", "pk")[:limit]
    )
    proposals = list(rows)
    proposers = {p.proposed_by_id for p in proposals}
    # One query for every proposer's grants (not one per proposer).
    proposer_actors = {
        s.pk: Actor(s, tuple(Grant(a.role, a.unit.path, a.unit.code, a.include_subtree)
                             for a in s.role_assignments.all()))
        for s in Staff.objects.filter(pk__in=proposers).prefetch_related("role_assignments__unit")
    }
    out = []
    for p in proposals:
        limits = profile_of(p.case).authority_limits
        mine = limit_of(actor.roles_covering(p.case.unit), limits)
        theirs = limit_of(proposer_actors[p.proposed_by_id].roles_covering(p.case.unit), limits)
        out.append(
            ProposalItem(
                proposal=p,
                case=p.case,
                proposer_limit=theirs,
                approver_limit=mine,
                needed_role=required_approver_role(p.total, limits),
                can_approve=may_approve(
                    p.total, int(actor.id), actor.roles_covering(p.case.unit), int(p.proposed_by_id), limits
                ),
                own=p.proposed_by_id == actor.id,
            )
        )
    return out


@dataclass
class ExtensionItem:
    event: CaseEvent
    case: Case
    level: int
    can_approve: bool
    own: bool


def pending_extensions(actor: Actor, *, limit: int = 100) -> list[ExtensionItem]:
    """Extension requests not yet decided, for the levels the actor may approve (L2 only for
    ``case.approve_extension.l2``). A request is resolved by a later extension, rejection or restart."""
    levels = [lvl for lvl, perm in EXTENSION_PERMISSION.items() if actor.has(perm)]
    if not levels:
        return []
    later = CaseEvent.objects.filter(case_id=OuterRef("case_id"), seq__gt=OuterRef("seq"), type__in=RESOLVING)
    events = (
        CaseEvent.objects.filter(
            _scope(actor, "case.approve_extension.l1", "case__unit"),
            type="extension_requested",
            payload__level__in=levels,  # in SQL, so requests of other levels do not use up the limit
            case__status__in=UNANSWERED_STATES,
        )
        .exclude(Exists(later))
        .select_related("case", "case__unit", "case__assignee", "actor")
        .order_by("recorded_at", "pk")
    )
    out = []
    for e in events[:limit]:
        level = int(e.payload["level"])
        out.append(
            ExtensionItem(
                event=e,
                case=e.case,
                level=level,
                can_approve=actor.has(EXTENSION_PERMISSION[level], e.case.unit) and e.actor_id != actor.id,
                own=e.actor_id == actor.id,
            )
        )
    return out


# --- collaboration tasks ---------------------------------------------------------------------------


def visible_tasks(actor: Actor) -> QuerySet[CollaborationTask]:
    """A collaborator sees their department's tasks; a handler the tasks of the cases they may read
    (assigned to them, or in units where they hold ``case.read``)."""
    scope = Q(department_id__in=scope_unit_ids(actor, "task.read"))
    if actor.has("case.task"):
        scope |= Q(case__assignee_id=actor.id) | Q(case__unit_id__in=scope_unit_ids(actor, "case.read"))
    return CollaborationTask.objects.filter(scope)


def task_list(actor: Actor, *, status: str = "open", limit: int = 200) -> list[CollaborationTask]:
    """The tasks a person works on, for the web's list and the API's alike: refused to one who neither
    answers tasks nor opens them, rather than an empty list that reads as "nothing to do"."""
    if not (actor.has("task.read") or actor.has("case.task")):
        raise PermissionDenied("permission_denied", "you have no collaboration tasks")
    # The case's unit too: whether the reader sees its personal data is decided per task's case.
    qs = visible_tasks(actor).select_related("case", "case__unit", "department")
    if status:
        qs = qs.filter(status=status)
    return list(qs.order_by("due_at", "pk")[:limit])


@dataclass
class TaskView:
    """What a task shares, and nothing else of the case (SPEC §1: collaborators see only the parts of
    the case their tasks need)."""

    task: CollaborationTask
    case_number: str
    can_reply: bool
    case_visible: bool
    attachments: list[dict[str, Any]]


def task_view(actor: Actor, task_id: int) -> TaskView:
    task = CollaborationTask.objects.select_related("case", "case__unit", "department").filter(pk=task_id).first()
    if task is None:
        raise NotFound("not_found", "task not found", field="task_id")
    dept_reader = actor.has("task.read", task.department)
    case_reader = actor.has("case.task") and can_read(actor, task.case)
    if not (dept_reader or case_reader):
        raise PermissionDenied("permission_denied", "this task is not addressed to your department")
    attachments = [
        {"filename": e.filename, "size": e.size, "sha256": e.sha256}
        for e in task.case.evidence.filter(description=task_attachment_tag(task.pk)).order_by("pk")
    ]
    return TaskView(
        task=task,
        case_number=task.case.case_number,
        can_reply=actor.has("task.reply", task.department) and task.status == "open",
        case_visible=case_reader,
        attachments=attachments,
    )


def task_attachment_tag(task_id: int) -> str:
    """How a reply's attachment is marked on the case's evidence (so the task page can list it)."""
    return f"task:{task_id}"
