"""The embedded default: web app, task worker and scheduler as one command (ARCHITECTURE §4).

The three run as child processes of this one — gunicorn for HTTP, django-tasks-db's ``db_worker``
and ``redressal scheduler`` — and stop together. Production runs them separately and scales each.

A SIGTERM or Ctrl-C stops the children in order. If this process is killed outright (``kill -9``, the
OOM killer) it cannot: on Linux each child asks the kernel for a SIGTERM when its parent dies, so no
gunicorn keeps the port and no second scheduler or worker runs unsupervised.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the child receive SIGTERM when ``parent`` dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)

    def preexec() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        # The parent may have died between fork and prctl: then no signal will ever come.
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)

    return preexec


class Command(BaseCommand):
    help = "Run the web app with the worker and the scheduler in-process (embedded default)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **opts: Any) -> None:
        exe = [sys.executable, "-m", "redressal.cli"]
        commands = {
            "web": [
                sys.executable,
                "-m",
                "gunicorn",
                "redressal.wsgi",
                "--bind",
                f"{opts['host']}:{opts['port']}",
                "--workers",
                str(opts["workers"]),
                "--threads",
                "4",
                "--access-logfile",
                "-",
                # The path only: a query string can carry a phone number someone searched for.
                "--access-logformat",
                '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
                "--graceful-timeout",
                "5",
            ],
            "worker": [*exe, "db_worker", "--no-reload", "--queue-name", "*", "--interval", "1"],
            "scheduler": [*exe, "scheduler"],
        }
        stopping = False

        def stop(*_: Any) -> None:
            nonlocal stopping
            stopping = True

        # Before the children start: a SIGTERM while they start still stops those already running.
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        preexec = die_with_parent(os.getpid())
        procs: dict[str, subprocess.Popen[bytes]] = {}
        try:
            for name, cmd in commands.items():
                procs[name] = subprocess.Popen(cmd, preexec_fn=preexec)  # noqa: S603
            self.stdout.write(
                f"Redressal at http://{opts['host']}:{opts['port']}/ (data: {settings.DATA_DIR}); Ctrl-C stops"
            )
            while not stopping:
                for name, proc in procs.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} exited with {proc.returncode}; stopping")
                        stopping = True
                time.sleep(0.5)
        finally:
            for proc in procs.values():
                if proc.poll() is None:
                    proc.terminate()
            for proc in procs.values():
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
