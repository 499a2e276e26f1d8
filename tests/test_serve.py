"""``redressal serve`` with real processes: its children stop with it, even when it is killed outright."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signals are Linux's"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper has stopped: it holds no port and does no work)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as r:
            return bool(r.status)
    except urllib.error.HTTPError:
        return True  # any HTTP answer: gunicorn is serving
    except OSError:
        return False


def serve(port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "redressal.cli", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a signal meant for the test run does not reach it
        )


def test_children_die_with_the_parent_and_the_port_is_free_again(tmp_path):
    env = {**os.environ, "REDRESSAL_DATA_DIR": str(tmp_path), "REDRESSAL_DEMO_PASSWORD": ""}
    env.pop("REDRESSAL_DATABASE_URL", None)
    migrate = [sys.executable, "-m", "redressal.cli", "migrate", "-v", "0"]
    subprocess.run(migrate, env=env, check=True, timeout=300, capture_output=True)
    port = free_port()
    log = tmp_path / "serve.log"
    started: set[int] = set()
    first = serve(port, env, log)
    second = first
    try:
        assert wait_for(lambda: answers(port), 120), log.read_text()
        children = descendants(first.pid)
        started |= children
        # gunicorn's master and its worker, the task worker and the scheduler.
        assert len(children) >= 4, children

        first.kill()  # SIGKILL: serve cannot clean up after itself
        first.wait(timeout=10)
        still = lambda: {pid for pid in children if alive(pid)}  # noqa: E731
        assert wait_for(lambda: not still(), 30), f"still running after the parent died: {still()}"

        # The next serve binds the same port, and a plain SIGTERM stops it with its children.
        second = serve(port, env, log)
        assert wait_for(lambda: answers(port), 120), log.read_text()
        children = descendants(second.pid)
        started |= children
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0
        assert wait_for(lambda: not still(), 15), f"still running after SIGTERM: {still()}"
        assert not answers(port)
    finally:
        for pid in [first.pid, second.pid, *started]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
