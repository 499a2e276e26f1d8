"""Triage persistence (SPEC §6, §7): the evidence behind a case's flags, duplicate candidates, mass
incidents and the routing rules. Rules live in ``domain``, changes in ``services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TriageRecord(models.Model):
    """What triage saw in a case: the flags with their evidence, and the facts the detectors query by.
    The case row keeps the codes (lists, filters); this row keeps the why and the indexed dimensions."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="triage_record")
    model_version = models.CharField(max_length=60, blank=True)
    config_version = models.CharField(max_length=20)
    flags = models.JSONField(default=list)  # [{"code", "evidence": [...]}]
    vulnerable = models.JSONField(default=list)
    emotion_evidence = models.JSONField(default=list)
    score = models.IntegerField(default=0)
    customer_key = models.CharField(max_length=80, blank=True)
    product = models.CharField(max_length=100, blank=True)
    business = models.CharField(max_length=16, blank=True)
    cause = models.CharField(max_length=16, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    received_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [
            # Covering the complainant too: mass-incident detection counts a value's distinct complainants
            # in the window from the index alone.
            models.Index(fields=["product", "received_at", "customer_key"], name="triage_product_idx"),
            models.Index(fields=["cause", "received_at", "customer_key"], name="triage_cause_idx"),
            models.Index(fields=["channel", "received_at", "customer_key"], name="triage_channel_idx"),
            models.Index(fields=["received_at"], name="triage_received_idx"),
        ]


class TextBand(models.Model):
    """One LSH band key of a registered case's text (``classifier.text_bands``): the stored index the
    mass-incident check asks for texts like a new one, instead of comparing it with every recent text.
    Kept only as long as the detection window needs them (``prune_text_bands``)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    band = models.BigIntegerField()
    received_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["band", "received_at"], name="triage_band_idx")]


class DuplicateCandidate(models.Model):
    """A possible duplicate of ``case`` among the same complainant's open cases, for the case page."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="duplicate_candidates")
    candidate = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)  # ["same_customer", "same_product", "text≈0.82", …]
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "candidate"], name="uniq_duplicate_candidate")]


class MassIncident(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("处理中")
        CLOSED = "closed", _("已结束")

    key = models.CharField(max_length=140, db_index=True)  # "product:手机银行转账" — one open incident per key
    dimension = models.CharField(max_length=16)
    value = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    detected_at = models.DateTimeField()
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    expected = models.FloatField(default=0)
    root_cause = models.TextField(blank=True)
    cause_code = models.CharField(max_length=16, blank=True)  # JR/T 0169 C axis, when the cause is known
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cases = models.ManyToManyField("cases.Case", through="MassIncidentCase", related_name="mass_incidents")

    class Meta:
        verbose_name = _("群体性事件")
        constraints = [
            models.UniqueConstraint(fields=["key"], condition=models.Q(status="open"), name="uniq_open_mass_incident")
        ]

    def __str__(self) -> str:
        return f"MI-{self.pk} {self.key}"


class MassIncidentCase(models.Model):
    incident = models.ForeignKey(MassIncident, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "case"], name="uniq_mass_incident_case")]


class RoutingRule(models.Model):
    """An ordered, admin-editable rule (SPEC §7). Empty conditions match anything; the first active rule
    of a trigger whose conditions all hold decides. No rules at all keeps cases where they were
    registered, unassigned, as before routing existed."""

    class Trigger(models.TextChoices):
        REGISTRATION = "registration", _("登记时分派")
        WARNING_80 = "warning_80", _("时限已过80%时升级")
        BREACH = "breach", _("超时升级")
        P1 = "p1", _("升为P1时升级")

    name = models.CharField(_("名称"), max_length=80, unique=True)
    order = models.PositiveIntegerField(_("顺序"), default=100)
    active = models.BooleanField(_("启用"), default=True)
    trigger = models.CharField(_("触发时机"), max_length=16, choices=Trigger.choices, default=Trigger.REGISTRATION)
    channels = models.JSONField(_("渠道"), default=list, blank=True)
    sources = models.JSONField(_("来源"), default=list, blank=True)
    request_types = models.JSONField(_("诉求类型"), default=list, blank=True)
    business_codes = models.JSONField(_("业务分类(B)"), default=list, blank=True)
    cause_codes = models.JSONField(_("原因分类(C)"), default=list, blank=True)
    products = models.JSONField(_("产品"), default=list, blank=True)
    units = models.JSONField(_("受理机构"), default=list, blank=True)
    priorities = models.JSONField(_("优先级"), default=list, blank=True)
    risk_flags = models.JSONField(_("风险标识"), default=list, blank=True)
    vulnerable = models.JSONField(_("特殊群体"), default=list, blank=True)
    languages = models.JSONField(_("语言"), default=list, blank=True)
    target_unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("目标机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    required_skill = models.CharField(_("所需技能"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("分派规则")
        verbose_name_plural = _("分派规则")
        ordering = ["trigger", "order", "name"]

    def __str__(self) -> str:
        return self.name


class AssignmentLedger(models.Model):
    """When each member was last given a case by routing: the round-robin among equally loaded."""

    staff = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_assigned_at = models.DateTimeField()


class TextVector(models.Model):
    """The e5 vector of a case's description (``triage.ml.embed``, float16 bytes, 768 bytes), computed
    once as the case is registered (before the write lock) and read by the duplicate and repeat checks of
    later cases, so no text is embedded twice. ``model`` names the embedding, so a future model's
    vectors are never compared with this one's."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    vector = models.BinaryField()
    model = models.CharField(max_length=60)
    created_at = models.DateTimeField()
