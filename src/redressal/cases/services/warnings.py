"""The deadline sweep (SPEC §5 warnings): deliver every due warning once, within a minute.

A warning whose next stage has come too is not delivered but marked skipped (``domain.warnings.
superseded``): a sweep that first sees a case when it is already overdue tells of the breach alone.
A delivered warning's notification is dated at the warning's moment, not at the sweep's.

The query touches only pending warnings whose moment has come (a partial index on ``fire_at``
where ``fired_at`` is null), so its cost grows with the warnings due, not with the open cases. A
warning is claimed with a conditional UPDATE: two schedulers or a retried task can race, only one
wins, and the notification key makes even a duplicate delivery collapse into one row.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from redressal.cases import bus
from redressal.cases.models import Case, CaseDeadline, DeadlineWarning
from redressal.cases.services._base import lock_case
from redressal.cases.services.events import HEAD_FIELDS, append_event
from redressal.core.clock import now
from redressal.domain.warnings import Audience, Stage, superseded, warning_audience, warning_stage
from redressal.notify.services import notify_staff
from redressal.org.models import Staff

# The routing rules' triggers (stored in admin-edited rules, so named after SPEC §7's 80 %): the first
# at-risk warning of a due moment, whatever the profile calls it, and the breach.
ESCALATE_ON = {Stage.AT_RISK: "warning_80", Stage.BREACH: "breach"}


def _recipients(case_id: int, label: str) -> list[int]:
    """The staff the domain's warning ladder names for this moment, resolved along the reporting line."""
    case = Case.objects.select_related("assignee__manager").get(pk=case_id)
    assignee = case.assignee
    manager = assignee.manager if assignee is not None else None
    people: list[int] = []
    for audience in warning_audience(label, assigned=assignee is not None):
        if audience is Audience.ASSIGNEE and assignee is not None:
            people.append(assignee.pk)
        elif audience is Audience.SUPERVISOR and manager is not None:
            people.append(manager.pk)
        elif audience is Audience.BRANCH_HEAD and manager is not None and manager.manager_id:
            people.append(manager.manager_id)
        elif audience is Audience.UNIT_SUPERVISORS:
            people.extend(
                Staff.objects.filter(
                    role_assignments__unit_id=case.unit_id, role_assignments__role="supervisor"
                ).values_list("pk", flat=True)
            )
    return people


def _first_at_risk(pk: int, case_id: int, kind: str, due_at: datetime) -> bool:
    """No other at-risk warning of this due moment has fired, so escalating now is not a second time.
    Called with the case locked: a sweep racing on a sibling warning waits and then sees it fired."""
    fired = DeadlineWarning.objects.filter(
        case_id=case_id, deadline_kind=kind, due_at=due_at, fired_at__isnull=False, skipped=False
    ).exclude(pk=pk)
    return not any(warning_stage(label) is Stage.AT_RISK for label in fired.values_list("label", flat=True))


def _escalation_trigger(pk: int, case_id: int, kind: str, label: str, due_at: datetime) -> str | None:
    stage = warning_stage(label)
    if kind != "decision" or stage not in ESCALATE_ON:
        return None
    if stage is Stage.AT_RISK:
        lock_case(case_id)
        if not _first_at_risk(pk, case_id, kind, due_at):
            return None
    return ESCALATE_ON[stage]


Group = tuple[int, str, datetime]  # (case, deadline kind, due moment): the stages of one clock


def _passed_over(due: list[tuple[int, int, str, str, datetime, datetime]], moment: datetime) -> set[int]:
    """The pending warnings of this batch superseded by a later stage come by ``moment`` (one query)."""
    groups: dict[Group, dict[str, datetime]] = {}
    for case_id, kind, label, due_at, fire_at in DeadlineWarning.objects.filter(
        case_id__in={row[1] for row in due}, fire_at__lte=moment
    ).values_list("case_id", "deadline_kind", "label", "due_at", "fire_at"):
        groups.setdefault((case_id, kind, due_at), {})[label] = fire_at
    skip = {group: superseded(moments, moment) for group, moments in groups.items()}
    return {pk for pk, case_id, kind, label, due_at, _at in due if label in skip.get((case_id, kind, due_at), ())}


def sweep_warnings(at: datetime | None = None, batch: int = 1000) -> int:
    """Deliver (or pass over as superseded) the pending warnings due by ``at``; returns how many were
    handled, so a caller draining a backlog loops until it is 0."""
    moment = at or now()
    handled = 0
    due = list(
        DeadlineWarning.objects.filter(fired_at__isnull=True, fire_at__lte=moment)
        .order_by("fire_at")
        .values_list("pk", "case_id", "deadline_kind", "label", "due_at", "fire_at")[:batch]
    )
    passed_over = _passed_over(due, moment)
    for pk, case_id, kind, label, due_at, fire_at in due:
        with transaction.atomic():
            claimed = DeadlineWarning.objects.filter(pk=pk, fired_at__isnull=True).update(
                fired_at=moment, skipped=pk in passed_over
            )
            if not claimed:
                continue
            handled += 1
            if pk in passed_over:
                continue
            key = f"warn:{case_id}:{kind}:{label}:{due_at.isoformat()}"
            breach = warning_stage(label) is Stage.BREACH
            if breach:
                case = lock_case(case_id)
                CaseDeadline.objects.filter(case_id=case_id, kind=kind, state="running").update(state="breached")
                append_event(case, "deadline_breached", actor=None, at=due_at, payload={"kind": kind})
                case.save(update_fields=HEAD_FIELDS)
                number = case.case_number
                message = f"{number}: {kind} deadline breached"
            else:
                number = Case.objects.values_list("case_number", flat=True).get(pk=case_id)
                message = f"{number}: {kind} deadline warning {label} (due {due_at.isoformat()})"
            notify_staff(
                _recipients(case_id, label),
                "deadline_breach" if breach else "deadline_warning",
                message,
                key=key,
                case=Case(pk=case_id, case_number=number),
                payload={"deadline": kind, "label": label, "due": due_at.isoformat()},
                at=fire_at,
            )
            trigger = _escalation_trigger(pk, case_id, kind, label, due_at)
            if trigger is not None:
                # SPEC §7: automatic escalation once at risk and at breach, where a rule asks for it.
                bus.signal("deadline_warning", case_id=case_id, trigger=trigger)
    return handled
