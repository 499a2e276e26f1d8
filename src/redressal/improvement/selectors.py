"""What the pages and the API read: the issues a person may see, one issue with its readable cases
and actions, its before/after effect, its history; the accountability findings a person may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from redressal.audit.models import AuditEvent
from redressal.cases.models import Case
from redressal.cases.selectors import visible_cases
from redressal.domain.improvement import Window, change, effect_windows, rate
from redressal.improvement.access import may_see_accountability, visible_issues
from redressal.improvement.models import Accountability, ImprovementAction, IssueCase, RootCauseIssue
from redressal.improvement.services.issues import under
from redressal.org.authz import Actor
from redressal.org.models import Staff

SH = ZoneInfo("Asia/Shanghai")
CASES_LIMIT = 200


def issue_list(actor: Actor, *, mine: bool = False, state: str = "", limit: int = 200) -> list[RootCauseIssue]:
    qs = visible_issues(actor)
    if mine:
        qs = qs.filter(Q(owner_id=actor.id) | Q(actions__owner_id=actor.id))
    if state:
        qs = qs.filter(state=state)
    qs = (
        qs.distinct()
        .select_related("unit", "owner")
        .annotate(
            n_cases=Count("links", distinct=True),
            n_actions=Count("actions", distinct=True),
            n_open=Count("actions", filter=Q(actions__state="open"), distinct=True),
        )
    )
    return list(qs.order_by("-opened_at", "-pk")[:limit])


@dataclass(frozen=True)
class LinkedCases:
    rows: list[Case]
    hidden: int  # linked cases this person may not read: counted, never shown
    more: int


def linked_cases(actor: Actor, issue: RootCauseIssue, limit: int = CASES_LIMIT) -> LinkedCases:
    linked = IssueCase.objects.filter(issue=issue)
    readable = visible_cases(actor).filter(pk__in=linked.values("case_id")).select_related("unit")
    readable = readable.order_by("received_at", "pk")
    rows = list(readable[:limit])
    total = readable.count() if len(rows) == limit else len(rows)
    return LinkedCases(rows=rows, hidden=linked.count() - total, more=total - len(rows))


def actions(issue: RootCauseIssue) -> list[ImprovementAction]:
    return list(issue.actions.select_related("owner", "finished_by", "created_by").order_by("due_date", "pk"))


def history(object_type: str, object_ids: list[int]) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(object_type=object_type, object_id__in=[str(i) for i in object_ids])
        .select_related("actor")
        .order_by("seq")
    )


def issue_history(issue: RootCauseIssue) -> list[AuditEvent]:
    action_ids = list(issue.actions.values_list("pk", flat=True))
    rows = list(history("improvement.issue", [issue.pk])) + list(history("improvement.action", action_ids))
    return sorted(rows, key=lambda e: e.seq)


@dataclass(frozen=True)
class Effect:
    """The complaint rate of the issue's cause in its units before it opened and after it closed."""

    cause: str
    before: Window
    after: Window | None
    before_count: int
    after_count: int | None
    before_rate: float | None
    after_rate: float | None
    change_pct: float | None
    months: list[dict[str, Any]] = field(default_factory=list)  # [{"month", "count", "period"}]


def _cause_cases(issue: RootCauseIssue) -> QuerySet[Case]:
    return Case.objects.filter(
        unit_id__in=under(issue.unit), triage_record__cause=issue.cause_code, kind=Case.Kind.PRIMARY
    )


def issue_effect(issue: RootCauseIssue, moment: datetime) -> Effect | None:
    """None without a cause code (nothing to count). Counts over the issue's units, whoever reads: an
    aggregate of the unit's cases, as the issue's readers are entitled to the unit's figures."""
    if not issue.cause_code:
        return None
    before, after = effect_windows(issue.opened_at, issue.closed_at, moment)
    cases = _cause_cases(issue)
    n_before = cases.filter(received_at__gte=before.start, received_at__lt=before.end).count()
    n_after = cases.filter(received_at__gte=after.start, received_at__lt=after.end).count() if after else None
    r_before, r_after = rate(n_before, before), rate(n_after or 0, after)
    end = after.end if after else moment
    monthly = (
        cases.filter(received_at__gte=before.start, received_at__lt=end)
        .annotate(month=TruncMonth("received_at", tzinfo=SH))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    opened_month = issue.opened_at.astimezone(SH).strftime("%Y-%m")
    closed_month = issue.closed_at.astimezone(SH).strftime("%Y-%m") if issue.closed_at else None
    months = []
    for row in monthly:
        label = row["month"].astimezone(SH).strftime("%Y-%m") if row["month"].tzinfo else row["month"].strftime("%Y-%m")
        if label < opened_month:
            period = "before"
        elif closed_month is not None and label > closed_month:
            period = "after"
        else:
            period = "during"
        months.append({"month": label, "count": row["n"], "period": period})
    return Effect(
        cause=issue.cause_code,
        before=before,
        after=after,
        before_count=n_before,
        after_count=n_after,
        before_rate=r_before,
        after_rate=r_after if after else None,
        change_pct=change(r_before, r_after) if after else None,
        months=months,
    )


def issues_of_case(actor: Actor, case: Case) -> list[RootCauseIssue]:
    return list(visible_issues(actor).filter(links__case=case).distinct().order_by("-opened_at"))


def accountability_for_staff(actor: Actor, staff: Staff) -> list[Accountability] | None:
    """The findings on ``staff`` with their measures, or None when the actor may not see them."""
    if not may_see_accountability(actor, staff):
        return None
    return list(
        Accountability.objects.filter(staff=staff)
        .select_related("case", "created_by")
        .prefetch_related("measures__done_by", "measures__ordered_by", "measures__enrolments__session__course")
        .order_by("-created_at")
    )


def accountability_for_case(actor: Actor, case: Case) -> list[Accountability]:
    """The findings on a case the actor may see: each person's only to those entitled to their record."""
    rows = (
        Accountability.objects.filter(case=case)
        .select_related("staff__unit", "created_by")
        .prefetch_related("measures__done_by")
        .order_by("created_at")
    )
    return [a for a in rows if may_see_accountability(actor, a.staff)]


def overdue_measures(staff: Staff, today: Any) -> int:
    return Accountability.objects.filter(staff=staff, measures__state="ordered", measures__due_date__lt=today).count()
