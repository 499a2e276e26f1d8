"""The case page's "mark as typical case" button (案例库): shown on a closed case to those who may
write library entries over its unit; ``library.services.entries.mark_typical`` decides again."""

from __future__ import annotations

from typing import Any

from django import template

from redressal.domain.lifecycle import State
from redressal.library.models import LibraryEntry
from redressal.library.services.entries import WRITE
from redressal.org.authz import request_actor

register = template.Library()


@register.inclusion_tag("web/library/_typical_button.html", takes_context=True)
def typical_case(context: Any, case: Any) -> dict[str, Any]:
    actor = request_actor(context["request"])
    if actor is None or case.status != State.CLOSED or not actor.has(WRITE, case.unit):
        return {"show": False}
    entry = LibraryEntry.objects.filter(source_case_id=case.pk).values_list("pk", flat=True).first()
    return {"show": True, "case": case, "entry_id": entry, "csrf_token": context.get("csrf_token")}
