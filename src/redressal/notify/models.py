"""In-app staff notifications (SPEC §10); the outbox for other channels comes later."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from redressal.domain.choices import MESSAGE_KIND_LABELS


def _new_key() -> str:
    return uuid.uuid4().hex


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
    """A message to the complainant (acknowledgement, notices): the outbox the worker delivers
    (``notify.delivery``). Written in the case's transaction; sent after it, never inside it."""

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        DEFERRED = "deferred", _("已推迟（夜间免扰）")
        RETRY = "retry", _("等待重试")
        SENT = "sent", _("已送达")
        DEAD = "dead", _("发送失败")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="customer_messages")
    kind = models.CharField(max_length=30)
    channel = models.CharField(max_length=16)  # the channel asked for ("sms" by default): the preference
    body = models.TextField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    urgent = models.BooleanField(default=False)  # may break the SMS quiet hours (domain.delivery)
    # Sent to the SMS gateway as the message id and in the mail's Message-ID: a gateway or mail server
    # that sees it twice (a worker that died after sending) can drop the copy.
    key = models.CharField(max_length=64, unique=True, default=_new_key)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True, default="")
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_channel = models.CharField(max_length=16, blank=True, default="")
    delivered_to = models.CharField(max_length=80, blank=True, default="")  # masked (138****1234)
    sink = models.BooleanField(default=False)  # "delivered" to the local demo sink: nothing left the machine
    last_error = models.CharField(max_length=300, blank=True, default="")
    template_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="custmsg_due_idx")]


class DeliveryAttempt(models.Model):
    """One try of one channel for one message. ``error`` never holds personal data (no address)."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("已送达")
        FAILED = "failed", _("失败")
        DEFERRED = "deferred", _("推迟")

    message = models.ForeignKey(CustomerMessage, on_delete=models.CASCADE, related_name="delivery_attempts")
    at = models.DateTimeField()
    channel = models.CharField(max_length=16)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    error = models.CharField(max_length=300, blank=True, default="")


class MessageTemplate(models.Model):
    """The text of one kind of customer message in one language; editing makes a new version (admin),
    the newest active one is used. Placeholders: ``{case_number}``, ``{request_type}``, ``{detail}``."""

    kind = models.CharField(max_length=30, choices=[(k, _(v)) for k, v in MESSAGE_KIND_LABELS.items()])
    language = models.CharField(max_length=16, default="zh-hans", choices=[("zh-hans", _("中文")), ("en", _("英文"))])
    version = models.PositiveIntegerField(default=1)
    body = models.TextField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "language", "version"], name="msgtpl_version_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_language_display()} · v{self.version}"
