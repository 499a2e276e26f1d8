"""Solution and compensation within authority limits (SPEC §8); approver ≠ proposer."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from redressal.cases.models import Case, Proposal
from redressal.cases.services._base import Done, perform
from redressal.cases.services.deadlines import profile_of
from redressal.cases.services.projection import text_digest
from redressal.core.errors import ServiceError, ValidationFailed
from redressal.core.refusals import refusal
from redressal.domain.authority import (
    APPROVAL_LADDER,
    approvers_to_tell,
    check_approval,
    check_item_count,
    check_total,
    required_approver_role,
    validate_amount,
    within_limit,
)
from redressal.domain.choices import ITEM_KINDS
from redressal.domain.errors import DomainError
from redressal.domain.lifecycle import State
from redressal.notify.services import notify_staff
from redressal.org.authz import Actor
from redressal.org.selectors import holdings_over

# A decision writes only what it decides: the proposal's items and total stay as proposed.
DECIDED = ["status", "decided_by", "decided_at", "decision_reason"]


def _items(items: list[dict[str, Any]]) -> tuple[list[dict[str, str]], Decimal]:
    try:
        check_item_count(len(items))
    except DomainError as exc:
        raise refusal(exc, ServiceError) from None
    clean: list[dict[str, str]] = []
    total = Decimal("0")
    for i, item in enumerate(items):
        kind = str(item.get("kind", ""))
        if kind not in ITEM_KINDS:
            raise ValidationFailed("invalid_choice", f"unknown compensation kind '{kind}'", field=f"items[{i}].kind")
        try:
            amount = Decimal(str(item.get("amount", "0")))
        except InvalidOperation:
            raise ValidationFailed("invalid_amount", "amount must be a decimal", field=f"items[{i}].amount") from None
        if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2 or amount > Decimal("1e15"):  # type: ignore[operator]
            raise ValidationFailed(
                "invalid_amount", "amount must be ≥ 0 with at most 2 decimals", field=f"items[{i}].amount"
            )
        validate_amount(amount)
        total += amount
        clean.append({"kind": kind, "amount": str(amount), "description": str(item.get("description", ""))[:500]})
    try:
        check_total(total)
    except DomainError as exc:
        raise refusal(exc, ServiceError) from None
    return clean, total


def _pending(case: Case) -> Proposal:
    proposal = case.proposals.filter(status="pending").order_by("-pk").first()
    if proposal is None:
        raise ValidationFailed("no_pending_proposal", "there is no proposal awaiting approval", field="proposal")
    return proposal


def propose_solution(
    case_id: int, *, actor: Actor, solution: str, items: list[dict[str, Any]], expected_version: int | None = None
) -> Case:
    """Within the proposer's limit the solution stands; above it the case waits for an approver."""
    if not solution.strip():
        raise ValidationFailed("required", "describe the solution", field="solution")
    clean, total = _items(items)

    def change(case: Case, current: datetime) -> Done:
        limits = profile_of(case).authority_limits
        roles = actor.roles_covering(case.unit)
        auto = within_limit(total, roles, limits)
        proposal = Proposal.objects.create(
            case=case,
            solution=solution.strip(),
            items=clean,
            total=total,
            status="auto_approved" if auto else "pending",
            proposed_by=actor.staff,
            proposed_at=current,
        )
        payload: dict[str, Any] = {
            "proposal_id": proposal.pk,
            "items": clean,
            "total": str(total),
            # The solution text is not in the event; its digest lets audit-verify see it edited.
            "solution_sha256": text_digest(proposal.solution),
            "within_own_limit": auto,
        }
        if not auto:
            needed = required_approver_role(total, limits)
            payload["approver_role"] = needed
            case.status = State.PENDING_APPROVAL.value
            # Only who could approve this sum for this unit (SPEC §8), nearest the case first; never
            # every holder of the role across the bank.
            approvers = approvers_to_tell(
                total, limits, holdings_over(case.unit, APPROVAL_LADDER), proposer_id=actor.id
            )
            notify_staff(
                approvers,
                "approval",
                f"{case.case_number}: ¥{total}",
                case=case,
                payload={"amount": str(total)},
            )
        else:
            payload["keep_status"] = True
        return Done("solution_proposed", payload)

    return perform(case_id, actor, "propose_solution", "case.propose", change, expected_version=expected_version)


def approve_proposal(case_id: int, *, actor: Actor, reason: str = "", expected_version: int | None = None) -> Case:
    def change(case: Case, current: datetime) -> Done:
        proposal = _pending(case)
        check_approval(
            proposal.total,
            actor.id,
            actor.roles_covering(case.unit),
            proposal.proposed_by_id,
            profile_of(case).authority_limits,
        )
        proposal.status, proposal.decided_by, proposal.decided_at = "approved", actor.staff, current
        proposal.decision_reason = reason
        proposal.save(update_fields=DECIDED)
        notify_staff(
            [proposal.proposed_by_id],
            "approval_result",
            f"{case.case_number}: approved",
            case=case,
            payload={"result": "approved"},
        )
        return Done("solution_approved", {"proposal_id": proposal.pk, "total": str(proposal.total)}, reason=reason)

    return perform(case_id, actor, "approve", "case.approve", change, expected_version=expected_version)


def reject_proposal(case_id: int, *, actor: Actor, reason: str, expected_version: int | None = None) -> Case:
    if not reason.strip():
        raise ValidationFailed("required", "say why the proposal is rejected", field="reason")

    def change(case: Case, current: datetime) -> Done:
        proposal = _pending(case)
        if proposal.proposed_by_id == actor.id:
            raise ValidationFailed("approval.self", "the approver must not be the proposer", field="approver")
        proposal.status, proposal.decided_by, proposal.decided_at = "rejected", actor.staff, current
        proposal.decision_reason = reason
        proposal.save(update_fields=DECIDED)
        notify_staff(
            [proposal.proposed_by_id],
            "approval_result",
            f"{case.case_number}: rejected",
            case=case,
            payload={"result": "rejected"},
        )
        return Done("solution_rejected", {"proposal_id": proposal.pk}, reason=reason)

    return perform(case_id, actor, "reject", "case.approve", change, expected_version=expected_version)
