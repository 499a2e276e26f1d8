"""The deadline sweep (SPEC §5 warnings): deliver every due warning once, within a minute.

A warning whose next stage has come too is not delivered but marked skipped (``domain.warnings.
superseded``): a sweep that first sees a case when it is already overdue tells of the breach alone.
A delivered warning's notification is dated at the warning's moment, not at the sweep's.

The query touches only pending warnings whose moment has come (a partial index on ``fire_at``
where ``fired_at`` is null), so its cost grows with the warnings due, not with the open cases.

The due warnings are handled in chunks of ``CHUNK``, each in one transaction with a fixed number of
queries, plus the hash-chained event of each breach: a crash mid-chunk leaves nothing half-written,
the claims roll back with their notifications and events and the next sweep delivers them. A chunk
claims its warnings with a locking read that passes over the rows another sweep holds, then marks
fired those still pending: two schedulers or a retried task can race, only one delivers a warning,
and the notification key makes even a duplicate delivery collapse into one row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

from django.db import transaction

from redressal.cases import bus
from redressal.cases.models import Case, CaseDeadline, DeadlineWarning
from redressal.cases.services.events import HEAD_FIELDS, append_event
from redressal.core.clock import now
from redressal.domain.warnings import Audience, Stage, superseded, warning_audience, warning_stage
from redressal.notify.services import StaffNotice, notify_staff_bulk
from redressal.org.models import RoleAssignment

# The routing rules' triggers (stored in admin-edited rules, so named after SPEC §7's 80 %): the first
# at-risk warning of a due moment, whatever the profile calls it, and the breach.
ESCALATE_ON = {Stage.AT_RISK: "warning_80", Stage.BREACH: "breach"}

# Warnings per transaction: enough to spread a chunk's fixed queries thin, few enough that its case
# locks are held briefly and a crash redoes little.
CHUNK = 200

Group = tuple[int, str, datetime]  # (case, deadline kind, due moment): the stages of one clock


class Due(NamedTuple):
    """A pending warning whose moment has come, as the sweep reads it."""

    pk: int
    case_id: int
    kind: str
    label: str
    due_at: datetime
    fire_at: datetime

    @property
    def stage(self) -> Stage:
        return warning_stage(self.label)

    @property
    def group(self) -> Group:
        return (self.case_id, self.kind, self.due_at)

    @property
    def trigger(self) -> str | None:
        """The escalation rules' trigger this warning answers to (SPEC §7: automatic escalation on
        warning thresholds), the decision clock's only; an at-risk one escalates only if it is the
        first of its due moment (``_triggers``)."""
        return ESCALATE_ON.get(self.stage) if self.kind == "decision" else None


class Line(NamedTuple):
    """A case's number and the reporting line its warnings climb (``domain.warnings.LADDER``)."""

    number: str
    unit_id: int
    assignee: int | None
    supervisor: int | None  # the assignee's manager
    branch_head: int | None  # the supervisor's manager


def _lines(case_ids: Collection[int]) -> dict[int, Line]:
    rows = Case.objects.filter(pk__in=case_ids).values_list(
        "pk", "case_number", "unit_id", "assignee_id", "assignee__manager_id", "assignee__manager__manager_id"
    )
    return {
        pk: Line(number, unit_id, assignee, supervisor, head)
        for pk, number, unit_id, assignee, supervisor, head in rows
    }


def _unit_supervisors(unit_ids: Collection[int]) -> dict[int, list[int]]:
    """The supervisors of each unit, who hear of the warnings of its cases nobody is assigned."""
    people: dict[int, list[int]] = defaultdict(list)
    if unit_ids:
        for unit_id, staff_id in RoleAssignment.objects.filter(unit_id__in=unit_ids, role="supervisor").values_list(
            "unit_id", "staff_id"
        ):
            people[unit_id].append(staff_id)
    return people


