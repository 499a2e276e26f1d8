"""The actions a person may take on a case now (what the case page offers): the domain's offers for the
case's state, narrowed to the person's permissions and approval authority (SPEC §8). Nothing is offered
that the service would refuse; the services check it all again."""

from __future__ import annotations

from redressal.cases.models import Case, Proposal
from redressal.cases.services.deadlines import profile_of
from redressal.domain.authority import may_approve
from redressal.domain.lifecycle import allowed_actions
from redressal.domain.offers import Offer, offerable
from redressal.org.authz import Actor


def pending_proposal(case: Case, proposals: list[Proposal] | None = None) -> Proposal | None:
    """The proposal awaiting approval; ``proposals`` are the case's when the page has loaded them."""
    rows = case.proposals.filter(status="pending") if proposals is None else proposals
    return next((p for p in rows if p.status == "pending"), None)


def may_decide(case: Case, actor: Actor, proposals: list[Proposal] | None = None) -> bool:
    """Approve/reject are offered only to one whose authority covers the pending amount (SPEC §8)."""
    pending = pending_proposal(case, proposals)
    if pending is None:
        return False
    limits = profile_of(case).authority_limits
    roles = actor.roles_covering(case.unit)
    return may_approve(pending.total, int(actor.id), roles, int(pending.proposed_by_id), limits)


def offered_actions(case: Case, actor: Actor, proposals: list[Proposal] | None = None) -> list[Offer]:
    """The offers this person may take on this case now, in the page's order."""
    # The pending proposal is looked up only when the state allows approving one.
    decidable = {"approve", "reject"} & set(allowed_actions(case.status, case.request_type))
    awaiting = bool(decidable) and pending_proposal(case, proposals) is not None
    # Asked once for approve and reject alike (it reads the pending proposal and the profile).
    deciding = awaiting and may_decide(case, actor, proposals)
    out = []
    for offer in offerable(
        case.status,
        case.request_type,
        review=case.kind == Case.Kind.REVIEW,
        paused=case.paused,
        awaiting_approval=awaiting,
    ):
        if not actor.has(offer.permission, case.unit):
            continue
        if offer.action in ("approve", "reject") and not deciding:
            continue
        out.append(offer)
    return out
