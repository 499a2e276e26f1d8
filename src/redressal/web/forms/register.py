"""The registration form (mirrors the API's ``CaseIn`` and ``intake.RegisterInput``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from redressal.cases.models import Case, Evidence
from redressal.customers.models import Customer
from redressal.customers.services import CustomerInput
from redressal.domain.choices import DEMANDS, REGULATORS
from redressal.domain.lifecycle import SHORT_PATH_TYPES
from redressal.web.forms.fields import MomentField
from redressal.web.labels import DEMAND_LABELS, REGULATOR_LABELS

VULNERABLE = [
    ("elderly", _("老年人")),
    ("disabled", _("残障人士")),
    ("low_literacy", _("识字困难")),
    ("bereaved", _("遭遇亲人离世")),
]
LOOKUP_BY = [("phone", _("手机号")), ("id_number", _("证件号")), ("card_tail", _("卡号后四位"))]
# A service error's field → the form field that shows it.
SERVICE_FIELDS = {
    "customer": "complainant_name",
    "customer.name": "cust_name",
    "customer.kind": "cust_kind",
    "customer.vulnerable": "cust_vulnerable",
    "customer.id_number": "cust_id_number",
    "at": "received_at",
    "file": "attachments",
    "kind": "attachment_kind",
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput
    # Attachments are a complaint's letters and receipts, not an archive: a bounded list like every other.
    max_files = 10

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        if len(files) > self.max_files:
            raise forms.ValidationError(_("一次最多上传 %(n)s 个附件"), code="too_many", params={"n": self.max_files})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _when(label: Any, **kw: Any) -> MomentField:
    return MomentField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        **kw,
    )


class LookupForm(forms.Form):
    by = forms.ChoiceField(label=_("查找方式"), choices=LOOKUP_BY)
    value = forms.CharField(label=_("查找内容"), max_length=30, strip=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        by, value = data.get("by"), data.get("value", "")
        if by and value:
            digits = value.replace(" ", "").replace("-", "")
            if by == "card_tail" and not (len(digits) == 4 and digits.isdigit()):
                self.add_error("value", _("卡号后四位应为 4 位数字"))
            elif by == "phone" and not digits.lstrip("+").isdigit():
                self.add_error("value", _("手机号只能包含数字"))
            elif by == "id_number" and not digits.isalnum():
                self.add_error("value", _("证件号只能包含字母和数字"))
            data["value"] = digits
        return data


class RegisterForm(forms.Form):
    # Order = tab order: what the caller says first comes first.
    customer_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    complainant_name = forms.CharField(label=_("投诉人姓名"), max_length=100, required=False)
    cust_name = forms.CharField(label=_("客户姓名"), max_length=100, required=False)
    cust_kind = forms.ChoiceField(label=_("客户类型"), choices=Customer.Kind.choices, initial="individual")
    cust_phone = forms.RegexField(label=_("手机号"), regex=r"^[0-9+\- ]*$", max_length=20, required=False)
    cust_id_number = forms.RegexField(label=_("证件号"), regex=r"^[0-9A-Za-z]*$", max_length=30, required=False)
    cust_card_number = forms.RegexField(label=_("卡号"), regex=r"^[0-9 ]*$", max_length=30, required=False)
    cust_address = forms.CharField(label=_("地址"), max_length=200, required=False)
    cust_vulnerable = forms.MultipleChoiceField(
        label=_("特殊群体"), choices=VULNERABLE, required=False, widget=forms.CheckboxSelectMultiple
    )
    request_type = forms.ChoiceField(label=_("诉求类型"), choices=Case.RequestType.choices, initial="complaint")
    channel = forms.ChoiceField(label=_("渠道"), choices=Case.Channel.choices, initial="hotline")
    received_at = _when(
        _("收到时间"), required=False, help_text=_("默认为现在；信函以信封邮戳日期为准。")
    )
    product = forms.CharField(label=_("产品"), max_length=100, required=False)
    amount = forms.DecimalField(label=_("涉及金额（元）"), required=False, min_value=Decimal(0), max_digits=17,
                                decimal_places=2)
    demand = forms.MultipleChoiceField(
        label=_("诉求"), choices=[(d, DEMAND_LABELS[d]) for d in DEMANDS], required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("事项描述"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6}))
    source = forms.ChoiceField(label=_("来源"), choices=Case.Source.choices, initial="customer")
    regulator = forms.ChoiceField(
        label=_("监管机构"), required=False, choices=[("", "—")] + [(r, REGULATOR_LABELS[r]) for r in REGULATORS]
    )
    regulator_case_number = forms.CharField(label=_("监管转办编号"), max_length=64, required=False)
    regulator_received_at = _when(_("监管收到时间"), required=False)
    forwarded_at = _when(_("监管转办时间"), required=False)
    answer_now = forms.BooleanField(label=_("当场答复并办结（咨询、建议）"), required=False)
    answer = forms.CharField(label=_("答复内容"), max_length=20000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))
    # Shown only to people who may add evidence; everyone else submits without it.
    attachment_kind = forms.ChoiceField(
        label=_("附件类型"), choices=Evidence.Kind.choices, initial="written", required=False
    )
    attachments = MultipleFileField(label=_("附件"), required=False)

    def clean_description(self) -> str:
        value: str = self.cleaned_data["description"]
        if not value.strip():
            raise forms.ValidationError(_("请填写事项描述"))
        return value

    def clean_attachments(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("attachments") or []
        for f in files:
            if f.content_type not in settings.EVIDENCE_ALLOWED_TYPES:
                raise forms.ValidationError(_("不接受此类文件：%(name)s") % {"name": f.name})
            if f.size is not None and f.size > settings.EVIDENCE_MAX_BYTES:
                raise forms.ValidationError(_("文件过大：%(name)s") % {"name": f.name})
        return files

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("description", "complainant_name", "cust_name", "cust_address", "product", "answer",
                     "regulator_case_number"):
            if "\x00" in (data.get(name) or ""):
                self.add_error(name, _("含有无效字符"))
        if not data.get("customer_id") and not (data.get("cust_name") or "").strip() \
                and not (data.get("complainant_name") or "").strip():
            self.add_error("complainant_name", _("请选择客户、录入新客户或填写投诉人姓名"))
        if data.get("source") == Case.Source.REGULATOR_FORWARDED:
            if not data.get("regulator"):
                self.add_error("regulator", _("监管转办须注明监管机构"))
            if not (data.get("regulator_case_number") or "").strip():
                self.add_error("regulator_case_number", _("请填写监管转办编号"))
        if data.get("answer_now"):
            if data.get("request_type") not in SHORT_PATH_TYPES:
                self.add_error("answer_now", _("只有咨询和建议可以当场答复办结"))
            if not (data.get("answer") or "").strip():
                self.add_error("answer", _("请填写答复内容"))
        return data

    def customer_input(self) -> CustomerInput | None:
        d = self.cleaned_data
        if d.get("customer_id") or not (d.get("cust_name") or "").strip():
            return None
        return CustomerInput(
            name=d["cust_name"].strip(),
            kind=d.get("cust_kind") or "individual",
            phone=(d.get("cust_phone") or "").strip(),
            id_number=(d.get("cust_id_number") or "").strip(),
            card_number=(d.get("cust_card_number") or "").replace(" ", ""),
            address=(d.get("cust_address") or "").strip(),
            vulnerable=list(d.get("cust_vulnerable") or []),
        )

    def field_for(self, service_field: str | None) -> str | None:
        """Where a service error shows on this form (None: at the top)."""
        if not service_field:
            return None
        name = SERVICE_FIELDS.get(service_field, service_field)
        return name if name in self.fields else None
