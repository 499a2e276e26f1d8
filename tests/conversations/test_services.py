"""Conversations without any channel's transport: open or continue, answer, close, turn into a case,
and who may do it (the conversation's unit is the scope)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from redressal.audit.models import AuditEvent
from redressal.cases.models import CaseEvent, Evidence
from redressal.conversations import channels
from redressal.conversations import services as conv
from redressal.conversations.models import ChannelBinding, Conversation
from redressal.conversations.selectors import conversations
from redressal.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from redressal.customers.models import Customer
from tests.conftest import local

pytestmark = pytest.mark.django_db

OPENID = "oPerson-One_abc"


@pytest.fixture
def sent(monkeypatch):
    """A channel "test" whose sender records what was sent, or fails when told."""
    out: list = []
    state = {"fail": ""}

    def sender(party: str, text: str) -> None:
        if state["fail"]:
            raise channels.SendFailed(state["fail"])
        out.append((party, text))

    monkeypatch.setitem(channels.SENDERS, "wechat", sender)
    return out, state


@pytest.fixture
def intake_bj(settings):
    # The branch is the intake unit: its agents, handlers and supervisor take the conversations.
    settings.INTAKE_UNIT = "BJ"


def inbound(text: str, msg_id: str, *, at=None, party: str = OPENID, kind: str = "text") -> conv.Received:
    return conv.receive_message(
        conv.Inbound("wechat", party, kind, text, f"wechat:{msg_id}", at or local(2024, 9, 20, 10))
    )


def test_open_then_continue_then_a_new_one_after_closing(bank, intake_bj, sent):
    first = inbound("第一条", "1")
    second = inbound("第二条", "2")
    assert first.conversation.pk == second.conversation.pk
    assert first.conversation.unit == bank.branch
    conv.close(bank.actor("handler"), first.conversation.pk)
    third = inbound("第三条", "3")
    assert third.conversation.pk != first.conversation.pk
    assert Conversation.objects.filter(status="closed").count() == 1


def test_duplicate_external_id_is_one_message(bank, intake_bj):
    a = inbound("同一条", "9")
    b = inbound("同一条", "9")
    assert b.duplicate and not a.duplicate and a.message.pk == b.message.pk
    assert a.conversation.messages.count() == 1


def test_answer_goes_out_after_commit_and_marks_answered(bank, intake_bj, sent):
    out, _ = sent
    c = inbound("年费问题", "1").conversation
    with time_machine.travel(local(2024, 9, 20, 10, 5), tick=False):
        message = conv.answer(bank.actor("agent"), c.pk, "您好，我们已收到，稍后致电您。")
    assert out == [(OPENID, "您好，我们已收到，稍后致电您。")]
    assert message.delivery == "sent" and message.staff_id == bank.people["agent"].pk
    c.refresh_from_db()
    assert c.status == "answered"
    assert AuditEvent.objects.filter(type="conversation.answer", object_id=str(c.pk)).exists()


def test_a_failed_send_is_on_the_message_and_back_in_waiting(bank, intake_bj, sent):
    _, state = sent
    state["fail"] = "WeChat API HTTP 502"
    c = inbound("年费问题", "1").conversation
    message = conv.answer(bank.actor("agent"), c.pk, "您好")
    assert message.delivery == "failed" and message.error == "WeChat API HTTP 502"
    c.refresh_from_db()
    assert c.status == "waiting"


def test_answer_refusals(bank, intake_bj, sent):
    c = inbound("年费问题", "1").conversation
    with pytest.raises(ValidationFailed):
        conv.answer(bank.actor("agent"), c.pk, "   ")
    with pytest.raises(ValidationFailed):
        conv.answer(bank.actor("agent"), c.pk, "长" * 601)
    conv.close(bank.actor("agent"), c.pk)
    with pytest.raises(Conflict):
        conv.answer(bank.actor("agent"), c.pk, "还在吗")


def test_staff_outside_the_unit_neither_see_nor_answer(bank, sent):
    # Default intake unit: the head office. The branch's staff have no grant over it.
    c = inbound("年费问题", "1").conversation
    assert c.unit == bank.ho
    for name in ("agent", "handler", "sup"):
        actor = bank.actor(name)
        assert not conversations(actor).exists()
        with pytest.raises(NotFound):
            conv.answer(actor, c.pk, "您好")
        with pytest.raises(NotFound):
            conv.turn_into_case(actor, c.pk, conv.CaseFromConversation(customer_name="王秀英"))
    assert list(conversations(bank.actor("hosup"))) == [c]
    assert sent[0] == []


def test_roles_without_the_permission_are_refused(bank, intake_bj):
    c = inbound("年费问题", "1").conversation
    with pytest.raises(NotFound):  # a head-office compliance officer reads no conversations
        conv.answer(bank.actor("compliance"), c.pk, "您好")
    head = bank.actor("head")  # the branch head holds no conversation permission either
    with pytest.raises((NotFound, PermissionDenied)):
        conv.close(head, c.pk)


def test_turn_into_case_with_a_new_customer(bank, intake_bj, sent):
    inbound("我的信用卡年费被重复收取两次", "1", at=local(2024, 9, 20, 9, 30))
    inbound("请尽快退还", "2", at=local(2024, 9, 20, 9, 31))
    c = Conversation.objects.get()
    with time_machine.travel(local(2024, 9, 20, 9, 40), tick=False):
        conv.answer(bank.actor("handler"), c.pk, "您好，请问您的姓名？")
        case = conv.turn_into_case(bank.actor("handler"), c.pk, conv.CaseFromConversation(customer_name="王秀英"))
    assert case.channel == "wechat" and case.request_type == "complaint"
    assert case.description == "我的信用卡年费被重复收取两次\n请尽快退还"
    assert case.received_at == local(2024, 9, 20, 9, 30)
    assert case.customer.name == "王秀英" and case.customer.contact_channel == "wechat"
    registered = CaseEvent.objects.filter(case=case).order_by("seq").first()
    assert registered.actor_role == "customer" and registered.payload["via"]["adapter"] == "wechat"
    evidence = Evidence.objects.get(case=case)
    assert evidence.kind == "electronic" and evidence.content_type.startswith("text/plain")
    content = evidence.file.read().decode()
    assert "我的信用卡年费被重复收取两次" in content and "您好，请问您的姓名？" in content
    assert OPENID not in content
    c.refresh_from_db()
    assert c.case_id == case.pk and c.status == "closed" and c.customer_id == case.customer_id
    binding = ChannelBinding.objects.get()
    assert binding.customer_id == case.customer_id and binding.party == OPENID
    with pytest.raises(Conflict):
        conv.turn_into_case(bank.actor("handler"), c.pk, conv.CaseFromConversation(customer_name="王秀英"))
    # The next message of the bound customer goes to their home branch, known by name.
    again = inbound("进度如何？", "3", at=local(2024, 9, 21, 9))
    assert again.conversation.customer_id == case.customer_id


def test_turn_into_case_staff_correct_type_and_description(bank, intake_bj):
    c = inbound("你们的服务太差了", "1").conversation
    case = conv.turn_into_case(
        bank.actor("handler"),
        c.pk,
        conv.CaseFromConversation(
            request_type="consultation", description="咨询信用卡年费减免政策", customer_name="李四"
        ),
    )
    assert case.request_type == "consultation" and case.description == "咨询信用卡年费减免政策"


def test_turn_into_case_with_a_customer_staff_may_find_only(bank, intake_bj):
    from redressal.customers.services import CustomerInput, create_customer

    theirs = create_customer(CustomerInput(name="张三"), actor=None, home_unit=bank.branch)
    elsewhere_unit = bank.ho
    other = create_customer(CustomerInput(name="赵五"), actor=None, home_unit=elsewhere_unit)
    c = inbound("年费问题", "1").conversation
    with pytest.raises(NotFound):
        conv.turn_into_case(bank.actor("handler"), c.pk, conv.CaseFromConversation(customer_id=other.pk))
    case = conv.turn_into_case(bank.actor("handler"), c.pk, conv.CaseFromConversation(customer_id=theirs.pk))
    assert case.customer_id == theirs.pk
    assert Customer.objects.count() == 2


def test_turn_into_case_needs_a_name_or_a_customer(bank, intake_bj):
    c = inbound("年费问题", "1").conversation
    with pytest.raises(ValidationFailed):
        conv.turn_into_case(bank.actor("handler"), c.pk, conv.CaseFromConversation())
    assert Conversation.objects.get().case_id is None


def test_waiting_list_newest_first(bank, intake_bj):
    inbound("早", "1", party="oA")
    inbound("晚", "2", party="oB", at=local(2024, 9, 20, 10) + timedelta(minutes=5))
    rows = list(conversations(bank.actor("agent")))
    assert [r.messages.first().text for r in rows] == ["晚", "早"]
