"""The filter of the queue and the all-cases list (a GET form: the URL is the filter)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from redressal.cases.models import Case
from redressal.domain.lifecycle import State
from redressal.web.forms.fields import DayField
from redressal.web.templatetags.redressal import STATE_LABELS

ANY: list[tuple[str, Any]] = [("", _("全部"))]
PRIORITIES: list[tuple[str, Any]] = [("P1", "P1"), ("P2", "P2"), ("P3", "P3"), ("P4", "P4")]
# The fields that make up a filter (the saved filter and the export keep exactly these).
FILTER_FIELDS = (
    "status", "priority", "channel", "request_type", "product", "overdue", "at_risk",
    "received_from", "received_to", "q", "include_closed", "sort",
    "business", "cause", "unit", "decided_from", "decided_to", "incident",
)
# A code of the JR/T 0169 tables, a unit code: what a dashboard's drill-down link carries.
CODE_PATTERN = r"^[A-Za-z0-9_-]*$"
SORTS: list[tuple[str, Any]] = [("", _("紧急程度")), ("relevance", _("相关度（搜索时）"))]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100, strip=True)
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=ANY + [(s.value, STATE_LABELS[s.value]) for s in State]
    )
    priority = forms.ChoiceField(label=_("优先级"), required=False, choices=ANY + PRIORITIES)
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=ANY + list(Case.Channel.choices))
    request_type = forms.ChoiceField(label=_("类型"), required=False, choices=ANY + list(Case.RequestType.choices))
    product = forms.CharField(label=_("产品"), required=False, max_length=100, strip=True)
    overdue = forms.BooleanField(label=_("已超时"), required=False)
    at_risk = forms.BooleanField(label=_("临近超时"), required=False)
    include_closed = forms.BooleanField(label=_("包括已办结"), required=False)
    sort = forms.ChoiceField(label=_("排序"), required=False, choices=SORTS)
    received_from = DayField(
        label=_("收到日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = DayField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    # The dashboards' drill-downs (SPEC §12): the confirmed B or C code (a major code takes in its
    # children), the unit, the decision's date, the mass incident.
    business = forms.RegexField(label=_("业务分类（B）"), required=False, max_length=8, regex=CODE_PATTERN)
    cause = forms.RegexField(label=_("原因分类（C）"), required=False, max_length=8, regex=CODE_PATTERN)
    # The units the reader's cases are in, by name (``__init__``); a dashboard's drill-down carries one.
    unit = forms.ChoiceField(label=_("机构"), required=False, choices=ANY)
    decided_from = DayField(label=_("答复日期自"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    decided_to = DayField(label=_("答复日期至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    incident = forms.IntegerField(label=_("群体性事件"), required=False, min_value=1, max_value=2**62,
                                  widget=forms.HiddenInput)

    def __init__(self, *args: Any, units: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = ANY + list(units)  # type: ignore[attr-defined]

    def clean_q(self) -> str:
        value: str = self.cleaned_data.get("q", "")
        if "\x00" in value:
            raise forms.ValidationError(_("搜索内容含有无效字符"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("结束日期早于开始日期"))
        return data

    def searching(self) -> bool:
        return bool((self.cleaned_data.get("q") or "").strip())

    def ranked(self) -> bool:
        """Best match first: asked for, and only meaningful with something searched for."""
        return self.searching() and self.cleaned_data.get("sort") == "relevance"

    def period(self) -> tuple[datetime | None, datetime | None]:
        """The received range as moments in the bank's time zone, the end day included."""
        tz = ZoneInfo(settings.TIME_ZONE)
        start, end = self.cleaned_data.get("received_from"), self.cleaned_data.get("received_to")
        return (
            datetime.combine(start, time.min, tz) if start else None,
            datetime.combine(end + timedelta(days=1), time.min, tz) - timedelta(microseconds=1) if end else None,
        )

    def decided_period(self) -> tuple[datetime | None, datetime | None]:
        """The decision's range as moments in the bank's time zone, [start, end) with the end day included."""
        tz = ZoneInfo(settings.TIME_ZONE)
        start, end = self.cleaned_data.get("decided_from"), self.cleaned_data.get("decided_to")
        return (
            datetime.combine(start, time.min, tz) if start else None,
            datetime.combine(end + timedelta(days=1), time.min, tz) if end else None,
        )

    def applied(self) -> dict[str, Any]:
        """The filter as given (for the audit record of an export): only the fields set."""
        out: dict[str, Any] = {}
        for name in FILTER_FIELDS:
            value = self.cleaned_data.get(name)
            if value not in (None, "", False):
                out[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return out
