"""Key rotation reaches the customers' channel keys too: conversations and bindings re-sealed under
the new key, still found by their keyed hash; ``--reindex`` rebuilds the hashes for a new index key."""

from __future__ import annotations

import base64
import os

import pytest
from django.core.management import call_command
from django.db import connection

from redressal.conversations import services as conv
from redressal.conversations.keys import party_index
from redressal.conversations.models import ChannelBinding, Conversation
from redressal.core import crypto
from tests.conftest import local

pytestmark = pytest.mark.django_db


def raw(table: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT party FROM {table} WHERE id = %s", [pk])
        return cur.fetchone()[0]


def test_rotation_reseals_openids(bank, settings):
    received = conv.receive_message(
        conv.Inbound("wechat", "oRotate-1", "text", "你好", "wechat:1", local(2024, 9, 20, 10))
    )
    case = conv.turn_into_case(
        bank.actor("hosup"), received.conversation.pk, conv.CaseFromConversation(customer_name="钱七")
    )
    binding = ChannelBinding.objects.get(customer=case.customer)
    old = settings.PII_KEYS
    settings.PII_KEYS = "k9:" + base64.b64encode(os.urandom(32)).decode() + "," + old
    call_command("conversations_rotate", verbosity=0)
    assert crypto.key_id_of(raw("conversations_conversation", received.conversation.pk)) == "k9"
    assert crypto.key_id_of(raw("conversations_channelbinding", binding.pk)) == "k9"
    assert Conversation.objects.get(party_index=party_index("wechat", "oRotate-1")).party == "oRotate-1"

    settings.PII_INDEX_KEY = base64.b64encode(os.urandom(32)).decode()
    call_command("conversations_rotate", "--reindex", verbosity=0)
    assert ChannelBinding.objects.get(party_index=party_index("wechat", "oRotate-1")).party == "oRotate-1"
