"""The case representation carries classification and triage (SPEC §6, §14), and staff confirm a
classification through ``POST /cases/{id}/confirm_classification``."""

from __future__ import annotations

from redressal.cases.models import Case, CaseEvent
from tests.triage.conftest import ELDERLY_BIRTH, customer, register, register_forwarded

AXES = {"request_type", "business", "cause", "channel", "product"}


def test_detail_and_list_shape(bank, api_as, frozen):
    case = register(bank, "我是退休老人，信用卡被盗刷，要找记者曝光！！", customer=customer(birth_date=ELDERLY_BIRTH))
    api = api_as("handler1")
    body = api.get(f"/cases/{case.pk}").json()
    assert set(body["classification"]) == AXES
    for axis in AXES:
        entry = body["classification"][axis]
        assert set(entry) == {"suggested", "confirmed"}
        if axis != "channel":  # the channel of receipt is intake's fact (below)
            assert entry["confirmed"] is None
        if entry["suggested"] is not None:
            assert set(entry["suggested"]) == {"code", "label", "confidence", "model_version"}
    triage = body["triage"]
    # The lexicon has no word of it; the emotion model reads the media threat and "！！" as anger.
    assert triage["emotion"] == case.emotion == "angry"
    assert triage["risk_flags"] == ["media", "fund_safety", "exclamation"]
    assert triage["vulnerable"] == ["elderly"]
    assert triage["priority"] == case.priority
    assert all(set(f) == {"factor", "points", "detail"} for f in triage["priority_factors"])
    assert {f["code"]: f["evidence"] for f in triage["flags"]}["media"] == ["记者", "曝光"]
    assert triage["vulnerable_evidence"][0]["code"] == "elderly"
    assert body["duplicate_candidates"] == [] and body["mass_incidents"] == []

    listed = api.get("/cases").json()["items"][0]
    assert set(listed["classification"]) == AXES
    assert listed["triage"]["risk_flags"] == ["media", "fund_safety", "exclamation"]
    assert listed["triage"]["flags"] is None  # evidence only on the case itself


def test_a_channel_known_at_intake_is_confirmed_and_not_suggested(bank, api_as, frozen):
    api = api_as("handler1")
    case = register(bank, "手机银行转账失败，钱被扣了但对方没收到", channel="mobile_banking")
    registered_at = Case.objects.get(pk=case.pk).registered_at
    channel = api.get(f"/cases/{case.pk}").json()["classification"]["channel"]
    assert channel == {
        "suggested": None,
        "confirmed": {"code": "mobile_banking", "label": "手机银行", "by": "agent1", "at": registered_at.isoformat()},
    }
    listed = {c["id"]: c for c in api.get("/cases").json()["items"]}
    assert listed[case.pk]["classification"]["channel"] == channel

    # A regulator transfer does not say how the customer first reached the bank: the model suggests.
    forwarded = register_forwarded(bank, "BJ-2024-003", customer=customer(2))
    channel = api.get(f"/cases/{forwarded.pk}").json()["classification"]["channel"]
    assert channel["confirmed"] is None
    assert set(channel["suggested"]) == {"code", "label", "confidence", "model_version"}


def test_confirm_classification_endpoint(bank, api_as, frozen):
    case = register(bank, "信用卡年费重复收取")
    api = api_as("handler1")
    r = api.post(f"/cases/{case.pk}/confirm_classification", {"axis": "cause", "code": "C11"})
    assert r.status_code == 200, r.json()
    confirmed = r.json()["classification"]["cause"]["confirmed"]
    assert confirmed["code"] == "C11" and confirmed["label"] == "定价收费" and confirmed["by"] == "handler1"
    assert CaseEvent.objects.filter(case=case, type="classification_confirmed").count() == 1

    r = api.post(f"/cases/{case.pk}/confirm_classification", {"axis": "cause", "code": "B01"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_choice" and r.json()["error"]["field"] == "code"
    r = api.post(f"/cases/{case.pk}/confirm_classification", {"axis": "colour", "code": "C11"})
    assert r.status_code == 422
    r = api.post(f"/cases/{case.pk}/confirm_classification", {"axis": "cause", "code": "C11", "extra": 1})
    assert r.status_code == 422
    r = api_as("agent1").post(f"/cases/{case.pk}/confirm_classification", {"axis": "cause", "code": "C11"})
    assert r.status_code == 403
    assert CaseEvent.objects.filter(case=case, type="classification_confirmed").count() == 1
