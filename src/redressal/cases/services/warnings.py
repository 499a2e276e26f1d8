"""The deadline sweep (SPEC §5 warnings): deliver every due warning once, within a minute.

The query touches only pending warnings whose moment has come (a partial index on ``fire_at``
where ``fired_at`` is null), so its cost grows with the warnings due, not with the open cases. A
warning is claimed with a conditional UPDATE: two schedulers or a retried task can race, only one
wins, and the notification key makes even a duplicate delivery collapse into one row.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from redressal.cases.models import Case, CaseDeadline, DeadlineWarning
from redressal.cases.services._base import lock_case
from redressal.cases.services.events import append_event
from redressal.core.clock import now
from redressal.domain.warnings import Audience, warning_audience
from redressal.notify.services import notify_staff
from redressal.org.models import Staff

ESCALATE_ON = {"80%": "warning_80", "breach": "breach"}


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


def sweep_warnings(at: datetime | None = None, batch: int = 1000) -> int:
    moment = at or now()
    fired = 0
    due = list(
        DeadlineWarning.objects.filter(fired_at__isnull=True, fire_at__lte=moment)
        .order_by("fire_at")
        .values_list("pk", "case_id", "deadline_kind", "label", "due_at")[:batch]
    )
    for pk, case_id, kind, label, due_at in due:
        with transaction.atomic():
            claimed = DeadlineWarning.objects.filter(pk=pk, fired_at__isnull=True).update(fired_at=moment)
            if not claimed:
                continue
            key = f"warn:{case_id}:{kind}:{label}:{due_at.isoformat()}"
            if label == "breach":
                case = lock_case(case_id)
                CaseDeadline.objects.filter(case_id=case_id, kind=kind, state="running").update(state="breached")
                append_event(case, "deadline_breached", actor=None, at=due_at, payload={"kind": kind})
                case.save(update_fields=["last_event_seq", "last_event_hash"])
                number = case.case_number
                message = f"{number}: {kind} deadline breached"
            else:
                number = Case.objects.values_list("case_number", flat=True).get(pk=case_id)
                message = f"{number}: {kind} deadline warning {label} (due {due_at.isoformat()})"
            notify_staff(
                _recipients(case_id, label),
                "deadline_warning" if label != "breach" else "deadline_breach",
                message,
                key=key,
                case=Case(pk=case_id, case_number=number),
                payload={"deadline": kind, "label": label, "due": due_at.isoformat()},
            )
            if kind == "decision" and label in ESCALATE_ON:
                # SPEC §7: automatic escalation at 80 % and at breach, where a rule asks for it.
                from redressal.triage.services import auto_escalate

                auto_escalate(case_id, ESCALATE_ON[label])
            fired += 1
    return fired
