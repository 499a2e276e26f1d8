"""Real parts for the outbox tests: an SMTP server (aiosmtpd) and an HTTP SMS gateway in this process.

The gateway records every request and does what the test tells it: accept, answer 5xx, or hang past
the client's timeout."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Recorder:
    def __init__(self) -> None:
        self.messages: list = []
        self.refuse = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, recorder
    finally:
        controller.stop()


@dataclass
class Gateway:
    url: str
    requests: list = field(default_factory=list)
    mode: str = "ok"  # ok | 500 | 400 | hang
    seen_ids: set = field(default_factory=set)


@pytest.fixture
def sms_gateway():
    state = Gateway(url="")
    released = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append({"auth": self.headers.get("Authorization"), "body": body})
            if state.mode == "hang":
                # Held until the test ends: the client gives up at its own socket timeout, which no
                # clock the test moves can shorten, and nothing here waits longer than that.
                released.wait(30)
            status = {"ok": 200, "500": 503, "400": 400, "hang": 200}[state.mode]
            if status == 200:
                state.seen_ids.add(body["id"])
            try:
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"{}")
            except OSError:
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        released.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def channels_env(monkeypatch, smtp_server, sms_gateway):
    controller, _ = smtp_server
    monkeypatch.setenv("REDRESSAL_SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
    monkeypatch.setenv("REDRESSAL_MAIL_FROM", "kefu@bank.example")
    monkeypatch.setenv("REDRESSAL_SMS_GATEWAY_URL", sms_gateway.url)
    monkeypatch.setenv("REDRESSAL_SMS_GATEWAY_TOKEN", "s3cret")
    monkeypatch.setenv("REDRESSAL_DELIVERY_TIMEOUT", "0.5")
