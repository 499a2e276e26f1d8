"""Routing and assignment on registration, and automatic escalation (SPEC §7), through the assign and
escalate services; opt-in by rules in the database."""

from __future__ import annotations

import time_machine

from redressal.cases.models import Case, CaseEvent
from redressal.cases.services.warnings import sweep_warnings
from redressal.notify.models import StaffNotification
from redressal.org.services import create_staff
from redressal.triage.models import AssignmentLedger, RoutingRule
from redressal.triage.services import ensure_default_rules
from tests.conftest import PASSWORD, local
from tests.triage.conftest import register


def test_no_rules_keeps_todays_behaviour(bank, frozen):
    case = register(bank, "信用卡年费重复收取")
    assert case.assignee_id is None and case.unit.code == "BJ"
    assert not CaseEvent.objects.filter(case=case, type__in=["assigned", "escalated"]).exists()


def test_default_rules_send_regulator_forwarded_to_the_senior_team(bank, frozen):
    senior = create_staff("hohandler", PASSWORD, bank.ho, ["handler"], manager=bank.people["hosup"])
    ensure_default_rules()
    case = register(bank, "年费问题", source="regulator_forwarded", regulator="NFRA", regulator_case_number="NFRA-1")
    assert case.unit.code == "HO"
    assert case.assignee_id == senior.pk
    escalated = CaseEvent.objects.get(case=case, type="escalated")
    assigned = CaseEvent.objects.get(case=case, type="assigned")
    assert escalated.payload["rule"] == assigned.payload["rule"] == "监管转办件交高级团队"
    assert escalated.payload["to_unit"] == "HO"
    # An ordinary case stays with its branch and goes to its least-loaded handler.
    plain = register(bank, "网点排队时间太长")
    assert plain.unit.code == "BJ"
    assert CaseEvent.objects.get(case=plain, type="assigned").payload["rule"] == "本机构负载均衡"


def test_least_loaded_then_round_robin(bank, frozen):
    RoutingRule.objects.create(name="all", order=1)
    got = [register(bank, f"第{i}件投诉").assignee.username for i in range(4)]
    # Both start empty: handler1 (lower id) first, then the other, then by load and last assignment.
    assert got == ["handler1", "handler2", "handler1", "handler2"]
    assert AssignmentLedger.objects.count() == 2


def test_priority_weights_the_load(bank, frozen):
    RoutingRule.objects.create(name="all", order=1)
    heavy = register(bank, "我要打12378投诉，还要找记者曝光，信用卡被盗刷10万元")
    assert heavy.priority == "P1" and heavy.assignee.username == "handler1"
    light = [register(bank, f"咨询{i}", request_type="consultation").assignee.username for i in range(3)]
    # handler1 carries a P1 (4); handler2 takes P4s (1 each) until their load passes 4.
    assert light == ["handler2", "handler2", "handler2"]


def test_skills_absence_capacity_and_recusal(bank, frozen):
    p = bank.people
    RoutingRule.objects.create(name="cards", order=1, products=["信用卡"], required_skill="credit_card")
    RoutingRule.objects.create(name="all", order=2)
    p["handler2"].skills = ["credit_card"]
    p["handler2"].save()
    assert register(bank, "年费", product="信用卡").assignee.username == "handler2"
    assert CaseEvent.objects.filter(type="assigned").last().payload["rule"] == "cards"

    p["handler2"].absent_until = local(2024, 9, 10).date()
    p["handler2"].save()
    nobody = register(bank, "年费", product="信用卡")
    assert nobody.assignee_id is None
    assert StaffNotification.objects.filter(kind="routing_unassigned", recipient=p["sup"]).count() == 1

    p["handler2"].absent_until = None
    p["handler2"].capacity = 1
    p["handler2"].save()
    assert register(bank, "年费", product="信用卡").assignee_id is None  # already holds one open case

    # Recusal: the complaint is about handler1, so it goes to handler2 even though handler1 is lighter.
    p["handler2"].capacity = 40
    p["handler2"].save()
    about = register(bank, "对柜员服务态度不满", respondent_staff_username="handler1")
    assert about.assignee.username == "handler2"
    assert "handler1: recusal" in CaseEvent.objects.get(case=about, type="assigned").reason


