"""How an answer leaves for the customer's channel. The channel apps sit above this one and register
their sender when they start (``WechatConfig.ready``); a conversation never imports them."""

from __future__ import annotations

from collections.abc import Callable


class SendFailed(Exception):
    """The channel did not take the answer; ``str()`` is safe to show staff and to store (no text,
    no customer key)."""


# channel → send(party, text); raises SendFailed.
Sender = Callable[[str, str], None]
SENDERS: dict[str, Sender] = {}


def register_sender(channel: str, sender: Sender) -> None:
    SENDERS[channel] = sender


def send(channel: str, party: str, text: str) -> None:
    sender = SENDERS.get(channel)
    if sender is None:
        raise SendFailed(f"no sender configured for channel '{channel}'")
    sender(party, text)
