"""Twenty concurrent requests on one case lose nothing (SPEC §16: 0 lost or half-written cases).

A real HTTP server thread (pytest-django's ``live_server``) and 20 client threads released together
post notes, assignments and escalations to the same case. Each request carries a unique marker in its
text or reason, so every answer can be matched to the events it wrote: a 200 wrote exactly one event,
a refusal wrote none. Must hold on SQLite (WAL + BEGIN IMMEDIATE) and on PostgreSQL (row lock).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import pytest
import time_machine

from redressal.cases import services as svc
from redressal.cases.models import Case, CaseEvent, Note
from redressal.cases.services.events import verify_case_chain
from tests.conftest import PASSWORD, local

N = 20


@dataclass
class Call:
    marker: str
    username: str
    action: str
    body: dict


def calls() -> list[Call]:
    out = []
    for i in range(N):
        marker = f"m{i:02d}"
        if i % 5 == 3:  # handler2 and handler1 in turn; the case's assignee ends as one of them
            out.append(Call(marker, "hosupervisor", "assign",
                            {"assignee": "handler2" if i % 2 else "handler1", "reason": marker}))
        elif i % 5 == 4:  # up to the branch, and back down to the outlet: a repeat of the current unit is
            # refused (422 same_unit), and so is a move down the line (400 escalation.target, SPEC §7: up or across)
            out.append(Call(marker, "hosupervisor", "escalate",
                            {"to_unit": "BJ" if i % 2 else "BJ01", "reason": marker}))
        elif i == 7:  # a stale expected version: refused with 409 unless it happens to run first
            out.append(Call(marker, "hosupervisor", "assign", {"assignee": "handler2", "reason": marker,
                                                               "expected_version": 0}))
        else:
            out.append(Call(marker, "handler1", "add_note", {"text": f"调查记录 {marker}"}))
    return out


def events_with(case: Case, marker: str) -> int:
    hits = 0
    for e in CaseEvent.objects.filter(case=case):
        if e.reason == marker or e.payload.get("text", "").endswith(marker):
            hits += 1
    return hits


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_actions_on_one_case(bank, live_server, settings):
    settings.API_TOKEN_TTL_SECONDS = 400 * 86400
    # Time moves on (tick) from a date inside the synced calendar; every thread sees the same clock.
    with time_machine.travel(local(2024, 9, 10, 10), tick=True):
        case = svc.register_case(
            svc.RegisterInput(request_type="complaint", channel="counter", description="柜台服务态度差",
                              complainant_name="赵六", unit_code="BJ01"),
            actor=bank.actor("agent"),
        )
        start_version = Case.objects.get(pk=case.pk).version
        base = f"{live_server.url}/api/v1"
        tokens = {}
        with httpx.Client(timeout=60) as http:
            for username in ("handler1", "hosupervisor"):
                r = http.post(f"{base}/auth/token", json={"username": username, "password": PASSWORD})
                assert r.status_code == 200, r.text
                tokens[username] = r.json()["access_token"]

        plan = calls()
        gate = threading.Barrier(N)

        def fire(call: Call) -> tuple[Call, int, dict]:
            with httpx.Client(timeout=120) as http:
                gate.wait(timeout=60)
                r = http.post(f"{base}/cases/{case.pk}/{call.action}", json=call.body,
                              headers={"Authorization": f"Bearer {tokens[call.username]}"})
                return call, r.status_code, r.json()

        with ThreadPoolExecutor(max_workers=N) as pool:
            results = list(pool.map(fire, plan))

    statuses = sorted(status for _, status, _ in results)
    assert all(s in (200, 400, 409, 422) for s in statuses), statuses  # no 500, no "database is locked"
    accepted = [call for call, status, _ in results if status == 200]
    notes = [c for c in plan if c.action == "add_note"]
    assert all(status == 200 for c, status, _ in results if c.action == "add_note"), results
    for call, status, body in results:
        if status == 409:
            assert body["error"]["code"] == "version_conflict"
        if status == 422:
            assert call.action == "escalate" and body["error"]["code"] == "same_unit", body
        if status == 400:
            assert call.action == "escalate" and call.body["to_unit"] == "BJ01", body
            assert body["error"]["code"] == "escalation.target", body

    case.refresh_from_db()
    for call, status, _ in results:
        assert events_with(case, call.marker) == (1 if status == 200 else 0), (call, status)

    seqs = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(accepted) + 3))  # "registered", "triaged", then one per accepted action
    assert case.last_event_seq == seqs[-1]
    assert verify_case_chain(case) is None
    assert case.version == start_version + len(accepted)
    assert Note.objects.filter(case=case).count() == len(notes)

    # The case row agrees with the last accepted change of each kind, in event order.
    ordered = CaseEvent.objects.filter(case=case).order_by("seq")
    last_assign = [e for e in ordered if e.type == "assigned"]
    if last_assign:
        assert case.assignee.username == last_assign[-1].payload["to"]
    last_escalation = [e for e in ordered if e.type == "escalated"]
    assert case.unit.code == (last_escalation[-1].payload["to_unit"] if last_escalation else "BJ01")
