"""Append-only, hash-chained case history (SPEC §13, ARCHITECTURE §3)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from redressal.audit.chain import GENESIS, digest, link, seal, seals_match
from redressal.cases.models import Case, CaseEvent
from redressal.core.clock import now
from redressal.org.authz import Actor


def event_fields(case_number: str, e: CaseEvent) -> dict[str, Any]:
    return {
        "case": case_number,
        "seq": e.seq,
        "type": e.type,
        "actor": e.actor_id,
        "role": e.actor_role,
        "unit": e.actor_unit,
        "at": e.at,
        "recorded_at": e.recorded_at,
        "reason": e.reason,
        "payload": e.payload,
    }


# The case row's columns that hold its chain head: whoever saves a case after appending saves these.
HEAD_FIELDS = ["last_event_seq", "last_event_hash", "head_seal"]


def case_seal(case: Case) -> str:
    return seal(f"case:{case.case_number}", case.last_event_seq, case.last_event_hash, case.chain_keyed_from)


def append_event(
    case: Case,
    type: str,
    *,
    actor: Actor | None,
    at: datetime | None = None,
    reason: str = "",
    payload: dict[str, Any] | None = None,
    backdated: bool = False,
    by_customer: bool = False,
) -> CaseEvent:
    """Append one event to a case that the caller has locked, and advance the case's chain head.

    ``by_customer``: the customer acted through a channel (no actor); recorded with the customer's role.

    ``backdated``: recorded more than a working day after ``at``; the reason is in the payload (and so
    in the hash), the flag only indexes the event for the compliance list.
    """
    recorded = now()
    event = CaseEvent(
        case=case,
        seq=case.last_event_seq + 1,
        type=type,
        actor_id=actor.id if actor else None,
        actor_role=actor.primary_role if actor else ("customer" if by_customer else "system"),
        actor_unit=actor.unit_code if actor else "",
        at=at or recorded,
        recorded_at=recorded,
        reason=reason,
        payload=payload or {},
        backdated=backdated,
        prev_hash=case.last_event_hash or GENESIS,
    )
    event.hash = digest(event.prev_hash, event_fields(case.case_number, event))
    event.save()
    case.last_event_seq = event.seq
    case.last_event_hash = event.hash
    case.last_event_recorded_at = event.recorded_at
    case.head_seal = case_seal(case)
    return event


@dataclass(frozen=True)
class ChainBreak:
    case_number: str
    seq: int
    problem: str


def verify_case_chain(case: Case, events: Iterable[CaseEvent] | None = None) -> ChainBreak | None:
    """The first break in the case's event chain, or None. ``events``: the case's events in ``seq``
    order when the caller has already loaded them (read from the database otherwise)."""
    if events is None:
        events = CaseEvent.objects.filter(case=case).order_by("seq").iterator(chunk_size=2000)
    prev = GENESIS
    expected_seq = 1
    for e in events:
        if e.seq != expected_seq:
            return ChainBreak(case.case_number, expected_seq, f"event {expected_seq} is missing")
        if e.prev_hash != prev:
            return ChainBreak(case.case_number, e.seq, "previous-hash link does not match")
        fields = event_fields(case.case_number, e)
        if link(prev, fields, seq=e.seq, keyed_from=case.chain_keyed_from) != e.hash:
            return ChainBreak(case.case_number, e.seq, "content does not match its hash (altered)")
        prev = e.hash
        expected_seq += 1
    if expected_seq - 1 != case.last_event_seq or prev != (case.last_event_hash or GENESIS):
        return ChainBreak(case.case_number, expected_seq - 1, "the case's chain head does not match its last event")
    # The head moved back with the events after it deleted, or rewritten with a recomputed chain.
    if not seals_match(case.head_seal, case_seal(case)):
        return ChainBreak(
            case.case_number, expected_seq - 1, "the case's chain head is not sealed by the audit key (rewritten)"
        )
    return None
