"""The complainant's phone for the people handling the case (domain.contact), audited like any reveal."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from redressal.audit.services import record_audit
from redressal.cases.models import Case
from redressal.cases.selectors import readable_case
from redressal.core.errors import NotFound, PermissionDenied, ValidationFailed
from redressal.domain.contact import CONTACT_PERMISSION, on_case_team
from redressal.org.authz import Actor


def may_call(actor: Actor, case: Case) -> bool:
    """Whether ``actor`` is on the case's team (the page offers the reveal only then)."""
    if not actor.has(CONTACT_PERMISSION):
        return False
    contact_units = [path for path, _subtree in actor.scopes(CONTACT_PERMISSION)]
    return on_case_team(
        is_assignee=case.assignee_id == actor.id, contact_units=contact_units, case_unit=case.unit.path
    )


def reveal_contact_phone(case_id: int, *, actor: Actor, reason: str) -> str:
    """The case customer's phone in clear for a member of the case's team, with a reason; audited on the
    case (``pii.reveal``, object the case) so the case's trail shows who looked and why."""
    case = readable_case(actor, case_id)
    actor.require(CONTACT_PERMISSION)
    if not may_call(actor, case):
        raise PermissionDenied("permission_denied", _("只有工单的处理人和受理机构的处理团队可以查看客户联系电话"))
    if not reason.strip():
        raise ValidationFailed("required", _("请填写查看原因"), field="reason")
    customer = case.customer
    if customer is None or not customer.phone:
        raise NotFound("not_found", _("该工单没有客户联系电话"), field="customer")
    with transaction.atomic():
        record_audit(
            "pii.reveal",
            actor_id=actor.id,
            actor_role=actor.primary_role,
            object_type="case",
            object_id=case.case_number,
            reason=reason.strip(),
            payload={"field": "phone", "customer": customer.customer_no, "basis": "case_team"},
        )
    return str(customer.phone)
