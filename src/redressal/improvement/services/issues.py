"""Opening a root-cause issue (from a case, a mass incident or a criterion), linking cases, closing it.

Only cases the person may read are linked, and only cases of the issue's unit or below it: linking
is a statement about the cases, never a way to reach them (the issue page shows a linked case only to
those who may read it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import QuerySet

from redressal.cases.models import Case
from redressal.cases.selectors import can_read, visible_cases
from redressal.core.clock import now
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ServiceError, ValidationFailed
from redressal.domain.codes import load_codes
from redressal.domain.errors import DomainError
from redressal.domain.improvement import check_close
from redressal.improvement.access import readable_issue, require_manage
from redressal.improvement.models import IssueCase, RootCauseIssue
from redressal.improvement.services._audit import audit
from redressal.org.authz import Actor, actor_for
from redressal.org.models import OrgUnit, Staff
from redressal.org.selectors import units_under
from redressal.triage.page_selectors import incident_for

SH = ZoneInfo("Asia/Shanghai")
MAX_LINKED = 2000  # the cases one opening links at most (a criterion over a year of one cause)
MAX_CRITERION_DAYS = 400


@dataclass(frozen=True)
class Criterion:
    """A report cell: cases of these codes received in [start, end] (local days) in ``unit`` and below."""

    cause: str
    start: date
    end: date
    unit_code: str
    business: str = ""

    def as_dict(self) -> dict[str, str]:
        return {
            "cause": self.cause,
            "business": self.business,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "unit": self.unit_code,
        }


def _refused(exc: DomainError) -> ServiceError:
    return Conflict(exc.rule, exc.message, field=exc.field)


def _unit(code: str, field: str = "unit") -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        raise ValidationFailed("unknown_unit", f"no unit '{code}'", field=field)
    return unit


def _check_code(axis: str, code: str, field: str) -> None:
    if code and not load_codes().is_valid(axis, code):
        raise ValidationFailed("invalid_choice", f"'{code}' is not a JR/T 0169 {axis} code", field=field)


def _owner(username: str, unit: OrgUnit) -> Staff:
    staff = Staff.objects.filter(username=username, is_active=True).select_related("unit").first()
    if staff is None:
        raise ValidationFailed("unknown_staff", f"no active member of staff '{username}'", field="owner")
    if not actor_for(staff).has("improvement.manage", unit):
        raise ValidationFailed(
            "issue.owner_scope", f"{username} cannot run an improvement issue of {unit.code}", field="owner"
        )
    return staff


def under(unit: OrgUnit) -> list[int]:
    return units_under([(unit.path, True)])


def criterion_cases(actor: Actor, criterion: Criterion) -> QuerySet[Case]:
    """The cases of a report cell this person may read (``visible_cases``), in its unit's subtree."""
    if criterion.end < criterion.start:
        raise ValidationFailed("date.order", "the period ends before it starts", field="to")
    if (criterion.end - criterion.start).days > MAX_CRITERION_DAYS:
        raise ValidationFailed("date.out_of_range", f"a period of at most {MAX_CRITERION_DAYS} days", field="to")
    unit = _unit(criterion.unit_code)
    start = datetime.combine(criterion.start, time.min, SH)
    end = datetime.combine(criterion.end + timedelta(days=1), time.min, SH)
    qs = visible_cases(actor).filter(
        unit_id__in=under(unit),
        received_at__gte=start,
        received_at__lt=end,
        triage_record__cause=criterion.cause,
    )
    if criterion.business:
        qs = qs.filter(triage_record__business=criterion.business)
    return qs.order_by("received_at", "pk")


def _link(issue: RootCauseIssue, cases: list[Case], actor: Actor, at: datetime) -> int:
    have = set(IssueCase.objects.filter(issue=issue).values_list("case_id", flat=True))
    rows = [IssueCase(issue=issue, case=c, linked_by=actor.staff, linked_at=at) for c in cases if c.pk not in have]
    IssueCase.objects.bulk_create(rows)
    return len(rows)


