"""Events out (ARCHITECTURE §2): what happened to a case, told to the apps that care, inside the
case's transaction. ``cases`` imports none of them; each app subscribes in its ``AppConfig.ready``.

Three moments of a command:

* **before the lock** — ``prepare``: a registration's draft (the unsaved case) goes to each preparer
  (triage classifies the text, for instance). This work needs nothing written, so it runs before the
  write transaction and the database's write lock waits for none of it;
* **per event** — ``react``: each appended event goes to its subscribers, which may answer with
  follow-on steps on the same case (triage after a registration: classify, route, flag). They run in
  the same command: one lock, one deadline computation, one save;
* **signals** — ``signal``: news about a case that is no event of its own (a deadline warning that
  an escalation rule may act on);
* **once saved** — ``saved``: the case as saved with the types of every event of the command (search
  rewrites its document once, however many events the command appended).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from redressal.cases.models import Case, CaseEvent
from redressal.cases.steps import Step
from redressal.org.authz import Actor


@dataclass(frozen=True)
class Published:
    """One appended event, as subscribers see it. ``prepared``: what the preparers computed for this
    command before the lock, by preparer name (empty outside registration)."""

    case: Case
    event: CaseEvent
    actor: Actor | None
    prepared: Mapping[str, Any] = field(default_factory=dict)


Reaction = Callable[[Published], Iterable[Step]]
Signal = Callable[..., None]
Preparer = Callable[[Case], Any]
SavedHook = Callable[[Case, tuple[str, ...]], None]


@dataclass
class _Subscribers:
    reactions: dict[str, list[Reaction]] = field(default_factory=dict)
    preparers: dict[str, Preparer] = field(default_factory=dict)
    saved: list[SavedHook] = field(default_factory=list)
    signals: dict[str, list[Signal]] = field(default_factory=dict)


_subscribers = _Subscribers()


def on_event(reaction: Reaction, *event_types: str) -> None:
    """``reaction`` hears every event of these types; registering twice is once."""
    for t in event_types:
        bucket = _subscribers.reactions.setdefault(t, [])
        if reaction not in bucket:
            bucket.append(reaction)


def before_registration(name: str, preparer: Preparer) -> None:
    _subscribers.preparers[name] = preparer


def on_saved(hook: SavedHook) -> None:
    if hook not in _subscribers.saved:
        _subscribers.saved.append(hook)


def prepare(draft: Case) -> dict[str, Any]:
    """Each preparer's work on the unsaved case; runs outside any transaction."""
    return {name: preparer(draft) for name, preparer in _subscribers.preparers.items()}


def react(published: Published) -> list[Step]:
    """The follow-on steps the event's subscribers ask for, in subscription order."""
    steps: list[Step] = []
    for reaction in _subscribers.reactions.get(published.event.type, ()):
        steps.extend(reaction(published))
    return steps


def saved(case: Case, event_types: tuple[str, ...]) -> None:
    for hook in _subscribers.saved:
        hook(case, event_types)


def on_signal(name: str, handler: Signal) -> None:
    """``handler`` hears a signal: news about a case that is no event of its own (a deadline warning)."""
    bucket = _subscribers.signals.setdefault(name, [])
    if handler not in bucket:
        bucket.append(handler)


def signal(name: str, **facts: Any) -> None:
    for handler in _subscribers.signals.get(name, ()):
        handler(**facts)
