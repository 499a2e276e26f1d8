"""The allowed values of a case's fields, each list written once with its label, and the checks of
lists of choices (demands, challenge routes, vulnerable groups): each choice named at most once, so
no such list is longer than its choices and no stored one can swell a page (a case with 2,000,000
demands made an 18 MB page).

A label is the Chinese msgid of the English catalogue. The domain knows no language, so a label is
only marked here (``gettext_noop``, which ``makemessages`` extracts) and translated where it is shown
(``gettext(label)``); the services validate against the codes, the web, the API and the templates
take the labels from here."""

from __future__ import annotations

from collections.abc import Sequence

from redressal.domain.errors import DomainError


def check_choices(values: Sequence[str], allowed: Sequence[str], field: str) -> None:
    if len(values) > len(allowed):
        raise DomainError("too_many", f"{field}: at most {len(allowed)} entries", field=field)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise DomainError("invalid_choice", f"{field}: unknown entries: {', '.join(map(str, unknown))}", field=field)
    if len(set(values)) != len(values):
        raise DomainError("duplicate", f"{field}: each entry at most once", field=field)


def at_most(values: Sequence[str], limit: int) -> list[str]:
    """What a page shows of a stored list: each entry once, no more than ``limit`` of them, however
    the row was written."""
    out: list[str] = []
    seen: set[str] = set()
    for value in values:
        if value not in seen:
            seen.add(value)
            out.append(value)
            if len(out) == limit:
                break
    return out


def gettext_noop(message: str) -> str:
    """Marks a label for the catalogue without translating it (Django's ``gettext_noop`` convention,
    which needs no Django here)."""
    return message


# Where a complaint forwarded by a regulator came from (SPEC §3: 12378 and 12363 are the hotlines of
# the banking regulator and of the central bank).
REGULATOR_LABELS: dict[str, str] = {
    "NFRA": gettext_noop("国家金融监督管理总局"),
    "NFRA_LOCAL": gettext_noop("金融监管总局派出机构"),
    "PBOC": gettext_noop("中国人民银行"),
    "12378": gettext_noop("12378 银行保险消费者投诉热线"),
    "12363": gettext_noop("12363 人民银行金融消费权益保护咨询投诉电话"),
    "other": gettext_noop("其他监管机构"),
}
REGULATORS = tuple(REGULATOR_LABELS)

REQUEST_TYPE_LABELS: dict[str, str] = {
    "complaint": gettext_noop("投诉"),
    "consultation": gettext_noop("咨询"),
    "suggestion": gettext_noop("建议"),
    "other": gettext_noop("其他"),
}

# What the complainant asks for (SPEC §3), each at most once.
DEMAND_LABELS: dict[str, str] = {
    "refund": gettext_noop("退款"),
    "compensation": gettext_noop("赔偿"),
    "apology": gettext_noop("道歉"),
    "explanation": gettext_noop("解释说明"),
    "correct_record": gettext_noop("更正记录"),
    "cancel_contract": gettext_noop("解除合同"),
    "other": gettext_noop("其他"),
}
DEMANDS = tuple(DEMAND_LABELS)

# How the bank reaches the complainant; each use allows its own subset.
CHANNEL_LABELS: dict[str, str] = {
    "phone": gettext_noop("电话"),
    "sms": gettext_noop("短信"),
    "email": gettext_noop("电子邮件"),
    "wechat": gettext_noop("微信"),
    "visit": gettext_noop("上门"),
    "letter": gettext_noop("信函"),
    "in_person": gettext_noop("当面"),
    "portal": gettext_noop("客户门户"),
}
# The messages the bank sends the complainant (SPEC §10; notify.MessageTemplate kinds).
MESSAGE_KIND_LABELS: dict[str, str] = {
    "acknowledgement": gettext_noop("受理回执"),
    "extension_notice": gettext_noop("延期告知"),
    "pause_notice": gettext_noop("中止计时告知"),
    "decision_notice": gettext_noop("处理结果告知"),
    "review_route": gettext_noop("核查途径告知"),
    "decline_notice": gettext_noop("不予受理告知"),
    "review_acknowledgement": gettext_noop("核查申请回执"),
    "review_decision": gettext_noop("核查结果告知"),
    "satisfaction_survey": gettext_noop("满意度调查"),
    "follow_up_visit": gettext_noop("回访通知"),
}
# The first contact on accepting (SPEC §4).
CONTACT_CHANNELS = ("phone", "sms", "email", "wechat", "visit", "letter", "in_person")
# How the decision notice reached the complainant (SPEC §4).
NOTICE_CHANNELS = ("phone", "sms", "email", "letter", "wechat", "in_person", "portal")
# Of those, the ones where staff give the notice themselves and record it; the others go out through
# the customer-message outbox, and are delivered only when that message is sent.
STAFF_DELIVERED_CHANNELS = frozenset({"phone", "in_person", "letter"})
# The follow-up visit after closing (SPEC §9).
VISIT_CHANNELS = ("phone", "sms", "email", "wechat", "visit")

