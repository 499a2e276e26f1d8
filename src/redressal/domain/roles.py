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
    # The root-cause issues over the cases one handles (reading only; see _IMPROVE_* below).
    "improvement.read",
}

# Root-cause remediation and accountability (SPEC §12, 溯源整改 and 问责): reading an issue is for
# those who read the cases it groups; opening one, adding its actions and closing it for those who
# answer for a unit's service (supervisor, branch head) and for consumer-protection compliance. An
# accountability finding is read by its staff member, their reporting line and these same roles over
# the staff member's unit — never by peers.
_IMPROVE_READ = {"improvement.read", "accountability.read"}
_IMPROVE_MANAGE = _IMPROVE_READ | {"improvement.manage", "accountability.manage"}
# The typical-case library (案例库) is read by all staff: its entries are anonymised by construction
# (domain.anonymise). Supervisors, branch heads and compliance write entries up from closed cases in
# their scope; compliance and senior managers publish and withdraw them (never their own write-up).
# Training (培训考核): supervisors, branch heads and compliance manage courses for the staff in their
# scope; they and senior managers read the training records of the staff in their scope.
_LIBRARY_READ = frozenset({"library.read"})
_LIBRARY_WRITE = frozenset({"library.read", "library.write"})
_TRAINING_MANAGE = frozenset({"training.manage", "training.read"})

# The complaint mailbox (mailin): the quarantined messages, retried or set aside. Checked over the intake
# unit, where mail lands: its supervisors and the administrators, not every branch's supervisors.
_MAIL_MANAGE = frozenset({"mail.manage"})

# The permissions that open the administration site (any of them); the admin role holds more.
ADMINISTRATION = frozenset({"admin.org", "admin.calendar", "admin.users"})

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.CUSTOMER: frozenset(),
    Role.AGENT: _LIBRARY_READ
    | frozenset({"case.read", "case.register", "case.answer", "customer.read", "customer.write"}),
    Role.HANDLER: _LIBRARY_READ
    | frozenset(_HANDLING | {"case.answer", "customer.read", "customer.write", "case.request_review"}),
    Role.SUPERVISOR: _LIBRARY_WRITE | _TRAINING_MANAGE | frozenset(
        _HANDLING
        | {"case.answer", "case.assign", "case.approve", "case.approve_extension.l1", "customer.read",
           "customer.write", "case.request_review", "case.review", "case.review_override", "outbox.retry"}
        | _IMPROVE_MANAGE
        | {"quality.scorecard.team", "qa.decide_appeal"}
        | _MAIL_MANAGE
    ),
    Role.BRANCH_HEAD: _LIBRARY_WRITE | _TRAINING_MANAGE | frozenset(
        _HANDLING
        | {"case.answer", "case.assign", "case.approve", "case.approve_extension.l1", "customer.read",
           "case.request_review", "case.review", "case.review_override", "pii.view", "outbox.retry"}
        | _IMPROVE_MANAGE
        | {"quality.scorecard.unit", "qa.decide_appeal"}
    ),
    Role.SENIOR_MANAGER: _LIBRARY_READ | frozenset(
        {"library.publish", "training.read",
         "case.read", "case.assign", "case.approve", "case.approve_extension.l1", "case.approve_extension.l2",
         "case.escalate", "customer.read", "case.review", "case.review_override", "pii.view",
         "quality.scorecard.unit"}
        | _IMPROVE_READ
    ),
    Role.COLLABORATOR: _LIBRARY_READ | frozenset({"task.read", "task.reply"}),
    Role.COMPLIANCE: _LIBRARY_WRITE | _TRAINING_MANAGE | frozenset(
        {"library.publish",
         "case.read", "customer.read", "report.regulatory", "case.review", "case.request_review", "audit.read",
         "qa.configure", "quality.scorecard.unit"}
        | _IMPROVE_MANAGE
    ),
    # QA (质检, SPEC §12): inspectors score sampled cases, decide one another's appeals and read the
    # scorecards the scores feed; compliance sets the sampling rule and the rubric.
    Role.QA_INSPECTOR: _LIBRARY_READ | frozenset(
        {"case.read", "customer.read", "qa.inspect", "qa.decide_appeal", "quality.scorecard.unit", "improvement.read"}
    ),
    Role.AUDITOR: _LIBRARY_READ | frozenset({"case.read", "customer.read", "audit.read"} | _IMPROVE_READ),
    # The outbox: an administrator sees every message's delivery (not the case) and may send a dead
    # letter again, as a supervisor may for the units they answer for (outbox.retry, audited).
    Role.ADMIN: ADMINISTRATION | {"outbox.read", "outbox.retry"} | _MAIL_MANAGE,
}

# Whose authority to approve an extension reaches which level (SPEC §5: level 2 only by the
# superior institution or a head-office senior manager).
EXTENSION_PERMISSION = {1: "case.approve_extension.l1", 2: "case.approve_extension.l2"}


def permissions_for(roles: set[str]) -> frozenset[str]:
    out: set[str] = set()
    for role in roles:
        out |= ROLE_PERMISSIONS.get(Role(role), frozenset())
    return frozenset(out)

# Regulator transfer lists (SPEC §9, decision 0022): importing one registers a case per row, so it is
# for those who register cases and answer for a unit's intake of regulator transfers — supervisors and
# branch heads, within their scope. Compliance reads every case but registers none; agents and
# handlers register single transfers through the form.
for _role in (Role.SUPERVISOR, Role.BRANCH_HEAD):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {"transfers.import"}

# Customer conversations (WeChat messages, later the portal assistant; SPEC §9): read and answered by
# the staff who take customers' contacts — agents, handlers and supervisors over the conversation's
# unit (the intake unit, or the bound customer's home branch).
_CONVERSATION = frozenset({"conversation.read", "conversation.answer"})
for _role in (Role.AGENT, Role.HANDLER, Role.SUPERVISOR):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _CONVERSATION

# The FAQ knowledge base (SPEC §11, decision 0025): supervisors and compliance write entries
# (faq.edit); a second person with faq.publish reviews and publishes — never the author of the version.
for _role in (Role.SUPERVISOR, Role.COMPLIANCE, Role.SENIOR_MANAGER):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {"faq.edit"}
for _role in (Role.SUPERVISOR, Role.COMPLIANCE):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {"faq.publish"}
