"""In-app staff notifications (SPEC §10); the outbox for other channels comes later."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class StaffNotification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    message = models.TextField()  # plain-text fallback (older rows); pages render ``payload`` instead
    # The facts of the message (case number, deadline kind, due …), worded at display time in the
    # reader's language by ``redressal.web.notification_text``.
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # Dedupe key: a warning delivered twice by two schedulers is still one notification.
    key = models.CharField(max_length=120, unique=True, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_inbox_idx"),
            # The notification centre lists newest first by created_at (``notify.inbox``).
            models.Index(fields=["recipient", "created_at", "id"], name="notif_recent_idx"),
        ]


class CustomerMessage(models.Model):
    """Messages to the complainant (acknowledgement, notices); the outbox the worker delivers."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="customer_messages")
    kind = models.CharField(max_length=30)
    channel = models.CharField(max_length=16)
    body = models.TextField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
