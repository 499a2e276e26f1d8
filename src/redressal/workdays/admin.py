"""The working-day calendar in the administration site: holidays, make-up days, closures, and
which years are confirmed (SPEC §5: a bank follows the State Council notice and may add closures)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from redressal.org.admin_site import MODEL_NAMES, GuardedAdmin, column
from redressal.workdays.models import CalendarDay, CalendarYear

MODEL_NAMES.update({"workdays.CalendarDay": _("日历日"), "workdays.CalendarYear": _("日历年度")})


@admin.register(CalendarDay)
class CalendarDayAdmin(GuardedAdmin):
    permission = "admin.calendar"
    verbose = _("节假日与调休")
    labels = {"region": _("地区"), "date": _("日期"), "kind": _("类型"), "name": _("名称")}
    list_display = (column("date", _("日期")), column("kind", _("类型")), column("name", _("名称")),
                    column("region", _("地区")))
    list_filter = ("kind", "region")
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(CalendarYear)
class CalendarYearAdmin(GuardedAdmin):
    permission = "admin.calendar"
    verbose = _("日历年度")
    can_delete = False
    labels = {"region": _("地区"), "year": _("年度"), "confirmed": _("已确认（含调休）"), "source": _("来源")}
    list_display = (column("year", _("年度")), column("region", _("地区")), column("confirmed", _("已确认（含调休）")),
                    column("source", _("来源")), column("synced_at", _("同步时间")))
    fields = ("region", "year", "confirmed", "source")
    ordering = ("-year",)
