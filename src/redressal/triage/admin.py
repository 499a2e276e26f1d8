"""Routing rules in the administration site (SPEC §1: the ``admin`` role keeps them; SPEC §7).

A grant-checked, audited admin like the org tree's: a plain ``ModelAdmin`` asks Django's model
permissions, which no staff member holds, so the rules were listed nowhere an administrator could open.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from redressal.org.admin_site import GuardedAdmin, column
from redressal.triage.models import RoutingRule

NAME = column("name", _("名称"))


@admin.register(RoutingRule)
class RoutingRuleAdmin(GuardedAdmin):
    permission = "admin.org"  # where cases go is part of the organisation's set-up
    verbose = _("分派规则")
    list_display = (column("order", _("顺序")), NAME, column("trigger", _("触发时机")),
                    column("active", _("启用")), column("target_unit", _("目标机构")),
                    column("required_skill", _("所需技能")))
    list_display_links = (NAME,)
    list_filter = ("trigger", "active")
    ordering = ("trigger", "order", "name")
