"""A real IMAP server for the mail-in tests and the bench: Debian's Dovecot, started with its own
configuration on a free high port, in a temporary directory (ARCHITECTURE §7: ``ssl = no``, a
passwd-file, a static userdb with uid ``mail`` — uid 0 is refused —, the directory made 0755 for the
auth process, which runs as ``dovecot``, stdout/stderr to DEVNULL since the daemon keeps inherited pipes
open, stopped by the PID in ``base_dir/master.pid``). Nothing here uses the system's Dovecot service."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Dovecot:
    root: Path
    port: int
    user: str = "complaints"
    password: str = "secret-pw"

    @property
    def url(self) -> str:
        return f"imap://{self.user}:{self.password}@127.0.0.1:{self.port}/INBOX"

    def client(self):  # type: ignore[no-untyped-def]
        from imapclient import IMAPClient

        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(self.user, self.password)
        return client

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        client = self.client()
        try:
            client.append(folder, raw)
        finally:
            client.logout()

    def stop(self) -> None:
        pid_file = self.root / "run" / "master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().strip())
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        shutil.rmtree(self.root, ignore_errors=True)


CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = 8
mail_location = maildir:{root}/mail/%u
# IDLE hears of new mail by inotify; a message written while IDLE is being set up is found by this
# re-check, 30 s by default (seen here: the loop test then waited 30 s). A second for the tests.
mailbox_idle_check_interval = 1 secs
default_internal_user = dovecot
default_login_user = dovenull
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service submission-login {{
  inet_listener submission {{
    port = 0
  }}
}}
service lmtp {{
  unix_listener lmtp {{
    mode = 0666
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid=mail gid=mail home={root}/mail/%u
}}
"""


def start() -> Dovecot:
    """A running Dovecot, or an exception saying why not (the tests fail, never skip)."""
    root = Path(tempfile.mkdtemp(prefix="redressal-dovecot-"))
    root.chmod(0o755)
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    (root / "mail").chmod(0o777)
    server = Dovecot(root=root, port=free_port())
    (root / "passwd").write_text(f"{server.user}:{{PLAIN}}{server.password}\n")
    (root / "passwd").chmod(0o644)
    config = root / "dovecot.conf"
    config.write_text(CONFIG.format(root=root, port=server.port))
    subprocess.run(
        [DOVECOT, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        check=True, timeout=30,
    )
    deadline = time.monotonic() + 15
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            server.client().logout()
            return server
        except Exception as exc:  # still starting
            last = exc
            time.sleep(0.1)
    log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
    server.stop()
    raise RuntimeError(f"Dovecot did not accept a login on port {server.port}: {last!r}\n{log[-2000:]}")
