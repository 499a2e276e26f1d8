"""Labels of the improvement pages: ``{{ issue.state|improvement:"issue_state" }}``."""

from __future__ import annotations

from typing import Any

from django import template

from redressal.web.labels import IMPROVEMENT_LABELS

register = template.Library()


@register.filter(name="improvement")
def improvement_label(value: str, table: str) -> Any:
    return IMPROVEMENT_LABELS.get(table, {}).get(value, value)
