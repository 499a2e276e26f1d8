"""Verbs on a conversation: a customer's message in (open or continue), a member of staff's answer,
closing it, and turning it into a case in one step (SPEC §9).

Every staff verb checks ``conversation.answer`` over the conversation's unit (``selectors``); turning
into a case also needs ``case.register`` there. Writes are one transaction each; the answer is sent to
the channel after its transaction commits (no network I/O while the database is locked), and a
channel that refuses is shown to staff on the message, never raised as a server error."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from redressal.audit.services import record_audit
from redressal.cases import services as case_services
from redressal.cases.commands import Upload
from redressal.cases.models import Case
from redressal.conversations import channels
from redressal.conversations.keys import party_index, party_ref
from redressal.conversations.models import ChannelBinding, Conversation, ConversationMessage
from redressal.conversations.selectors import conversation_for
from redressal.core.clock import now
from redressal.core.errors import Conflict, ValidationFailed
from redressal.customers.models import Customer
from redressal.customers.scope import findable_customer
from redressal.customers.services import CustomerInput
from redressal.org.authz import Actor

log = logging.getLogger(__name__)

ANSWER = "conversation.answer"
MAX_ANSWER = 600  # characters: a WeChat customer-service text is at most 2048 bytes of UTF-8
MAX_IN = 4000  # characters kept of one inbound message


@dataclass(frozen=True)
class Inbound:
    channel: str
    party: str  # the customer's key on the channel (an openid)
    kind: str  # text, image, voice …
    text: str
    external_id: str  # the channel's id for the message ("wechat:<MsgId>"), "" when it has none
    at: datetime


@dataclass(frozen=True)
class Received:
    conversation: Conversation
    message: ConversationMessage
    duplicate: bool


def _binding(channel: str, index: str) -> ChannelBinding | None:
    return (
        ChannelBinding.objects.select_related("customer", "customer__home_unit")
        .filter(channel=channel, party_index=index)
        .first()
    )


def _open_conversation(data: Inbound, index: str) -> Conversation:
    current = Conversation.objects.filter(channel=data.channel, party_index=index).exclude(status="closed").first()
    if current is not None:
        return current
    binding = _binding(data.channel, index)
    customer = binding.customer if binding is not None else None
    # A known customer's conversation goes to their home branch; anyone else's to the intake unit.
    unit = customer.home_unit if customer is not None and customer.home_unit is not None else None
    return Conversation.objects.create(
        channel=data.channel,
        party=data.party,
        party_index=index,
        unit=unit or case_services.intake_unit(),
        customer=customer,
        opened_at=data.at,
        last_in_at=data.at,
        updated_at=data.at,
    )


def receive_message(data: Inbound) -> Received:
    """A customer's message: continues their open conversation on the channel or opens one. A message
    whose ``external_id`` was stored already (the channel re-sent it) is answered as a duplicate and
    stored once."""
    index = party_index(data.channel, data.party)
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                if data.external_id:
                    seen = (
                        ConversationMessage.objects.select_related("conversation")
                        .filter(external_id=data.external_id)
                        .first()
                    )
                    if seen is not None:
                        return Received(seen.conversation, seen, duplicate=True)
                conversation = _open_conversation(data, index)
                message = ConversationMessage.objects.create(
                    conversation=conversation,
                    direction=ConversationMessage.Direction.IN,
                    kind=data.kind[:16],
                    text=data.text[:MAX_IN],
                    at=data.at,
                    external_id=data.external_id,
                )
                Conversation.objects.filter(pk=conversation.pk).update(
                    status=Conversation.Status.WAITING, last_in_at=data.at, updated_at=data.at
                )
                conversation.refresh_from_db()
                return Received(conversation, message, duplicate=False)
        except IntegrityError:
            # Two pushes raced: the same message twice, or two first messages opening one conversation.
            # The other one committed; the second look finds it.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def answer(actor: Actor, conversation_id: int, text: str) -> ConversationMessage:
    """Staff answer the customer. The message is stored first; it is sent after the commit, and its
    delivery (sent, or failed with the channel's reason) is on the message staff see."""
    conversation = conversation_for(actor, conversation_id)
    actor.require(ANSWER, conversation.unit)
    text = text.strip()
    if not text:
        raise ValidationFailed("required", "write an answer", field="text")
    if len(text) > MAX_ANSWER:
        raise ValidationFailed("too_long", f"an answer is at most {MAX_ANSWER} characters", field="text")
    if conversation.status == Conversation.Status.CLOSED:
        raise Conflict("conversation.closed", "the conversation is closed")
    at = now()
    with transaction.atomic():
        message = ConversationMessage.objects.create(
            conversation=conversation,
            direction=ConversationMessage.Direction.OUT,
            text=text,
            staff_id=actor.id,
            at=at,
            delivery=ConversationMessage.Delivery.PENDING,
        )
        Conversation.objects.filter(pk=conversation.pk).update(status=Conversation.Status.ANSWERED, updated_at=at)
        record_audit(
            "conversation.answer",
            actor_id=actor.id,
            actor_role=actor.primary_role,
            object_type="conversations.conversation",
            object_id=str(conversation.pk),
            payload={"channel": conversation.channel, "message": message.pk},
        )
    try:
        channels.send(conversation.channel, conversation.party, text)
    except channels.SendFailed as exc:
        error = str(exc)[:300]
        ConversationMessage.objects.filter(pk=message.pk).update(
            delivery=ConversationMessage.Delivery.FAILED, error=error
        )
        # Not answered after all: back in the waiting list, so it is not forgotten.
        Conversation.objects.filter(pk=conversation.pk, status=Conversation.Status.ANSWERED).update(
            status=Conversation.Status.WAITING
        )
        log.warning(
            "conversation answer not delivered",
            extra={"conversation": conversation.pk, "channel": conversation.channel, "error": error},
        )
    else:
        ConversationMessage.objects.filter(pk=message.pk).update(delivery=ConversationMessage.Delivery.SENT)
    message.refresh_from_db()
    return message


def close(actor: Actor, conversation_id: int) -> Conversation:
    conversation = conversation_for(actor, conversation_id)
    actor.require(ANSWER, conversation.unit)
    at = now()
    with transaction.atomic():
        changed = (
            Conversation.objects.filter(pk=conversation.pk)
            .exclude(status="closed")
            .update(status=Conversation.Status.CLOSED, closed_at=at, updated_at=at)
        )
        if not changed:
            raise Conflict("conversation.closed", "the conversation is closed")
        record_audit(
            "conversation.close",
            actor_id=actor.id,
            actor_role=actor.primary_role,
            object_type="conversations.conversation",
            object_id=str(conversation.pk),
        )
    conversation.refresh_from_db()
    return conversation


@dataclass(frozen=True)
class CaseFromConversation:
    """What staff confirm (or correct) before the conversation becomes a case."""

    request_type: str = "complaint"
    description: str = ""  # empty: the customer's own messages
    customer_id: int | None = None  # an existing customer staff may find
    customer_name: str = ""  # else a new customer by this name


def customer_text(messages: list[ConversationMessage]) -> str:
    """The customer's own text messages, in order: the default description of the case."""
    return "\n".join(m.text for m in messages if m.direction == "in" and m.kind == "text" and m.text.strip())


def _channel_label(channel: str) -> str:
    labels = {"wechat": _("微信"), "portal": _("客户服务门户"), "api": _("手机银行")}
    return labels.get(channel, _("其他"))


def transcript_text(conversation: Conversation, messages: list[ConversationMessage]) -> str:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    lines = [
        _("会话记录（%(channel)s，会话编号 %(ref)s）")
        % {"channel": _channel_label(conversation.channel), "ref": conversation.pk},
        "",
    ]
    for m in messages:
        if m.direction == "in":
            who = _("客户")
        elif m.kind in ("assistant", "handover"):
            who = _("智能助手")
        else:
            who = _("客服 %(name)s") % {"name": m.staff.username if m.staff else ""}
        body = m.text if m.kind == "text" or m.direction == "out" else f"[{m.kind}] {m.text}".strip()
        lines.append(f"{m.at.astimezone(tz):%Y-%m-%d %H:%M:%S} {who}: {body}")
    return "\n".join(lines) + "\n"


def turn_into_case(actor: Actor, conversation_id: int, data: CaseFromConversation) -> Case:
    """The conversation becomes a case in one step: registered as brought by the customer through the
    channel (``receive_case``), the transcript attached as electronic evidence, the channel key bound
    to the customer (their later notices can reach them there), the conversation closed and linked."""
    conversation = conversation_for(actor, conversation_id)
    actor.require(ANSWER, conversation.unit)
    actor.require("case.register", conversation.unit)
    if conversation.case_id is not None:
        raise Conflict("conversation.has_case", "the conversation is already a case")
    messages = list(conversation.messages.select_related("staff").order_by("at", "pk"))
    description = data.description.strip() or customer_text(messages)
    if not description:
        raise ValidationFailed("required", "a description of the matter is required", field="description")
    customer: Customer | CustomerInput
    if data.customer_id is not None:
        customer = findable_customer(actor, data.customer_id)
    elif conversation.customer is not None:
        customer = conversation.customer
    elif data.customer_name.strip():
        customer = CustomerInput(name=data.customer_name.strip()[:100], contact_channel=conversation.channel)
    else:
        raise ValidationFailed("required", "choose the customer or type their name", field="customer_name")
    first_in = next((m.at for m in messages if m.direction == "in"), conversation.opened_at)
    transcript = transcript_text(conversation, messages).encode("utf-8")
    register = case_services.RegisterInput(
        request_type=data.request_type,
        channel="wechat" if conversation.channel == "wechat" else "other",
        description=description,
        received_at=first_in,
        attachments=[Upload("transcript.txt", "text/plain", io.BytesIO(transcript))],
        attachment_kind="electronic",
    )
    origin = case_services.ChannelOrigin(conversation.channel, f"conversation:{conversation.pk}")
    at = now()
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if locked.case_id is not None:
            raise Conflict("conversation.has_case", "the conversation is already a case")
        case = case_services.receive_case(register, origin=origin, customer=customer)
        assert case.customer_id is not None
        ChannelBinding.objects.update_or_create(
            channel=conversation.channel,
            party_index=conversation.party_index,
            defaults={
                "party": conversation.party,
                "customer_id": case.customer_id,
                "bound_at": at,
                "bound_by_id": actor.id,
            },
        )
        Conversation.objects.filter(pk=conversation.pk).update(
            case=case, customer_id=case.customer_id, status=Conversation.Status.CLOSED, closed_at=at, updated_at=at
        )
        record_audit(
            "conversation.to_case",
            actor_id=actor.id,
            actor_role=actor.primary_role,
            object_type="conversations.conversation",
            object_id=str(conversation.pk),
            payload={
                "case_number": case.case_number,
                "channel": conversation.channel,
                "party": party_ref(conversation.channel, conversation.party),
            },
        )
    return case


def bound_party(channel: str, customer_id: int) -> str:
    """The customer's key on ``channel`` (decrypted), or ""."""
    binding = ChannelBinding.objects.filter(channel=channel, customer_id=customer_id).order_by("-bound_at").first()
    return binding.party if binding is not None else ""


def record_assistant_reply(conversation_id: int, text: str, at: datetime, *, waiting: bool) -> ConversationMessage:
    """The FAQ assistant's reply (kind "assistant", no staff), already shown to the customer on the
    channel. ``waiting`` (a handover) leaves the conversation waiting for staff; else it is answered —
    unless it was handed over before and no person has answered since (it stays waiting)."""
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
        message = ConversationMessage.objects.create(
            conversation=conversation,
            direction=ConversationMessage.Direction.OUT,
            kind="assistant",
            text=text[:MAX_IN],
            at=at,
        )
        last_handover = (
            conversation.messages.filter(kind="handover").exclude(pk=message.pk).order_by("-pk").first()
        )
        handed_over = (
            last_handover is not None
            and not conversation.messages.filter(pk__gt=last_handover.pk, staff__isnull=False).exists()
        )
        if waiting:
            ConversationMessage.objects.filter(pk=message.pk).update(kind="handover")
            message.kind = "handover"
        status = Conversation.Status.WAITING if waiting or handed_over else Conversation.Status.ANSWERED
        Conversation.objects.filter(pk=conversation.pk).exclude(status="closed").update(status=status, updated_at=at)
    return message
