"""Real parts for the mail-in tests: one Dovecot for the session (tests/mailin/dovecot.py), its INBOX
emptied for each test; the SMTP server of the outbox tests for the answers that go back."""

from __future__ import annotations

import pytest

from tests.mailin.dovecot import Dovecot, start
from tests.outbox.conftest import channels_env, sms_gateway, smtp_server  # noqa: F401 - fixtures reused


@pytest.fixture(scope="session")
def dovecot():
    # No skip: if Dovecot cannot start, every test that needs it fails with the reason.
    server = start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def mailbox(dovecot: Dovecot, monkeypatch) -> Dovecot:
    client = dovecot.client()
    try:
        client.select_folder("INBOX")
        uids = client.search(["ALL"])
        if uids:
            client.delete_messages(uids)
            client.expunge()
    finally:
        client.logout()
    monkeypatch.setenv("REDRESSAL_IMAP_URL", dovecot.url)
    return dovecot
