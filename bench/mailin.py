"""Mail in: from APPEND into a real IMAP mailbox to a registered case, with the real poller loop.

    .venv/bin/python bench/mailin.py [--db sqlite|postgres|both] [N …]   (default N = 50)

Set-up: Debian's Dovecot started for the run (tests/mailin/dovecot.py: its own configuration on a free
port, nothing of the system's service), ``REDRESSAL_IMAP_URL`` pointing at it, and the long-running
poller (``mailin.imap.run_forever``, as ``redressal mail-poll`` runs it: IDLE, since Dovecot has it) in a
thread of this process with its own database connection. Every mail is a new complaint from its own
address (so each makes a customer too); every second one carries a 20 KB PDF (kept as evidence with
its hash, as is the raw message).

Measured, per N:
- trickle: the N mails APPENDed one every 0.5 s; for each, seconds from the end of its APPEND to the
  moment its case is registered (the poller's callback after ``ingest``): p50, p95, max;
- burst: the N mails APPENDed at once, back to back: the same latencies, and mails/s from the first
  APPEND to the last case;
- one pass: the N mails waiting, then one ``poll_once`` (what the scheduler's 20 s job runs): seconds
  and mails/s.
The target (SPEC §9 / issue 13): a mail in the mailbox is a case within 60 s.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.mailin: the Dovecot and the mails

from _setup import BenchEnv, parser, pct, run_each_db, strip_db, table

PDF = b"%PDF-1.4\n% bench statement\n" + b"0123456789" * 2000


def make_mail(i: int, run: str) -> tuple[str, bytes]:
    from tests.mailin.helpers import mail

    msg_id = f"bench-{run}-{i}@example.com"
    attachments = (("对账单.pdf", "application/pdf", PDF),) if i % 2 else ()
    raw = mail(
        subject=f"信用卡年费被重复收取（{run} {i}）",
        body="我的信用卡年费在九月被扣了两次，请退还一次。" * 5,
        sender=f"客户{i} <kh{run}{i}@example.com>",
        msg_id=f"<{msg_id}>",
        attachments=attachments,
    )
    return msg_id, raw


def main() -> int:
    args, _rest = parser(__doc__ or "").parse_known_args()
    if args.db == "both":
        return run_each_db(__file__, strip_db(sys.argv[1:]))
    sizes = args.sizes or [50]
    import os

    from tests.mailin.dovecot import start

    dovecot = start()
    os.environ["REDRESSAL_IMAP_URL"] = dovecot.url
    try:
        with BenchEnv(args.db, "mailin") as env:
            from django.db import connection

            from redressal.cases.models import Case
            from redressal.mailin.imap import Mailbox, poll_once, run_forever

            box = Mailbox.from_url(dovecot.url)
            done: dict[str, float] = {}
            lock = threading.Lock()

            def on_ingested(row: object) -> None:
                with lock:
                    done[row.message_id] = time.monotonic()  # type: ignore[attr-defined]

            stop = threading.Event()

            def loop() -> None:
                try:
                    run_forever(box, interval=30, stop=stop, on_ingested=on_ingested)
                finally:
                    connection.close()

            thread = threading.Thread(target=loop, daemon=True)
            thread.start()
            rows = []
            try:
                for n in sizes:
                    for mode, gap in (("trickle", 0.5), ("burst", 0.0)):
                        run = f"{mode}{n}"
                        mails = [make_mail(i, run) for i in range(n)]
                        appended: dict[str, float] = {}
                        first = time.monotonic()
                        for msg_id, raw in mails:
                            dovecot.append(raw)
                            appended[msg_id] = time.monotonic()
                            if gap:
                                time.sleep(gap)
                        deadline = time.monotonic() + 120 + n
                        while time.monotonic() < deadline:
                            with lock:
                                if all(m in done for m in appended):
                                    break
                            time.sleep(0.05)
                        with lock:
                            latencies = [done[m] - appended[m] for m in appended if m in done]
                            last = max((done[m] for m in appended if m in done), default=first)
                        missing = n - len(latencies)
                        rows.append(
                            [
                                mode,
                                n,
                                f"{pct(latencies, 50):.2f}",
                                f"{pct(latencies, 95):.2f}",
                                f"{max(latencies, default=float('nan')):.2f}",
                                f"{len(latencies) / (last - first):.1f}" if mode == "burst" else "-",
                                missing,
                            ]
                        )
            finally:
                stop.set()
                thread.join(60)
            # One pass, as the scheduler's job does it, over mails waiting in the mailbox.
            for n in sizes:
                run = f"pass{n}"
                for _msg_id, raw in (make_mail(i, run) for i in range(n)):
                    dovecot.append(raw)
                t0 = time.perf_counter()
                result = poll_once(box)
                seconds = time.perf_counter() - t0
                rate = f"{result.fetched / seconds:.1f}"
                rows.append(["one pass", n, "-", "-", f"{seconds:.2f}", rate, n - result.fetched])
            cases = Case.objects.filter(channel="email").count()
            print(env.describe())
            print(table(["mode", "mails", "p50 s", "p95 s", "max s", "mails/s", "missing"], rows))
            print(f"cases registered from mail: {cases} (expected {3 * sum(sizes)})")
    finally:
        dovecot.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
