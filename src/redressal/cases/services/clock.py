"""Extensions, pauses and restarts of the decision clock (SPEC §5; 办法 第十八条 — article number to verify).

Each takes ``at``, the real-world moment (default now), and the rules judge that moment: an
extension decided before the deadline but typed in after it is in time (SPEC §14). Recording more
than a working day late needs ``backdate_reason`` (:func:`redressal.cases.services._base.perform`).
"""

from __future__ import annotations

from datetime import datetime

from redressal.cases.models import Case
from redressal.cases.services._base import Done, perform, resolve_at
from redressal.cases.services.deadlines import clock_input, profile_of
from redressal.core.errors import ValidationFailed
from redressal.domain.deadlines import check_extension, check_moment, check_pause, check_resume
from redressal.domain.roles import EXTENSION_PERMISSION, Role
from redressal.notify.services import message_customer
from redressal.org.authz import Actor
from redressal.workdays.services import work_calendar


def _approver_role(actor: Actor, case: Case, level: int) -> str:
    """The most senior of the actor's roles here that may approve ``level`` — or their top role."""
    order = [r.value for r in Role]
    roles = sorted(actor.roles_covering(case.unit), key=order.index, reverse=True)
    perm = EXTENSION_PERMISSION.get(level)
    for role in roles:
        if perm and actor.has(perm, case.unit):
            return role
    return roles[0] if roles else ""


def extend_deadline(
    case_id: int,
    *,
    actor: Actor,
    level: int,
    reason: str,
    justification: str,
    customer_notified: bool = True,
    at: datetime | None = None,
    expected_version: int | None = None,
    backdate_reason: str = "",
    requested_at: datetime | None = None,
) -> Case:
    """The approver records the extension; the complainant must be told (notice is sent here).

    ``requested_at``: when the approval answers a handler's request, the moment of the request. The
    period is judged then: a request made in time stays in time however long the approval takes
    (the approver's delay is the bank's, not the complainant's), while the event is dated ``at``.
    """
    if not reason.strip():
        raise ValidationFailed("required", "an extension needs a reason", field="reason")
    if not justification.strip():
        raise ValidationFailed("required", "an extension needs a justification", field="justification")

    def change(case: Case, current: datetime) -> Done:
        moment = resolve_at(at, current)
        profile = profile_of(case)
        role = _approver_role(actor, case, level)
        judged = requested_at if requested_at is not None and requested_at < moment else moment
        check_extension(profile, work_calendar(), clock_input(case), level, judged, role)
        if profile.decision.extension(level).notice_required and not customer_notified:
            raise ValidationFailed(
                "extension.notice_required", "the complainant must be told of the extension", field="customer_notified"
            )
        case.extension_level = level
        message_customer(case, "extension_notice", f"{case.case_number}: {reason}")
        payload = {"level": level, "justification": justification, "approver_role": role, "at": moment}
        if judged != moment:
            payload["requested_at"] = judged.isoformat()
        return Done("extended", payload, reason=reason)

    # Only an extension approver may record one (403 for others); the level's own rule is the domain's.
    return perform(
        case_id,
        actor,
        "extend",
        EXTENSION_PERMISSION[1],
        change,
        expected_version=expected_version,
        backdate_reason=backdate_reason,
    )


def pause_clock(
    case_id: int,
    *,
    actor: Actor,
    reason: str,
    external_party: str,
    evidence: str = "",
    at: datetime | None = None,
    expected_version: int | None = None,
    backdate_reason: str = "",
) -> Case:
    """Only external appraisal, testing or evaluation (鉴定、检测、评估) pauses the clock."""

    def change(case: Case, current: datetime) -> Done:
        moment = resolve_at(at, current)
        check_pause(profile_of(case), work_calendar(), clock_input(case), reason, external_party, moment)
        case.paused = True
        message_customer(case, "pause_notice", f"{case.case_number}: {reason} / {external_party}")
        return Done(
            "paused",
            {"reason_code": reason, "external_party": external_party, "evidence": evidence, "at": moment},
            reason=reason,
        )

    return perform(
        case_id,
        actor,
        "pause",
        "case.clock",
        change,
        expected_version=expected_version,
        backdate_reason=backdate_reason,
    )


def resume_clock(
    case_id: int,
    *,
    actor: Actor,
    at: datetime | None = None,
    expected_version: int | None = None,
    backdate_reason: str = "",
) -> Case:
    def change(case: Case, current: datetime) -> Done:
        moment = resolve_at(at, current)
        check_resume(profile_of(case), work_calendar(), clock_input(case), moment)
        case.paused = False
        return Done("resumed", {"at": moment})

    return perform(
        case_id,
        actor,
        "resume",
        "case.clock",
        change,
        expected_version=expected_version,
        backdate_reason=backdate_reason,
    )


def restart_clock(
    case_id: int,
    *,
    actor: Actor,
    reason: str,
    at: datetime | None = None,
    expected_version: int | None = None,
    backdate_reason: str = "",
) -> Case:
    """New facts and reasons: decision due = date of the new material + 15 days; old due kept."""
    if not reason.strip():
        raise ValidationFailed("required", "describe the new facts and reasons", field="reason")

    def change(case: Case, current: datetime) -> Done:
        moment = resolve_at(at, current)
        if moment < case.received_at:
            raise ValidationFailed("before_receipt", "new material cannot precede receipt", field="at")
        check_moment(clock_input(case), moment)
        case.extension_level = 0
        return Done("clock_restarted", {"at": moment}, reason=reason)

    return perform(
        case_id,
        actor,
        "restart_clock",
        "case.clock",
        change,
        expected_version=expected_version,
        backdate_reason=backdate_reason,
    )
