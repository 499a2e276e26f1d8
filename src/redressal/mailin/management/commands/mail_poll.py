"""``redressal mail-poll``: read the complaint mailbox (``REDRESSAL_IMAP_URL``) into cases.

``--once`` takes what the mailbox holds and exits (cron, a test, a first look); without it the command
stays connected, woken by IDLE where the server has it, else polling every ``--interval`` seconds,
reconnecting with a growing pause when the connection drops. The scheduler's ``poll_mailbox`` job
does one pass every 20 s without this process; run this one for mail in seconds rather than tens."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from redressal.mailin.imap import configured, poll_once, run_forever


class Command(BaseCommand):
    help = "Read the complaint mailbox (REDRESSAL_IMAP_URL) into cases."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then exit")
        parser.add_argument("--interval", type=float, default=30.0, help="seconds between passes without IDLE")

    def handle(self, *args: Any, **options: Any) -> None:
        box = configured()
        if box is None:
            raise CommandError("REDRESSAL_IMAP_URL is not set (e.g. imaps://user:pass@host:993/INBOX)")
        if options["once"]:
            result = poll_once(box)
            outcomes = ", ".join(f"{k} {v}" for k, v in sorted((result.outcomes or {}).items())) or "nothing new"
            self.stdout.write(f"fetched {result.fetched}: {outcomes}")
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write(f"reading {box.folder} on {box.host}:{box.port}")
        run_forever(box, interval=options["interval"], stop=stop)
