"""Audit search and the per-case trail for compliance and internal audit."""

from __future__ import annotations

import io
import re

import pytest

from redressal.audit.services import record_audit
from redressal.cases import services as svc
from redressal.cases.models import CaseEvent
from tests.flows import accept
from tests.services.test_lifecycle import register
from tests.web.test_shell import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["compliance1", "auditor1"])
def test_audit_pages_for_audit_readers(client, bank, who):
    case = register(bank)
    login(client, who)
    assert client.get("/audit/").status_code == 200
    assert client.get(f"/audit/cases/{case.pk}/").status_code == 200


@pytest.mark.parametrize("who", ["handler1", "supervisor1", "senior1", "admin", "collab1", "qa1", "agent1"])
def test_audit_pages_refused_to_others(client, bank, who):
    case = register(bank)
    login(client, who)
    assert client.get("/audit/").status_code == 403
    assert client.get(f"/audit/cases/{case.pk}/").status_code == 403


def test_search_by_actor_finds_their_events(client, bank):
    case = register(bank)
    accept(case.pk, bank.actor("handler"))
    other = register(bank)
    login(client, "auditor1")
    body = client.get("/audit/", {"actor": "handler1"}).content.decode()
    rows = body.split('data-testid="audit-rows"')[1].split("</table>")[0]
    assert case.case_number in rows and other.case_number not in rows
    assert "accepted" in rows


def test_search_by_case_number_finds_case_and_audit_events(client, bank):
    case = register(bank)
    other = register(bank)
    record_audit("pii.reveal", actor_id=bank.people["head"].pk, object_type="case", object_id=case.case_number,
                 reason="核实身份")
    login(client, "compliance1")
    body = client.get("/audit/", {"object_ref": case.case_number}).content.decode()
    rows = body.split('data-testid="audit-rows"')[1].split("</table>")[0]
    assert "registered" in rows and "pii.reveal" in rows and "核实身份" in rows
    assert other.case_number not in rows


def test_filters_by_type_and_date_and_validates(client, bank):
    case = register(bank)
    login(client, "auditor1")
    body = client.get("/audit/", {"type": "registered", "source": "case"}).content.decode()
    assert case.case_number in body
    assert case.case_number not in client.get("/audit/", {"type": "merged"}).content.decode().split(
        'data-testid="audit-rows"')[1]
    r = client.get("/audit/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert r.status_code == 422 and 'data-field="date_to"' in r.content.decode()
    r = client.get("/audit/", {"date_from": "not-a-date"})
    assert r.status_code == 422 and 'data-field="date_from"' in r.content.decode()


def test_keyset_paging_walks_every_event_once(client, bank):
    import re

    import time_machine

    from redressal.audit.models import AuditEvent
    from tests.conftest import local

    # One frozen moment: every event has the same time, so only the (source, id) tie-break pages them.
    with time_machine.travel(local(2026, 1, 5, 10, 0), tick=False):
        for _ in range(4):
            register(bank)
        for i in range(90):
            record_audit("test.event", actor_id=None, object_type="x", object_id=str(i))
        login(client, "auditor1")
        total = CaseEvent.objects.count() + AuditEvent.objects.count()
        assert total > 100  # more than two pages of 50
        seen: list[str] = []
        after = ""
        for _ in range(10):
            body = client.get("/audit/", {"after": after, "actor": ""}).content.decode()
            seen += re.findall(r'data-id="([a-z]+-[0-9]+)"', body)
            found = re.search(r'href="\?([^"]*)" data-testid="audit-next"', body)
            if not found:
                break
            after = re.search(r"after=([0-9a-z_]+)", found.group(1)).group(1)
        assert len(seen) == total and len(set(seen)) == total


def test_case_trail_shows_payload_and_chain_status_and_detects_tampering(client, bank):
    case = register(bank)
    accept(case.pk, bank.actor("handler"))
    svc.start_investigation(case.pk, actor=bank.actor("handler"))
    login(client, "auditor1")
    body = client.get(f"/audit/cases/{case.pk}/").content.decode()
    assert 'class="chain-ok"' in body and "status" in body and "investigating" in body
    CaseEvent.objects.filter(case=case, seq=2).update(reason="改过的")
    body = client.get(f"/audit/cases/{case.pk}/").content.decode()
    assert "chain-broken" in body and "#2" in body


def test_export_xlsx_is_audited(client, bank):
    import zipfile

    from redressal.audit.models import AuditEvent

    case = register(bank)
    login(client, "compliance1")
    r = client.get("/audit/", {"object_ref": case.case_number, "export": "xlsx"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
    text = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    assert case.case_number in text and "registered" in text
    export = AuditEvent.objects.filter(type="export.xlsx", object_id="audit").get()
    # One row per event of the case: "registered" and "triaged".
    assert export.payload["rows"] == case.events.count() == 2
    assert export.actor_id == bank.people["compliance"].pk


def test_audit_page_in_english(client, bank):
    login(client, "auditor1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/audit/").content.decode()
    assert 'lang="en"' in body and "All" in body


def test_case_trail_shows_changes_as_names_and_shanghai_times(client, bank):
    import time_machine

    from tests.conftest import local

    with time_machine.travel(local(2024, 9, 20, 12, 5), tick=False):
        case = register(bank)
        accept(case.pk, bank.actor("handler"))
    handler = bank.people["handler"]
    accepted = CaseEvent.objects.get(case=case, type="accepted")
    changes = accepted.payload["changes"]
    assert changes["assignee_id"]["after"] == handler.pk  # stored as the id
    assert changes["accepted_at"]["after"].startswith("2024-09-20T04:05")  # stored in UTC
    login(client, "auditor1")
    body = client.get(f"/audit/cases/{case.pk}/").content.decode()
    row = body.split(f'id="event-{accepted.seq}"')[1].split("</tr>\n  ")[0]
    assert f"→ {handler}" in row and f"→ {handler.pk}<" not in row
    assert "→ 2024-09-20 12:05" in row and "04:05" not in row.split("<details>")[0]


def test_case_trail_says_whether_the_case_row_matches_its_events(client, bank):
    """audit-verify found a case row edited past its events; the auditor's case page only checked the
    hash chain, which such an edit leaves intact. It now says, in words, which parts differ."""
    from redressal.cases.models import Case

    case = register(bank)
    accept(case.pk, bank.actor("handler"))
    login(client, "auditor1")
    body = client.get(f"/audit/cases/{case.pk}/").content.decode()
    assert 'data-testid="row-ok"' in body and "工单数据与其事件记录一致。" in body
    assert 'data-testid="row-mismatch"' not in body
    Case.objects.filter(pk=case.pk).update(status="closed", priority="P1")  # past perform: no event
    body = client.get(f"/audit/cases/{case.pk}/").content.decode()
    assert 'class="chain-ok"' in body  # the events themselves are untouched
    mismatch = re.search(r'data-testid="row-mismatch">(.*?)</div>', body, re.S).group(1)
    assert "工单数据与其事件记录不符" in mismatch and "状态" in mismatch and "优先级" in mismatch
    assert "status is" not in body and "in its events" not in body  # not the developer message
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get(f"/audit/cases/{case.pk}/").content.decode()
    mismatch = re.search(r'data-testid="row-mismatch">(.*?)</div>', body, re.S).group(1)
    assert "does not match its events" in mismatch and "Status" in mismatch and "Priority" in mismatch
