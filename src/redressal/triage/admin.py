from django.contrib import admin

from redressal.triage.models import RoutingRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("order", "name", "trigger", "active", "target_unit", "required_skill")
    list_display_links = ("name",)
    list_filter = ("trigger", "active")
    ordering = ("trigger", "order", "name")
