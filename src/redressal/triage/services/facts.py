"""Facts about a case that triage, duplicates and routing read: who the complainant is, the codes
of the case (confirmed, else suggested), the normalised text."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Q

from redressal.cases.models import Case
from redressal.core.text import normalize
from redressal.customers.models import Customer


def customer_key(case: Case) -> str:
    if case.customer_id:
        return f"c:{case.customer_id}"
    return f"n:{normalize(case.complainant_name)}" if case.complainant_name else ""


def text_hash(text: str) -> str:
    # Punctuation and spacing do not make new facts: "同上！！" and "同上" are the same text.
    folded = "".join(ch for ch in normalize(text) if ch.isalnum())
    return hashlib.sha256(folded.encode()).hexdigest()


def code_in(classification: Mapping[str, Any], axis: str) -> str:
    """The confirmed code of an axis, else the suggested one, else "". ``classification``: the case's, or
    one it does not hold yet (a registration being prepared)."""
    entry = classification.get(axis) or {}
    for key in ("confirmed", "suggested"):
        value = entry.get(key)
        if value and value.get("code"):
            return str(value["code"])
    return ""


def confirmed_in(classification: Mapping[str, Any], axis: str) -> str:
    entry = classification.get(axis) or {}
    confirmed = entry.get("confirmed") or {}
    return str(confirmed.get("code") or "")


def dimensions(case: Case, classification: Mapping[str, Any]) -> dict[str, str]:
    """The triage record's columns that mass-incident detection compares. The channel of receipt is a
    recorded fact; a suggestion never overrides it."""
    return {
        "product": case.product or code_in(classification, "product"),
        "business": code_in(classification, "business"),
        "cause": code_in(classification, "cause"),
        "channel": confirmed_in(classification, "channel") or case.channel,
    }


def birth_date(customer: Customer | None) -> date | None:
    if customer is None or not customer.birth_date:
        return None
    try:
        return date.fromisoformat(str(customer.birth_date))
    except ValueError:
        return None


def same_person_customers(customer: Customer | None) -> list[int]:
    """The complainant's customer record and any other record with the same ID number, phone or card
    (blind index: equal clear text, equal index; nothing is decrypted)."""
    if customer is None:
        return []
    mine = {int(customer.pk)} if customer.pk else set()  # a customer being registered has no id yet
    match = Q()
    for name in ("id_number_index", "phone_index", "card_index"):
        value = getattr(customer, name)
        if value:
            match |= Q(**{name: value})
    if not match:
        return sorted(mine)
    ids = set(Customer.objects.filter(match).values_list("pk", flat=True)[:20])
    return sorted(ids | mine)
