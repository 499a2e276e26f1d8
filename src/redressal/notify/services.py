"""Staff notifications and the customer-message outbox (SPEC §10). Written in the caller's
transaction, so a rolled-back change never notifies anyone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class StaffNotice:
    """One message to some staff, as ``notify_staff`` takes it: for ``notify_staff_bulk``."""

    recipients: Iterable[int]
    kind: str
    message: str
    case: CaseRef | None = None
    key: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None


def _notifications(notice: StaffNotice) -> list[StaffNotification]:
    case = notice.case
    facts = {**notice.payload, "case_number": case.case_number} if case is not None else notice.payload
    moment = notice.at or now()
    return [
        StaffNotification(
            recipient_id=rid,
            kind=notice.kind,
            case_id=case.pk if case is not None else None,
            message=notice.message,
            payload=facts,
            created_at=moment,
            key=f"{notice.key}:{rid}" if notice.key else None,
        )
        for rid in sorted(set(notice.recipients))
    ]


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
    created = 0
    for notification in _notifications(StaffNotice(recipients, kind, message, case, key, payload or {}, at)):
        try:
            with transaction.atomic():
                notification.save(force_insert=True)
                created += 1
        except IntegrityError:
            continue  # already delivered: a repeated sweep must not notify twice
    return created


def notify_staff_bulk(notices: Iterable[StaffNotice]) -> None:
    """``notify_staff`` for many messages in one INSERT. A keyed notification already written (by an
    earlier or a racing sweep, or twice in ``notices``) is left as it is: one row per key."""
    rows: dict[str, StaffNotification] = {}
    unkeyed: list[StaffNotification] = []
    for notice in notices:
        for notification in _notifications(notice):
            if notification.key is None:
                unkeyed.append(notification)
            else:
                rows.setdefault(notification.key, notification)
    # ON CONFLICT DO NOTHING (INSERT OR IGNORE on SQLite): the unique key is the only constraint a
    # well-formed row can conflict on.
    StaffNotification.objects.bulk_create([*rows.values(), *unkeyed], ignore_conflicts=True)


def message_customer(case: CaseRef, kind: str, body: str, channel: str = "sms") -> CustomerMessage:
    return CustomerMessage.objects.create(case_id=case.pk, kind=kind, channel=channel, body=body, created_at=now())
