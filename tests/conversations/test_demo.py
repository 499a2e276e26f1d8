"""The demo's WeChat conversations: waiting in the intake unit, the same on every seed run."""

from __future__ import annotations

import pytest
from django.utils import timezone

from redressal.conversations.models import Conversation, ConversationMessage
from redressal.demo.conversations import THREADS, build_conversations

pytestmark = pytest.mark.django_db


def test_demo_conversations_wait_in_the_intake_unit(bank):
    horizon = timezone.now()
    stored = build_conversations(horizon, 7)
    assert stored == sum(len(t) for t in THREADS) == ConversationMessage.objects.count()
    assert Conversation.objects.filter(status="waiting", unit=bank.ho).count() == len(THREADS)
    assert not ConversationMessage.objects.filter(at__gt=horizon).exists()
    assert build_conversations(horizon, 7) == 0  # the same ids: a second run stores nothing
