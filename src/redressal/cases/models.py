"""The case aggregate (SPEC §3) and its records. Persistence only: rules live in ``domain``,
changes in ``services``. The case row is a projection of its events, kept in the same transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case as Switch
from django.db.models import Q, Value, When
from django.utils.translation import gettext_lazy as _

from redressal.core.fields import MoneyField
from redressal.domain import lifecycle
from redressal.domain.authority import MONEY_DECIMAL_PLACES, MONEY_MAX_DIGITS
from redressal.domain.choices import REQUEST_TYPE_LABELS
from redressal.domain.lifecycle import State


class Case(models.Model):
    # The domain's request types with the domain's labels, translated when shown: defined once there.
    # (django-stubs types only the class form of TextChoices, not this functional one.)
    RequestType = models.TextChoices(  # type: ignore[call-overload]
        "RequestType", [(t.name, (t.value, _(REQUEST_TYPE_LABELS[t.value]))) for t in lifecycle.RequestType]
    )

    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("客服热线")
        COUNTER = "counter", _("营业网点柜台")
        SELF_SERVICE = "self_service", _("自助机具")
        ONLINE_BANKING = "online_banking", _("网上银行")
        MOBILE_BANKING = "mobile_banking", _("手机银行")
        WECHAT = "wechat", _("微信")
        EMAIL = "email", _("电子邮件")
        LETTER = "letter", _("信函")
        SMS = "sms", _("短信")
        THIRD_PARTY = "third_party", _("第三方平台")
        REGULATOR = "regulator", _("监管转办")
        OTHER = "other", _("媒体及其他")

    class Source(models.TextChoices):
        CUSTOMER = "customer", _("客户直接投诉")
        REGULATOR_FORWARDED = "regulator_forwarded", _("监管转办")

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("投诉件")
        REVIEW = "review", _("核查件")

    case_number = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRIMARY)
    request_type = models.CharField(max_length=16, choices=RequestType.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices)
    source = models.CharField(max_length=24, choices=Source.choices, default=Source.CUSTOMER)
    regulator = models.CharField(max_length=16, blank=True)
    regulator_case_number = models.CharField(max_length=64, blank=True)
    regulator_received_at = models.DateTimeField(null=True, blank=True)
    forwarded_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, default=State.REGISTERED.value, db_index=True)
    profile_code = models.CharField(max_length=20)
    profile_version = models.PositiveIntegerField()

    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    complainant_name = models.CharField(max_length=100, blank=True)
    party_type = models.CharField(max_length=20, default="natural_person")
    representatives = models.JSONField(default=list, blank=True)

    product = models.CharField(max_length=100, blank=True)
    account_masked = models.CharField(max_length=32, blank=True)
    transaction_ref = models.CharField(max_length=64, blank=True)
    transaction_date = models.DateField(null=True, blank=True)
    amount = MoneyField(null=True, blank=True, max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES)
    demand = models.JSONField(default=list, blank=True)
    description = models.TextField()

    respondent_unit = models.ForeignKey(
        "org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    respondent_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="cases")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_cases"
    )

    classification = models.JSONField(default=dict, blank=True)
    priority = models.CharField(max_length=2, default="P3", db_index=True)
    priority_factors = models.JSONField(default=list, blank=True)
    emotion = models.CharField(max_length=16, default="calm")
    risk_flags = models.JSONField(default=list, blank=True)
    vulnerable = models.JSONField(default=list, blank=True)

    responsibility = models.JSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=16, blank=True)
    extension_level = models.PositiveSmallIntegerField(default=0)
    paused = models.BooleanField(default=False)
    review_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_cases"
    )
    review_out_of_time = models.BooleanField(default=False)

    received_at = models.DateTimeField()
    registered_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    decision_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # 0 for a P1 case or a regulator's transfer, 1 otherwise: the lists put these first within
    # overdue and within on-time work (SPEC §12 queue). Generated by the database so no code path that
    # changes the priority or the source can leave it stale, and indexable with the due moment.
    urgency = models.GeneratedField(
        expression=Switch(
            When(Q(priority="P1") | Q(source="regulator_forwarded"), then=Value(0)),
            default=Value(1),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )

    version = models.PositiveIntegerField(default=0)
    last_event_seq = models.PositiveIntegerField(default=0)
    last_event_hash = models.CharField(max_length=64, blank=True)
    # Not stored: when the last event appended to this instance was recorded, for the saved hooks of
    # the same command (a reported fact is valid from it) without reading the event back.
    last_event_recorded_at: datetime | None = None
    # The chain head's seal under the audit key, and the first event with a keyed link (events
    # before it were written before the key existed): docs/decisions/0010-keyed-audit-chain.md.
    head_seal = models.CharField(max_length=64, blank=True)
    chain_keyed_from = models.PositiveIntegerField(default=1)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["assignee", "status", "decision_due_at"], name="case_queue_idx"),
            models.Index(fields=["unit", "status"], name="case_unit_status_idx"),
            models.Index(fields=["received_at"], name="case_received_idx"),
            # The workbench lists page by keyset on (urgency, decision_due_at, received_at, id) over open
            # cases, overdue ones first as a range of their own: "my queue" for one assignee, "all cases"
            # over the scope (web.paging). Partial: closed cases, the bulk of a mature database, hold the
            # oldest due moments and would be walked past first.
            models.Index(
                fields=["assignee", "urgency", "decision_due_at", "received_at", "id"],
                name="case_open_queue_idx",
                condition=Q(closed_at__isnull=True),
            ),
            models.Index(
                fields=["urgency", "decision_due_at", "received_at", "id"],
                name="case_open_due_idx",
                condition=Q(closed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.case_number

    def confirmed_axes(self) -> set[str]:
        """The classification axes staff have confirmed (``confirm_classification``)."""
        stored = self.classification if isinstance(self.classification, dict) else {}
        return {axis for axis, entry in stored.items() if isinstance(entry, dict) and entry.get("confirmed")}


class CaseNumberSequence(models.Model):
    """Case numbers are never reused: one counter row per (day, unit) incremented under lock."""

    day = models.CharField(max_length=8)
    unit_code = models.CharField(max_length=16)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "unit_code"], name="uniq_case_seq")]


class CaseEvent(models.Model):
    """Append-only history, hash-chained per case (SPEC §13). Never updated, never deleted."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    actor_role = models.CharField(max_length=20, blank=True)
    actor_unit = models.CharField(max_length=16, blank=True)
    at = models.DateTimeField()
    recorded_at = models.DateTimeField()
    reason = models.TextField(blank=True)
    payload = models.JSONField(default=dict)
    # Recorded more than one working day after ``at`` (补录); the reason is payload["backdate_reason"].
    backdated = models.BooleanField(default=False, db_index=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="uniq_case_event_seq")]
        ordering = ["case_id", "seq"]


