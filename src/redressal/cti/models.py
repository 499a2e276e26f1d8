"""Telephony (SPEC §9): the calls the CTI system reports, and the pop shown to the agent who answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from redressal.core.fields import EncryptedTextField


class CallEvent(models.Model):
    """One webhook delivery, kept once per (call, event): a retried delivery changes nothing."""

    call_id = models.CharField(max_length=64)
    event = models.CharField(max_length=16)
    agent = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField()
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call_id", "event"], name="uniq_call_event")]


class AgentExtension(models.Model):
    """The CTI extension a member of staff answers on (the webhook names an agent by it or by username)."""

    extension = models.CharField(max_length=20, unique=True)
    staff = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cti_extension")

    class Meta:
        verbose_name = _("坐席分机")


class CallPop(models.Model):
    """What the agent who answered a call is shown: the caller as they may find them (or nobody), and
    those of the caller's open cases they may read, as of the moment the call was answered."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="call_pops")
    call_id = models.CharField(max_length=64)
    phone = EncryptedTextField(blank=True, default="")
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case_ids = models.JSONField(default=list, blank=True)
    answered_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["call_id", "staff"], name="uniq_call_pop")]
        indexes = [models.Index(fields=["staff", "dismissed_at", "-answered_at"], name="cti_pop_open_idx")]
