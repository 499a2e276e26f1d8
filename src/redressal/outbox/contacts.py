"""Where a case's messages go: its customer's phone and email, decrypted for one delivery round only
(SPEC §13: the delivery service is the one reader of these in clear; nothing here is logged).

A case that came by email is answered in the customer's thread: the Message-IDs of their mails on the
case (the ``via`` reference of the events the mail channel recorded, decision 0019) go with the
contact, and the mail carries them as In-Reply-To and References."""

from __future__ import annotations

from collections.abc import Iterable

from redressal.cases.models import Case, CaseEvent
from redressal.domain.mail import is_synthetic
from redressal.notify.delivery import Contact

THREAD_EVENTS = ("registered", "correspondence_received")


def _threads(case_ids: list[int]) -> dict[int, tuple[str, ...]]:
    out: dict[int, list[str]] = {}
    events = (
        CaseEvent.objects.filter(case_id__in=case_ids, type__in=THREAD_EVENTS, payload__via__adapter="email")
        .order_by("case_id", "seq")
        .values_list("case_id", "payload")
    )
    for case_id, payload in events:
        reference = str((payload.get("via") or {}).get("reference") or "")
        # A message that had no Message-ID is known by a digest (domain.mail.synthetic_id): nothing to quote.
        if reference and "@" in reference and not is_synthetic(reference):
            refs = out.setdefault(case_id, [])
            if reference not in refs:
                refs.append(reference)
    return {k: tuple(v) for k, v in out.items()}


def contacts_for(case_ids: Iterable[int]) -> dict[int, Contact]:
    ids = list(case_ids)
    out: dict[int, Contact] = {}
    cases = (
        Case.objects.filter(pk__in=ids)
        .select_related("customer")
        .only("pk", "channel", "customer__phone", "customer__email", "customer__contact_channel")
    )
    email_cases = [c.pk for c in cases if c.channel == Case.Channel.EMAIL]
    threads = _threads(email_cases) if email_cases else {}
    for case in cases:
        customer = case.customer
        if customer is None:
            out[case.pk] = Contact()
            continue
        out[case.pk] = Contact(
            preferred=customer.contact_channel or "",
            phone=customer.phone or "",
            email=customer.email or "",
            thread=threads.get(case.pk, ()),
        )
    return out
