"""Mass incidents (SPEC §6) end to end: detection after registration, one incident per spike, one
alert per person, the flag on each linked case, and one decision text for all of them."""

from __future__ import annotations

from datetime import timedelta

from redressal.cases import services as svc
from redressal.cases.models import Case, CaseEvent
from redressal.notify.models import StaffNotification
from redressal.triage.models import MassIncident, MassIncidentCase
from redressal.triage.page_selectors import incident_cases
from redressal.triage.selectors import case_mass_incidents
from redressal.triage.services import bulk_respond, detect_for
from tests.flows import ROUTES, accept, confirm_codes
from tests.triage.conftest import customer, register

# Different words from different people about the same outage, so the text rule does not fire first.
TEXTS = [
    "手机银行转账一直显示处理中",
    "给家里汇款失败但是钱扣了",
    "APP转不出去，急着付房租",
    "下午付款提示系统繁忙",
    "跨行转账到现在没到账",
    "转账页面卡住，提交不了",
    "工资转出去对方没收到",
    "转账失败了还扣手续费",
    "网银转账报错代码E102",
    "给供应商付款失败",
]


def spike(bank, n: int) -> list[Case]:
    return [
        register(bank, TEXTS[i], customer=customer(i + 1), product="手机银行转账", channel="mobile_banking")
        for i in range(n)
    ]


def test_a_spike_opens_one_incident_alerts_once_and_flags_each_case(bank, frozen):
    before = spike(bank, 7)
    assert MassIncident.objects.count() == 0
    assert not any("mass_incident" in Case.objects.get(pk=c.pk).risk_flags for c in before)

    eighth = spike(bank, 8)[-1]
    (incident,) = MassIncident.objects.all()
    assert incident.key in ("product:手机银行转账", "channel:mobile_banking")
    linked = set(MassIncidentCase.objects.filter(incident=incident).values_list("case_id", flat=True))
    assert len(linked) >= 8 and eighth.pk in linked
    for case_id in linked:
        case = Case.objects.get(pk=case_id)
        assert "mass_incident" in case.risk_flags
        flagged = CaseEvent.objects.get(case_id=case_id, type="risk_flag_added")
        assert flagged.payload["code"] == "mass_incident"
        assert f"MI-{incident.pk}" in flagged.payload["evidence"]
        assert any(f["factor"] == "risk:mass_incident" for f in case.priority_factors)

    alerts = StaffNotification.objects.filter(kind="mass_incident")
    recipients = sorted(alerts.values_list("recipient__username", flat=True))
    assert recipients == ["compliance1", "supervisor1"]

    # One more case joins the same incident; nobody is alerted again.
    register(bank, "转账转不了", customer=customer(40), product="手机银行转账", channel="mobile_banking")
    assert MassIncident.objects.count() == 1
    assert alerts.count() == 2
    # As the incident's page lists them, for a supervisor whose scope holds them all.
    listed = incident_cases(bank.actor("sup"), incident.pk)
    assert (len(listed.rows), listed.hidden, listed.more) == (len(linked) + 1, 0, 0)
    assert case_mass_incidents(eighth) == [{"id": incident.pk, "key": incident.key, "status": "open"}]


def test_detection_is_idempotent(bank, frozen):
    cases = spike(bank, 8)
    events = CaseEvent.objects.count()
    for c in cases:
        detect_for(c.pk)
    assert MassIncident.objects.count() == 1
    assert CaseEvent.objects.count() == events
    assert StaffNotification.objects.filter(kind="mass_incident").count() == 2


# An ordinary morning: different people about different things.
ORDINARY = [
    "网点柜员态度很差，办业务时爱答不理",
    "ATM机吞卡了，到现在还没退给我",
    "提前还房贷要预约排队，规定不合理",
    "理财经理推销时没说清楚风险",
    "信用卡分期的手续费说明里没有写",
    "买的理财产品收益比宣传的低很多",
    "卡里的钱被人在外地盗刷了",
    "我的个人信息被泄露，总接到推销电话",
    "信用卡年费没经过同意就扣了",
    "催收人员天天给我家人打电话骚扰",
]


def test_ordinary_traffic_raises_nothing(bank, frozen):
    """Thirty cases over three days (a few per six hours), the same topics coming round again."""
    products = ["信用卡", "借记卡", "理财", "房贷", "手机银行转账"]
    channels = ["hotline", "counter", "mobile_banking", "wechat", "online_banking", "email"]
    for i in range(30):
        frozen.shift(timedelta(hours=2, minutes=24))
        register(
            bank,
            f"{ORDINARY[i % len(ORDINARY)]}（第{i}位）",
            customer=customer(i + 1),
            product=products[i % 5],
            channel=channels[i % 6],
        )
    assert list(MassIncident.objects.values_list("key", "dimension")) == []


def test_one_customer_many_times_is_not_an_incident(bank, frozen):
    first = register(bank, TEXTS[0], product="手机银行转账", channel="mobile_banking")
    for text in TEXTS[1:9]:
        register(bank, text, customer_id=first.customer_id, product="手机银行转账", channel="mobile_banking")
    assert MassIncident.objects.count() == 0


