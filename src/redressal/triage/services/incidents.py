"""The end of a mass incident (SPEC §6 群体性事件, §12 溯源整改): its root cause, and closing it.

Closing ends the grouping only: a later spike on the same key opens a new incident, and every case of
this one keeps its own lifecycle (answered and closed through its own actions). The root cause may be
recorded while the incident is open and revised until it closes; closing requires one, because an
incident closed without a cause teaches the bank nothing.

Who may: the people the alert reached and their superiors, ``case.review`` over the incident's own unit
(a reader whose scope covers only some of its cases may look but not close it). An incident is not a
case and has no case history, so each change is an audit event with the before and after values.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from redressal.audit.services import record_audit
from redressal.core.clock import now
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.domain.codes import load_codes
from redressal.org.authz import Actor
from redressal.triage.models import MassIncident
from redressal.triage.page_selectors import visible_incidents

INCIDENT_CLOSE = "case.review"
ROOT_CAUSE_MAX = 2000


def may_decide(actor: Actor, incident: MassIncident) -> bool:
    """Who may record the root cause and end the incident: ``case.review`` over its own unit."""
    return actor.has(INCIDENT_CLOSE, incident.unit)


def _locked(incident_id: int, actor: Actor) -> MassIncident:
    incident = MassIncident.objects.select_for_update().filter(pk=incident_id).first()
    # One answer for "no such incident" and "not in your scope": an id is no oracle.
    if incident is None or not visible_incidents(actor).filter(pk=incident_id).exists():
        raise NotFound("not_found", _("群体性事件不存在"), field="incident_id")
    if not may_decide(actor, incident):
        raise PermissionDenied("permission_denied", _("您无权处理该群体性事件"), field="incident_id")
    if incident.status == MassIncident.Status.CLOSED:
        raise Conflict("incident.closed", _("该事件已结束"), field="incident_id")
    return incident


def _clean(root_cause: str, cause_code: str, *, required: bool) -> tuple[str, str]:
    text = root_cause.strip()
    if required and not text:
        raise ValidationFailed("incident.root_cause_required", _("结束事件前须填写根因"), field="root_cause")
    if len(text) > ROOT_CAUSE_MAX:
        raise ValidationFailed(
            "too_long", _("根因说明不能超过 %(n)d 字") % {"n": ROOT_CAUSE_MAX}, field="root_cause"
        )
    code = cause_code.strip()
    if code and code not in {c.code for c in load_codes().leaves("C")}:
        raise ValidationFailed("codes.unknown", _("不是有效的原因分类（C类）代码"), field="cause_code")
    return text, code


def record_incident_root_cause(
    incident_id: int, *, actor: Actor, root_cause: str, cause_code: str = "", close: bool = False
) -> MassIncident:
    """Record (or revise) the incident's root cause; with ``close``, also end the incident."""
    text, code = _clean(root_cause, cause_code, required=close)
    with transaction.atomic():
        incident = _locked(incident_id, actor)
        before = {"root_cause": incident.root_cause, "cause_code": incident.cause_code, "status": incident.status}
        incident.root_cause, incident.cause_code = text, code
        fields = ["root_cause", "cause_code"]
        if close:
            incident.status = MassIncident.Status.CLOSED
            incident.closed_at = now()
            incident.closed_by = actor.staff
            fields += ["status", "closed_at", "closed_by"]
        after = {"root_cause": incident.root_cause, "cause_code": incident.cause_code, "status": incident.status}
        if before == after:
            return incident
        incident.save(update_fields=fields)
        record_audit(
            "mass_incident.closed" if close else "mass_incident.root_cause",
            actor_id=actor.id,
            actor_role=actor.primary_role,
            object_type="mass_incident",
            object_id=str(incident.pk),
            reason=text,
            payload={"changes": {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}},
        )
    return incident
