"""The long-running poller (``redressal mail-poll`` without ``--once``): IDLE wakes it as a mail arrives,
with no pass due for ten minutes; a server that goes away is retried, not a crash."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from redressal.cases.models import Case
from redressal.mailin.imap import Mailbox, run_forever
from tests.mailin.helpers import mail


def _run(box: Mailbox, stop: threading.Event, on_ingested, on_idle) -> None:
    try:
        run_forever(box, interval=600, stop=stop, on_ingested=on_ingested, on_idle=on_idle)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_idle_takes_a_new_mail_without_waiting_for_a_pass(bank, mailbox):
    arrived: list[str] = []
    first, second, idling = threading.Event(), threading.Event(), threading.Event()

    def on_ingested(row):
        arrived.append(row.outcome)
        (second if first.is_set() else first).set()

    stop = threading.Event()
    box = Mailbox.from_url(mailbox.url)
    thread = threading.Thread(target=_run, args=(box, stop, on_ingested, idling.set), daemon=True)
    mailbox.append(mail(subject="第一封"))
    thread.start()
    try:
        assert first.wait(30), "the first pass did not take the waiting mail"
        assert idling.wait(30), "the poller did not enter IDLE"
        # The loop is in IDLE with its next pass ten minutes away: only the server's EXISTS wakes it.
        mailbox.append(mail(subject="第二封"))
        assert second.wait(30), f"IDLE did not wake the poller (taken so far: {arrived})"
    finally:
        stop.set()
        thread.join(30)
    assert not thread.is_alive()
    assert arrived == ["case", "case"] and Case.objects.count() == 2


def test_an_unreachable_server_is_retried_until_stopped(monkeypatch):
    from tests.mailin.dovecot import free_port

    waits: list[float] = []

    class Stop(threading.Event):
        def wait(self, timeout=None):  # the back-off pauses, recorded instead of slept
            waits.append(timeout)
            if len(waits) == 4:
                self.set()
            return self.is_set()

    box = Mailbox(host="127.0.0.1", port=free_port(), user="u", password="p", tls=False, timeout=2)
    run_forever(box, stop=Stop())
    assert waits == [1.0, 2.0, 4.0, 8.0]
