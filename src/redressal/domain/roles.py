"""Roles and the permissions they carry (SPEC §1). Roles are scoped to an org unit (and subtree)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CUSTOMER = "customer"
    AGENT = "agent"
    HANDLER = "handler"
    SUPERVISOR = "supervisor"
    BRANCH_HEAD = "branch_head"
    SENIOR_MANAGER = "senior_manager"
    COLLABORATOR = "collaborator"
    COMPLIANCE = "compliance"
    QA_INSPECTOR = "qa_inspector"
    AUDITOR = "auditor"
    ADMIN = "admin"


_HANDLING = {
    "case.read", "case.register", "case.accept", "case.investigate", "case.propose", "case.respond",
    "case.feedback", "case.reopen", "case.withdraw", "case.decline", "case.merge", "case.escalate",
    "case.task", "case.clock", "case.visit",
    # Calling the complainant of a case one handles (domain.contact): the phone in clear, with a reason.
    "case.contact",
}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.CUSTOMER: frozenset(),
    Role.AGENT: frozenset({"case.read", "case.register", "case.answer", "customer.read", "customer.write"}),
    Role.HANDLER: frozenset(_HANDLING | {"case.answer", "customer.read", "customer.write", "case.request_review"}),
    Role.SUPERVISOR: frozenset(
        _HANDLING
        | {"case.answer", "case.assign", "case.approve", "case.approve_extension.l1", "customer.read",
           "customer.write", "case.request_review", "case.review", "case.review_override"}
        | {"quality.scorecard.team", "qa.decide_appeal"}
    ),
    Role.BRANCH_HEAD: frozenset(
        _HANDLING
        | {"case.answer", "case.assign", "case.approve", "case.approve_extension.l1", "customer.read",
           "case.request_review", "case.review", "case.review_override", "pii.view"}
        | {"quality.scorecard.unit", "qa.decide_appeal"}
    ),
    Role.SENIOR_MANAGER: frozenset(
        {"case.read", "case.assign", "case.approve", "case.approve_extension.l1", "case.approve_extension.l2",
         "case.escalate", "customer.read", "case.review", "case.review_override", "pii.view",
         "quality.scorecard.unit"}
    ),
    Role.COLLABORATOR: frozenset({"task.read", "task.reply"}),
    Role.COMPLIANCE: frozenset(
        {"case.read", "customer.read", "report.regulatory", "case.review", "case.request_review", "audit.read",
         "qa.configure", "quality.scorecard.unit"}
    ),
    # QA (质检, SPEC §12): inspectors score sampled cases, decide one another's appeals and read the
    # scorecards the scores feed; compliance sets the sampling rule and the rubric.
    Role.QA_INSPECTOR: frozenset(
        {"case.read", "customer.read", "qa.inspect", "qa.decide_appeal", "quality.scorecard.unit"}
    ),
    Role.AUDITOR: frozenset({"case.read", "customer.read", "audit.read"}),
    Role.ADMIN: frozenset({"admin.org", "admin.calendar", "admin.users"}),
}

# Whose authority to approve an extension reaches which level (SPEC §5: level 2 only by the
# superior institution or a head-office senior manager).
EXTENSION_PERMISSION = {1: "case.approve_extension.l1", 2: "case.approve_extension.l2"}


def permissions_for(roles: set[str]) -> frozenset[str]:
    out: set[str] = set()
    for role in roles:
        out |= ROLE_PERMISSIONS.get(Role(role), frozenset())
    return frozenset(out)