def test_similar_text_across_customers(bank, frozen):
    text = "今天下午手机银行转账一直失败，提示系统繁忙，钱被扣了对方没收到"
    for i in range(5):
        register(
            bank, text + "。" * i, customer=customer(i + 1), channel=["hotline", "wechat", "email", "sms", "letter"][i]
        )
    (incident,) = MassIncident.objects.all()
    assert incident.dimension == "text"
    assert MassIncidentCase.objects.filter(incident=incident).count() == 5


def test_bulk_response_answers_each_case_and_reports_failures(bank, frozen):
    cases = spike(bank, 8)
    incident = MassIncident.objects.get()
    handler = bank.actor("handler")
    ready = cases[:5]
    for c in ready:
        accept(c.pk, handler)
        svc.start_investigation(c.pk, actor=handler)
        confirm_codes(c.pk, handler)
    result = bulk_respond(
        incident.pk,
        actor=bank.actor("sup"),
        outcome="upheld",
        reasons="系统升级导致转账失败",
        basis="服务协议第8条",
        remedy="退还手续费并补偿",
        notice=svc.Notice("sms", "经核实，因系统故障……", ROUTES),
    )
    assert sorted(result.responded) == sorted(c.case_number for c in ready)
    assert set(result.failed) == {c.case_number for c in cases[5:]}
    # Each failure names the rule that refused it: a registered case cannot be answered yet.
    assert len(set(result.failed.values())) == 1
    assert "respond" in next(iter(result.failed.values()))
    for c in ready:
        assert Case.objects.get(pk=c.pk).status == "responded"
    for c in cases[5:]:
        assert Case.objects.get(pk=c.pk).status == "registered"


def test_a_case_made_p1_by_the_incident_is_escalated_by_a_p1_rule(bank, frozen):
    from redressal.triage.models import RoutingRule

    RoutingRule.objects.create(name="P1上报总行", trigger="p1", order=1, target_unit=bank.ho)
    loud = register(
        bank, "转账失败，再不处理我就打12378", customer=customer(99), product="手机银行转账", channel="mobile_banking"
    )
    assert loud.priority == "P2"
    spike(bank, 8)
    loud.refresh_from_db()
    assert loud.priority == "P1" and "mass_incident" in loud.risk_flags
    assert loud.unit.code == "HO"
    event = CaseEvent.objects.get(case=loud, type="escalated")
    assert event.payload["rule"] == "P1上报总行" and "P1" in event.reason
    # Cases that stay below P1 stay where they are.
    assert not CaseEvent.objects.filter(type="escalated").exclude(case=loud).exists()


def test_cases_already_finished_still_count_towards_the_spike(bank, frozen):
    """A spike is in the arrival rate: cases withdrawn within the window still make it one."""
    for case in spike(bank, 7):
        svc.withdraw_case(case.pk, actor=bank.actor("handler"), reason="客户表示问题已自行解决")
    assert MassIncident.objects.count() == 0
    register(bank, TEXTS[7], customer=customer(8), product="手机银行转账", channel="mobile_banking")
    (incident,) = MassIncident.objects.all()
    assert MassIncidentCase.objects.filter(incident=incident).count() == 8


def test_a_case_joining_an_open_incident_carries_the_incidents_own_figures(bank, frozen):
    """Joining reads only a few index rows, but the flag's reason still counts the whole incident:
    its linked cases and complainants with the newcomer, not the bounded counts."""
    spike(bank, 9)
    (incident,) = MassIncident.objects.all()
    linked = MassIncidentCase.objects.filter(incident=incident).count()
    tenth = register(bank, "转账转不了", customer=customer(41), product="手机银行转账", channel="mobile_banking")
    flagged = CaseEvent.objects.get(case_id=tenth.pk, type="risk_flag_added")
    assert f"{linked + 1} 位客户" in flagged.reason
    # The same complainant once more is one more case, not one more complainant.
    again = register(
        bank, "还是转不了账", customer_id=tenth.customer_id, product="手机银行转账", channel="mobile_banking"
    )
    assert f"{linked + 1} 位客户" in CaseEvent.objects.get(case_id=again.pk, type="risk_flag_added").reason


def test_a_text_outage_larger_than_the_band_look_up_keeps_joining_one_incident(bank, frozen):
    """The text check reads the latest few cases per band key (``PER_BAND``); an outage far larger
    than that still gathers into the one incident, each newcomer linked."""
    from redressal.triage.services.mass import PER_BAND

    text = "今天下午手机银行转账一直失败，提示系统繁忙，钱被扣了对方没收到"
    channels = ["hotline", "wechat", "email", "sms", "letter"]
    cases = [
        register(bank, text + "。" * (i % 7), customer=customer(100 + i), channel=channels[i % 5])
        for i in range(PER_BAND + 12)
    ]
    (incident,) = MassIncident.objects.filter(dimension="text")
    linked = set(MassIncidentCase.objects.filter(incident=incident).values_list("case_id", flat=True))
    assert linked == {c.pk for c in cases}


def test_band_keys_outside_any_window_are_pruned(bank, frozen):
    from redressal.triage.models import TextBand
    from redressal.triage.services.mass import prune_text_bands

    old = register(bank, "信用卡年费被扣了要求退还", customer=customer(1))
    assert TextBand.objects.filter(case=old).count() == 32
    frozen.shift(timedelta(days=2))
    new = register(bank, "信用卡年费被扣了要求退还", customer=customer(2))
    assert prune_text_bands() == 32
    assert not TextBand.objects.filter(case=old).exists()
    assert TextBand.objects.filter(case=new).count() == 32