CONTACT_OUTCOME_LABELS: dict[str, str] = {"reached": gettext_noop("已联系上"), "not_reached": gettext_noop("未联系上")}
CONTACT_OUTCOMES = tuple(CONTACT_OUTCOME_LABELS)

NOTE_KIND_LABELS: dict[str, str] = {
    "investigation": gettext_noop("调查记录"),
    "interview": gettext_noop("访谈"),
    "site_visit": gettext_noop("现场核实"),
    "records_request": gettext_noop("调阅记录"),
    "general": gettext_noop("一般备注"),
}
NOTE_KINDS = tuple(NOTE_KIND_LABELS)

# Who was responsible for what went wrong, and what was done about the staff involved (SPEC §7).
FINDING_LABELS: dict[str, str] = {
    "bank": gettext_noop("银行责任"),
    "customer": gettext_noop("客户责任"),
    "third_party": gettext_noop("第三方责任"),
    "shared": gettext_noop("共同责任"),
    "none": gettext_noop("无责任"),
}
FINDINGS = tuple(FINDING_LABELS)
MEASURE_LABELS: dict[str, str] = {
    "none": gettext_noop("无"),
    "training": gettext_noop("培训"),
    "warning": gettext_noop("警告"),
    "performance_deduction": gettext_noop("绩效扣减"),
    "disciplinary": gettext_noop("纪律处分"),
    "criticism": gettext_noop("通报批评"),
    "other": gettext_noop("其他"),
}
MEASURES = tuple(MEASURE_LABELS)

# The items of a proposed solution. The label is also the notice's word for it: the notice is in Chinese.
ITEM_LABELS: dict[str, str] = {
    "refund": gettext_noop("退款"),
    "fee_waiver": gettext_noop("减免费用"),
    "compensation": gettext_noop("赔偿"),
    "goodwill": gettext_noop("慰问补偿"),
    "non_monetary": gettext_noop("非金钱补救"),
}
ITEM_KINDS = tuple(ITEM_LABELS)

# The decision's outcome (``lifecycle.Outcome``) and the review's (``lifecycle.ReviewOutcome``).
OUTCOME_LABELS: dict[str, str] = {
    "upheld": gettext_noop("投诉成立"),
    "partly_upheld": gettext_noop("部分成立"),
    "not_upheld": gettext_noop("投诉不成立"),
    "settled": gettext_noop("协商和解"),
}
REVIEW_OUTCOME_LABELS: dict[str, str] = {
    "upheld": gettext_noop("维持原处理决定"),
    "revised": gettext_noop("变更原处理决定"),
}
# The outcome as the notice states it to the complainant, always in Chinese: a sentence of a letter,
# where a page's column says only 部分成立.
OUTCOME_IN_NOTICE: dict[str, str] = {**OUTCOME_LABELS, "partly_upheld": "投诉部分成立"}
REVIEW_OUTCOME_IN_NOTICE: dict[str, str] = dict(REVIEW_OUTCOME_LABELS)

# The complainant's rating of the handling (``lifecycle.FeedbackResult``).
FEEDBACK_LABELS: dict[str, str] = {
    "satisfied": gettext_noop("满意"),
    "basically_satisfied": gettext_noop("基本满意"),
    "dissatisfied": gettext_noop("不满意"),
    "unreachable": gettext_noop("无法联系"),
}

# The challenge routes the notice states (``lifecycle.CHALLENGE_ROUTES``, 办法 第二十条).
ROUTE_LABELS: dict[str, str] = {
    "review": gettext_noop("向上级机构申请核查（30日内）"),
    "mediation": gettext_noop("申请调解组织调解"),
    "arbitration": gettext_noop("申请仲裁"),
    "litigation": gettext_noop("向人民法院提起诉讼"),
}

# Why a submission is not accepted as a complaint (SPEC §4).
DECLINE_LABELS: dict[str, str] = {
    "not_our_business": gettext_noop("非本机构产品或服务"),
    "not_by_complainant": gettext_noop("非投诉人本人或其代理人提出"),
}
DECLINE_REASONS = tuple(DECLINE_LABELS)

# Why the decision clock is paused (办法 第十八条第二款); which of them a profile allows is its own rule.
PAUSE_REASON_LABELS: dict[str, str] = {
    "appraisal": gettext_noop("鉴定"),
    "testing": gettext_noop("检测"),
    "evaluation": gettext_noop("评估"),
}
