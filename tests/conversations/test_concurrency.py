"""WeChat re-sends a push it had no answer to in time, sometimes while the first copy is still being
handled: two copies at once, each on its own connection, store one message in one conversation; two
first messages of one person at once open one conversation."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from redressal.conversations import services as conv
from redressal.conversations.models import Conversation, ConversationMessage
from tests.conftest import local

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def run_at_once(*inbounds: conv.Inbound) -> list[conv.Received]:
    barrier = threading.Barrier(len(inbounds))
    results: list[conv.Received] = []
    errors: list[BaseException] = []

    def work(data: conv.Inbound) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(conv.receive_message(data))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(data,)) for data in inbounds]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL (SQLite serialises writers in one file)")


def test_the_same_push_twice_at_once_is_one_message(bank, postgres_only):
    data = conv.Inbound("wechat", "oRacer", "text", "重复推送", "wechat:5150", local(2024, 9, 20, 10))
    for _ in range(5):
        run_at_once(data, data, data)
    assert ConversationMessage.objects.filter(external_id="wechat:5150").count() == 1
    assert Conversation.objects.count() == 1


def test_two_first_messages_at_once_open_one_conversation(bank, postgres_only):
    at = local(2024, 9, 20, 10)
    for round_ in range(5):
        party = f"oNew-{round_}"
        first = conv.Inbound("wechat", party, "text", "一", f"wechat:{round_}01", at)
        second = conv.Inbound("wechat", party, "text", "二", f"wechat:{round_}02", at)
        results = run_at_once(first, second)
        assert len({r.conversation.pk for r in results}) == 1
    assert Conversation.objects.count() == 5 and ConversationMessage.objects.count() == 10
