"""The starter corpus: labelled case texts generated from the demo seeder's templates, without a database.

The seeder (``redressal.demo``) writes each case description from a :class:`~redressal.demo.texts.Situation`
template filled with slot values; here the same templates are filled the same way (``Slots.fill``, ``pick``,
``weighted_finding``), and each text gets the labels the seeder knows: request type, channel, product,
and the JR/T 0169 business (B) and cause (C) codes from the explicit tables below.

Every text carries its template as ``group``: texts from one template share most of their words, so a
held-out split must keep whole templates out of training or it measures memorised templates.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from redressal.demo import texts
from redressal.demo.org import BRANCHES, CITY
from redressal.demo.texts import ShortPath, Situation, Slots, pick, weighted_finding

# Business (B) leaf per situation: the product line the matter is about. Reviewed by eye against
# the situation's templates. Electronic-banking and transfer matters sit under 支付结算 (B04): the
# standard has no business line for a channel — the channel is axis A.
SITUATION_BUSINESS = {
    "transfer_failed": "B04",
    "elderly_service": "B01",  # passbook withdrawals, pensions, term deposits at the counter
    "wealth_missold": "B0801",
    "atm_card_swallowed": "B0301",
    "annual_fee_twice": "B0302",
    "unauthorised_deduction": "B04",  # 快捷支付 (quick pay) is a payment service
    "collection_calls": "B0302",
    "credit_report_error": "B09",
    "mobile_login": "B04",
    "insurance_as_deposit": "B0803",
    "mortgage_prepayment": "B0201",
    "account_restricted": "B0301",
    "fee_charges": "B0301",
    "queue_service": "B99",
    "loan_rate": "B0202",
    "inheritance": "B01",
    "mobile_outage": "B04",
    "other_matter": "B99",
}

# Business leaf for the product named on consultations and suggestions.
PRODUCT_BUSINESS = {
    "手机银行": "B04",
    "跨行转账": "B04",
    "借记卡": "B0301",
    "信用卡": "B0302",
    "理财产品": "B0801",
    "个人征信": "B09",
    "外汇业务": "B06",
    "储蓄存款": "B01",
    "柜面服务": "B99",
    "客服热线": "B99",
    "自助设备": "B0301",
}

# Cause (C) per situation and the finding's root cause: what the complaint is about, as JR/T 0169
# classifies it. Most situations have one cause whatever the finding; where the finding changes the
# nature of the matter (a mis-sale vs a loss the customer did not understand) the finding decides.
# The text alone cannot tell those apart, which caps the cause axis' accuracy on purpose.
FINDING_CAUSE: dict[str, dict[str, str]] = {
    "transfer_failed": {"third_party": "C09", "customer_error": "C09", "process_design": "C03"},
    "elderly_service": {"staff_conduct": "C01", "process_design": "C01"},
    "wealth_missold": {"sales_practice": "C04", "information_disclosure": "C06"},
    "atm_card_swallowed": {"system_failure": "C02", "customer_error": "C02"},
    "annual_fee_twice": {"system_failure": "C11", "information_disclosure": "C11"},
    "unauthorised_deduction": {"third_party": "C09", "system_failure": "C09", "customer_error": "C09"},
    "collection_calls": {"outsourcing": "C12"},
    "credit_report_error": {"system_failure": "C02", "customer_error": "C03"},
    "mobile_login": {"system_failure": "C02", "customer_error": "C02"},
    "insurance_as_deposit": {"sales_practice": "C04", "information_disclosure": "C04"},
    "mortgage_prepayment": {"process_design": "C03", "information_disclosure": "C03"},
    "account_restricted": {"process_design": "C03"},
    "fee_charges": {"system_failure": "C11", "information_disclosure": "C11"},
    "queue_service": {"process_design": "C01"},
    "loan_rate": {"information_disclosure": "C05"},
    "inheritance": {"process_design": "C03"},
    "mobile_outage": {"system_failure": "C02"},
    "other_matter": {"process_design": "C99"},
}

# The channels a short path (consultation, suggestion) arrives by, as the demo plan draws them.
SHORT_CHANNELS = (
    "hotline", "hotline", "hotline", "counter", "wechat", "mobile_banking", "online_banking", "email", "sms"
)
FIRST_PERSON_CHANNELS = ("letter", "email", "wechat", "mobile_banking", "online_banking", "sms", "third_party")
REGULATORS = ("12378", "12363", "NFRA", "NFRA_LOCAL", "PBOC")
OUTLETS = tuple(CITY[code] + outlet for code, _, _, _, outlets in BRANCHES for outlet in outlets)


@dataclass(frozen=True)
class Example:
    text: str
    labels: dict[str, str | None]
    group: str  # the template the text came from
    language: str = "zh"


@dataclass
class Corpus:
    examples: list[Example] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        return [e.text for e in self.examples]

    def labels(self, axis: str) -> list[str | None]:
        return [e.labels.get(axis) for e in self.examples]

    def split(self, holdout: set[str]) -> tuple[Corpus, Corpus]:
        train = [e for e in self.examples if e.group not in holdout]
        test = [e for e in self.examples if e.group in holdout]
        return Corpus(train), Corpus(test)


def _slots(rng: random.Random, situation: Situation | None, channel: str) -> Slots:
    """Slot values drawn like ``redressal.demo.cases.Story._slots`` (outlet, amounts, dates, names)."""
    lo, hi = situation.amount if situation and situation.amount else (200, 50000)
    amount = Decimal(rng.randint(max(lo // 100, 2), max(hi // 100, 3)) * 100)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    values = {
        "who": "投诉人" if channel == "regulator" else "客户",
        "name": "客户",
        "age": str(rng.randint(60, 88)),
        "date": f"{month}月{day}日",
        "time": f"{rng.randint(7, 22):02d}:{rng.randrange(60):02d}",
        "amount": f"{amount:,.2f}",
        "fee": f"{amount:,.2f}",
        "tail": f"{rng.randrange(10000):04d}",
        "outlet": pick(rng, OUTLETS),
        "branch": pick(rng, [b[1] for b in BRANCHES]),
        "city": pick(rng, list(CITY.values())),
        "other_bank": pick(rng, texts.OTHER_BANKS),
        "product_name": pick(rng, texts.PRODUCT_NAMES),
        "merchant": pick(rng, texts.MERCHANTS),
        "relation": pick(rng, texts.RELATIONS),
        "days": str(rng.randint(2, 15)),
        "phone_tail": f"{rng.randrange(10000):04d}",
        "loss": f"{amount * Decimal(str(round(rng.uniform(0.03, 0.22), 3))):,.2f}",
        "rate": f"{rng.uniform(6.5, 14.8):.2f}%",
        "outage": "9:40至13:20",
        "staff": pick(rng, ("柜员", "大堂经理", "理财经理", "网点工作人员")),
        "collector": pick(rng, texts.COLLECTORS),
    }
    return Slots(values)


def _situation_example(rng: random.Random, sit: Situation, request_type: str, english: bool) -> Example:
    channel = pick(rng, sit.channels)
    slots = _slots(rng, sit, channel)
    if english and sit.english:
        index = rng.randrange(len(sit.english))
        text, group, language = slots.fill(sit.english[index]), f"{sit.key}:en:{index}", "en"
    else:
        first = channel in FIRST_PERSON_CHANNELS and sit.first_person and rng.random() < 0.75
        pool, name = (sit.first_person, "fp") if first else (sit.third_person, "tp")
        index = rng.randrange(len(pool))
        text, group, language = slots.fill(pool[index]), f"{sit.key}:{name}:{index}", "zh"
        if channel == "regulator":
            text = f"【{pick(rng, REGULATORS)}转办】" + text.replace("客户", "投诉人")
    finding = weighted_finding(rng, sit)
    labels: dict[str, str | None] = {
        "request_type": request_type,
        "business": SITUATION_BUSINESS[sit.key],
        "cause": FINDING_CAUSE[sit.key][finding.root_cause_code],
        "channel": channel,
        "product": sit.product,
    }
    return Example(text, labels, group, language)


def _short_examples(rng: random.Random, pool: tuple[ShortPath, ...], request_type: str, copies: int) -> list[Example]:
    out = []
    for i, short in enumerate(pool):
        variants = [(short.text, "zh")] + ([(short.english[0], "en")] if short.english else [])
        for text, language in variants:
            for _ in range(copies):
                labels: dict[str, str | None] = {
                    "request_type": request_type,
                    "business": PRODUCT_BUSINESS[short.product],
                    "cause": None,  # a question or an idea has no complaint cause
                    "channel": pick(rng, SHORT_CHANNELS),
                    "product": short.product,
                }
                out.append(Example(text, labels, f"{request_type}:{i}", language))
    return out


def build(n: int = 3000, seed: int = 0, english_share: float = 0.12) -> Corpus:
    """About ``n`` complaint texts drawn by situation weight, plus every consultation and suggestion."""
    rng = random.Random(seed)
    complaints = [*list(texts.SITUATIONS), texts.MOBILE_OUTAGE]
    weights = [s.weight for s in texts.SITUATIONS] + [4.0]
    examples: list[Example] = []
    for sit in rng.choices(complaints, weights=weights, k=n):
        examples.append(_situation_example(rng, sit, "complaint", rng.random() < english_share))
    for _ in range(max(n // 40, 10)):
        examples.append(_situation_example(rng, texts.OTHER_MATTER, "other", False))
    examples += _short_examples(rng, texts.CONSULTATIONS, "consultation", copies=3)
    examples += _short_examples(rng, texts.SUGGESTIONS, "suggestion", copies=3)
    return Corpus(examples)


def holdout_groups(corpus: Corpus, share: float = 0.25, seed: int = 0) -> set[str]:
    """Whole templates to hold out: about ``share`` of each situation's templates (never its only
    one, so every business code stays learnable), and of the consultations and suggestions."""
    rng = random.Random(seed)
    by_family: dict[str, set[str]] = {}
    for e in corpus.examples:
        family = e.group.split(":")[0]
        by_family.setdefault(family, set()).add(e.group)
    held: set[str] = set()
    for groups in by_family.values():
        ordered = sorted(groups)
        if len(ordered) < 2:
            continue
        k = max(1, round(len(ordered) * share))
        held.update(rng.sample(ordered, min(k, len(ordered) - 1)))
    return held
