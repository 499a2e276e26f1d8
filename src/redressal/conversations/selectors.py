"""Conversations as staff read them. Scope: a conversation belongs to a unit (the intake unit, or the
bound customer's home branch); whoever holds ``conversation.read`` over that unit (a grant on it or,
with subtree, above it) sees it. Anything else answers as a conversation that does not exist."""

from __future__ import annotations

from django.db.models import QuerySet

from redressal.conversations.models import Conversation, ConversationMessage
from redressal.core.errors import NotFound
from redressal.org.authz import Actor
from redressal.org.selectors import scope_unit_ids

READ = "conversation.read"
LIST_STATES = ("waiting", "answered", "closed")


def can_see(actor: Actor) -> bool:
    return bool(actor.scope_paths(READ))


def conversations(actor: Actor, status: str = "waiting") -> QuerySet[Conversation]:
    """Newest customer message first."""
    status = status if status in LIST_STATES else "waiting"
    return (
        Conversation.objects.filter(unit_id__in=scope_unit_ids(actor, READ), status=status)
        .select_related("unit", "case", "customer")
        .order_by("-last_in_at", "-pk")
    )


def waiting_count(actor: Actor) -> int:
    return Conversation.objects.filter(unit_id__in=scope_unit_ids(actor, READ), status="waiting").count()


def conversation_for(actor: Actor, conversation_id: int) -> Conversation:
    conversation = Conversation.objects.select_related("unit", "case", "customer").filter(pk=conversation_id).first()
    if conversation is None or not actor.has(READ, conversation.unit):
        raise NotFound("not_found", "conversation not found")
    return conversation


def transcript(conversation: Conversation) -> list[ConversationMessage]:
    return list(conversation.messages.select_related("staff").order_by("at", "pk"))
