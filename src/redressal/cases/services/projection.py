"""The stored rows of a case checked against its events (SPEC §13, ``redressal audit-verify``).

The case row is a projection of its history: every change made through ``perform`` records the tracked
fields it moved (``changes``: before/after) and a registration records where they started
(``initial``). Notes and proposals are checked against the events that created and decided them. An
edit made with a raw UPDATE that no event reflects shows here as a mismatch naming the field.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from redressal.cases.models import Case, CaseEvent

# The case fields every event records when it changes them.
TRACKED = (
    "status",
    "assignee_id",
    "unit_id",
    "priority",
    "extension_level",
    "paused",
    "outcome",
    "merged_into_id",
    "accepted_at",
    "decided_at",
    "notified_at",
    "closed_at",
)


def snapshot(case: Case) -> dict[str, Any]:
    out = {}
    for name in TRACKED:
        value = getattr(case, name)
        out[name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def text_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _same(stored: Any, recorded: Any) -> bool:
    if isinstance(stored, datetime) and isinstance(recorded, str):
        try:
            return stored == datetime.fromisoformat(recorded)
        except ValueError:
            return False
    return bool(stored == recorded)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def projected(events: Iterable[CaseEvent]) -> dict[str, Any]:
    """The tracked fields as the events leave them (fields no event speaks of are absent)."""
    fields: dict[str, Any] = {}
    for e in events:
        initial = e.payload.get("initial") if e.type == "registered" else None
        if isinstance(initial, dict):
            fields.update({k: v for k, v in initial.items() if k in TRACKED})
        changes = e.payload.get("changes")
        if isinstance(changes, dict):
            for name, change in changes.items():
                if name in TRACKED and isinstance(change, dict) and "after" in change:
                    fields[name] = change["after"]
    return fields


def row_problems(case: Case, events: list[CaseEvent]) -> list[str]:
    """Each way the case row, its notes and its proposals differ from what its events record."""
    problems = [
        f"{name} is {getattr(case, name)!r} in the case row but {value!r} in its events"
        for name, value in projected(events).items()
        if not _same(getattr(case, name), value)
    ]
    return problems + _note_problems(case, events) + _proposal_problems(case, events)


def mismatched_parts(case: Case, events: list[CaseEvent]) -> list[str]:
    """Which parts of the case differ from its events, for a reader: the tracked fields' names, then
    ``notes`` and ``proposals`` (the same checks as :func:`row_problems`, without the developer text)."""
    parts = [name for name, value in projected(events).items() if not _same(getattr(case, name), value)]
    if _note_problems(case, events):
        parts.append("notes")
    if _proposal_problems(case, events):
        parts.append("proposals")
    return parts


def _note_problems(case: Case, events: list[CaseEvent]) -> list[str]:
    notes = {n.pk: n for n in case.notes.all()}
    problems = []
    for e in events:
        if e.type != "note_added" or "note_id" not in e.payload:
            continue
        note = notes.pop(e.payload["note_id"], None)
        if note is None:
            problems.append(f"note {e.payload['note_id']} of event #{e.seq} is missing")
        elif ("text" in e.payload and note.text != e.payload["text"]) or (
            "text_sha256" in e.payload and text_digest(note.text) != e.payload["text_sha256"]
        ):
            problems.append(f"note {note.pk} text differs from event #{e.seq}")
    problems += [f"note {pk} has no event" for pk in sorted(notes)]
    return problems


def _proposal_problems(case: Case, events: list[CaseEvent]) -> list[str]:
    proposals = {p.pk: p for p in case.proposals.all()}
    recorded: dict[int, tuple[int, dict[str, Any], str]] = {}  # id → (event seq, payload, status)
    for e in events:
        pid = e.payload.get("proposal_id")
        if pid is None:
            continue
        if e.type == "solution_proposed":
            status = "auto_approved" if e.payload.get("within_own_limit") else "pending"
            recorded[pid] = (e.seq, e.payload, status)
        elif e.type in ("solution_approved", "solution_rejected") and pid in recorded:
            seq, payload, _ = recorded[pid]
            recorded[pid] = (seq, payload, "approved" if e.type == "solution_approved" else "rejected")
    problems = []
    for pid, (seq, payload, status) in recorded.items():
        proposal = proposals.pop(pid, None)
        if proposal is None:
            problems.append(f"proposal {pid} of event #{seq} is missing")
            continue
        if "total" in payload and proposal.total != _decimal(payload["total"]):
            problems.append(f"proposal {pid} total is {proposal.total} but event #{seq} says {payload['total']}")
        if "items" in payload and proposal.items != payload["items"]:
            problems.append(f"proposal {pid} items differ from event #{seq}")
        if "solution_sha256" in payload and text_digest(proposal.solution) != payload["solution_sha256"]:
            problems.append(f"proposal {pid} solution text differs from event #{seq}")
        if proposal.status != status:
            problems.append(f"proposal {pid} status is {proposal.status!r} but its events say {status!r}")
    problems += [f"proposal {pk} has no event" for pk in sorted(proposals)]
    return problems
