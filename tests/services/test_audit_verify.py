"""``audit-verify`` finds any change made behind the application's back (SPEC §13)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from redressal.audit.models import AuditEvent
from redressal.cases import services as svc
from redressal.cases.models import Case, CaseEvent
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
