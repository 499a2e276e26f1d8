"""Labels of the QA records: the default rubric's items (the bank's own items show as entered), the
reasons a case was sampled, the inspections' and appeals' states, the scorecard's dimensions."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from redressal.domain.quality.rubric import DEFAULT_RUBRIC, RubricItem

# The default items' labels, marked for the catalogue (their Chinese is the domain's).
_DEFAULT_LABELS = {
    "受理及时性": _("受理及时性"),
    "调查充分性": _("调查充分性"),
    "处理结果合规性": _("处理结果合规性"),
    "沟通态度": _("沟通态度"),
    "告知义务": _("告知义务"),
    "记录完整性": _("记录完整性"),
}
assert set(_DEFAULT_LABELS) == {i.label for i in DEFAULT_RUBRIC.items}

SAMPLE_REASONS = {"random": _("随机抽取"), "overturned": _("核查变更原决定"), "p1": _("P1 工单")}
APPEAL_RESULTS = {"upheld": _("维持原评分"), "revised": _("改判评分")}
DIMENSIONS = {
    "satisfaction": _("满意度"),
    "efficiency": _("效率"),
    "accuracy": _("准确性"),
    "professionalism": _("专业性（质检）"),
}


def item_label(item: RubricItem) -> str:
    label = _DEFAULT_LABELS.get(item.label)
    return str(label) if label is not None else item.label


def reasons_label(reasons: list[str]) -> str:
    return gettext("、").join(str(SAMPLE_REASONS.get(r, r)) for r in reasons)
