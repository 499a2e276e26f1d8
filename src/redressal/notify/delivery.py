"""Delivering the customer-message outbox (SPEC §10): claim due messages, send each through the
customer's preferred channel with a fallback, record every attempt, retry with backoff, and after
``domain.delivery.MAX_ATTEMPTS`` rounds leave a dead letter for staff.

One delivery per message however often or concurrently this runs: a message is claimed by a
conditional UPDATE (only a due, unclaimed row changes; on PostgreSQL the candidates are first locked
with ``FOR UPDATE SKIP LOCKED`` so two workers do not queue on the same rows), and the message's unique
key goes to the SMS gateway as the id and into the mail's Message-ID, so a worker that dies after sending
but before recording is caught by the receiver's duplicate check.

The addresses are decrypted by the caller's ``resolve`` (the customers sit above this app), only here,
never stored in clear, never logged: the row keeps the masked address that was used.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from redressal.core.clock import now
from redressal.core.masking import mask_email, mask_phone
from redressal.domain.delivery import backoff, channel_order, is_dead, quiet_hours_end, sms_may_go
from redressal.domain.mail import reply_subject
from redressal.notify.channels import transports as configured_transports
from redressal.notify.models import CustomerMessage, DeliveryAttempt
from redressal.notify.transports import DeliveryError, Outgoing, Transport

log = logging.getLogger(__name__)

State = CustomerMessage.State
CLAIM_FOR = timedelta(minutes=5)  # a worker that dies mid-send frees its claim after this
BATCH = 200
DUE_STATES = (State.PENDING, State.DEFERRED, State.RETRY)


@dataclass(frozen=True)
class Contact:
    """A customer's decrypted addresses, held only for one delivery round."""

    preferred: str = ""
    phone: str = ""
    email: str = ""
    # Addresses on the other channels (``ADDRESS_BOOKS``): {"wechat": openid}.
    extra: dict[str, str] = field(default_factory=dict)
    # The Message-IDs of the customer's own mails on the case, oldest first (mailin): answers by
    # email go into that thread.
    thread: tuple[str, ...] = ()

    def address(self, channel: str) -> str:
        return {"sms": self.phone, "email": self.email}.get(channel) or self.extra.get(channel, "")


Resolver = Callable[[Iterable[int]], dict[int, Contact]]  # case ids → their customer's contact

# Channels whose addresses live in apps above this one (the WeChat binding of a customer): each
# registers, when it starts, case ids → the address of the case's customer on that channel. Asked
# only when that channel has a transport.
ADDRESS_BOOKS: dict[str, Callable[[Iterable[int]], dict[int, str]]] = {}


def _with_address_books(contacts: dict[int, Contact], case_ids: set[int], channels: dict[str, Transport]) -> None:
    for channel, book in ADDRESS_BOOKS.items():
        if channel not in channels:
            continue
        for case_id, address in book(case_ids).items():
            if address:
                contact = contacts.get(case_id, Contact())
                contacts[case_id] = replace(contact, extra={**contact.extra, channel: address})


@dataclass
class RoundResult:
    claimed: int = 0
    sent: int = 0
    deferred: int = 0
    retry: int = 0
    dead: int = 0


def _due(at: datetime) -> Q:
    # Nothing goes before it was written (a replayed history, as the demo's, asks at past moments).
    waiting = (
        Q(state__in=DUE_STATES)
        & Q(created_at__lte=at)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=at))
    )
    abandoned = Q(state=State.SENDING, claimed_until__lt=at)
    return waiting | abandoned


def claim(at: datetime, limit: int = BATCH) -> list[CustomerMessage]:
    token = uuid.uuid4().hex
    with transaction.atomic():
        candidates = CustomerMessage.objects.filter(_due(at)).order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        CustomerMessage.objects.filter(_due(at), pk__in=ids).update(
            state=State.SENDING, claim=token, claimed_until=at + CLAIM_FOR
        )
    return list(CustomerMessage.objects.filter(claim=token, state=State.SENDING).select_related("case").order_by("pk"))


def _masked(channel: str, address: str) -> str:
    if channel == "wechat":  # an openid is no use to a reader; its tail tells two apart
        return "openid …" + address[-4:]
    return mask_email(address) if channel == "email" else mask_phone(address)


def _subject(message: CustomerMessage) -> str:
    number = message.case.case_number if message.case_id else ""
    return _("关于您的投诉 %(number)s") % {"number": number}