def open_issue(
    *,
    actor: Actor,
    title: str,
    root_cause: str,
    unit_code: str,
    owner: str,
    cause_code: str = "",
    business_code: str = "",
    case_id: int | None = None,
    mass_incident_id: int | None = None,
    criterion: Criterion | None = None,
) -> RootCauseIssue:
    """An issue from one case, from a mass incident's cases, or from a criterion's cases (one source)."""
    sources = [
        s
        for s, given in (("case", case_id), ("mass_incident", mass_incident_id), ("criterion", criterion))
        if given is not None
    ]
    if len(sources) != 1:
        raise ValidationFailed(
            "issue.source", "open an issue from one case, one incident or one criterion", field="source"
        )
    if not title.strip():
        raise ValidationFailed("required", "a title is required", field="title")
    if not root_cause.strip():
        raise ValidationFailed("required", "describe the root cause", field="root_cause")
    _check_code("C", cause_code, "cause_code")
    _check_code("B", business_code, "business_code")
    unit = _unit(unit_code)
    require_manage(actor, unit)
    owner_staff = _owner(owner, unit)
    in_unit = set(under(unit))
    cases: list[Case]
    if case_id is not None:
        case = Case.objects.select_related("unit").filter(pk=case_id).first()
        if case is None:
            raise NotFound("not_found", f"case {case_id} not found", field="case_id")
        if not can_read(actor, case):
            raise PermissionDenied("permission_denied", "you may not read this case")
        cases = [case]
    elif mass_incident_id is not None:
        incident = incident_for(actor, mass_incident_id)  # 403 without case.review or out of scope
        cases = list(visible_cases(actor).filter(mass_incidents__pk=incident.id).order_by("received_at", "pk"))
        cause_code = cause_code or incident.cause_code
    else:
        assert criterion is not None
        _check_code("C", criterion.cause, "cause")
        _check_code("B", criterion.business, "business")
        cases = list(criterion_cases(actor, criterion)[: MAX_LINKED + 1])
        cause_code = cause_code or criterion.cause
        business_code = business_code or criterion.business
    outside = [c.case_number for c in cases if c.unit_id not in in_unit]
    if case_id is not None and outside:
        raise ValidationFailed("issue.case_outside_unit", "the case is not of the issue's unit", field="unit")
    cases = [c for c in cases if c.unit_id in in_unit]
    if not cases:
        raise ValidationFailed("issue.no_cases", "no case you may read matches", field="source")
    if len(cases) > MAX_LINKED:
        raise ValidationFailed("too_many", f"at most {MAX_LINKED} cases; narrow the criterion", field="source")
    moment = now()
    with transaction.atomic():
        issue = RootCauseIssue.objects.create(
            title=title.strip()[:200],
            root_cause=root_cause.strip(),
            cause_code=cause_code,
            business_code=business_code,
            unit=unit,
            owner=owner_staff,
            source=sources[0],
            mass_incident_id=mass_incident_id,
            criterion=criterion.as_dict() if criterion else {},
            opened_by=actor.staff,
            opened_at=moment,
        )
        linked = _link(issue, cases, actor, moment)
        audit(
            "improvement.issue_opened",
            actor,
            "improvement.issue",
            issue.pk,
            reason=issue.root_cause,
            source=issue.source,
            unit=unit.code,
            owner=owner_staff.username,
            cause=cause_code,
            linked=linked,
            cases=[c.case_number for c in cases[:50]],
        )
    return issue


def link_case(issue_id: int, *, actor: Actor, case_number: str) -> RootCauseIssue:
    """One more case of the same root cause; the person must be able to read it."""
    with transaction.atomic():
        issue = readable_issue(actor, issue_id, lock=True)
        require_manage(actor, issue.unit)
        if issue.state == "closed":
            raise Conflict("issue.closed", "the issue is closed", field="issue_id")
        case = Case.objects.select_related("unit").filter(case_number=case_number.strip()).first()
        if case is None or not can_read(actor, case):
            # The same answer for a case that does not exist and one out of reach: nothing is revealed.
            raise NotFound("not_found", f"case {case_number} not found", field="case_number")
        if case.unit_id not in set(under(issue.unit)):
            raise ValidationFailed(
                "issue.case_outside_unit", "the case is not of the issue's unit", field="case_number"
            )
        if IssueCase.objects.filter(issue=issue, case=case).exists():
            raise Conflict("issue.case_linked", "the case is already linked", field="case_number")
        _link(issue, [case], actor, now())
        audit("improvement.case_linked", actor, "improvement.issue", issue.pk, case=case.case_number)
    return issue


def close_issue(issue_id: int, *, actor: Actor, note: str) -> RootCauseIssue:
    """Closed when every action is done or cancelled; the effect is counted from this moment."""
    if not note.strip():
        raise ValidationFailed("required", "say what was achieved", field="note")
    with transaction.atomic():
        issue = readable_issue(actor, issue_id, lock=True)
        require_manage(actor, issue.unit)
        try:
            check_close(issue.state, issue.actions.values_list("state", flat=True))
        except DomainError as exc:
            raise _refused(exc) from None
        before = issue.state
        issue.state, issue.closed_by, issue.closed_at, issue.close_note = "closed", actor.staff, now(), note.strip()
        issue.save(update_fields=["state", "closed_by", "closed_at", "close_note"])
        audit(
            "improvement.issue_closed",
            actor,
            "improvement.issue",
            issue.pk,
            reason=issue.close_note,
            before=before,
            after="closed",
        )
    return issue
