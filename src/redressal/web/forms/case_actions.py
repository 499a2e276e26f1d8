"""Forms of the case page's actions: parsing and field validation only; the rules are the services'.

Every form carries the case ``version`` it was rendered with (optimistic concurrency) and the last
event ``seq`` the person saw, so a refused stale change can show what happened since.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from redressal.cases.models import Evidence
from redressal.domain.choices import (
    CONTACT_CHANNELS,
    CONTACT_OUTCOMES,
    FINDINGS,
    ITEM_KINDS,
    MEASURES,
    NOTICE_CHANNELS,
    OUTCOME_IN_NOTICE,
    REVIEW_OUTCOME_IN_NOTICE,
)
from redressal.domain.codes import load_codes
from redressal.domain.lifecycle import CHALLENGE_ROUTES, FeedbackResult
from redressal.web.labels import (
    CHANNEL_LABELS,
    CONTACT_OUTCOME_LABELS,
    DECLINE_LABELS,
    FEEDBACK_LABELS,
    FINDING_LABELS,
    ITEM_LABELS,
    MEASURE_LABELS,
    NOTE_KINDS,
    OUTCOME_LABELS,
    PAUSE_REASONS,
    REVIEW_OUTCOME_LABELS,
    ROUTE_LABELS,
)

TEXT = forms.Textarea(attrs={"rows": 3})


def _choices(codes: tuple[str, ...] | list[str], labels: Mapping[str, object]) -> list[tuple[str, object]]:
    return [(c, labels.get(c, c)) for c in codes]


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    seen_seq = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class EmptyForm(ActionForm):
    pass


class DatedForm(ActionForm):
    """An action that happened at a real-world moment (SPEC §14): blank is now. Recorded more than a
    working day later, it needs the reason (the service refuses it without, naming the field)."""

    at = forms.DateTimeField(
        label=_("实际发生时间"),
        required=False,
        help_text=_("留空为当前时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    backdate_reason = forms.CharField(
        label=_("补录原因"),
        required=False,
        max_length=2000,
        help_text=_("晚于实际发生时间一个工作日以上录入时必填"),
    )


class ResumeForm(DatedForm):
    pass


class AcceptForm(DatedForm):
    contact_channel = forms.ChoiceField(label=_("联系方式"), choices=_choices(CONTACT_CHANNELS, CHANNEL_LABELS))
    contact_outcome = forms.ChoiceField(
        label=_("联系结果"), choices=_choices(CONTACT_OUTCOMES, CONTACT_OUTCOME_LABELS)
    )
    explained = forms.CharField(label=_("向客户说明的内容"), required=False, widget=TEXT, max_length=2000)
    # Not required here: the service refuses an unticked box and names the field (recusal, SPEC §7).
    no_direct_interest = forms.BooleanField(label=_("本人与该投诉无直接利害关系"), required=False)


class NoteForm(ActionForm):
    kind = forms.ChoiceField(label=_("记录类型"), choices=list(NOTE_KINDS.items()))
    text = forms.CharField(label=_("内容"), widget=TEXT, max_length=10000)


class EvidenceForm(ActionForm):
    kind = forms.ChoiceField(label=_("证据类型"), choices=Evidence.Kind.choices)
    file = forms.FileField(label=_("文件"))
    description = forms.CharField(label=_("说明"), required=False, max_length=2000)


class TaskForm(ActionForm):
    department = forms.ChoiceField(label=_("协办部门"), choices=())
    title = forms.CharField(label=_("标题"), max_length=200)
    request = forms.CharField(label=_("需协办的问题"), widget=TEXT, max_length=5000)
    blocking = forms.BooleanField(label=_("未回复前不得答复客户"), required=False)
    # The due date is the profile's rule (working days on the calendar), set by the service.
    due_note = _("到期日按工作日历自动计算（协办时限）")

    def __init__(self, *args: object, departments: list[tuple[str, str]] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["department"].choices = list(departments)  # type: ignore[attr-defined]


def cause_choices() -> list[tuple[str, str]]:
    language = get_language() or "zh-hans"
    return [("", "—")] + [(c.code, f"{c.code} {c.label(language)}") for c in load_codes().leaves("C")]


class ResponsibilityForm(ActionForm):
    finding = forms.ChoiceField(label=_("责任认定"), choices=_choices(FINDINGS, FINDING_LABELS))
    root_cause_code = forms.ChoiceField(label=_("根因（C类代码）"), choices=(), required=False)
    root_cause_text = forms.CharField(label=_("根因说明"), required=False, widget=TEXT, max_length=2000)
    responsible_unit = forms.CharField(label=_("责任机构"), required=False, max_length=16)
    # A member of staff of the case's units, chosen (问责 names people of the organisation, not free text).
    responsible_staff = forms.ChoiceField(label=_("责任人"), required=False, choices=())
    measure = forms.ChoiceField(label=_("问责措施"), choices=_choices(MEASURES, MEASURE_LABELS))

    def __init__(self, *args: object, staff: list[tuple[str, str]] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["root_cause_code"].choices = cause_choices()  # type: ignore[attr-defined]
        self.fields["responsible_staff"].choices = [("", "—"), *staff]  # type: ignore[attr-defined]


ITEM_ROWS = 3


class ProposalForm(ActionForm):
    solution = forms.CharField(label=_("解决方案"), widget=TEXT, max_length=5000)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for i in range(ITEM_ROWS):
            self.fields[f"item_kind_{i}"] = forms.ChoiceField(
                label=_("补偿项目"), choices=[("", "—"), *_choices(ITEM_KINDS, ITEM_LABELS)], required=False
            )
            self.fields[f"item_amount_{i}"] = forms.DecimalField(
                label=_("金额（元）"), required=False, min_value=0, max_digits=18, decimal_places=2
            )

    def items(self) -> list[dict[str, str]]:
        out = []
        for i in range(ITEM_ROWS):
            kind = self.cleaned_data.get(f"item_kind_{i}") or ""
            amount = self.cleaned_data.get(f"item_amount_{i}")
            if kind:
                out.append({"kind": kind, "amount": str(amount if amount is not None else "0")})
        return out

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        for i in range(ITEM_ROWS):
            if data.get(f"item_amount_{i}") is not None and not data.get(f"item_kind_{i}"):
                self.add_error(f"item_kind_{i}", _("请选择该金额对应的补偿项目"))
        return data


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("原因"), widget=TEXT, max_length=2000)


class WithdrawForm(DatedForm):
    reason = forms.CharField(label=_("原因"), widget=TEXT, max_length=2000)


class OptionalReasonForm(ActionForm):
    reason = forms.CharField(label=_("意见"), widget=TEXT, max_length=2000, required=False)


class ExtensionRequestForm(DatedForm):
    """What a handler sends to the approver; the approver's decision records the extension itself."""

    level = forms.TypedChoiceField(
        label=_("延期级别"), coerce=int, choices=[(1, _("一级延期（至30日）")), (2, _("二级延期（至60日）"))]
    )
    reason = forms.CharField(label=_("延期原因"), max_length=500)
    justification = forms.CharField(label=_("情况说明"), widget=TEXT, max_length=5000)


