"""The starter corpus: labelled case texts generated from the situation templates, without a database.

The demo seeder (``redressal.demo``) writes each case description from a :class:`~redressal.triage.ml.texts.Situation`
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

from redressal.triage.ml import texts
from redressal.triage.ml.texts import BRANCHES, CITY, ShortPath, Situation, Slots, pick, weighted_finding

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

# Hand-written short sentences per business line: the demo has no fund, precious-metal, foreign-exchange,
# cash or personal-information situation, and its templates are long, so a model trained on them alone
# learns template context rather than the product words a one-line complaint uses. These label the
# business axis only (and the cause where the sentence says it) and are always training data, never
# part of a held-out split.
LEXICON: tuple[tuple[str, str, str | None], ...] = (
    ("信用卡年费被扣了两次", "B0302", "C11"),
    ("信用卡分期手续费太高，利息算法不透明", "B0302", "C11"),
    ("信用卡额度突然被降，没有任何通知", "B0302", None),
    ("my credit card was charged an annual fee twice", "B0302", "C11"),
    ("借记卡被收取小额账户管理费", "B0301", "C11"),
    ("银行卡被锁，无法取款", "B0301", None),
    ("储蓄卡在ATM取款没出钞", "B0301", "C02"),
    ("my debit card was swallowed by the ATM", "B0301", "C02"),
    ("定期存款到期没有自动转存，利息少了", "B01", None),
    ("存折取款被要求本人到场", "B01", None),
    ("活期存款利息计算有误", "B01", None),
    ("the interest on my savings deposit was calculated wrongly", "B01", None),
    ("房贷提前还款一直约不上", "B0201", "C03"),
    ("住房贷款利率没有按LPR调整", "B0201", None),
    ("my mortgage rate was not adjusted", "B0201", None),
    ("消费贷实际年化利率比宣传高", "B0202", "C05"),
    ("个人消费贷款被要求搭售保险", "B0202", "C07"),
    ("经营贷款续贷被拒，企业资金周转困难", "B0203", None),
    ("小微企业经营贷审批太慢", "B0203", None),
    ("助学贷款还款计划有误", "B0299", None),
    ("跨行转账一直没到账", "B04", "C09"),
    ("快捷支付被盗刷，扣款不是本人操作", "B04", "C09"),
    ("手机银行转账失败但钱被扣了", "B04", "C02"),
    ("my transfer to another bank never arrived", "B04", "C09"),
    ("网点拒收零钱和硬币", "B05", None),
    ("取到残缺的人民币，网点不给兑换", "B05", None),
    ("网点拒收现金，只让用手机支付", "B05", None),
    ("外币兑换汇率比牌价差太多", "B06", "C11"),
    ("境外汇款被退回，手续费不退", "B06", "C11"),
    ("购汇额度被限制，无法给孩子交留学学费", "B06", None),
    ("个人信息被泄露，经常接到推销电话", "B07", "C10"),
    ("银行未经同意把我的信息提供给第三方", "B07", "C10"),
    ("my personal data was leaked by the bank", "B07", "C10"),
    ("理财产品亏损，理财经理说保本", "B0801", "C04"),
    ("理财到期收益低于业绩比较基准", "B0801", "C06"),
    ("I lost money on a wealth management product sold as safe", "B0801", "C04"),
    ("在银行买的基金亏了一半", "B0802", "C06"),
    ("基金定投扣款失败，没有通知", "B0802", None),
    ("被推荐买了高风险的股票型基金", "B0802", "C04"),
    ("存款被说成理财，实际买了保险", "B0803", "C04"),
    ("银行代销的分红险退保损失大", "B0803", "C08"),
    ("the bank sold me insurance as if it were a deposit", "B0803", "C04"),
    ("网点推销的投资金条回购价太低", "B0804", "C06"),
    ("积存金账户无法赎回", "B0804", None),
    ("代收水电费扣款重复", "B0899", None),
    ("征信报告上有不是我的逾期记录", "B09", None),
    ("还款后征信逾期记录一直没有更正", "B09", "C02"),
    ("my credit report shows a late payment that is not mine", "B09", None),
)

LEXICON_COPIES = 3

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


def build(n: int = 3000, seed: int = 0, english_share: float = 0.12, lexicon: bool = True) -> Corpus:
    """About ``n`` complaint texts drawn by situation weight, plus every consultation and suggestion
    (and the ``LEXICON`` sentences)."""
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
    if lexicon:
        for i, (text, business, cause) in enumerate(LEXICON):
            language = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"
            labels = {"business": business, "cause": cause}
            examples += [Example(text, dict(labels), f"lexicon:{i}", language)] * LEXICON_COPIES
    return Corpus(examples)


def holdout_groups(corpus: Corpus, share: float = 0.25, seed: int = 0) -> set[str]:
    """Whole templates to hold out: about ``share`` of each situation's templates (never its only
    one, so every business code stays learnable), and of the consultations and suggestions."""
    rng = random.Random(seed)
    by_family: dict[str, set[str]] = {}
    for e in corpus.examples:
        family = e.group.split(":")[0]
        if family == "lexicon":
            continue
        by_family.setdefault(family, set()).add(e.group)
    held: set[str] = set()
    for groups in by_family.values():
        ordered = sorted(groups)
        if len(ordered) < 2:
            continue
        k = max(1, round(len(ordered) * share))
        held.update(rng.sample(ordered, min(k, len(ordered) - 1)))
    return held
