"""The editable working-day calendar (SPEC §5), seeded per year from the ``holidays`` package."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        MAKEUP_WORKDAY = "makeup_workday", _("调休工作日")
        CLOSURE = "closure", _("停业")

    region = models.CharField(max_length=16, default="CN")
    date = models.DateField()
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "date"], name="uniq_calendar_day")]
        ordering = ["date"]


class CalendarYear(models.Model):
    region = models.CharField(max_length=16, default="CN")
    year = models.PositiveIntegerField()
    confirmed = models.BooleanField(default=False)
    source = models.CharField(max_length=100, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="uniq_calendar_year")]
