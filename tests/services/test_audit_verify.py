"""``audit-verify`` finds any change made behind the application's back (SPEC §13)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from redressal.audit.models import AuditEvent, ChainHead
from redressal.cases import services as svc
from redressal.cases.models import Case, CaseEvent, Note, Proposal
from redressal.customers.services import CustomerInput
from tests.conftest import local

ROOT = Path(__file__).resolve().parents[2]


def make_cases(bank, n: int = 2) -> list[Case]:
    handler = bank.actor("handler")
    out = []
    with time_machine.travel(local(2024, 9, 10, 10), tick=False):
        for i in range(n):
            case = svc.register_case(
                svc.RegisterInput(
                    request_type="complaint",
                    channel="hotline",
                    description=f"转账未到账 {i}",
                    customer=CustomerInput(name="李四", phone="13900001111"),
                ),
                actor=bank.actor("agent"),
            )
            svc.accept_case(
                case.pk, actor=handler, contact_channel="phone", contact_outcome="reached", no_direct_interest=True
            )
            svc.add_note(case.pk, actor=handler, text="已调取流水")
            out.append(Case.objects.get(pk=case.pk))
    return out


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out)
    return out.getvalue()


def set_payload(event: CaseEvent, payload: dict) -> None:
    table = CaseEvent._meta.db_table
    value = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} SET payload = {value} WHERE id = %s", [json.dumps(payload), event.pk])


@pytest.mark.django_db
def test_clean_database_verifies(bank):
    cases = make_cases(bank)
    assert verify().strip() == f"OK: {len(cases)} case chains and the audit chain verify"


@pytest.mark.django_db
def test_altered_payload_names_case_and_event(bank):
    first, second = make_cases(bank)
    event = CaseEvent.objects.get(case=second, seq=3)  # registered, triaged, accepted
    assert event.type == "accepted"
    set_payload(event, {**event.payload, "no_direct_interest": False})

    with pytest.raises(CommandError) as exc:
        verify()
    assert str(exc.value) == f"case {second.case_number} event #3: content does not match its hash (altered)"
    assert first.case_number not in str(exc.value)


@pytest.mark.django_db
def test_rehashed_event_breaks_the_next_link(bank):
    """Whoever edits an event and recomputes its hash still breaks the following event's link."""
    from redressal.audit.chain import digest
    from redressal.cases.services.events import event_fields

    (case,) = make_cases(bank, 1)
    event = CaseEvent.objects.get(case=case, seq=1)
    event.payload = {**event.payload, "channel": "letter"}
    new_hash = digest(event.prev_hash, event_fields(case.case_number, event))
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {CaseEvent._meta.db_table} SET hash = %s WHERE id = %s", [new_hash, event.pk])
    set_payload(event, event.payload)

    with pytest.raises(CommandError, match=rf"case {case.case_number} event #2: previous-hash link does not match"):
        verify()


@pytest.mark.django_db
def test_deleted_event_is_missing(bank):
    (case,) = make_cases(bank, 1)
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {CaseEvent._meta.db_table} WHERE case_id = %s AND seq = 2", [case.pk])
    with pytest.raises(CommandError, match=rf"case {case.case_number} event #2: event 2 is missing"):
        verify()


@pytest.mark.django_db
def test_truncated_chain_does_not_match_the_case_head(bank):
    (case,) = make_cases(bank, 1)
    last = case.last_event_seq
    with connection.cursor() as cur:
        cur.execute(f"DELETE FROM {CaseEvent._meta.db_table} WHERE case_id = %s AND seq = %s", [case.pk, last])
    with pytest.raises(CommandError, match=rf"case {case.case_number} event #{last - 1}: the case's chain head"):
        verify()


@pytest.mark.django_db
def test_altered_audit_event(bank):
    make_cases(bank, 1)
    victim = AuditEvent.objects.order_by("seq")[1]
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {AuditEvent._meta.db_table} SET object_id = %s WHERE id = %s", ["intruder", victim.pk])
    with pytest.raises(CommandError, match=rf"^audit event #{victim.seq}: altered$"):
        verify()


def cli_env() -> dict[str, str]:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "REDRESSAL_DATA_DIR": str(settings.DATA_DIR),
        "REDRESSAL_DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "redressal.settings",
    }


