"""Words for what triage stores as codes (SPEC §6): axes, their values, priority factors, duplicate
reasons, incident dimensions and the evidence strings the rules write. Pages show these, never the
codes; the API keeps the codes."""

from __future__ import annotations

import re
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from redressal.cases.models import Case
from redressal.domain.codes import load_codes
from redressal.domain.triage.matter import TEXT_PREFIX
from redressal.triage.services.triage import AXIS_TABLE

AXIS_LABELS: dict[str, str | Promise] = {
    "request_type": _("诉求类型"),
    "business": _("业务类别（B）"),
    "cause": _("投诉原因（C）"),
    "channel": _("受理渠道"),
    "product": _("涉及产品"),
}
# The flags the triage rules raise (domain/triage/signals.py) and intake's regulator flag.
RISK_LABELS: dict[str, str | Promise] = {
    "regulator": _("监管投诉风险"),
    "media": _("媒体曝光风险"),
    "lawsuit": _("诉讼风险"),
    "fund_safety": _("资金安全/欺诈"),
    "info_leak": _("个人信息泄露"),
    "urgency": _("紧急诉求"),
    "mass_incident": _("群体性事件"),
    "repeat": _("重复投诉"),
    "exclamation": _("感叹号较多"),
    "all_caps": _("大写字母喊叫"),
}
EMOTION_LABELS: dict[str, str | Promise] = {
    "calm": _("平静"),
    "dissatisfied": _("不满"),
    "angry": _("愤怒"),
    "distressed": _("焦虑无助"),
}
VULNERABLE_LABELS: dict[str, str | Promise] = {
    "elderly": _("老年客户"),
    "disabled": _("残障客户"),
    "low_literacy": _("金融知识薄弱"),
    "bereaved": _("近期丧亲"),
}
FACTOR_LABELS: dict[str, str | Promise] = {
    "request_type": _("诉求类型"),
    "regulator_forwarded": _("监管转办"),
    "vulnerable": _("特殊群体"),
    "amount": _("争议金额"),
    "emotion": _("情绪"),
}
REASON_LABELS: dict[str, str | Promise] = {
    "same_customer": _("同一客户"),
    "same_person_index": _("同一证件或手机号"),
    "same_transaction": _("同一笔交易"),
    "same_product": _("同一产品"),
}
DIMENSION_LABELS: dict[str, str | Promise] = {
    "product": _("产品"),
    "cause": _("投诉原因"),
    "channel": _("受理渠道"),
    "text": _("相似文本"),
}


def _language() -> str:
    return get_language() or "zh-hans"


def risk_label(code: str) -> str:
    return str(RISK_LABELS.get(code, code))


def vulnerable_label(code: str) -> str:
    return str(VULNERABLE_LABELS.get(code, code))


def emotion_label(code: str) -> str:
    return str(EMOTION_LABELS.get(code, code))


def value_label(axis: str, code: str, stored: str = "") -> str:
    """The label of a value on an axis in the page's language; ``stored`` is what was saved with it."""
    if axis == "request_type" and code in Case.RequestType.values:
        return str(Case.RequestType(code).label)
    if axis == "channel" and code in Case.Channel.values:
        return str(Case.Channel(code).label)
    if axis in AXIS_TABLE:
        found = load_codes().get(code)
        if found is not None:
            return found.label(_language())
    return stored or code


_AGE = re.compile(r"^age (\d+) \(birth date\)$")
_FORWARDED = re.compile(r"^source=regulator_forwarded\((.*)\)$")
_MODEL = re.compile(r"^model\((\d\.\d+)\)$")


def evidence_text(item: str) -> str:
    """The rules' own evidence notes in words; matched words from the text stay as they are."""
    if item == "customer profile":
        return gettext("客户档案登记")
    m = _AGE.match(item)
    if m:
        return gettext("按出生日期 %(age)s 岁") % {"age": m.group(1)}
    m = _FORWARDED.match(item)
    if m:
        return gettext("监管转办（%(who)s）") % {"who": m.group(1)}
    m = _MODEL.match(item)
    if m:
        return gettext("情绪模型判断（概率 %(p)s）") % {"p": m.group(1)}
    return item


def factor_row(factor: dict[str, Any]) -> dict[str, Any]:
    """A priority factor ``{"factor", "points", "detail"}`` as label, points and a readable detail."""
    name = str(factor.get("factor") or factor.get("name") or "")
    detail = str(factor.get("detail") or "")
    if name.startswith("risk:"):
        label = risk_label(name.removeprefix("risk:"))
    else:
        # A bare flag or group code (older records) is named as its flag is.
        label = str(FACTOR_LABELS.get(name) or RISK_LABELS.get(name) or VULNERABLE_LABELS.get(name) or name)
    if name == "request_type":
        detail = value_label("request_type", detail)
    elif name == "regulator_forwarded":
        detail = ""
    elif name == "vulnerable":
        detail = "、".join(vulnerable_label(c.strip()) for c in detail.split(",") if c.strip())
    elif name == "emotion":
        detail = emotion_label(detail)
    elif name.startswith("risk:"):
        detail = "、".join(evidence_text(w.strip()) for w in detail.split(",") if w.strip())
    return {"code": name, "label": label, "points": factor.get("points", 0), "detail": detail}


def reason_text(reason: str) -> str:
    if reason.startswith(TEXT_PREFIX):
        return gettext("文本相似度 %(score)s") % {"score": reason.removeprefix(TEXT_PREFIX)}
    return str(REASON_LABELS.get(reason, reason))


def incident_value(dimension: str, value: str) -> str:
    if dimension in ("cause", "channel"):
        return value_label(dimension, value)
    if dimension == "text":
        return gettext("相似文本群组")
    return value


def dimension_label(dimension: str) -> str:
    return str(DIMENSION_LABELS.get(dimension, dimension))


def baseline_text(expected: float) -> str:
    """The detector's baseline (the cases expected in such a window on an ordinary day) in words: a
    supervisor compares it with the count at a glance, and "0.2" says nothing to a person."""
    if expected < 1:
        return gettext("平时同一时段通常不到 1 件")
    return gettext("平时同一时段约 %(n)d 件") % {"n": round(expected)}
