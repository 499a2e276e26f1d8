"""Org tree, staff and role assignments in the administration site (audited, grant-checked)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from redressal.core.errors import ServiceError
from redressal.domain.roles import Role
from redressal.org.admin_site import MODEL_NAMES, GuardedAdmin, column
from redressal.org.authz import Actor, request_actor
from redressal.org.grants import approve_grant, check_request, reject_grant, request_grant
from redressal.org.models import ROLE_LABELS, OrgUnit, PasswordResetRequest, RoleAssignment, RoleGrantRequest, Staff
from redressal.org.password_resets import approve_reset, check_reset, reject_reset, request_reset

MODEL_NAMES.update({"org.OrgUnit": _("机构"), "org.Staff": _("员工"), "org.RoleAssignment": _("角色授权"),
                    "org.RoleGrantRequest": _("角色授权申请"), "org.PasswordResetRequest": _("密码重置申请")})

# Django's groups and their model permissions are not how anyone here is authorised (roles are, granted
# with four eyes): listing them would only invite edits that change nothing.
admin.site.unregister(Group)

# The grant services' refusals, as the administration site words them.
GRANT_ERRORS = {
    "grant.self": _("不能为本人申请、批准或驳回角色授权"),
    "grant.four_eyes": _("角色授权须由申请人以外的另一名管理员批准"),
    "grant.exists": _("该员工已在该机构持有此角色"),
    "grant.pending": _("相同的角色授权申请正在等待批准"),
    "grant.decided": _("该申请已处理"),
    "reset.self": _("不能为本人申请、批准或驳回密码重置；本人请在工作台修改密码"),
    "reset.four_eyes": _("密码重置须由申请人以外的另一名管理员批准"),
    "reset.pending": _("该员工的密码重置申请正在等待批准"),
    "reset.decided": _("该申请已处理"),
    "inactive": _("该员工已停用"),
    "permission_denied": _("您没有执行此操作的权限"),
}


def grant_error(exc: ServiceError) -> str:
    return str(GRANT_ERRORS.get(exc.code, exc.message))


@admin.display(description=_("角色"), ordering="role")
def role_label(obj: RoleAssignment | RoleGrantRequest) -> str:
    return str(ROLE_LABELS.get(obj.role, obj.role))


@admin.display(description=_("含下级机构"), boolean=True, ordering="include_subtree")
def subtree_flag(obj: RoleAssignment | RoleGrantRequest) -> bool:
    return obj.include_subtree


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
    """No password field: an administrator who sets a colleague's password can sign in as them, with
    their roles. A password is set by a reset another administrator approves (密码重置申请)."""

    class Meta:
        model = Staff
        fields = ("username", "display_name", "email", "unit", "manager", "skills", "available", "capacity",
                  "language", "is_active")


@admin.register(Staff)
class StaffAdmin(GuardedAdmin):
    permission = "admin.users"
    verbose = _("员工")
    can_delete = False  # events and cases name their staff: deactivate instead
    form = StaffForm
    labels = {"username": _("登录名"), "display_name": _("姓名"), "email": _("电子邮件"), "unit": _("所属机构"),
              "manager": _("直属上级"), "skills": _("技能"), "available": _("在岗"), "capacity": _("工作量上限"),
              "language": _("界面语言"), "is_active": _("启用")}
    list_display = (column("username", _("登录名")), column("display_name", _("姓名")), column("unit", _("所属机构")),
                    column("manager", _("直属上级")), column("available", _("在岗")), column("is_active", _("启用")))
    search_fields = ("username", "display_name")
    list_filter = ("is_active", "available")
    list_select_related = ("unit", "manager")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.set_unusable_password()  # signs in once a second administrator approved a reset
        super().save_model(request, obj, form, change)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(GuardedAdmin):
    """Held roles, read-only: a role is granted through a request a second administrator approves
    (角色授权申请); removing one (delete) needs one administrator and is audited."""

    permission = "admin.users"
    verbose = _("角色授权")
    labels = {"staff": _("员工"), "role": _("角色"), "unit": _("授权机构"), "include_subtree": _("含下级机构")}
    list_display = (column("staff", _("员工")), role_label, column("unit", _("授权机构")), subtree_flag)
    list_filter = ("role",)
    search_fields = ("staff__username", "unit__code")
    list_select_related = ("staff", "unit")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class GrantRequestForm(forms.ModelForm):  # type: ignore[type-arg]
    role = forms.ChoiceField(label=_("角色"), choices=[(r.value, ROLE_LABELS[r.value]) for r in Role])
    actor: Actor | None = None  # set per request by the admin

    class Meta:
        model = RoleGrantRequest
        fields = ("staff", "role", "unit", "include_subtree", "reason")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        staff, role, unit = data.get("staff"), data.get("role"), data.get("unit")
        if self.actor is not None and staff is not None and role and unit is not None:
            try:
                check_request(self.actor, staff, role, unit)
            except ServiceError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, grant_error(exc))
        return data


class FourEyesRequestAdmin(GuardedAdmin):
    """A four-eyes request (org.four_eyes): one administrator adds it, a second decides it by an action;
    it is never edited or deleted, and its form checks the request as the administrator asking."""

    permission = "admin.users"
    can_delete = False
    list_filter = ("status",)
    ordering = ("-requested_at",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a request is decided by the actions, never edited

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        # The form checks the request as this administrator: a request for oneself is refused on the form.
        return type(form.__name__, (form,), {"actor": request_actor(request)})


@admin.register(RoleGrantRequest)
class RoleGrantRequestAdmin(FourEyesRequestAdmin):
    """Four eyes on roles: one administrator asks (add), a second approves or rejects (actions)."""

    verbose = _("角色授权申请")
    form = GrantRequestForm
    labels = {"staff": _("员工"), "unit": _("授权机构"), "include_subtree": _("含下级机构"), "reason": _("申请理由"),
              "status": _("状态"), "requested_by": _("申请人"), "requested_at": _("申请时间"),
              "decided_by": _("审批人"), "decided_at": _("审批时间"), "decision_reason": _("审批意见")}
    list_display = (column("staff", _("员工")), role_label, column("unit", _("授权机构")),
                    subtree_flag, column("status", _("状态")),
                    column("requested_by", _("申请人")), column("requested_at", _("申请时间")),
                    column("decided_by", _("审批人")))
    list_select_related = ("staff", "unit", "requested_by", "decided_by")
    search_fields = ("staff__username", "unit__code")
    autocomplete_fields = ("staff", "unit")
    actions = ("approve_requests", "reject_requests")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = request_actor(request)
        assert actor is not None  # the site lets nobody in without an admin grant
        grant = request_grant(actor=actor, staff=obj.staff, role=obj.role, unit=obj.unit,
                              include_subtree=obj.include_subtree, reason=obj.reason)
        obj.pk, obj.requested_by, obj.requested_at = grant.pk, grant.requested_by, grant.requested_at

    def _decide(self, request: HttpRequest, queryset: QuerySet[RoleGrantRequest], approve: bool) -> None:
        actor = request_actor(request)
        assert actor is not None
        for grant in queryset.select_related("staff", "unit"):
            try:
                if approve:
                    approve_grant(grant.pk, actor=actor)
                else:
                    reject_grant(grant.pk, actor=actor)
            except ServiceError as exc:
                self.message_user(request, f"{grant}：{grant_error(exc)}", level=messages.ERROR)
            else:
                done = _("已批准") if approve else _("已驳回")
                self.message_user(request, f"{grant}：{done}", level=messages.SUCCESS)

    @admin.action(description=_("批准所选申请"))
    def approve_requests(self, request: HttpRequest, queryset: QuerySet[RoleGrantRequest]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("驳回所选申请"))
    def reject_requests(self, request: HttpRequest, queryset: QuerySet[RoleGrantRequest]) -> None:
        self._decide(request, queryset, approve=False)


class ResetRequestForm(forms.ModelForm):  # type: ignore[type-arg]
    actor: Actor | None = None  # set per request by the admin

    class Meta:
        model = PasswordResetRequest
        fields = ("staff", "reason")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        staff = data.get("staff")
        if self.actor is not None and staff is not None:
            try:
                check_reset(self.actor, staff)
            except ServiceError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, grant_error(exc))
        return data


@admin.register(PasswordResetRequest)
class PasswordResetRequestAdmin(FourEyesRequestAdmin):
    """Four eyes on passwords: one administrator asks (add), a second approves — and is shown, once, the
    temporary password to hand over — or rejects (actions)."""

    verbose = _("密码重置申请")
    form = ResetRequestForm
    labels = {"staff": _("员工"), "reason": _("申请理由")}
    list_display = (column("staff", _("员工")), column("status", _("状态")), column("requested_by", _("申请人")),
                    column("requested_at", _("申请时间")), column("decided_by", _("审批人")),
                    column("decided_at", _("审批时间")))
    list_select_related = ("staff", "requested_by", "decided_by")
    search_fields = ("staff__username", "staff__display_name")
    autocomplete_fields = ("staff",)
    actions = ("approve_resets", "reject_resets")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = request_actor(request)
        assert actor is not None  # the site lets nobody in without an admin grant
        reset = request_reset(actor=actor, staff=obj.staff, reason=obj.reason)
        obj.pk, obj.requested_by, obj.requested_at = reset.pk, reset.requested_by, reset.requested_at

    @admin.action(description=_("批准所选申请并生成临时密码"))
    def approve_resets(self, request: HttpRequest, queryset: QuerySet[PasswordResetRequest]) -> Any:
        actor = request_actor(request)
        assert actor is not None
        issued = []
        for reset in queryset.select_related("staff"):
            try:
                _done, password = approve_reset(reset.pk, actor=actor)
            except ServiceError as exc:
                self.message_user(request, f"{reset}：{grant_error(exc)}", level=messages.ERROR)
            else:
                issued.append({"staff": reset.staff, "password": password})
        if not issued:
            return None
        # Shown on this one answer and kept nowhere else (not in a message, which the session stores).
        context = {**self.admin_site.each_context(request), "title": _("临时密码"), "issued": issued,
                   "hours": settings.TEMPORARY_PASSWORD_HOURS,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/org/temporary_passwords.html", context)

    @admin.action(description=_("驳回所选申请"))
    def reject_resets(self, request: HttpRequest, queryset: QuerySet[PasswordResetRequest]) -> None:
        actor = request_actor(request)
        assert actor is not None
        for reset in queryset.select_related("staff"):
            try:
                reject_reset(reset.pk, actor=actor)
            except ServiceError as exc:
                self.message_user(request, f"{reset}：{grant_error(exc)}", level=messages.ERROR)
            else:
                self.message_user(request, f"{reset}：{_('已驳回')}", level=messages.SUCCESS)
