"""Forms of the triage screens: confirming or correcting one classification axis, and answering every
case of a mass incident at once. Parsing and field validation only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from redressal.cases.models import Case
from redressal.domain.codes import load_codes
from redressal.domain.errors import DomainError
from redressal.domain.lifecycle import check_decision_notice, check_remedy
from redressal.triage.classifier import AXES
from redressal.triage.services.triage import AXIS_TABLE, product_choices
from redressal.web.forms.case_actions import RespondForm, cause_choices
from redressal.web.triage_labels import AXIS_LABELS, value_label


def axis_choices(axis: str, keep: tuple[str, ...] = ()) -> list[tuple[str, str]] | None:
    """The values an axis may be set to, labelled; None when any value goes (a product without a
    model that lists its products). ``keep`` are codes to offer even when not among the usual ones
    (what was suggested or confirmed before)."""
    if axis == "request_type":
        codes = list(Case.RequestType.values)
    elif axis == "channel":
        codes = list(Case.Channel.values)
    elif axis in AXIS_TABLE:
        codes = [c.code for c in load_codes().leaves(AXIS_TABLE[axis])]
    else:
        products = product_choices()
        if products is None:
            return None
        codes = sorted(products)
    extra = [k for k in keep if k and k not in codes and is_valid(axis, k)]
    coded = axis in ("business", "cause")  # JR/T 0169 codes are shown with their labels
    return [(c, f"{c} {value_label(axis, c)}" if coded else value_label(axis, c)) for c in extra + codes]


def is_valid(axis: str, code: str) -> bool:
    """What ``confirm_classification`` accepts on the axis (it checks again)."""
    if axis == "request_type":
        return code in Case.RequestType.values
    if axis == "channel" and code in Case.Channel.values:
        return True
    if axis in AXIS_TABLE:
        return load_codes().is_valid(AXIS_TABLE[axis], code)
    if axis == "product":
        products = product_choices()
        return bool(code.strip()) and (products is None or code in products)
    return False


class ConfirmClassificationForm(forms.Form):
    axis = forms.ChoiceField(label=_("维度"), choices=[(a, AXIS_LABELS[a]) for a in AXES], widget=forms.HiddenInput)
    code = forms.CharField(label=_("分类"), max_length=100)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        axis, code = data.get("axis"), data.get("code")
        if axis and code and not is_valid(axis, code):
            self.add_error("code", _("不是该维度的有效代码"))
        return data


class BulkRespondForm(RespondForm):
    """The respond form of the case page without the per-case version: one decision text for every
    open case of the incident, each answered through its own ``respond``."""

    version = None  # type: ignore[assignment]
    seen_seq = None  # type: ignore[assignment]
    confirm = forms.BooleanField(label=_("确认向本事件所有未结工单发送同一处理决定"), required=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The same rules ``respond_to_case`` applies to each case, checked once here so a missing
        # remedy or challenge route is named on its field instead of failing every case alike.
        try:
            check_remedy(data.get("outcome") or "", data.get("remedy") or "")
        except DomainError:
            self.add_error("remedy", _("投诉成立、部分成立或和解时须说明补救措施"))
        if "notice_content" in data:
            try:
                check_decision_notice(data["notice_content"], list(data.get("routes") or []))
            except DomainError as exc:
                if exc.field == "notice.routes":
                    self.add_error("routes", _("须告知全部救济途径：核查、调解、仲裁、诉讼"))
                else:
                    self.add_error("notice_content", _("请填写处理决定告知书"))
        return data


class IncidentRootCauseForm(forms.Form):
    """The root cause of a mass incident, and whether to end it (the service requires a cause to end)."""

    root_cause = forms.CharField(label=_("根因说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    cause_code = forms.ChoiceField(label=_("根因（C类代码）"), choices=(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cause_code"].choices = cause_choices()  # type: ignore[attr-defined]
