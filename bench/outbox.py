"""Outbox delivery: N queued customer messages drained to a local SMTP server and a local SMS gateway.

    .venv/bin/python bench/outbox.py [--db sqlite|postgres|both] [N …]   (default N = 1000)

Set-up: 20 cases registered through ``register_case``, half of them for customers who prefer SMS
(phone only), half for customers who prefer email (phone and email); then N messages queued with
``message_customer`` (the registration acknowledgements count). The SMTP server is aiosmtpd and the
gateway an ``http.server`` in this process, both on 127.0.0.1; each accepts everything. The clock of
the round is set to 10:00 Beijing time so no SMS is held back by the quiet hours.

Measured: one worker, ``notify.delivery.drain`` until nothing is due — time to drain, messages/s, and
what the servers received (every message once). Then the same again with two workers (threads, each
its own database connection) draining the same queue at once: the time, and that the servers still
received each message exactly once.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import BenchEnv, parser, run_each_db, strip_db, table


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Received:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sms: list[str] = []
        self.mail: list[str] = []


def start_servers(received: Received) -> tuple[object, ThreadingHTTPServer, int]:
    from aiosmtpd.controller import Controller

    class Mailbox:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            content = envelope.content  # type: ignore[attr-defined]
            text = content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content)
            message_id = next((ln for ln in text.splitlines() if ln.lower().startswith("message-id:")), "")
            with received.lock:
                received.mail.append(message_id)
            return "250 OK"

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with received.lock:
                received.sms.append(body["id"])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    port = free_port()
    controller = Controller(Mailbox(), hostname="127.0.0.1", port=port)
    controller.start()
    http = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    return controller, http, port


def queue(bank: object, n: int) -> None:
    from redressal.cases.services import RegisterInput, register_case
    from redressal.customers.services import CustomerInput
    from redressal.notify.services import message_customer
    from redressal.org.authz import actor_for

    actor = actor_for(bank.agent)  # type: ignore[attr-defined]
    cases = []
    for i in range(20):
        email = f"kunde{i}@example.com" if i % 2 else ""
        customer = CustomerInput(
            name=f"客户{i}", phone=f"139{i:08d}", email=email, contact_channel="email" if email else "sms"
        )
        data = RegisterInput(
            request_type="complaint",
            channel="hotline",
            description="信用卡年费被重复收取两次，要求退还。",
            customer=customer,
        )
        cases.append(register_case(data, actor=actor))
    for i in range(n - len(cases)):
        message_customer(cases[i % len(cases)], "extension_notice", f"延期说明 {i}")


def reset() -> None:
    from redressal.notify.models import CustomerMessage, DeliveryAttempt

    DeliveryAttempt.objects.all().delete()
    CustomerMessage.objects.update(state="pending", sent_at=None, attempts=0, next_attempt_at=None, claim="")


def run_workers(workers: int, at: object) -> float:
    from django.db import connection

    from redressal.notify.delivery import drain
    from redressal.outbox.contacts import contacts_for

    def work() -> None:
        try:
            drain(contacts_for, at=at, limit=100)  # type: ignore[arg-type]
        finally:
            connection.close()

    t0 = time.perf_counter()
    if workers == 1:
        drain(contacts_for, at=at, limit=100)  # type: ignore[arg-type]
    else:
        threads = [threading.Thread(target=work) for _ in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return time.perf_counter() - t0


def main() -> int:
    args, _rest = parser(__doc__ or "").parse_known_args()
    if args.db == "both":
        return run_each_db(__file__, strip_db(sys.argv[1:]))
    sizes = args.sizes or [1000]
    import os

    received = Received()
    controller, http, port = start_servers(received)
    os.environ["REDRESSAL_SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ["REDRESSAL_SMS_GATEWAY_URL"] = f"http://127.0.0.1:{http.server_address[1]}/send"
    try:
        with BenchEnv(args.db, "outbox") as env:
            from datetime import datetime
            from zoneinfo import ZoneInfo

            from redressal.notify.models import CustomerMessage

            at = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
            rows = []
            for n in sizes:
                CustomerMessage.objects.all().delete()
                queue(env.bank, n)
                total = CustomerMessage.objects.count()
                for workers in (1, 2):
                    reset()
                    received.sms.clear()
                    received.mail.clear()
                    seconds = run_workers(workers, at)
                    sent = CustomerMessage.objects.filter(state="sent").count()
                    once = len(set(received.sms)) == len(received.sms) and len(set(received.mail)) == len(received.mail)
                    rows.append(
                        [
                            total,
                            workers,
                            f"{seconds:.2f}",
                            f"{total / seconds:.0f}",
                            sent,
                            len(received.sms),
                            len(received.mail),
                            "yes" if once else "NO",
                        ]
                    )
            print(env.describe())
            print(
                table(["messages", "workers", "drain s", "msg/s", "sent", "sms recv", "mail recv", "each once"], rows)
            )
    finally:
        controller.stop()  # type: ignore[attr-defined]
        http.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
