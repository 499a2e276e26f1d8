"""A local stand-in for WeChat's API (access token, customer-service message, template message): it
records every request and does what the test says — answer, fail with an error code, answer 5xx, or
hang past the client's timeout."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.outbox.conftest import sms_gateway  # noqa: F401  (the local SMS gateway, for the fallback)
from tests.wechat.helpers import AES_KEY, APPID, SECRET, TOKEN


@dataclass
class WechatApi:
    base: str = ""
    requests: list = field(default_factory=list)
    mode: str = "ok"  # ok | 500 | errcode | hang

    def sent(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"].endswith(path)]


@pytest.fixture
def wechat_api():
    state = WechatApi()
    released = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, payload: dict) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(json.dumps(payload).encode())
            except OSError:
                pass

        def do_GET(self):
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            state.requests.append({"method": "GET", "path": parts.path, "query": query, "body": None})
            if state.mode == "500":
                return self._answer(503, {})
            self._answer(200, {"access_token": "TOKEN-1", "expires_in": 7200})

        def do_POST(self):
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
            state.requests.append({"method": "POST", "path": parts.path, "query": query, "body": body})
            if state.mode == "hang":
                released.wait(30)
            if state.mode == "500":
                return self._answer(502, {})
            if state.mode == "errcode":
                return self._answer(200, {"errcode": 45015, "errmsg": "response out of time limit"})
            self._answer(200, {"errcode": 0, "errmsg": "ok", "msgid": 1})

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        released.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def wechat_env(monkeypatch, wechat_api, bank):
    monkeypatch.setenv("REDRESSAL_WECHAT_TOKEN", TOKEN)
    monkeypatch.setenv("REDRESSAL_WECHAT_APPID", APPID)
    monkeypatch.setenv("REDRESSAL_WECHAT_AES_KEY", AES_KEY)
    monkeypatch.setenv("REDRESSAL_WECHAT_SECRET", SECRET)
    monkeypatch.setenv("REDRESSAL_WECHAT_API_BASE", wechat_api.base)
    monkeypatch.setenv("REDRESSAL_WECHAT_TIMEOUT", "0.5")
    monkeypatch.setenv("REDRESSAL_PORTAL_URL", "https://kefu.bank.example/portal/")
    return wechat_api