@pytest.mark.django_db(transaction=True)
def test_cli_exit_status_and_message(bank):
    """The console script against the same (committed) test database."""
    exe = Path(sys.executable).parent / "redressal"
    (case,) = make_cases(bank, 1)
    ok = subprocess.run([str(exe), "audit-verify"], env=cli_env(), capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "OK: 1 case chains" in ok.stdout

    set_payload(CaseEvent.objects.get(case=case, seq=3), {"text": "改过的记录"})
    bad = subprocess.run([str(exe), "audit-verify"], env=cli_env(), capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1
    assert f"case {case.case_number} event #3" in bad.stderr
    assert "Traceback" not in bad.stderr


# The attacks of someone with database write access but not the audit key (docs/audit.md).


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cur:
        cur.execute(sql, params)


@pytest.mark.django_db
def test_deleting_the_newest_audit_events_is_found(bank):
    make_cases(bank, 1)
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) >= 3
    table = AuditEvent._meta.db_table
    raw(f"DELETE FROM {table} WHERE seq >= %s", [events[-2].seq])
    left = events[-3]
    with pytest.raises(CommandError, match=rf"^audit event #{left.seq}: the audit chain head records {events[-1].seq}"):
        verify()

    # Moving the head back onto what is left does not help: the head carries a seal under the key.
    raw(f"UPDATE {ChainHead._meta.db_table} SET seq = %s, hash = %s", [left.seq, left.hash])
    with pytest.raises(CommandError, match=rf"^audit event #{left.seq}: the audit chain head is not sealed"):
        verify()


@pytest.mark.django_db
def test_deleting_the_newest_case_events_and_moving_the_head_back_is_found(bank):
    first, second = make_cases(bank)
    last = second.last_event_seq
    kept = CaseEvent.objects.get(case=second, seq=last - 2)
    raw(f"DELETE FROM {CaseEvent._meta.db_table} WHERE case_id = %s AND seq > %s", [second.pk, kept.seq])
    raw(
        f"UPDATE {Case._meta.db_table} SET last_event_seq = %s, last_event_hash = %s WHERE id = %s",
        [kept.seq, kept.hash, second.pk],
    )
    with pytest.raises(CommandError) as exc:
        verify()
    assert str(exc.value) == (
        f"case {second.case_number} event #{kept.seq}: the case's chain head is not sealed by the audit key (rewritten)"
    )
    assert first.case_number not in str(exc.value)


def unkeyed(prev: str, fields: dict) -> str:
    """A link as anyone can compute it: SHA-256 of the previous link and the fields' canonical JSON."""
    norm = {k: v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v for k, v in fields.items()}
    body = json.dumps(norm, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()


def rechain_without_the_key(case: Case, keyed_from: int | None = None) -> None:
    """What an intruder can do: recompute every link as the unkeyed SHA-256 and move the head."""
    from redressal.cases.services.events import event_fields

    prev = "0" * 64
    for event in CaseEvent.objects.filter(case=case).order_by("seq"):
        event.prev_hash = prev
        event.hash = unkeyed(prev, event_fields(case.case_number, event))
        raw(
            f"UPDATE {CaseEvent._meta.db_table} SET prev_hash = %s, hash = %s WHERE id = %s",
            [event.prev_hash, event.hash, event.pk],
        )
        prev = event.hash
    raw(f"UPDATE {Case._meta.db_table} SET last_event_hash = %s WHERE id = %s", [prev, case.pk])
    if keyed_from is not None:
        raw(f"UPDATE {Case._meta.db_table} SET chain_keyed_from = %s WHERE id = %s", [keyed_from, case.pk])


@pytest.mark.django_db
def test_an_edited_and_recomputed_case_chain_is_found(bank):
    (case,) = make_cases(bank, 1)
    event = CaseEvent.objects.get(case=case, seq=1)
    set_payload(event, {**event.payload, "channel": "letter"})
    rechain_without_the_key(case)
    with pytest.raises(CommandError, match=rf"^case {case.case_number} event #1: content does not match its hash"):
        verify()

    # Passing the whole chain off as written before the key is refused by the head's seal.
    rechain_without_the_key(case, keyed_from=case.last_event_seq + 1)
    with pytest.raises(CommandError, match=rf"^case {case.case_number} event #{case.last_event_seq}: .* not sealed"):
        verify()


@pytest.mark.django_db
def test_an_edited_and_recomputed_audit_chain_is_found(bank):
    from redressal.audit.services import audit_fields

    make_cases(bank, 1)
    table = AuditEvent._meta.db_table
    raw(f"UPDATE {table} SET object_id = %s WHERE seq = 1", ["intruder"])
    prev = "0" * 64
    for event in AuditEvent.objects.order_by("seq"):
        event.hash = unkeyed(prev, audit_fields(event))
        raw(f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, event.hash, event.pk])
        prev = event.hash
    raw(f"UPDATE {ChainHead._meta.db_table} SET hash = %s", [prev])
    with pytest.raises(CommandError, match=r"^audit event #1: altered$"):
        verify()
    raw(f"UPDATE {ChainHead._meta.db_table} SET keyed_from = seq + 1", [])
    with pytest.raises(CommandError, match=r"^audit event #\d+: the audit chain head is not sealed"):
        verify()


def case_with_note_and_proposal(bank) -> Case:
    (case,) = make_cases(bank, 1)
    handler = bank.actor("handler")
    with time_machine.travel(local(2024, 9, 11, 10), tick=False):
        svc.start_investigation(case.pk, actor=handler)
        svc.propose_solution(
            case.pk, actor=handler, solution="退还手续费", items=[{"kind": "refund", "amount": "50.00"}]
        )
    return Case.objects.get(pk=case.pk)


@pytest.mark.django_db
def test_a_clean_case_with_notes_and_proposals_verifies(bank):
    case_with_note_and_proposal(bank)
    assert verify().startswith("OK: 1 case chains")


@pytest.mark.django_db
def test_raw_update_of_the_case_status_is_found(bank):
    case = case_with_note_and_proposal(bank)
    assert case.status == "investigating"
    raw(f"UPDATE {Case._meta.db_table} SET status = %s WHERE id = %s", ["closed", case.pk])
    with pytest.raises(CommandError) as exc:
        verify()
    assert str(exc.value) == (
        f"case {case.case_number}: status is 'closed' in the case row but 'investigating' in its events"
    )


@pytest.mark.django_db
def test_raw_update_of_a_proposal_total_is_found(bank):
    case = case_with_note_and_proposal(bank)
    proposal = Proposal.objects.get(case=case)
    raw(f"UPDATE {Proposal._meta.db_table} SET total = %s WHERE id = %s", ["5000.00", proposal.pk])
    with pytest.raises(CommandError) as exc:
        verify()
    assert str(exc.value) == f"case {case.case_number}: proposal {proposal.pk} total is 5000.00 but event #6 says 50.00"


@pytest.mark.django_db
def test_raw_update_of_a_note_text_is_found(bank):
    case = case_with_note_and_proposal(bank)
    note = Note.objects.get(case=case)
    event = CaseEvent.objects.get(case=case, type="note_added")
    raw(f"UPDATE {Note._meta.db_table} SET text = %s WHERE id = %s", ["客户承认已收到款项", note.pk])
    with pytest.raises(CommandError) as exc:
        verify()
    assert str(exc.value) == f"case {case.case_number}: note {note.pk} text differs from event #{event.seq}"


@pytest.mark.django_db
def test_every_problem_is_named(bank):
    first, second = make_cases(bank)
    raw(f"UPDATE {Case._meta.db_table} SET priority = %s WHERE id = %s", ["P1", first.pk])
    raw(f"UPDATE {Note._meta.db_table} SET text = %s WHERE case_id = %s", ["改", second.pk])
    err = StringIO()
    with pytest.raises(CommandError, match=r"^2 problems; the first: case "):
        call_command("audit_verify", stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith(f"case {first.case_number}: priority is 'P1' in the case row but ")
    assert lines[1].startswith(f"case {second.case_number}: note ")


@pytest.mark.django_db
def test_chains_from_before_the_key_verify_once_sealed_and_stay_protected(bank):
    """An upgraded database: unkeyed links, heads sealed by the migration as found."""
    from importlib import import_module

    from django.apps import apps

    from redressal.audit.services import audit_fields

    (case,) = make_cases(bank, 1)
    rechain_without_the_key(case)
    prev = "0" * 64
    for event in AuditEvent.objects.order_by("seq"):
        event.hash = unkeyed(prev, audit_fields(event))
        table = AuditEvent._meta.db_table
        raw(f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, event.hash, event.pk])
        prev = event.hash
    raw(f"UPDATE {ChainHead._meta.db_table} SET hash = %s", [prev])
    with pytest.raises(CommandError):
        verify()  # unkeyed links are not accepted where the chain is keyed

    import_module("redressal.cases.migrations.0005_case_chain_head_seal").seal_existing_chains(apps, None)
    import_module("redressal.audit.migrations.0003_audit_chain_head_seal").seal_existing_chain(apps, None)
    assert verify().startswith("OK: 1 case chains")

    # New events are keyed from where the old chain ends, and the old part is still bound by the head.
    handler = bank.actor("handler")
    with time_machine.travel(local(2024, 9, 11, 10), tick=False):
        svc.add_note(case.pk, actor=handler, text="补充调查")
    case.refresh_from_db()
    assert case.chain_keyed_from == case.last_event_seq  # the note: the first keyed event
    assert verify().startswith("OK: 1 case chains")
    event = CaseEvent.objects.get(case=case, seq=1)
    set_payload(event, {**event.payload, "channel": "letter"})
    rechain_without_the_key(case)
    with pytest.raises(CommandError, match=rf"^case {case.case_number} event #{case.chain_keyed_from}: content"):
        verify()