def _recipients(label: str, line: Line, supervisors: dict[int, list[int]]) -> list[int]:
    """The staff the domain's warning ladder names for this moment, resolved along the reporting line."""
    people: list[int] = []
    for audience in warning_audience(label, assigned=line.assignee is not None):
        if audience is Audience.ASSIGNEE and line.assignee is not None:
            people.append(line.assignee)
        elif audience is Audience.SUPERVISOR and line.supervisor is not None:
            people.append(line.supervisor)
        elif audience is Audience.BRANCH_HEAD and line.branch_head is not None:
            people.append(line.branch_head)
        elif audience is Audience.UNIT_SUPERVISORS:
            people.extend(supervisors.get(line.unit_id, ()))
    return people


def _notice(w: Due, line: Line, supervisors: dict[int, list[int]]) -> StaffNotice:
    due = w.due_at.isoformat()
    if w.stage is Stage.BREACH:
        kind, message = "deadline_breach", f"{line.number}: {w.kind} deadline breached"
    else:
        kind, message = "deadline_warning", f"{line.number}: {w.kind} deadline warning {w.label} (due {due})"
    return StaffNotice(
        _recipients(w.label, line, supervisors),
        kind,
        message,
        case=Case(pk=w.case_id, case_number=line.number),
        key=f"warn:{w.case_id}:{w.kind}:{w.label}:{due}",
        payload={"deadline": w.kind, "label": w.label, "due": due},
        at=w.fire_at,
    )


def _passed_over(due: Sequence[Due], moment: datetime) -> set[int]:
    """The pending warnings of this batch superseded by a later stage come by ``moment`` (one query)."""
    groups: dict[Group, dict[str, datetime]] = {}
    for case_id, kind, label, due_at, fire_at in DeadlineWarning.objects.filter(
        case_id__in={w.case_id for w in due}, fire_at__lte=moment
    ).values_list("case_id", "deadline_kind", "label", "due_at", "fire_at"):
        groups.setdefault((case_id, kind, due_at), {})[label] = fire_at
    skip = {group: superseded(moments, moment) for group, moments in groups.items()}
    return {w.pk for w in due if w.label in skip.get(w.group, ())}


def _lock_cases(case_ids: Collection[int]) -> None:
    # The case rows alone (see ``_base.lock_case``), in one statement and in id order: two sweeps
    # locking overlapping sets take them in the same order and wait for each other, not deadlock.
    list(Case.objects.select_for_update().filter(pk__in=case_ids).order_by("pk").values_list("pk", flat=True))


