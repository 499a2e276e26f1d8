"""Filters for the management pages: money shown one way everywhere (¥1,234.50)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def yuan(value: Decimal | str | None) -> str:
    """¥1,234.50; an absent limit (``None``) is unlimited."""
    if value is None or value == "":
        return _("不限")
    try:
        return f"¥{Decimal(value):,.2f}"
    except (InvalidOperation, ValueError, TypeError):  # a stored item that is not a number: shown as it is
        return f"¥{value}"


@register.filter
def pretty_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)
