"""Generated case histories for the insight tests: several quarters of complaints through the services,
with codes confirmed late and corrected after their quarter closed, extensions, pauses, reviews and
merges. Deterministic (seeded)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import time_machine

from redressal.cases import services as svc
from redressal.core.errors import ServiceError
from redressal.customers.services import CustomerInput
from redressal.triage.services import confirm_classification
from tests.conftest import local
from tests.flows import ROUTES

CHANNELS = ["hotline", "counter", "mobile_banking", "online_banking", "wechat", "letter", "self_service"]
BUSINESS = ["B01", "B0201", "B0202", "B0301", "B0302", "B04", "B0801", "B0803", "B09"]
PRODUCTS = ["信用卡", "手机银行", "个人住房贷款", "理财产品"]
CAUSE = ["C01", "C02", "C03", "C04", "C05", "C08", "C11"]


def _register(bank, rng: random.Random, i: int, at: datetime, **kw):
    forwarded = rng.random() < 0.12
    data = svc.RegisterInput(
        request_type=kw.pop("request_type", "complaint"),
        channel="regulator" if forwarded else rng.choice(CHANNELS),
        description=f"第{i}号：信用卡年费被重复收取，手机银行转账失败，要求退还。",
        customer=CustomerInput(name=f"客户{i}", phone=f"1381234{i:04d}", id_number=""),
        source="regulator_forwarded" if forwarded else "customer",
        regulator="12378" if forwarded else "",
        regulator_case_number=f"JR-{i}" if forwarded else "",
        received_at=at,
        product=PRODUCTS[i % len(PRODUCTS)],
    )
    return svc.register_case(data, actor=bank.actor("agent"))


def _try(action, *args, **kw):
    try:
        return action(*args, **kw)
    except ServiceError:
        return None


def story(bank, rng: random.Random, i: int, start: datetime, cases: list) -> None:
    """One case's life, each action at its own moment (the clock moves with it)."""
    handler, sup, senior = bank.actor("handler"), bank.actor("sup"), bank.actor("senior")
    with time_machine.travel(start, tick=False) as t:
        kind = rng.random()
        if kind < 0.1:
            _register(bank, rng, i, start, request_type="consultation")
            return
        case = _register(bank, rng, i, start)
        cases.append(case)
        if kind < 0.16 and len(cases) > 1:
            t.shift(timedelta(hours=1))
            svc.merge_case(case.pk, actor=handler, into_case_number=cases[-2].case_number, reason="重复")
            return
        if kind < 0.24:
            return  # left as registered
        t.shift(timedelta(hours=1))
        svc.accept_case(
            case.pk, actor=handler, contact_channel="phone", contact_outcome="reached", no_direct_interest=True
        )
        svc.start_investigation(case.pk, actor=handler)
        confirmed = rng.random() < 0.6
        if confirmed:
            confirm_classification(case.pk, actor=handler, axis="business", code=rng.choice(BUSINESS))
            confirm_classification(case.pk, actor=handler, axis="cause", code=rng.choice(CAUSE))
        if rng.random() < 0.2:
            t.shift(timedelta(days=2))
            svc.pause_clock(case.pk, actor=handler, reason="appraisal", external_party="司法鉴定中心")
            t.shift(timedelta(days=3))
            svc.resume_clock(case.pk, actor=handler)
        if rng.random() < 0.25:
            t.shift(timedelta(days=5))
            svc.extend_deadline(case.pk, actor=sup, level=1, reason="复杂", justification="多方调查")
            if rng.random() < 0.4:
                t.shift(timedelta(days=10))
                svc.extend_deadline(case.pk, actor=senior, level=2, reason="特别复杂", justification="跨机构")
        if rng.random() < 0.15:
            return  # still being handled
        t.shift(timedelta(days=rng.choice([2, 5, 9, 14, 25, 40])))
        if not confirmed:
            confirm_classification(case.pk, actor=handler, axis="business", code=rng.choice(BUSINESS))
            confirm_classification(case.pk, actor=handler, axis="cause", code=rng.choice(CAUSE))
        svc.respond_to_case(
            case.pk,
            actor=handler,
            outcome=rng.choice(["upheld", "not_upheld", "settled"]),
            reasons="核实",
            basis="合同",
            remedy="退费",
            notice=svc.Notice("sms", "经核实……", ROUTES),
        )
        if rng.random() < 0.2:
            t.shift(timedelta(days=1))
            svc.record_feedback(case.pk, actor=handler, result="dissatisfied", close_reason="已解释")
            t.shift(timedelta(days=2))
            review = svc.request_review(case.pk, actor=bank.actor("compliance"), reason="客户不服，申请核查")
            if rng.random() < 0.8:
                hosup = bank.actor("hosup")
                t.shift(timedelta(hours=2))
                _try(
                    svc.accept_case,
                    review.pk,
                    actor=hosup,
                    contact_channel="phone",
                    contact_outcome="reached",
                    no_direct_interest=True,
                )
                _try(svc.start_investigation, review.pk, actor=hosup)
                confirm_classification(review.pk, actor=hosup, axis="business", code="B04")
                confirm_classification(review.pk, actor=hosup, axis="cause", code="C01")
                t.shift(timedelta(days=rng.choice([3, 12])))
                svc.respond_to_case(
                    review.pk,
                    actor=hosup,
                    outcome=rng.choice(["upheld", "revised"]),
                    reasons="复核",
                    basis="合同",
                    remedy="",
                    notice=svc.Notice("sms", "核查结论……", ROUTES),
                )

        if rng.random() < 0.3:
            # A correction after the quarter has closed: the closed quarter keeps the code it had.
            t.shift(timedelta(days=rng.choice([20, 60, 100])))
            confirm_classification(case.pk, actor=handler, axis="business", code=rng.choice(BUSINESS))


def generate(bank, n: int = 36, seed: int = 7) -> list:
    """``n`` stories received across 2026 Q1–Q3, in order of receipt."""
    rng = random.Random(seed)
    starts = sorted(
        local(2026, 1, 5, 9) + timedelta(days=rng.randrange(0, 255), hours=rng.randrange(0, 8)) for _ in range(n)
    )
    cases: list = []
    for i, start in enumerate(starts):
        story(bank, rng, i, start, cases)
    return cases