def _claim(chunk: Sequence[Due], passed_over: Collection[int], moment: datetime) -> set[int]:
    """Mark fired (and skipped, if passed over) the chunk's warnings still pending; returns those.

    The locking read skips the rows a racing sweep has claimed but not yet committed, and re-reads
    ``fired_at`` of those it committed meanwhile, so no warning is claimed twice (SQLite takes the
    write lock at BEGIN: transactions there do not overlap at all)."""
    claimed = set(
        DeadlineWarning.objects.select_for_update(skip_locked=True)
        .filter(pk__in=[w.pk for w in chunk], fired_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if claimed:
        DeadlineWarning.objects.filter(pk__in=claimed, fired_at__isnull=True).update(fired_at=moment)
    skipped = claimed.intersection(passed_over)
    if skipped:
        DeadlineWarning.objects.filter(pk__in=skipped).update(skipped=True)
    return claimed


def _record_breaches(breaches: Sequence[Due]) -> None:
    """The deadline is breached, and the case's history says so on its hash chain (SPEC §5, §13).
    The cases are locked: read after the lock, their chain heads are the latest."""
    if not breaches:
        return
    cases = Case.objects.in_bulk({w.case_id for w in breaches})
    by_kind: dict[str, set[int]] = defaultdict(set)
    for w in breaches:
        by_kind[w.kind].add(w.case_id)
    for kind, case_ids in by_kind.items():
        CaseDeadline.objects.filter(case_id__in=case_ids, kind=kind, state="running").update(state="breached")
    # In turn: a case with two clocks breached in one chunk chains the second event to the first.
    for w in breaches:
        append_event(cases[w.case_id], "deadline_breached", actor=None, at=w.due_at, payload={"kind": w.kind})
    # One UPDATE for the chunk's chain heads. It sends no post_save, whose receiver copies a case's
    # queue columns to its search document: a breach changes none of them.
    Case.objects.bulk_update([cases[case_id] for case_id in dict.fromkeys(w.case_id for w in breaches)], HEAD_FIELDS)


def _triggers(delivered: Iterable[Due]) -> list[tuple[int, str]]:
    """The escalations the delivered warnings call for: at the breach, and at the first at-risk warning
    of a due moment, not again at a later one. Read with the cases locked: a sweep racing on a sibling
    warning waits for the lock and then sees that warning fired."""
    candidates = [w for w in delivered if w.trigger is not None]
    at_risk = [w for w in candidates if w.stage is Stage.AT_RISK]
    fired: dict[Group, set[int]] = defaultdict(set)
    if at_risk:
        for pk, case_id, kind, label, due_at in DeadlineWarning.objects.filter(
            case_id__in={w.case_id for w in at_risk},
            deadline_kind__in={w.kind for w in at_risk},
            fired_at__isnull=False,
            skipped=False,
        ).values_list("pk", "case_id", "deadline_kind", "label", "due_at"):
            if warning_stage(label) is Stage.AT_RISK:
                fired[(case_id, kind, due_at)].add(pk)
    return [
        (w.case_id, ESCALATE_ON[w.stage])
        for w in candidates
        if w.stage is not Stage.AT_RISK or not fired[w.group] - {w.pk}
    ]


def _sweep_chunk(chunk: Sequence[Due], passed_over: Collection[int], moment: datetime) -> int:
    with transaction.atomic():
        # The cases of the warnings to deliver, then the warnings: the order a handler's action takes
        # them in (it re-arms a case's warnings under the case's lock). Holding a claimed warning
        # while waiting for its case (a breach's event, the at-risk check, even a notification's
        # foreign key) would deadlock with such an action; this way the two queue.
        _lock_cases({w.case_id for w in chunk if w.pk not in passed_over})
        claimed = _claim(chunk, passed_over, moment)
        delivered = [w for w in chunk if w.pk in claimed and w.pk not in passed_over]
        if delivered:
            lines = _lines({w.case_id for w in delivered})
            unassigned = {line.unit_id for line in lines.values() if line.assignee is None}
            supervisors = _unit_supervisors(unassigned)
            _record_breaches([w for w in delivered if w.stage is Stage.BREACH])
            notify_staff_bulk(_notice(w, lines[w.case_id], supervisors) for w in delivered)
            _escalate(_triggers(delivered))
    return len(claimed)


def sweep_warnings(at: datetime | None = None, batch: int = 1000) -> int:
    """Deliver (or pass over as superseded) the pending warnings due by ``at``; returns how many were
    handled, so a caller draining a backlog loops until it is 0."""
    moment = at or now()
    due = [
        Due(*row)
        for row in DeadlineWarning.objects.filter(fired_at__isnull=True, fire_at__lte=moment)
        .order_by("fire_at")
        .values_list("pk", "case_id", "deadline_kind", "label", "due_at", "fire_at")[:batch]
    ]
    passed_over = _passed_over(due, moment)
    return sum(_sweep_chunk(due[start : start + CHUNK], passed_over, moment) for start in range(0, len(due), CHUNK))


def _escalate(triggers: list[tuple[int, str]]) -> None:
    """SPEC §7: automatic escalation once at risk and at breach, where a rule asks for it. Triage
    decides (``cases.bus`` signal), for the chunk's warnings at once: its rules are read once."""
    if triggers:
        bus.signal("deadline_warnings", triggers=triggers)