class ExtendForm(ExtensionRequestForm):
    """The extension recorded directly by one who may approve it."""

    customer_notified = forms.BooleanField(label=_("已告知投诉人"), required=False, initial=True)


class PauseForm(DatedForm):
    reason = forms.ChoiceField(label=_("中止事由"), choices=list(PAUSE_REASONS.items()))
    external_party = forms.CharField(label=_("外部机构"), max_length=200, required=False)
    evidence = forms.CharField(label=_("依据材料"), max_length=2000, required=False)


class RestartForm(DatedForm):
    reason = forms.CharField(label=_("新的事实和理由"), widget=TEXT, max_length=5000)


class RespondForm(DatedForm):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=list(OUTCOME_LABELS.items()))
    reasons = forms.CharField(label=_("理由"), widget=TEXT, max_length=5000)
    basis = forms.CharField(label=_("依据（法律法规或合同条款）"), widget=TEXT, max_length=5000)
    remedy = forms.CharField(label=_("补救措施"), widget=TEXT, max_length=5000, required=False)
    notice_channel = forms.ChoiceField(label=_("告知渠道"), choices=_choices(NOTICE_CHANNELS, CHANNEL_LABELS))
    notice_content = forms.CharField(
        label=_("处理决定告知书"), widget=forms.Textarea(attrs={"rows": 12}), max_length=20000
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["notice_content"].widget.attrs["data-outcomes"] = json.dumps(self.outcome_zh, ensure_ascii=False)

    # The notice goes to the complainant in Chinese whatever the staff page language (case.js fills it).
    outcome_zh = OUTCOME_IN_NOTICE

    routes = forms.MultipleChoiceField(
        label=_("已告知的救济途径"),
        choices=_choices(CHALLENGE_ROUTES, ROUTE_LABELS),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # Set by the preview step: the notice was shown as it will be sent, and is now confirmed.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def as_confirmation(self) -> None:
        """Every field carried hidden: what is confirmed is exactly what was previewed."""
        for field in self.fields.values():
            multiple = isinstance(field, forms.MultipleChoiceField)
            field.widget = forms.MultipleHiddenInput() if multiple else forms.HiddenInput()


class ReviewDecisionForm(RespondForm):
    outcome_zh = REVIEW_OUTCOME_IN_NOTICE
    outcome = forms.ChoiceField(label=_("核查结论"), choices=list(REVIEW_OUTCOME_LABELS.items()))


class FeedbackForm(DatedForm):
    result = forms.ChoiceField(
        label=_("客户评价"), choices=[(r.value, FEEDBACK_LABELS[r.value]) for r in FeedbackResult]
    )
    csat = forms.TypedChoiceField(
        label=_("满意度（1–5）"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)],
    )
    comments = forms.CharField(label=_("客户意见"), widget=TEXT, max_length=5000, required=False)
    close_reason = forms.CharField(label=_("不满意仍办结的原因"), widget=TEXT, max_length=2000, required=False)


class ReopenForm(DatedForm):
    reason = forms.CharField(label=_("重新处理原因"), widget=TEXT, max_length=2000)
    new_facts = forms.BooleanField(label=_("有新的事实和理由（重新计算时限）"), required=False)


class DeclineForm(ActionForm):
    reason_code = forms.ChoiceField(label=_("不予受理原因"), choices=list(DECLINE_LABELS.items()))
    notice = forms.CharField(label=_("告知提交人的说明"), widget=TEXT, max_length=5000)


class MergeForm(ActionForm):
    into = forms.CharField(label=_("合并到工单编号"), max_length=40)
    reason = forms.CharField(label=_("合并原因"), max_length=2000, required=False)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class EscalateForm(ActionForm):
    to_unit = forms.ChoiceField(label=_("升级至"), choices=())
    reason = forms.CharField(label=_("升级原因"), widget=TEXT, max_length=2000)

    def __init__(self, *args: object, units: list[tuple[str, str]] = (), **kwargs: object) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["to_unit"].choices = list(units)  # type: ignore[attr-defined]


class AnswerForm(DatedForm):
    answer = forms.CharField(label=_("答复内容"), widget=TEXT, max_length=10000)

