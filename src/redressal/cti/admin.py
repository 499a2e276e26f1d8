"""Agents' CTI extensions in the administration site: the webhook names an agent by one of these or
by username. The grant check and the audit trail are GuardedAdmin's."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from redressal.cti.models import AgentExtension
from redressal.org.admin_site import MODEL_NAMES, GuardedAdmin, column

MODEL_NAMES.update({"cti.AgentExtension": _("坐席分机")})


@admin.register(AgentExtension)
class AgentExtensionAdmin(GuardedAdmin):
    permission = "admin.users"
    verbose = _("坐席分机")
    labels = {"extension": _("分机号"), "staff": _("员工")}
    list_display = (column("extension", _("分机号")), column("staff", _("员工")))
    search_fields = ("extension", "staff__username")
