"""The mailbox's periodic work (found by redressal.core.apps): every 20 s, when ``REDRESSAL_IMAP_URL`` is
set, the worker takes one pass over the mailbox, so mail becomes cases with no extra process (a mail
waits at most a slot and a worker round: well within the minute). ``redressal mail-poll`` is the
faster, IDLE-driven alternative; both at once are safe (decision 0019: one case per Message-ID)."""

from __future__ import annotations

import os

from redressal.core.scheduler import PeriodicJob, register
from redressal.mailin.tasks import poll_mailbox


def enqueue_poll() -> None:
    if os.environ.get("REDRESSAL_IMAP_URL", "").strip():
        poll_mailbox.enqueue()


register(PeriodicJob("poll_mailbox", 20, enqueue_poll))
