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

# The typical-case library (案例库) is read by all staff: its entries are anonymised by construction
# (domain.anonymise). Supervisors, branch heads and compliance write entries up from closed cases in
# their scope; compliance and senior managers publish and withdraw them (never their own write-up).
# Training (培训考核): supervisors, branch heads and compliance manage courses for the staff in their
# scope; they and senior managers read the training records of the staff in their scope.
_LIBRARY_READ = frozenset({"library.read"})
_LIBRARY_WRITE = frozenset({"library.read", "library.write"})
_TRAINING_MANAGE = frozenset({"training.manage", "training.read"})

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.CUSTOMER: frozenset(),
    Role.AGENT: _LIBRARY_READ
    | frozenset({"case.read", "case.register", "case.answer", "customer.read", "customer.write"}),
    Role.HANDLER: _LIBRARY_READ
    | frozenset(_HANDLING | {"case.answer", "customer.read", "customer.write", "case.request_review"}),
    Role.SUPERVISOR: _LIBRARY_WRITE | _TRAINING_MANAGE | frozenset(
        _HANDLING
        | {"case.answer", "case.assign", "case.approve", "case.approve_extension.l1", "customer.read",
           "customer.write", "case.request_review", "case.review", "case.review_override"}
    ),
    Role.BRANCH_HEAD: _LIBRARY_WRITE | _TRAINING_MANAGE | frozenset(
        _HANDLING
        | {"case.answer", "case.assign", "case.approve", "case.approve_extension.l1", "customer.read",
           "case.request_review", "case.review", "case.review_override", "pii.view"}
    ),
    Role.SENIOR_MANAGER: _LIBRARY_READ | frozenset(
        {"library.publish", "training.read",
         "case.read", "case.assign", "case.approve", "case.approve_extension.l1", "case.approve_extension.l2",
         "case.escalate", "customer.read", "case.review", "case.review_override", "pii.view"}
    ),
    Role.COLLABORATOR: _LIBRARY_READ | frozenset({"task.read", "task.reply"}),
    Role.COMPLIANCE: _LIBRARY_WRITE | _TRAINING_MANAGE | frozenset(
        {"library.publish",
         "case.read", "customer.read", "report.regulatory", "case.review", "case.request_review", "audit.read"}
    ),
    Role.QA_INSPECTOR: _LIBRARY_READ | frozenset({"case.read", "customer.read", "qa.inspect"}),
    Role.AUDITOR: _LIBRARY_READ | frozenset({"case.read", "customer.read", "audit.read"}),
    # The administrators' set is also the navigation's test for the administration entry: kept to theirs.
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
