"""Where a case's messages go: its customer's phone and email, decrypted for one delivery round only
(SPEC §13: the delivery service is the one reader of these in clear; nothing here is logged)."""

from __future__ import annotations

from collections.abc import Iterable

from redressal.cases.models import Case
from redressal.notify.delivery import Contact


def contacts_for(case_ids: Iterable[int]) -> dict[int, Contact]:
    out: dict[int, Contact] = {}
    cases = (
        Case.objects.filter(pk__in=list(case_ids))
        .select_related("customer")
        .only("pk", "customer__phone", "customer__email", "customer__contact_channel")
    )
    for case in cases:
        customer = case.customer
        if customer is None:
            out[case.pk] = Contact()
            continue
        out[case.pk] = Contact(
            preferred=customer.contact_channel or "", phone=customer.phone or "", email=customer.email or ""
        )
    return out
