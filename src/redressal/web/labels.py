"""The domain's labels (``domain.choices``) as the pages show them: translated into the reader's
language when rendered. Each table here is the domain's, looked at through ``gettext_lazy``; none is
written twice."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from redressal.domain import choices
from redressal.domain import improvement as _improvement


def translated(table: Mapping[str, str]) -> dict[str, Promise]:
    """``code → label`` translated when shown (the label is its own msgid)."""
    return {code: gettext_lazy(label) for code, label in table.items()}


REGULATOR_LABELS = translated(choices.REGULATOR_LABELS)
DEMAND_LABELS = translated(choices.DEMAND_LABELS)
CHANNEL_LABELS = translated(choices.CHANNEL_LABELS)
MESSAGE_KIND_LABELS = translated(choices.MESSAGE_KIND_LABELS)
CONTACT_OUTCOME_LABELS = translated(choices.CONTACT_OUTCOME_LABELS)
NOTE_KINDS = translated(choices.NOTE_KIND_LABELS)
FINDING_LABELS = translated(choices.FINDING_LABELS)
MEASURE_LABELS = translated(choices.MEASURE_LABELS)
ITEM_LABELS = translated(choices.ITEM_LABELS)
OUTCOME_LABELS = translated(choices.OUTCOME_LABELS)
REVIEW_OUTCOME_LABELS = translated(choices.REVIEW_OUTCOME_LABELS)
FEEDBACK_LABELS = translated(choices.FEEDBACK_LABELS)
ROUTE_LABELS = translated(choices.ROUTE_LABELS)
DECLINE_LABELS = translated(choices.DECLINE_LABELS)
PAUSE_REASONS = translated(choices.PAUSE_REASON_LABELS)

# Root-cause issues, improvement actions and accountability measures (domain.improvement).

IMPROVEMENT_LABELS: dict[str, Mapping[str, Promise]] = {
    "issue_state": translated(_improvement.ISSUE_STATE_LABELS),
    "issue_source": translated(_improvement.ISSUE_SOURCE_LABELS),
    "action_state": translated(_improvement.ACTION_STATE_LABELS),
    "measure_state": translated(_improvement.MEASURE_STATE_LABELS),
    "measure": MEASURE_LABELS,
    "finding": FINDING_LABELS,
    "event": {
        "improvement.issue_opened": gettext_lazy("立项"),
        "improvement.case_linked": gettext_lazy("关联工单"),
        "improvement.action_added": gettext_lazy("添加整改措施"),
        "improvement.action_done": gettext_lazy("完成整改措施"),
        "improvement.action_cancelled": gettext_lazy("取消整改措施"),
        "improvement.issue_closed": gettext_lazy("关闭整改"),
        "accountability.recorded": gettext_lazy("记录问责"),
        "accountability.measure_ordered": gettext_lazy("追加问责措施"),
        "accountability.measure_done": gettext_lazy("问责措施已执行"),
        "accountability.measure_cancelled": gettext_lazy("撤销问责措施"),
    },
}
