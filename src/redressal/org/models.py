"""Organisation (SPEC §2), staff and their roles (SPEC §1), API tokens (SPEC §13)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from redressal.domain.roles import Role

# The roles' names as staff read them.
ROLE_NAMES: dict[str, Any] = {
    Role.CUSTOMER: _("客户"),
    Role.AGENT: _("坐席/柜员"),
    Role.HANDLER: _("投诉处理专员"),
    Role.SUPERVISOR: _("主管"),
    Role.BRANCH_HEAD: _("分行/部门负责人"),
    Role.SENIOR_MANAGER: _("总行高管"),
    Role.COLLABORATOR: _("协办人员"),
    Role.COMPLIANCE: _("消保合规"),
    Role.QA_INSPECTOR: _("质检员"),
    Role.AUDITOR: _("审计"),
    Role.ADMIN: _("系统管理员"),
}
ROLE_CHOICES = [(r.value, ROLE_NAMES[r]) for r in Role]
# Every actor role an event can record: the roles, and the system acting on its own (a sweep, a job).
ROLE_LABELS: dict[str, Any] = {**{str(r): name for r, name in ROLE_NAMES.items()}, "system": _("系统")}


class OrgUnit(models.Model):
    class Kind(models.TextChoices):
        HEAD_OFFICE = "head_office", _("总行")
        BRANCH = "branch", _("分行")
        SUB_BRANCH = "sub_branch", _("支行")
        OUTLET = "outlet", _("网点")
        DEPARTMENT = "department", _("部门")

    code = models.CharField(max_length=16, unique=True)
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    region = models.CharField(max_length=50, blank=True)
    is_outlet = models.BooleanField(default=False)
    # Materialised path ("/HO/BJ/BJ01/") so subtree scopes are one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False)

    class Meta:
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.path = (self.parent.path if self.parent else "/") + self.code + "/"
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Staff(AbstractUser):
    unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    display_name = models.CharField(max_length=60, blank=True)
    skills = models.JSONField(default=list, blank=True)
    available = models.BooleanField(default=True)
    capacity = models.PositiveIntegerField(default=40)
    # Away up to and including this day (leave, training): routing passes them over (SPEC §7).
    absent_until = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=10, default="zh-hans")
    # Set when a second administrator approved a password reset: the temporary password signs in, and
    # the session can do nothing but choose a new one (org.password_resets).
    must_change_password = models.BooleanField(default=False)
    # Until when that temporary password signs in (org.backends): one never used is dead after
    # REDRESSAL_TEMPORARY_PASSWORD_HOURS, so a password that lingers in a note or a chat opens nothing.
    temporary_password_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("员工")

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleAssignment(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="role_assignments")
    # Labelled choices: the administration site's role filter and lists show the role's name, not its code.
    role = models.CharField(max_length=20, choices=ROLE_CHOICES)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    include_subtree = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["staff", "role", "unit"], name="uniq_role_assignment")]


class RoleGrantRequest(models.Model):
    """A role asked for by one administrator, effective only once a second one approves it (four eyes)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待批准")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="role_grant_requests", verbose_name=_("员工"))
    role = models.CharField(_("角色"), max_length=20, choices=ROLE_CHOICES)
    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name=_("授权机构"))
    include_subtree = models.BooleanField(_("含下级机构"), default=True)
    reason = models.TextField(_("申请理由"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(Staff, models.PROTECT, related_name="+", verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        Staff, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审批人")
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("角色授权申请")
        verbose_name_plural = _("角色授权申请")
        indexes = [models.Index(fields=["status", "requested_at"], name="grant_request_status_idx")]

    def __str__(self) -> str:
        return f"{self.staff} · {self.get_role_display()} · {self.unit}"  # the role's name, never its code


class PasswordResetRequest(models.Model):
    """A staff member's password reset, asked for by one administrator and approved by a second (four
    eyes): an administrator who could set a colleague's password could sign in as them, with their roles."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待批准")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    staff = models.ForeignKey(Staff, models.CASCADE, related_name="password_reset_requests", verbose_name=_("员工"))
    reason = models.TextField(_("申请理由"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(Staff, models.PROTECT, related_name="+", verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        Staff, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审批人")
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("密码重置申请")
        verbose_name_plural = _("密码重置申请")

    def __str__(self) -> str:
        return str(self.staff)


class ApiToken(models.Model):
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="api_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
