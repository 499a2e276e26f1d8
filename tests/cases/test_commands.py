"""Case commands: every one reaches its service through ``execute``, and nothing else gets through."""

from __future__ import annotations

import inspect
import io
from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any, ClassVar

import pytest
import time_machine

from redressal.cases import commands as c
from redressal.cases import services as svc
from redressal.cases.commands import Accept, Decline, Item, NoticeBody, ProposeSolution, Respond
from redressal.cases.models import Case
from redressal.cases.services import decision
from redressal.core.clock import now
from redressal.core.errors import ServiceError, ValidationFailed
from redressal.customers.services import CustomerInput
from redressal.triage.commands import ConfirmClassification
from tests.conftest import local
from tests.flows import ROUTES, accept_and_respond, confirm_codes


def _sample(declaration: type[Any]) -> Any:
    """A command with every field filled (values need not pass the service, only reach it)."""
    values: dict[str, Any] = {}
    for f in fields(declaration):
        name = f.name
        if declaration is NoticeBody or (name == "notice" and declaration is Respond):
            values[name] = NoticeBody(channel="sms", content="x", routes=("review",)) if name == "notice" else "x"
        elif name == "file":
            values[name] = c.Upload(filename="a.pdf", content_type="application/pdf", stream=io.BytesIO(b""))
        elif name == "items":
            values[name] = (Item(kind="refund", amount="1.00"),)
        elif name in ("level", "csat", "expected_version"):
            values[name] = 1
        elif name in ("no_direct_interest", "blocking", "new_facts", "customer_notified"):
            values[name] = True
        elif name == "at":
            values[name] = None
        else:
            values[name] = "x"
    return declaration(**values)


def test_every_command_has_a_handler_that_takes_all_its_fields():
    table = c.handled()
    expected = {
        c.Assign, c.StartInvestigation, c.AddNote, c.AddEvidence, c.OpenTask, c.Approve, c.Reject,
        c.RecordFeedback, c.Reopen, c.Extend, c.RequestExtension, c.Pause, c.Resume, c.RestartClock,
        c.Withdraw, c.Merge, c.Escalate, c.Answer, Accept, ProposeSolution, Respond, Decline,
        ConfirmClassification,
    }  # fmt: skip
    assert expected <= set(table)
    for command, handler in table.items():
        assert isinstance(handler, c.Calls), command
        params = inspect.signature(handler.service).parameters
        kwargs = handler.arguments(_sample(command))
        assert set(kwargs) <= set(params), (command.__name__, set(kwargs) - set(params))
        required = {n for n, p in params.items() if p.default is p.empty and p.kind is p.KEYWORD_ONLY}
        assert required - {"actor"} <= set(kwargs), (command.__name__, required - set(kwargs))


def test_each_command_reaches_its_own_service():
    table = c.handled()
    assert table[Accept].service is svc.accept_case
    assert table[c.OpenTask].service is svc.open_task
    assert table[c.Merge].service is svc.merge_case
    assert table[Respond].service is svc.respond_to_case
    assert table[c.RecordFeedback].service is svc.record_feedback
    assert table[c.Answer].service is svc.answer_case
    services = [h.service for h in table.values() if isinstance(h, c.Calls)]
    assert len(services) == len(set(services)), "two commands run the same service"


def test_the_handler_renames_and_shapes_what_the_service_calls_differently():
    calls: list[dict[str, Any]] = []

    def spy(case_id: int, *, actor: Any, **kwargs: Any) -> Any:
        calls.append({"case_id": case_id, "actor": actor, **kwargs})
        return "done"

    handler = c.calling(spy, rename={"department": "department_code"})
    task = c.OpenTask(department="TECH", title="日志", request="请提供", expected_version=3)
    assert handler(7, task, None) == "done"
    assert calls == [{
        "case_id": 7, "actor": None, "department_code": "TECH", "title": "日志", "request": "请提供",
        "blocking": False, "expected_version": 3,
    }]  # fmt: skip

    respond = c.handled()[Respond]
    notice = NoticeBody(channel="sms", content="告知", routes=("review", "litigation"))
    args = respond.arguments(Respond(outcome="upheld", reasons="r", basis="b", notice=notice))
    assert args["notice"] == svc.Notice(channel="sms", content="告知", routes=["review", "litigation"], at=None)


@dataclass(frozen=True, kw_only=True)
class NotRegistered(c.Command):
    action: ClassVar[str] = "accept"
    reason: str = ""


