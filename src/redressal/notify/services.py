"""Staff notifications and the customer-message outbox (SPEC §10). Written in the caller's
transaction, so a rolled-back change never notifies anyone."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Protocol

from django.db import IntegrityError, transaction

from redressal.core.clock import now
from redressal.notify.models import CustomerMessage, StaffNotification


class CaseRef(Protocol):
    """What a notice needs of a case: notify sits below the cases (ARCHITECTURE §2), so it names no model."""

    @property
    def pk(self) -> Any: ...

    @property
    def case_number(self) -> str: ...


def notify_staff(
    recipients: Iterable[int],
    kind: str,
    message: str,
    *,
    case: CaseRef | None = None,
    key: str | None = None,
    payload: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> int:
    """``message`` is a plain-text fallback; ``payload`` holds the facts pages word in the reader's language.
    A notification about a case carries its number: every wording names the case. ``at``: the moment
    the notification is about when that is not now (a deadline warning is dated at its moment even
    when the sweep delivers it later)."""
    facts = {**(payload or {}), "case_number": case.case_number} if case is not None else payload or {}
    created = 0
    for rid in sorted(set(recipients)):
        k = f"{key}:{rid}" if key else None
        try:
            with transaction.atomic():
                StaffNotification.objects.create(
                    recipient_id=rid,
                    kind=kind,
                    case_id=case.pk if case is not None else None,
                    message=message,
                    payload=facts,
                    created_at=at or now(),
                    key=k,
                )
                created += 1
        except IntegrityError:
            continue  # already delivered: a repeated sweep must not notify twice
    return created


def message_customer(case: CaseRef, kind: str, body: str, channel: str = "sms") -> CustomerMessage:
    return CustomerMessage.objects.create(case_id=case.pk, kind=kind, channel=channel, body=body, created_at=now())
