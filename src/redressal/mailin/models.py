"""Every message fetched from the bank's complaint mailbox (SPEC §9 email channel), with what became of it.

One row per Message-ID (unique): the same message fetched twice — a second poller, a reconnect before
the \\Seen flag was set, a mailbox whose UIDVALIDITY changed — finds its row and makes nothing new. The
message's bytes are kept as a file (never in the row) with their digest; the sender and subject are
personal data, encrypted, and the sender is found by its blind index.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from redressal.core.fields import EncryptedTextField


class InboundMail(models.Model):
    class Outcome(models.TextChoices):
        RECEIVED = "received", _("处理中")
        CASE = "case", _("已登记为工单")
        CORRESPONDENCE = "correspondence", _("已追加到工单")
        AUTOMATIC = "automatic", _("自动回复或退信，未登记")
        QUARANTINED = "quarantined", _("已隔离，待处理")
        DISMISSED = "dismissed", _("已忽略")

    message_id = models.CharField(max_length=255, unique=True)
    mailbox = models.CharField(max_length=200, blank=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    uid = models.BigIntegerField(null=True, blank=True)
    received_at = models.DateTimeField()  # when it was fetched
    sent_at = models.DateTimeField(null=True, blank=True)  # the mail's own Date header, when it has one
    sender = EncryptedTextField(blank=True, default="")
    sender_index = models.CharField(max_length=64, blank=True, db_index=True)
    subject = EncryptedTextField(blank=True, default="")
    raw = models.FileField(upload_to="mailin/", max_length=300, blank=True)
    raw_sha256 = models.CharField(max_length=64)
    raw_size = models.BigIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.RECEIVED)
    reason = models.CharField(max_length=40, blank=True)  # a code: why automatic, quarantined, or a new case
    error = models.TextField(blank=True)  # for staff, in Chinese: what was wrong and what was not taken
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    attempts = models.PositiveIntegerField(default=0)
    handled_by = models.ForeignKey("org.Staff", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["outcome", "received_at"], name="mailin_outcome_idx"),
            models.Index(fields=["case", "outcome"], name="mailin_case_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.outcome})"


class MailboxCursor(models.Model):
    """How far a mailbox has been read: the highest UID taken under its UIDVALIDITY (RFC 3501 §2.3.1.1).
    Only a shortcut: a lost or reset cursor re-reads the mailbox and the Message-ID keeps it one case."""

    mailbox = models.CharField(max_length=300, unique=True)
    uidvalidity = models.BigIntegerField(default=0)
    last_uid = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
