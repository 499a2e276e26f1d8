"""Org tree, staff and role assignments in the administration site (audited, grant-checked)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import password_validation
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from redressal.org.admin_site import MODEL_NAMES, GuardedAdmin, column
from redressal.org.models import OrgUnit, RoleAssignment, Staff

MODEL_NAMES.update({"org.OrgUnit": _("机构"), "org.Staff": _("员工"), "org.RoleAssignment": _("角色授权")})


@admin.register(OrgUnit)
class OrgUnitAdmin(GuardedAdmin):
    permission = "admin.org"
    verbose = _("机构")
    can_delete = False  # cases, staff and history point at units: close a unit, never delete it
    labels = {"code": _("机构代码"), "name": _("名称"), "name_en": _("英文名称"), "kind": _("类型"),
              "parent": _("上级机构"), "region": _("地区")}
    list_display = (column("code", _("机构代码")), column("name", _("名称")), column("kind", _("类型")),
                    column("parent", _("上级机构")), column("region", _("地区")), column("path", _("路径")))
    search_fields = ("code", "name")
    list_filter = ("kind",)
    ordering = ("path",)
    fields = ("code", "name", "name_en", "kind", "parent", "region")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # A unit's path is built from its code and its parent's path, and its descendants' paths (every
        # subtree scope) from it: changing either on an existing unit would leave the subtree stale.
        return ("code", "parent") if obj is not None else ()

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        # Read-only fields take their label from the form's Meta (the model has no verbose names).
        return super().get_form(request, obj, change, labels=dict(self.labels), **kwargs)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.is_outlet = obj.kind == OrgUnit.Kind.OUTLET  # as org.services.create_unit derives it
        super().save_model(request, obj, form, change)


class StaffForm(forms.ModelForm):  # type: ignore[type-arg]
    new_password = forms.CharField(
        label=_("设置新密码"), required=False, strip=False, widget=forms.PasswordInput(render_value=False),
        help_text=_("留空则不修改。新建员工未设置密码时无法登录。"),
    )

    class Meta:
        model = Staff
        fields = ("username", "display_name", "email", "unit", "manager", "skills", "available", "capacity",
                  "language", "is_active")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value = data.get("new_password", "")
        if value:
            # Compared with the name and address typed in this form, not the instance's old ones (a new
            # staff member has none yet, so "handler9handler9" would pass the similarity check).
            candidate = Staff(
                username=data.get("username") or self.instance.username,
                display_name=data.get("display_name") or self.instance.display_name,
                email=data.get("email") or self.instance.email,
            )
            try:
                password_validation.validate_password(value, candidate)
            except forms.ValidationError as exc:
                self.add_error("new_password", exc)
        return data


@admin.register(Staff)
class StaffAdmin(GuardedAdmin):
    permission = "admin.users"
    verbose = _("员工")
    can_delete = False  # events and cases name their staff: deactivate instead
    form = StaffForm
    secret_fields = ("new_password",)
    labels = {"username": _("登录名"), "display_name": _("姓名"), "email": _("电子邮件"), "unit": _("所属机构"),
              "manager": _("直属上级"), "skills": _("技能"), "available": _("在岗"), "capacity": _("工作量上限"),
              "language": _("界面语言"), "is_active": _("启用")}
    list_display = (column("username", _("登录名")), column("display_name", _("姓名")), column("unit", _("所属机构")),
                    column("manager", _("直属上级")), column("available", _("在岗")), column("is_active", _("启用")))
    search_fields = ("username", "display_name")
    list_filter = ("is_active", "available")
    list_select_related = ("unit", "manager")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        password = form.cleaned_data.get("new_password")
        if password:
            obj.set_password(password)
        elif not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(GuardedAdmin):
    permission = "admin.users"
    verbose = _("角色授权")
    labels = {"staff": _("员工"), "role": _("角色"), "unit": _("授权机构"), "include_subtree": _("含下级机构")}
    list_display = (column("staff", _("员工")), column("role", _("角色")), column("unit", _("授权机构")),
                    column("include_subtree", _("含下级机构")))
    list_filter = ("role",)
    search_fields = ("staff__username", "unit__code")
    list_select_related = ("staff", "unit")
    autocomplete_fields = ("staff", "unit")
