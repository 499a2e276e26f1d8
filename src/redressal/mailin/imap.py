"""The mailbox poller: ``REDRESSAL_IMAP_URL`` (``imaps://user:pass@host:993/INBOX``, or ``imap://`` for a
server on the same trusted host), read with imapclient.

A pass selects the folder, takes every message above the cursor's UID (and every unseen one, so a
message someone marked as read by hand is still taken), hands each one's bytes to
``services.ingest`` and then flags it ``\\Seen``. Flags and the cursor only save work: what keeps a
message one case is its Message-ID (``InboundMail.message_id`` unique), so a crash between the case and
the flag, a second poller or a reset mailbox (new UIDVALIDITY) never makes two.

``run_forever`` loops: IDLE when the server advertises it (a new message wakes the loop at once), else
a pass every ``interval`` seconds; a lost connection is reopened with a growing pause (1 s … 5 min).
"""

from __future__ import annotations

import logging
import os
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.db import InterfaceError, OperationalError, close_old_connections, transaction
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from redressal.core.config import ConfigurationError
from redressal.mailin.models import InboundMail, MailboxCursor
from redressal.mailin.services import Fetched, ingest

log = logging.getLogger(__name__)

BATCH = 20  # messages fetched per FETCH command
IDLE_RESTART = 25 * 60  # RFC 2177: re-issue IDLE at least every 29 minutes
MAX_BACKOFF = 300.0


@dataclass(frozen=True)
class Mailbox:
    host: str
    port: int
    user: str
    password: str
    folder: str = "INBOX"
    tls: bool = True
    timeout: float = 30.0

    @property
    def key(self) -> str:
        """The cursor's name: the account and folder, never the password."""
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"

    @classmethod
    def from_url(cls, url: str) -> Mailbox:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("imap", "imaps") or not parts.hostname or not parts.username:
            raise ConfigurationError("REDRESSAL_IMAP_URL must look like imaps://user:pass@host:993/INBOX")
        tls = parts.scheme == "imaps"
        return cls(
            host=parts.hostname,
            port=parts.port or (993 if tls else 143),
            user=unquote(parts.username),
            password=unquote(parts.password or ""),
            folder=unquote(parts.path.lstrip("/")) or "INBOX",
            tls=tls,
        )


def configured() -> Mailbox | None:
    url = os.environ.get("REDRESSAL_IMAP_URL", "").strip()
    return Mailbox.from_url(url) if url else None


@dataclass
class PassResult:
    fetched: int = 0
    new: int = 0  # rows this pass created or finished (not a duplicate)
    outcomes: dict[str, int] | None = None


def connect(box: Mailbox) -> IMAPClient:
    context = ssl.create_default_context() if box.tls else None
    client = IMAPClient(box.host, port=box.port, ssl=box.tls, ssl_context=context, timeout=box.timeout)
    try:
        client.login(box.user, box.password)
    except BaseException:
        _close(client)
        raise
    return client


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except (IMAPClientError, OSError):
        try:
            client.shutdown()
        except (IMAPClientError, OSError):
            pass


