"""Two workers draining the same outbox at once, each on its own connection: every message reaches the
gateway exactly once."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connection

from redressal.notify.delivery import drain
from redressal.notify.models import CustomerMessage
from redressal.notify.services import message_customer
from redressal.outbox.contacts import contacts_for
from tests.conftest import local
from tests.outbox.test_delivery import register

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_two_workers_send_each_message_once(bank, channels_env, sms_gateway):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL (SQLite serialises writers in one file)")
    at = local(2024, 9, 20, 10)
    with time_machine.travel(at, tick=False):
        case = register(bank)
        for i in range(59):
            message_customer(case, "extension_notice", f"说明 {i}")
    errors: list[BaseException] = []

    def work() -> None:
        try:
            drain(contacts_for, at=at, limit=7)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    ids = [r["body"]["id"] for r in sms_gateway.requests]
    assert len(ids) == 60 and len(set(ids)) == 60
    assert CustomerMessage.objects.filter(state="sent").count() == 60
