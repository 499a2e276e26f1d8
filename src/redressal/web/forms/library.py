"""Forms of the case library and training pages: parsing and field checks only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from redressal.domain.codes import load_codes
from redressal.library.models import Enrolment
from redressal.library.services.entries import MAX_TEXT


def code_choices(axis: str) -> list[tuple[str, str]]:
    """The JR/T 0169 codes of an axis (every level: a search by B03 finds its children), labelled."""
    return [("", "—")] + [(c.code, f"{c.code} {c.label(_language())}") for c in load_codes().axis(axis)]


def _language() -> str:
    return get_language() or "zh-hans"


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    business = forms.ChoiceField(label=_("业务类别（B）"), required=False, choices=())
    cause = forms.ChoiceField(label=_("投诉原因（C）"), required=False, choices=())
    tag = forms.CharField(label=_("标签"), required=False, max_length=20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["business"].choices = code_choices("B")  # type: ignore[attr-defined]
        self.fields["cause"].choices = code_choices("C")  # type: ignore[attr-defined]


def _text(label: Any, rows: int = 4, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": rows})
    )


class EntryForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120)
    summary = _text(_("案例摘要"), 2)
    facts = _text(_("基本案情"), 6)
    handling = _text(_("处理过程"), 6)
    outcome = _text(_("处理结果"), 4)
    lessons = _text(_("经验教训"), 4)
    business_code = forms.ChoiceField(label=_("业务类别（B）"), required=False, choices=())
    cause_code = forms.ChoiceField(label=_("投诉原因（C）"), required=False, choices=())
    tags = forms.CharField(label=_("标签"), required=False, max_length=300, help_text=_("多个标签用逗号或空格分隔"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["business_code"].choices = code_choices("B")  # type: ignore[attr-defined]
        self.fields["cause_code"].choices = code_choices("C")  # type: ignore[attr-defined]

    def tag_list(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        return [t for t in raw.replace("，", ",").replace("、", ",").replace(" ", ",").split(",") if t.strip()]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class EntryChoices(forms.CheckboxSelectMultiple):
    """Library entries to tick: their titles are data (Chinese in any language), marked as such."""

    option_template_name = "web/library/_entry_option.html"


class CourseForm(forms.Form):
    topic = forms.CharField(label=_("课程主题"), max_length=120)
    description = forms.CharField(
        label=_("课程说明"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.ChoiceField(label=_("主办机构"), choices=())
    pass_mark = forms.IntegerField(label=_("及格分"), min_value=0, max_value=100, initial=60)
    entries = forms.MultipleChoiceField(label=_("关联案例"), required=False, choices=(), widget=EntryChoices)


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("开始时间（北京时间）"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间（北京时间）"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    trainer = forms.ChoiceField(label=_("讲师"), choices=())
    place = forms.CharField(label=_("地点"), max_length=120)


class EnrolForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput)
    staff = forms.ChoiceField(label=_("参训人员"), choices=())
    reason_kind = forms.ChoiceField(label=_("参训原因"), choices=Enrolment.ReasonKind.choices)
    reason_ref = forms.CharField(
        label=_("关联编号"),
        required=False,
        max_length=64,
        help_text=_("问责措施写作 AM-编号，质检发现写作 QA-年-月-编号"),
    )
    reason_text = forms.CharField(label=_("原因说明"), required=False, max_length=1000)


class ResultForm(forms.Form):
    attendance = forms.ChoiceField(label=_("出勤"), choices=Enrolment.Attendance.choices)
    score = forms.IntegerField(label=_("考核成绩"), required=False, min_value=0, max_value=100)