def test_an_unknown_command_is_refused(bank):
    with pytest.raises(ValidationFailed) as exc:
        c.execute(1, NotRegistered(), bank.actor("handler"))
    assert exc.value.code == "unknown_command"
    with pytest.raises(ValidationFailed) as exc:
        c.execute(1, {"action": "accept"}, bank.actor("handler"))  # type: ignore[arg-type]
    assert exc.value.code == "unknown_command"


def test_a_second_handler_for_a_command_is_refused():
    with pytest.raises(ValueError):
        c.register(c.AddNote, c.calling(svc.answer_case))
    assert c.handled()[c.AddNote].service is svc.add_note  # type: ignore[union-attr]


def _register(bank: Any) -> Case:
    data = svc.RegisterInput(
        request_type="complaint",
        channel="hotline",
        description="信用卡年费被重复收取两次，要求退还。",
        customer=CustomerInput(name="王秀英", phone="13812345678", id_number="110101195001011234"),
    )
    return svc.register_case(data, actor=bank.actor("agent"))


def test_commands_carry_a_case_through_its_life(bank):
    handler = bank.actor("handler")
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = _register(bank)
        version = Case.objects.get(pk=case.pk).version
        accept = Accept(
            contact_channel="phone", contact_outcome="reached", no_direct_interest=True, expected_version=version
        )
        assert c.execute(case.pk, accept, handler).status == "accepted"
        c.execute(case.pk, c.StartInvestigation(), handler)
        noted = c.execute(case.pk, c.AddNote(text="调取账单", kind="records_request"), handler)
        assert noted.events.filter(type="note_added").exists()
        confirm_codes(case.pk, handler)
        notice = NoticeBody(channel="sms", content="经核实……", routes=tuple(ROUTES))
        decision_ = Respond(outcome="not_upheld", reasons="按合同", basis="合同第3条", notice=notice)
        decided = c.execute(case.pk, decision_, handler)
        assert decided.status == "responded"
        closed = c.execute(case.pk, c.RecordFeedback(result="satisfied", csat=5), handler)
        assert closed.status == "closed"


def test_a_command_is_checked_by_its_service_like_a_direct_call(bank):
    with time_machine.travel(local(2024, 9, 20, 10), tick=False):
        case = _register(bank)
        stale = Accept(contact_channel="phone", contact_outcome="reached", no_direct_interest=True, expected_version=99)
        with pytest.raises(ServiceError) as exc:
            c.execute(case.pk, stale, bank.actor("handler"))
        assert exc.value.code == "version_conflict"
        with pytest.raises(ServiceError) as exc:  # a QA inspector may not accept
            c.execute(case.pk, Accept(contact_channel="phone", contact_outcome="reached", no_direct_interest=True),
                      bank.actor("qa"))
        assert exc.value.status == 403
    assert Case.objects.get(pk=case.pk).status == "registered"


def test_from_mapping_builds_nested_values_and_keeps_defaults():
    data = {"outcome": "upheld", "reasons": "r", "basis": "b", "notice_channel": "sms", "notice_content": "n",
            "routes": ["review"], "version": 4}  # fmt: skip
    built = c.from_mapping(
        Respond,
        data,
        {"notice.channel": "notice_channel", "notice.content": "notice_content", "notice.routes": "routes",
         "expected_version": "version"},
    )  # fmt: skip
    assert built == Respond(
        outcome="upheld", reasons="r", basis="b", expected_version=4,
        notice=NoticeBody(channel="sms", content="n", routes=("review",)),
    )  # fmt: skip
    assert built.remedy == "" and built.backdate_reason == ""


def test_the_automatic_close_hands_a_record_feedback_command_to_execute(bank, monkeypatch):
    seen: list[tuple[int, Any, Any]] = []
    real = decision.execute

    def spy(case_id: int, command: Any, actor: Any) -> Case:
        seen.append((case_id, command, actor))
        return real(case_id, command, actor)

    monkeypatch.setattr(decision, "execute", spy)
    with time_machine.travel(local(2024, 9, 20, 12), tick=False) as t:
        case = _register(bank)
        accept_and_respond(case.pk, bank.actor("handler"))
        t.shift(timedelta(days=8))
        assert decision.close_unanswered(now()) == 1
    [(case_id, command, actor)] = seen
    assert case_id == case.pk and actor is None
    assert isinstance(command, c.RecordFeedback)
    assert command.result == "unreachable" and command.close_reason == "auto_close_no_reply"
