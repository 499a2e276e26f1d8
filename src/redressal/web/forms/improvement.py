"""The forms of root-cause issues, improvement actions and accountability findings (溯源整改, 问责)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from redressal.domain.choices import MEASURE_LABELS
from redressal.domain.codes import load_codes
from redressal.domain.improvement import ACCOUNTABILITY_MEASURES, MAX_DUE_WORKING_DAYS
from redressal.web.forms.case_actions import cause_choices

TEXT = forms.Textarea(attrs={"rows": 3})


def business_choices() -> list[tuple[str, str]]:
    language = get_language() or "zh-hans"
    return [("", "—")] + [(c.code, f"{c.code} {c.label(language)}") for c in load_codes().leaves("B")]


class IssueForm(forms.Form):
    title = forms.CharField(label=_("问题名称"), max_length=200)
    root_cause = forms.CharField(label=_("根因描述"), widget=TEXT, max_length=4000)
    cause_code = forms.ChoiceField(label=_("投诉原因（C类代码）"), required=False, choices=())
    business_code = forms.ChoiceField(label=_("业务类别（B类代码）"), required=False, choices=())
    unit = forms.ChoiceField(label=_("整改机构"), choices=())
    owner = forms.ChoiceField(label=_("整改负责人"), choices=())

    def __init__(self, *args: Any, units: list[tuple[str, str]], owners: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["cause_code"].choices = cause_choices()  # type: ignore[attr-defined]
        self.fields["business_code"].choices = business_choices()  # type: ignore[attr-defined]
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]


class CriterionForm(forms.Form):
    """A report cell, as the regulatory report links it: ?cause=C02&business=&from=&to=&unit=BJ."""

    cause = forms.CharField(max_length=16)
    business = forms.CharField(max_length=16, required=False)
    start = forms.DateField()
    end = forms.DateField()
    unit = forms.CharField(max_length=16)


class LinkCaseForm(forms.Form):
    case_number = forms.CharField(label=_("工单编号"), max_length=40)


class ActionForm(forms.Form):
    title = forms.CharField(label=_("整改措施"), max_length=200)
    description = forms.CharField(label=_("说明"), widget=TEXT, max_length=4000, required=False)
    owner = forms.ChoiceField(label=_("责任人"), choices=())
    due_in_working_days = forms.IntegerField(
        label=_("完成时限（工作日）"), min_value=1, max_value=MAX_DUE_WORKING_DAYS, initial=10
    )

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["owner"].choices = owners  # type: ignore[attr-defined]


class CompleteForm(forms.Form):
    note = forms.CharField(label=_("完成情况"), widget=TEXT, max_length=4000)
    evidence = forms.FileField(label=_("完成证明"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=2000)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("整改结论"), widget=TEXT, max_length=4000)


def measure_choices() -> list[tuple[str, str]]:
    return [(k, gettext(MEASURE_LABELS[k])) for k in ACCOUNTABILITY_MEASURES]


class AccountabilityForm(forms.Form):
    staff = forms.ChoiceField(label=_("被问责人"), choices=())
    finding = forms.CharField(label=_("问责事由"), widget=TEXT, max_length=4000)
    kind = forms.ChoiceField(label=_("问责措施"), choices=())
    description = forms.CharField(label=_("措施说明"), max_length=2000, required=False)
    due_in_working_days = forms.IntegerField(
        label=_("完成时限（工作日）"), min_value=1, max_value=MAX_DUE_WORKING_DAYS, initial=10
    )
    kind_2 = forms.ChoiceField(label=_("另一项措施（可选）"), choices=(), required=False)

    def __init__(self, *args: Any, staff: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["staff"].choices = staff  # type: ignore[attr-defined]
        self.fields["kind"].choices = measure_choices()  # type: ignore[attr-defined]
        self.fields["kind_2"].choices = [("", "—"), *measure_choices()]  # type: ignore[attr-defined]


class CarryOutForm(forms.Form):
    evidence_note = forms.CharField(label=_("执行情况"), max_length=2000)
    training_ref = forms.CharField(label=_("培训记录编号（可选）"), max_length=100, required=False)