def test_escalation_on_breach_names_the_rule(bank):
    RoutingRule.objects.create(name="超时上报总行", trigger="breach", order=1, target_unit=bank.ho)
    with time_machine.travel(local(2024, 9, 10, 10), tick=False):
        case = register(bank, "年费重复收取")
    due = Case.objects.get(pk=case.pk).decision_due_at
    with time_machine.travel(due, tick=False):
        sweep_warnings(at=due)
    case.refresh_from_db()
    assert case.unit.code == "HO"
    event = CaseEvent.objects.get(case=case, type="escalated")
    assert event.payload["rule"] == "超时上报总行" and "超" in event.reason
    assert event.actor_id is None


def test_escalation_at_80_percent_goes_to_the_parent_unit(bank):
    RoutingRule.objects.create(name="80%上报", trigger="warning_80", order=1)
    with time_machine.travel(local(2024, 9, 10, 10), tick=False):
        case = register(bank, "年费重复收取", unit_code="BJ01", actor="teller")
    warning = case.warnings.get(label="80%", deadline_kind="decision")
    with time_machine.travel(warning.fire_at, tick=False):
        sweep_warnings(at=warning.fire_at)
    case.refresh_from_db()
    assert case.unit.code == "BJ"
    assert CaseEvent.objects.get(case=case, type="escalated").payload["rule"] == "80%上报"


def test_escalation_comes_with_the_first_at_risk_warning_whatever_its_label_and_once(bank, test_90_profile):
    RoutingRule.objects.create(name="临近超时上报", trigger="warning_80", order=1)
    received = local(2024, 9, 10, 10)
    with time_machine.travel(received, tick=False):
        case = test_90_profile(register(bank, "年费重复收取", unit_code="BJ01", actor="teller"), received)
    moments = dict(case.warnings.filter(deadline_kind="decision").values_list("label", "fire_at"))
    assert set(moments) == {"50%", "75%", "90%", "1d", "breach"}
    escalated = CaseEvent.objects.filter(case=case, type="escalated")
    with time_machine.travel(moments["75%"], tick=False):
        sweep_warnings(at=moments["75%"])
    assert not escalated.exists()  # 75 % is an early warning under this profile
    with time_machine.travel(moments["90%"], tick=False):
        sweep_warnings(at=moments["90%"])
    case.refresh_from_db()
    assert case.unit.code == "BJ" and escalated.count() == 1
    with time_machine.travel(moments["1d"], tick=False):
        sweep_warnings(at=moments["1d"])  # at risk too, but the case was escalated for this due moment
    case.refresh_from_db()
    assert case.unit.code == "BJ" and escalated.count() == 1


def test_no_escalation_rules_no_escalation(bank):
    with time_machine.travel(local(2024, 9, 10, 10), tick=False):
        case = register(bank, "年费重复收取")
    due = Case.objects.get(pk=case.pk).decision_due_at
    with time_machine.travel(due, tick=False):
        sweep_warnings(at=due)
    assert not CaseEvent.objects.filter(case=case, type="escalated").exists()


def test_a_rule_on_the_suggested_business_code(bank, frozen):
    from redressal.org.services import create_unit

    cards = create_unit("CARD", "信用卡中心", "department", bank.ho)
    carder = create_staff("cardhandler", PASSWORD, cards, ["handler"])
    RoutingRule.objects.create(name="信用卡业务交信用卡中心", order=1, business_codes=["B03"], target_unit=cards)
    case = register(bank, "信用卡年费未经同意被扣收，要求退还")
    assert case.classification["business"]["suggested"]["code"].startswith("B03")
    assert (case.unit.code, case.assignee_id) == ("CARD", carder.pk)
    other = register(bank, "网点排队时间太长，工作人员态度差")
    assert other.unit.code == "BJ" and other.assignee_id is None  # no rule matched: left as registered
