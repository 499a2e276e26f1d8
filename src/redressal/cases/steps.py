"""What one change of a case is made of: a lifecycle action and a ``change`` that applies it to the
locked case and says which event to write (ARCHITECTURE §2, "commands in").

Shared by ``cases.services._base`` (which runs steps) and ``cases.bus`` (whose subscribers answer an
event with follow-on steps), so neither imports the other's internals.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from redressal.cases.models import Case
from redressal.org.authz import Actor


@dataclass
class Done:
    """What a change returns: the event to write (its type and payload) and why."""

    event_type: str
    payload: dict[str, Any]
    reason: str = ""


@dataclass(frozen=True)
class ChannelOrigin:
    """The customer acting through a channel with nobody at the bank typing it (SPEC §9): the adapter
    that built the command (``email``, ``portal``, ``wechat`` …) and its own reference for what arrived
    (a Message-ID, a submission id). A step with an origin is recorded as the customer's, the event
    naming the adapter and the reference, so the case can be traced back to the message."""

    adapter: str
    reference: str = ""


# ``None``: the step found nothing to do once it looked (no event is written).
Change = Callable[[Case, datetime], "Done | None"]


@dataclass(frozen=True)
class Step:
    """One action on a case inside a command.

    ``check_state``: whether the lifecycle decides if the action is allowed in the case's state (the
    system's own bookkeeping — triage, flags — is allowed in any). ``backdating``: whether an ``at``
    in the payload is checked against the backdating rule (a registration's receipt time is not an
    action done late: it is when the customer came).
    """

    action: str
    change: Change
    actor: Actor | None = None
    # Checked for ``actor`` on the case's unit when the step's turn comes: a step added to someone's
    # command (an answer given at registration) needs its own permission as if done on its own.
    permission: str | None = None
    # The customer's own step through a channel (``actor`` is then None): see ``ChannelOrigin``.
    origin: ChannelOrigin | None = None
    check_state: bool = True
    backdating: bool = True
    # Whether the step applies to the case as it stands when its turn comes (a merged registration is
    # not routed): asked before the lifecycle, so a step that does not apply is no refusal.
    when: Callable[[Case], bool] | None = None
