"""Audit listings for compliance and internal audit (SPEC §13)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from redressal.api.auth import actor_of
from redressal.api.schemas import BackdatedOut, Error
from redressal.cases import selectors_audit as audit
from redressal.cases.selectors import iso

router = Router(tags=["audit"])
ERRORS: dict[int, type[Schema]] = {s: Error for s in (400, 401, 403, 422)}


@router.get("/audit/backdated", response={200: list[BackdatedOut], **ERRORS})
def backdated(request: HttpRequest) -> Any:
    """Case actions recorded more than one working day after their ``at``, with who and why."""
    rows = audit.backdated_actions(actor_of(request))
    return [
        {
            "case_id": r.case_id,
            "case_number": r.case_number,
            "action": r.action,
            "at": iso(r.at) or "",
            "recorded_at": iso(r.recorded_at) or "",
            "actor": r.actor,
            "role": r.role,
            "reason": r.reason,
        }
        for r in rows
    ]
