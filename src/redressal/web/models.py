"""Workbench-only records: per-user conveniences, never case data."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SavedFilter(models.Model):
    """A list filter a staff member saved under a name, to apply again with one click.

    ``query`` is the list page's query string (the filter form's fields), parsed again on use, so a
    saved filter can never widen what its owner may see: the list's scoping applies as usual.
    """

    class View(models.TextChoices):
        QUEUE = "queue", "queue"
        ALL = "all", "all"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    view = models.CharField(max_length=10, choices=View.choices)
    name = models.CharField(max_length=60)
    query = models.CharField(max_length=1000)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "view", "name"], name="uniq_saved_filter_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
