"""Customer conversations (SPEC §9): what a customer writes through a messaging channel (WeChat today,
the portal assistant later) and what staff answer, until it is closed or turned into a case.

The customer's key on the channel (a WeChat openid) is personal data: stored encrypted, found by a
keyed hash (``conversations.keys.party_index``), never shown raw on a page or written to a log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from redressal.core.fields import EncryptedTextField


class Conversation(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("待回复")
        ANSWERED = "answered", _("已回复")
        CLOSED = "closed", _("已关闭")

    channel = models.CharField(max_length=16)
    party = EncryptedTextField()
    party_index = models.CharField(max_length=64)
    # Who handles it: the intake unit when it opened, or the bound customer's home branch (scope).
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.WAITING)
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    last_in_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One open conversation per person and channel: a new message continues it.
            models.UniqueConstraint(
                fields=["channel", "party_index"], condition=~Q(status="closed"), name="conv_one_open"
            ),
        ]
        indexes = [models.Index(fields=["unit", "status", "-last_in_at"], name="conv_queue_idx")]

    def __str__(self) -> str:
        return f"{self.channel} #{self.pk}"


class ConversationMessage(models.Model):
    class Direction(models.TextChoices):
        IN = "in", _("客户")
        OUT = "out", _("客服")

    class Delivery(models.TextChoices):
        NONE = "", _("—")
        PENDING = "pending", _("发送中")
        SENT = "sent", _("已送达")
        FAILED = "failed", _("发送失败")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=4, choices=Direction.choices)
    kind = models.CharField(max_length=16, default="text")  # text, image, voice, video, location, link …
    text = models.TextField(blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    # The channel's own id for what arrived ("wechat:<MsgId>"): a re-sent push is stored once.
    external_id = models.CharField(max_length=100, blank=True)
    delivery = models.CharField(max_length=8, choices=Delivery.choices, blank=True, default="")
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["external_id"], condition=~Q(external_id=""), name="conv_msg_external_once")
        ]
        ordering = ["at", "pk"]


class ChannelBinding(models.Model):
    """This channel key belongs to this customer: set when staff turn a conversation into a case, so
    the customer's later notices (WeChat template messages) can reach them there."""

    channel = models.CharField(max_length=16)
    party = EncryptedTextField()
    party_index = models.CharField(max_length=64)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    bound_at = models.DateTimeField()
    bound_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "party_index"], name="conv_binding_once")]
        indexes = [models.Index(fields=["customer", "channel"], name="conv_binding_customer_idx")]
