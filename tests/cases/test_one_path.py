"""One path, events out (ARCHITECTURE §2, decision 0013): a registration is one command — its
subscribers' follow-on steps inside it, the deadlines computed and the case saved once, the search
document written once — with the subscribers' preparation done before the write transaction."""

from __future__ import annotations

import copy
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redressal.cases import bus
from redressal.cases import services as svc
from redressal.cases.commands import Upload
from redressal.cases.models import Case, CaseDeadline, CaseEvent, Evidence
from redressal.cases.services.deadlines import current_deadlines
from redressal.cases.steps import Done, Step
from redressal.core.errors import PermissionDenied
from redressal.search.models import SearchDoc
from tests.triage.conftest import register

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def subscribers(monkeypatch):
    """The bus as the apps left it, restored after the test whatever it subscribes."""
    monkeypatch.setattr(bus, "_subscribers", copy.deepcopy(bus._subscribers))
    return bus._subscribers


def _statements(captured: CaptureQueriesContext, verb: str, table: str) -> int:
    return sum(1 for q in captured.captured_queries if q["sql"].startswith(verb) and f'"{table}"' in q["sql"])


def test_a_registration_saves_its_case_and_its_search_document_once(bank):
    with CaptureQueriesContext(connection) as captured:
        case = register(bank, "信用卡年费未经同意被扣收，要求退还。", complainant_name="张三")
    assert list(CaseEvent.objects.filter(case=case).values_list("type", flat=True)) == ["registered", "triaged"]
    assert _statements(captured, "INSERT", "cases_case") == 1
    assert _statements(captured, "UPDATE", "cases_case") == 1  # the chain head and the deadline, once
    # Nothing has moved the clock of a case being registered: its events are not read back.
    assert _statements(captured, "SELECT", "cases_caseevent") == 0
    writes = _statements(captured, "INSERT", "search_searchdoc") + _statements(captured, "UPDATE", "search_searchdoc")
    assert writes == 1
    assert SearchDoc.objects.filter(case=case).exists()
    assert len(captured.captured_queries) <= 30, [q["sql"][:80] for q in captured.captured_queries]


def test_a_subscribers_follow_on_step_is_part_of_the_command(bank, subscribers):
    """A reaction's step runs inside the command that set it off: its event follows, the case is
    saved once with both changes, and a failing step undoes the whole command."""

    def flag_notes(published: bus.Published) -> list[Step]:
        def change(case: Case, current) -> Done:
            case.risk_flags = [*case.risk_flags, "noted"]
            return Done("risk_flag_added", {"code": "noted", "evidence": [published.event.payload["text"]]})

        return [Step("flag", change, check_state=False)]

    bus.on_event(flag_notes, "note_added")
    case = register(bank, "转账未到账", complainant_name="李四")
    before = Case.objects.get(pk=case.pk).version
    noted = svc.add_note(case.pk, actor=bank.actor("handler"), text="客户来电补充材料")
    types = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("type", flat=True))
    assert types[-2:] == ["note_added", "risk_flag_added"]
    assert noted.version == before + 2
    assert Case.objects.get(pk=case.pk).risk_flags[-1] == "noted"

    def refuse(published: bus.Published) -> list[Step]:
        def change(case: Case, current) -> Done:
            raise PermissionDenied("permission_denied", "no", field="x")

        return [Step("flag", change, check_state=False)]

    bus.on_event(refuse, "note_added")
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(PermissionDenied):
        svc.add_note(case.pk, actor=bank.actor("handler"), text="第二次补充")
    assert CaseEvent.objects.filter(case=case).count() == events  # the note's event went with it


@pytest.mark.django_db(transaction=True)
def test_preparers_run_before_the_write_transaction(bank, subscribers):
    seen: list[bool] = []
    bus.before_registration("probe", lambda draft: seen.append(connection.in_atomic_block or draft.pk is not None))
    register(bank, "手机银行登录失败", complainant_name="王五")
    assert seen == [False]


def test_an_answer_and_attachments_given_at_registration_are_one_command(bank):
    data = svc.RegisterInput(
        request_type="consultation",
        channel="counter",
        description="咨询信用卡年费标准",
        complainant_name="赵六",
        unit_code="BJ",
        answer="年费标准见信用卡章程第三条。",
        attachments=[Upload("letter.pdf", "application/pdf", io.BytesIO(PDF))],
    )
    case = svc.register_case(data, actor=bank.actor("handler"))
    types = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("type", flat=True))
    assert types[:2] == ["registered", "triaged"]
    assert set(types[2:]) >= {"answered", "evidence_added"}
    assert Evidence.objects.filter(case=case).count() == 1
    # The answer is the first contact: the deadlines stored are those its events give, read afresh.
    stored = {d.kind: (d.state, d.due_at) for d in CaseDeadline.objects.filter(case=case)}
    assert stored == {d.kind: (d.state, d.due_at) for d in current_deadlines(case, case.closed_at)}
    assert stored["first_contact"][0] != "running"


def test_an_attachment_the_registrar_may_not_add_stores_nothing(bank):
    """An agent registers but does not investigate: the file is refused, and so is the registration."""
    cases = Case.objects.count()
    data = svc.RegisterInput(
        request_type="complaint",
        channel="counter",
        description="柜台办理业务等待过久",
        complainant_name="钱七",
        unit_code="BJ",
        attachments=[Upload("letter.pdf", "application/pdf", io.BytesIO(PDF))],
    )
    with pytest.raises(PermissionDenied):
        svc.register_case(data, actor=bank.actor("agent"))
    assert Case.objects.count() == cases
    assert not Evidence.objects.exists()

