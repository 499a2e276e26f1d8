"""Forms of QA inspection (质检): the rubric's scores (built from the rubric in force for the sample),
the appeal, its decision, the calibrator asked for, and the sampling rule and rubric settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from redressal.domain.quality.rubric import Rubric, RubricItem
from redressal.web.quality_labels import item_label


def score_fields(form: forms.Form, rubric: Rubric, *, required: bool = True) -> None:
    for item in rubric.items:
        form.fields[f"score_{item.code}"] = forms.TypedChoiceField(
            label=item_label(item),
            coerce=int,
            required=required,
            empty_value=None,
            choices=[("", "—"), *[(i, str(i)) for i in range(item.max_score, -1, -1)]],
            help_text=gettext("权重 %(w)s，满分 %(m)s") % {"w": item.weight, "m": item.max_score},
        )
        form.fields[f"comment_{item.code}"] = forms.CharField(
            label=gettext("%(item)s 评语") % {"item": item_label(item)}, required=False, max_length=500
        )


def scores_of(data: dict[str, Any], rubric: Rubric) -> tuple[dict[str, int], dict[str, str]]:
    scores = {i.code: data[f"score_{i.code}"] for i in rubric.items if data.get(f"score_{i.code}") is not None}
    comments = {i.code: data.get(f"comment_{i.code}") or "" for i in rubric.items}
    return scores, comments


class ScoreForm(forms.Form):
    def __init__(self, *args: Any, rubric: Rubric, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        score_fields(self, rubric)
        self.fields["remark"] = forms.CharField(
            label=_("总体评价"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
        )


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("申诉理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("裁定"), choices=[("upheld", _("维持原评分")), ("revised", _("改判评分"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("裁定理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, rubric: Rubric, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rubric = rubric
        score_fields(self, rubric, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "revised":
            for item in self.rubric.items:
                if data.get(f"score_{item.code}") is None:
                    self.add_error(f"score_{item.code}", gettext("改判时请给出改判后的评分"))
        return data


class CalibrationForm(forms.Form):
    calibrator = forms.ChoiceField(label=_("校准质检员"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["calibrator"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class ConfigForm(forms.Form):
    percent = forms.DecimalField(label=_("随机抽样比例（%）"), min_value=0, max_value=100, decimal_places=2)
    min_per_handler = forms.IntegerField(label=_("每名处理人至少抽取"), min_value=0, max_value=50)
    include_overturned = forms.BooleanField(label=_("核查变更原决定的工单全部抽取"), required=False)
    include_p1 = forms.BooleanField(label=_("P1 工单全部抽取"), required=False)
    rubric = forms.CharField(
        label=_("评分项"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=4000,
        help_text=_("每行一项：代码|名称|权重|满分，例如 timeliness|受理及时性|15|5"),
    )
    reason = forms.CharField(label=_("调整原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_rubric(self) -> Rubric:
        items = []
        for n, line in enumerate(self.cleaned_data["rubric"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            try:
                code, label, weight, max_score = parts
                items.append(RubricItem(code, label, int(weight), int(max_score)))
            except ValueError:
                raise forms.ValidationError(gettext("第 %(n)s 行应为：代码|名称|权重|满分") % {"n": n}) from None
        return Rubric(tuple(items))


def rubric_text(rubric: Rubric) -> str:
    return "\n".join(f"{i.code}|{i.label}|{i.weight}|{i.max_score}" for i in rubric.items)
