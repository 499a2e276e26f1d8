"""Staff notifications and the customer-message outbox (SPEC §10). Written in the caller's
transaction, so a rolled-back change never notifies anyone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from django.db import IntegrityError, transaction
from django.utils import translation

from redressal.core.clock import now
from redressal.domain.delivery import URGENT_KINDS
from redressal.notify.models import CustomerMessage, MessageTemplate, StaffNotification


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


class _Facts(dict[str, str]):
    """A placeholder a template names but the caller did not give stays visible instead of failing."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


DEFAULT_LANGUAGE = "zh-hans"


def render_template(kind: str, facts: dict[str, str], language: str = DEFAULT_LANGUAGE) -> tuple[str, int] | None:
    """The newest active template of ``kind`` in ``language`` (else in Chinese, the bank's language of
    record) filled with ``facts``, and its version."""
    templates = MessageTemplate.objects.filter(kind=kind, active=True, language__in={language, DEFAULT_LANGUAGE})
    template = max(templates, key=lambda t: (t.language == language, t.version), default=None)
    if template is None:
        return None
    return template.body.format_map(_Facts(facts)), template.version


def language_of(case: CaseRef) -> str:
    """The complainant's language (``Customer.language``), Chinese when the case names no customer."""
    customer = getattr(case, "customer", None)
    return getattr(customer, "language", "") or DEFAULT_LANGUAGE


def message_customer(
    case: CaseRef,
    kind: str,
    body: str,
    channel: str = "sms",
    *,
    urgent: bool = False,
    facts: dict[str, Any] | None = None,
) -> CustomerMessage:
    """Queue a message to the complainant: one row in the caller's transaction, delivered later by the
    worker (``notify.delivery``). ``body`` is the text the service composed; when an active template of
    ``kind`` exists (admin-editable, versioned) it is worded by the template, ``body`` filling
    ``{detail}``. ``urgent`` lets an SMS go in the night hours (domain.delivery).

    Worded in the complainant's language, whoever triggered it: a template of that language, and the
    facts (a lazily translated label such as the request type) rendered in it."""
    language = language_of(case)
    with translation.override(language):
        worded = {name: str(value) for name, value in (facts or {}).items()}
    rendered = render_template(kind, {"case_number": case.case_number, "detail": body, **worded}, language)
    text, version = rendered if rendered is not None else (body, None)
    return CustomerMessage.objects.create(
        case_id=case.pk,
        kind=kind,
        channel=channel,
        body=text,
        created_at=now(),
        urgent=urgent and kind in URGENT_KINDS,
        template_version=version,
    )
