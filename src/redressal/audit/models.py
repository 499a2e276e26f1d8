"""Audit events that are not case events: logins, PII reveals, exports, admin changes (SPEC §13)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    type = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_role = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField()
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    payload = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]


class ChainHead(models.Model):
    """The single row every audit append locks, so the global chain has no forks or gaps.

    ``seal`` (an HMAC of seq, hash and keyed_from under the audit key) lets verification tell a head
    moved back over deleted events from the real one; events before ``keyed_from`` carry the unkeyed
    links of before the key.
    """

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    keyed_from = models.PositiveBigIntegerField(default=1)
    seal = models.CharField(max_length=64, blank=True)