def _outgoing(message: CustomerMessage, contact: Contact, channel: str, address: str) -> Outgoing:
    # The kind chooses a WeChat template; the case number is the template's reference.
    kind, reference = message.kind, message.case.case_number if message.case_id else ""
    if channel != "email" or not contact.thread:
        return Outgoing(message.key, address, _subject(message), message.body, kind=kind, reference=reference)
    return Outgoing(
        message.key,
        address,
        reply_subject(_subject(message)),
        message.body,
        in_reply_to=contact.thread[-1],
        references=contact.thread[-10:],
        kind=kind,
        reference=reference,
    )


def _finish(message: CustomerMessage, **fields: object) -> None:
    # Only the claim holder writes the outcome: a claim that expired and was taken over is not ours.
    CustomerMessage.objects.filter(pk=message.pk, claim=message.claim).update(claim="", claimed_until=None, **fields)


def deliver_message(message: CustomerMessage, contact: Contact, channels: dict[str, Transport], at: datetime) -> str:
    """One round for one claimed message; returns its new state."""
    available = {c for c in channels if contact.address(c)}
    # A decision (and a review's) goes by the notice channel the handler chose for it.
    notice = message.kind in ("decision_notice", "review_decision")
    preferred = message.channel if notice else (contact.preferred or message.channel)
    order = channel_order(preferred, available)
    if not order:
        DeliveryAttempt.objects.create(
            message=message, at=at, channel=message.channel, outcome="failed", error="no deliverable contact"
        )
        _finish(message, state=State.DEAD, attempts=F("attempts") + 1, last_error="no deliverable contact")
        return State.DEAD
    if order[0] == "sms" and not sms_may_go(at, urgent=message.urgent):
        morning = quiet_hours_end(at)
        DeliveryAttempt.objects.create(message=message, at=at, channel="sms", outcome="deferred", error="quiet hours")
        _finish(message, state=State.DEFERRED, next_attempt_at=morning, last_error="")
        return State.DEFERRED
    errors: list[str] = []
    for channel in order:
        if channel == "sms" and not sms_may_go(at, urgent=message.urgent):
            continue
        transport = channels[channel]
        address = contact.address(channel)
        try:
            transport.send(_outgoing(message, contact, channel, address))
        except DeliveryError as exc:
            error = str(exc)[:300]
            errors.append(f"{channel}: {error}")
            DeliveryAttempt.objects.create(message=message, at=at, channel=channel, outcome="failed", error=error)
            log.info("customer message %s: %s failed (%s)", message.pk, channel, error)
            continue
        with transaction.atomic():
            DeliveryAttempt.objects.create(message=message, at=at, channel=channel, outcome="sent")
            _finish(
                message,
                state=State.SENT,
                sent_at=at,
                attempts=F("attempts") + 1,
                delivered_channel=channel,
                delivered_to=_masked(channel, address),
                sink=transport.sink,
                last_error="",
            )
        return State.SENT
    rounds = message.attempts + 1
    last_error = "; ".join(errors)[:300]
    if is_dead(rounds):
        _finish(message, state=State.DEAD, attempts=rounds, last_error=last_error, next_attempt_at=None)
        log.warning("customer message %s is a dead letter after %s rounds", message.pk, rounds)
        return State.DEAD
    _finish(message, state=State.RETRY, attempts=rounds, last_error=last_error, next_attempt_at=at + backoff(rounds))
    return State.RETRY


def deliver_due(resolve: Resolver, *, at: datetime | None = None, limit: int = BATCH) -> RoundResult:
    """Claim up to ``limit`` due messages and deliver each once."""
    moment = at or now()
    result = RoundResult()
    messages = claim(moment, limit)
    if not messages:
        return result
    channels = configured_transports()
    case_ids = {m.case_id for m in messages}
    contacts = resolve(case_ids)
    _with_address_books(contacts, case_ids, channels)
    result.claimed = len(messages)
    try:
        for message in messages:
            state = deliver_message(message, contacts.get(message.case_id, Contact()), channels, moment)
            setattr(result, str(state), getattr(result, str(state)) + 1)
    finally:
        for transport in channels.values():
            transport.close()
    return result


def drain(resolve: Resolver, *, at: datetime | None = None, limit: int = BATCH) -> RoundResult:
    """Rounds until nothing due is left (the worker's task; also the benchmark's)."""
    total = RoundResult()
    while True:
        part = deliver_due(resolve, at=at, limit=limit)
        for name in ("claimed", "sent", "deferred", "retry", "dead"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
        if part.claimed < limit:  # a short batch: nothing more was due when it was claimed
            return total
