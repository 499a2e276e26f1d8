"""Extension requests (SPEC §5): the handler asks, an approver of the right level decides.

``extend_deadline`` records an extension that its approver decided; these services add the step
before it, so the approvals inbox has something to show: a request is an ``extension_requested``
event, and it is resolved by the ``extended`` event the approval records, or by an
``extension_rejected`` event. Level 2 needs ``case.approve_extension.l2`` (办法 第十八条第一款: the
superior institution or a head-office senior manager); the requester never decides their own request.

Which moment counts: the request's ``at`` (when the handler asked, default now). The period is
judged at that moment when the request is made, and again at that moment when it is approved — the
deadline in force when the bank asked, not when the approver got round to it. The approval's own
event is dated when the approval is given; its payload keeps ``requested_at``.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from redressal.cases.models import Case, CaseEvent
from redressal.cases.services._base import Done, lock_case, perform, resolve_at
from redressal.cases.services.clock import extend_deadline
from redressal.cases.services.deadlines import clock_input, profile_of
from redressal.core.errors import ValidationFailed
from redressal.domain.deadlines import check_extendable
from redressal.domain.roles import EXTENSION_PERMISSION
from redressal.notify.services import notify_staff
from redressal.org.authz import Actor
from redressal.org.models import Staff
from redressal.workdays.services import work_calendar

# The events that resolve an open request: its approval, its rejection, or a restart of the clock.
RESOLVING = ("extended", "extension_rejected", "clock_restarted")


def pending_request(case: Case) -> CaseEvent | None:
    """The open request of this case, if any (newest request with no resolving event after it)."""
    last = CaseEvent.objects.filter(case=case, type__in=("extension_requested", *RESOLVING)).order_by("-seq").first()
    return last if last is not None and last.type == "extension_requested" else None


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def request_extension(
    case_id: int,
    *,
    actor: Actor,
    level: int,
    reason: str,
    justification: str,
    expected_version: int | None = None,
    at: datetime | None = None,
    backdate_reason: str = "",
) -> Case:
    if level not in EXTENSION_PERMISSION:
        raise ValidationFailed("invalid_choice", f"there is no extension level {level}", field="level")
    if not reason.strip():
        raise ValidationFailed("required", "an extension needs a reason", field="reason")
    if not justification.strip():
        raise ValidationFailed("required", "an extension needs a justification", field="justification")

    def change(case: Case, current: datetime) -> Done:
        moment = resolve_at(at, current)
        if pending_request(case) is not None:
            raise ValidationFailed(
                "extension.request_pending", "an extension request is already awaiting approval", field="level"
            )
        if level != case.extension_level + 1:
            raise ValidationFailed(
                "extension.level_order",
                f"the case is at extension level {case.extension_level}; request level {case.extension_level + 1}",
                field="level",
            )
        # Whatever does not depend on who approves is refused now, not at approval: a period that has
        # ended, a paused or stopped clock, a case with no decision period (a DomainError; perform
        # turns it into the API's error with the rule's code and field).
        profile = profile_of(case)
        check_extendable(profile, work_calendar(), clock_input(case), level, moment)
        approvers = (
            Staff.objects.filter(
                role_assignments__role__in=profile.decision.extension(level).approver_roles,
                role_assignments__unit__path__in=_ancestor_paths(case.unit.path),
                is_active=True,
            )
            .exclude(pk=actor.id)
            .distinct()
        )
        notify_staff(
            [s.pk for s in approvers[:20]],
            "approval",
            f"{case.case_number}: L{level}",
            case=case,
            payload={"level": level},
        )
        return Done(
            "extension_requested",
            {"level": level, "justification": justification.strip(), "at": moment},
            reason=reason.strip(),
        )

    return perform(
        case_id,
        actor,
        "extend",
        "case.investigate",
        change,
        expected_version=expected_version,
        backdate_reason=backdate_reason,
    )


def _open_request(case: Case, actor: Actor) -> tuple[CaseEvent, int]:
    request = pending_request(case)
    if request is None:
        raise ValidationFailed("no_pending_request", "there is no extension request awaiting approval", field="request")
    level = int(request.payload.get("level", 1))
    actor.require(EXTENSION_PERMISSION[level], case.unit)
    if request.actor_id == actor.id:
        raise ValidationFailed("approval.self", "the approver must not be the requester", field="approver")
    return request, level


def approve_extension_request(case_id: int, *, actor: Actor, reason: str = "") -> Case:
    """Approve the open request: the extension is recorded by ``extend_deadline`` in this transaction,
    judged at the moment of the request."""
    with transaction.atomic():
        case = lock_case(case_id)
        request, level = _open_request(case, actor)
        justification = str(request.payload.get("justification", ""))
        if reason.strip():
            justification = f"{justification}\n{reason.strip()}"
        return extend_deadline(
            case_id,
            actor=actor,
            level=level,
            reason=request.reason,
            justification=justification,
            customer_notified=True,
            requested_at=request.at,
        )


def reject_extension_request(case_id: int, *, actor: Actor, reason: str) -> Case:
    if not reason.strip():
        raise ValidationFailed("required", "say why the extension is refused", field="reason")

    def change(case: Case, current: datetime) -> Done:
        request, level = _open_request(case, actor)
        if request.actor_id:
            notify_staff(
                [request.actor_id],
                "approval_result",
                f"{case.case_number}: L{level} rejected",
                case=case,
                payload={"level": level, "result": "rejected"},
            )
        return Done("extension_rejected", {"level": level, "request_seq": request.seq}, reason=reason.strip())

    return perform(case_id, actor, "extend", EXTENSION_PERMISSION[1], change)
