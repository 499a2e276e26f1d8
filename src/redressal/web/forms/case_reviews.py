"""Forms of the review (核查) intake and the follow-up visit (回访) record."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from redressal.domain.choices import VISIT_CHANNELS
from redressal.web.forms.fields import MomentField
from redressal.web.labels import CHANNEL_LABELS


class ReviewRequestForm(forms.Form):
    case_number = forms.CharField(label=_("原工单编号"), max_length=40)
    reason = forms.CharField(label=_("核查申请理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    received_at = MomentField(label=_("收到申请时间"), required=False, help_text=_("留空为当前时间"))
    override = forms.BooleanField(label=_("超期申请，主管同意受理"), required=False)


class VisitForm(forms.Form):
    channel = forms.ChoiceField(label=_("回访方式"), choices=[(c, CHANNEL_LABELS[c]) for c in VISIT_CHANNELS])
    reached = forms.TypedChoiceField(
        label=_("是否联系上"),
        coerce=lambda v: v == "yes",
        choices=[("yes", _("已联系上")), ("no", _("未联系上"))],
    )
    satisfaction = forms.TypedChoiceField(
        label=_("满意度（1–5）"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)],
    )
    comments = forms.CharField(
        label=_("客户意见"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("reached") and data.get("satisfaction") is None:
            self.add_error("satisfaction", _("联系上客户时请记录满意度"))
        return data