def fetch_pass(
    client: IMAPClient, box: Mailbox, on_ingested: Callable[[InboundMail], None] | None = None
) -> PassResult:
    """Take what the folder holds that has not been taken yet."""
    # Selected again each pass: the server's view of the folder (and its UIDVALIDITY) is refreshed.
    uidvalidity = int(client.select_folder(box.folder)[b"UIDVALIDITY"])
    cursor, _ = MailboxCursor.objects.get_or_create(mailbox=box.key[:300])
    if cursor.uidvalidity != uidvalidity:
        # A new UIDVALIDITY: the old UIDs mean nothing now. Read the folder from the start; the
        # Message-IDs keep what was already filed from being filed again.
        cursor.uidvalidity, cursor.last_uid = uidvalidity, 0
    # "n:*" always names the folder's last message, even one below n.
    above = {uid for uid in client.search(["UID", f"{cursor.last_uid + 1}:*"]) if uid > cursor.last_uid}
    unseen = set(client.search(["UNSEEN"]))
    uids = sorted(above | unseen)
    result = PassResult(outcomes={})
    for start in range(0, len(uids), BATCH):
        chunk = uids[start : start + BATCH]
        data = client.fetch(chunk, ["BODY.PEEK[]"])
        for uid in chunk:
            raw = data.get(uid, {}).get(b"BODY[]")
            if raw is None:  # expunged meanwhile
                continue
            result.fetched += 1
            try:
                row = ingest(Fetched(bytes(raw), mailbox=box.folder, uidvalidity=uidvalidity, uid=uid))
            except (OperationalError, InterfaceError):
                raise  # the database is away: the whole pass waits and is tried again
            except Exception:
                # Not even a quarantine row could be written for this one (a bug): it stays unseen in
                # the mailbox, is tried again next pass, and the messages after it go on.
                log.exception("mailbox %s: message uid %s could not be recorded", box.folder, uid)
                continue
            assert result.outcomes is not None
            result.outcomes[row.outcome] = result.outcomes.get(row.outcome, 0) + 1
            if on_ingested is not None:
                on_ingested(row)
            client.add_flags([uid], [b"\\Seen"], silent=True)
            if uid > cursor.last_uid:
                cursor.last_uid = uid
            with transaction.atomic():
                MailboxCursor.objects.filter(pk=cursor.pk).update(uidvalidity=uidvalidity, last_uid=cursor.last_uid)
    MailboxCursor.objects.filter(pk=cursor.pk).update(uidvalidity=uidvalidity, last_uid=cursor.last_uid)
    return result


def poll_once(box: Mailbox | None = None) -> PassResult:
    """Connect, take what is there, disconnect (the scheduler's job and ``mail-poll --once``)."""
    box = box or configured()
    if box is None:
        return PassResult(outcomes={})
    client = connect(box)
    try:
        return fetch_pass(client, box)
    finally:
        _close(client)


def run_forever(
    box: Mailbox,
    *,
    interval: float = 30.0,
    stop: threading.Event | None = None,
    on_ingested: Callable[[InboundMail], None] | None = None,
    on_idle: Callable[[], None] | None = None,
) -> None:
    """The long-running poller (``redressal mail-poll``). Returns when ``stop`` is set. ``on_ingested``
    and ``on_idle`` (the server has acknowledged IDLE) are for the bench and the tests.

    With IDLE, a pass still runs at least every ``interval`` seconds: a server may miss a mail that
    lands while IDLE is being set up (Dovecot did, here, until the next command), and the pass finds it."""
    stop = stop or threading.Event()
    backoff = 1.0
    while not stop.is_set():
        client: IMAPClient | None = None
        try:
            client = connect(box)
            idle = b"IDLE" in client.capabilities()
            log.info("mailbox %s: connected (%s)", box.folder, "IDLE" if idle else f"polling every {interval:g} s")
            while not stop.is_set():
                close_old_connections()
                # Again until a pass finds nothing: a mail that arrives during a pass is announced
                # (EXISTS) in the answer to one of its commands, which IDLE would not hear again. After
                # an empty pass nothing more is sent before IDLE, so the server announces it there.
                for _ in range(10):
                    if not fetch_pass(client, box, on_ingested).fetched:
                        break
                backoff = 1.0
                if idle:
                    _idle(client, min(interval, IDLE_RESTART), stop, on_idle)
                else:
                    stop.wait(interval)
        except (IMAPClientError, OSError, ssl.SSLError) as exc:
            log.warning("mailbox %s: %s; reconnecting in %.0f s", box.folder, type(exc).__name__, backoff)
            stop.wait(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
        except Exception:
            log.exception("mailbox %s: pass failed; retrying in %.0f s", box.folder, backoff)
            close_old_connections()
            stop.wait(backoff)
            backoff = min(backoff * 2, MAX_BACKOFF)
        finally:
            if client is not None:
                _close(client)


def _idle(
    client: IMAPClient, seconds: float, stop: threading.Event, on_idle: Callable[[], None] | None = None
) -> None:
    """Wait in IDLE until the server reports something, ``seconds`` pass, or ``stop`` is set (checked
    every second)."""
    client.idle()
    if on_idle is not None:
        on_idle()
    try:
        deadline = time.monotonic() + seconds
        while not stop.is_set() and time.monotonic() < deadline:
            responses = client.idle_check(timeout=1)
            if any(r[1] in (b"EXISTS", b"RECENT") for r in responses if len(r) > 1):
                break
    finally:
        client.idle_done()
