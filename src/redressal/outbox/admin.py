"""Customer-message templates in the administration site (SPEC §10): editable by an administrator,
versioned (saving a changed text writes a new version; the old one stays as it was sent), one per
kind and language. The grant check and the audit trail are GuardedAdmin's."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Max
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from redressal.notify.models import MessageTemplate
from redressal.org.admin_site import MODEL_NAMES, GuardedAdmin, column

MODEL_NAMES.update({"notify.MessageTemplate": _("客户消息模板")})


@admin.register(MessageTemplate)
class MessageTemplateAdmin(GuardedAdmin):
    permission = "admin.org"
    verbose = _("客户消息模板")
    can_delete = False
    labels = {"kind": _("消息类型"), "language": _("语言"), "body": _("内容"), "active": _("启用")}
    list_display = (
        column("kind", _("消息类型")),
        column("language", _("语言")),
        column("version", _("版本")),
        column("active", _("启用")),
        column("created_at", _("创建时间")),
    )
    list_filter = ("kind", "language", "active")
    fields = ("kind", "language", "body", "active")
    ordering = ("kind", "language", "-version")

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool) -> None:
        # A changed text is a new version: what a customer was sent stays readable as it was.
        if not change or "body" in form.changed_data or "kind" in form.changed_data or "language" in form.changed_data:
            latest = MessageTemplate.objects.filter(kind=obj.kind, language=obj.language).aggregate(v=Max("version"))
            obj.pk = None
            obj._state.adding = True
            obj.version = (latest["v"] or 0) + 1
            change = False
        super().save_model(request, obj, form, change)
