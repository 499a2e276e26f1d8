"""The bases of the intensity ratios (SPEC §12: outlets and individual customers, from configuration),
set per period and unit by compliance over the units it reports on, each change audited."""

from __future__ import annotations

from django.db import transaction

from redressal.audit.services import record_audit
from redressal.core.clock import now
from redressal.core.errors import ValidationFailed
from redressal.insight.models import ReportingBase
from redressal.insight.regulatory import PERMISSION, period_of
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit

# Bounds that catch a slip of the keyboard (a bank has at most some hundred thousand outlets and some
# billions of customers), not a rule of the regulation.
MAX_OUTLETS = 1_000_000
MAX_CUSTOMERS = 10_000_000_000


def set_reporting_base(
    actor: Actor, *, period: str, unit_code: str, outlets: int, individual_customers: int, reason: str = ""
) -> ReportingBase:
    """Record (or correct) the outlets and individual customers of ``unit_code``'s subtree for ``period``.
    Needs ``report.regulatory`` over that unit; the audit trail keeps the values before and after."""
    label = period_of(period).label
    try:
        unit = OrgUnit.objects.get(code=unit_code)
    except OrgUnit.DoesNotExist:
        raise ValidationFailed("unknown_unit", f"no org unit with code '{unit_code}'", field="unit") from None
    actor.require(PERMISSION, unit)
    if not 0 < outlets <= MAX_OUTLETS:
        raise ValidationFailed("out_of_range", f"outlets must be between 1 and {MAX_OUTLETS}", field="outlets")
    if not 0 < individual_customers <= MAX_CUSTOMERS:
        raise ValidationFailed(
            "out_of_range", f"individual customers must be between 1 and {MAX_CUSTOMERS}", field="individual_customers"
        )
    with transaction.atomic():
        base = ReportingBase.objects.select_for_update().filter(period=label, unit=unit).first()
        before = {"outlets": base.outlets, "individual_customers": base.individual_customers} if base else None
        if base is None:
            base = ReportingBase(period=label, unit=unit)
        base.outlets, base.individual_customers = outlets, individual_customers
        base.updated_at, base.updated_by = now(), actor.staff
        base.save()
        record_audit(
            "insight.base_set",
            actor_id=actor.id,
            actor_role=actor.primary_role,
            object_type="reporting_base",
            object_id=f"{label}:{unit.code}",
            reason=reason,
            payload={"before": before, "after": {"outlets": outlets, "individual_customers": individual_customers}},
        )
    return base