class CaseDeadline(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(max_length=24)
    due_at = models.DateTimeField()
    legal_due_at = models.DateTimeField()
    state = models.CharField(max_length=10)
    history = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="uniq_case_deadline")]


class DeadlineWarning(models.Model):
    """One row per warning moment. The sweep claims due rows with one indexed query; a fired row
    is never fired again (idempotent under retries and several schedulers)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="warnings")
    deadline_kind = models.CharField(max_length=24)
    label = models.CharField(max_length=16)  # "50%", "80%", "2d", "breach"
    fire_at = models.DateTimeField()
    due_at = models.DateTimeField()
    fired_at = models.DateTimeField(null=True, blank=True)
    # Handled by the sweep without a notification because a later stage of the same due moment had
    # come too (``domain.warnings.superseded``): kept, with ``fired_at`` the sweep that passed it over.
    skipped = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "deadline_kind", "label", "due_at"], name="uniq_deadline_warning")
        ]
        indexes = [
            models.Index(fields=["fire_at"], name="warning_pending_idx", condition=Q(fired_at__isnull=True)),
        ]


class Note(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    kind = models.CharField(max_length=20, default="investigation")
    text = models.TextField()
    created_at = models.DateTimeField()


class Evidence(models.Model):
    class Kind(models.TextChoices):
        WRITTEN = "written", _("书面材料")
        ELECTRONIC = "electronic", _("电子数据")
        AUDIO_VIDEO = "audio_video", _("音视频")
        DUAL_RECORDING = "dual_recording", _("双录")
        TRANSACTION_LOG = "transaction_log", _("交易流水")
        CALL_RECORDING = "call_recording", _("通话录音")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    file = models.FileField(upload_to="evidence/%Y/%m/")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.TextField(blank=True)
    # Empty when the customer handed the file in through a channel (an email's attachment, the portal):
    # no member of staff uploaded it; the event that added it says which channel.
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField()
    # Who handed it in: staff, or the customer through a channel (shown to the customer on the portal
    # only when it is theirs).
    from_customer = models.BooleanField(default=False)


class CollaborationTask(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks")
    department = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="tasks")
    title = models.CharField(max_length=200)
    request = models.TextField()
    blocking = models.BooleanField(default=False)
    status = models.CharField(max_length=10, default="open")  # open / answered
    due_at = models.DateTimeField()
    reply = models.TextField(blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replied_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()


class Proposal(models.Model):
    """A solution with compensation items; approved by someone whose limit covers its total."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="proposals")
    solution = models.TextField()
    items = models.JSONField(default=list)  # [{"kind", "amount", "description"}]
    total = MoneyField(max_digits=MONEY_MAX_DIGITS, decimal_places=MONEY_DECIMAL_PLACES)
    status = models.CharField(max_length=16)  # pending / approved / rejected / auto_approved
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)


class Decision(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=16)
    reasons = models.TextField()
    basis = models.TextField()
    remedy = models.TextField(blank=True)
    notice_channel = models.CharField(max_length=16)
    notice_at = models.DateTimeField()
    notice_content = models.TextField()
    on_time = models.BooleanField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)


class Feedback(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="feedback")
    result = models.CharField(max_length=20)
    csat = models.PositiveSmallIntegerField(null=True, blank=True)
    comments = models.TextField(blank=True)
    recorded_at = models.DateTimeField()


class FollowUpVisit(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="visits")
    due_date = models.DateField()
    mandatory = models.BooleanField(default=False)
    status = models.CharField(max_length=10, default="pending")  # pending / done
    channel = models.CharField(max_length=16, blank=True)
    reached = models.BooleanField(null=True)
    satisfaction = models.PositiveSmallIntegerField(null=True, blank=True)
    comments = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
