"""QA inspection records (质检, SPEC §12). Persistence only: the rules are ``domain.quality``, every
change goes through ``quality.services`` and is audited there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class QaConfig(models.Model):
    """A version of the sampling rule and the rubric; the newest is in force. A sample records the
    version it was drawn with and an inspection the rubric it is scored on, so a change applies to
    the next month's sample only."""

    version = models.PositiveIntegerField(unique=True)
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    min_per_handler = models.PositiveSmallIntegerField()
    include_overturned = models.BooleanField()
    include_p1 = models.BooleanField()
    rubric = models.JSONField()  # [{"code", "label", "weight", "max_score"}]
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-version"]


class QaSample(models.Model):
    """One month's sample; drawn once (the month is unique), drawing again adds only what is new."""

    month = models.CharField(max_length=7, unique=True)  # YYYY-MM in the bank's time zone
    config = models.ForeignKey(QaConfig, on_delete=models.PROTECT, related_name="samples")
    population = models.PositiveIntegerField(default=0)  # closed cases in the month
    drawn_at = models.DateTimeField()
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-month"]


class QaInspection(models.Model):
    """One sampled case of one month. Its id is the finding's reference (``reference``) that training
    and accountability records may cite."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待质检")
        SCORED = "scored", _("已评分")
        APPEALED = "appealed", _("申诉中")
        FINAL = "final", _("已定案")

    sample = models.ForeignKey(QaSample, on_delete=models.PROTECT, related_name="inspections")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="qa_inspections")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qa_inspections")
    reasons = models.JSONField(default=list)  # domain.quality.sampling.REASONS
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A second inspector asked to score the case blind, for calibration (they see no score until theirs is in).
    calibrator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    total = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)  # in force (after appeal)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sample", "case"], name="qa_one_per_case_month")]
        indexes = [models.Index(fields=["handler", "sample"], name="qa_handler_idx")]

    @property
    def reference(self) -> str:
        return f"QA-{self.sample.month}-{self.pk}"


class QaScore(models.Model):
    """One inspector's scores of one inspection: the inspector's (primary), a second inspector's
    scored blind (calibration), or the appeal's revision."""

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("质检评分")
        CALIBRATION = "calibration", _("校准评分")
        APPEAL = "appeal", _("申诉复核评分")

    inspection = models.ForeignKey(QaInspection, on_delete=models.PROTECT, related_name="scores")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rubric_version = models.PositiveIntegerField()
    scores = models.JSONField()  # {item code: points}
    comments = models.JSONField(default=dict, blank=True)  # {item code: text}
    remark = models.TextField(blank=True)
    total = models.DecimalField(max_digits=4, decimal_places=1)
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inspection", "inspector", "kind"], name="qa_one_score_each"),
        ]
        ordering = ["submitted_at", "pk"]


class QaAppeal(models.Model):
    """The handler's one appeal against an inspection, decided by someone other than its inspector."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待裁定")
        UPHELD = "upheld", _("维持原评分")
        REVISED = "revised", _("改判评分")

    inspection = models.OneToOneField(QaInspection, on_delete=models.PROTECT, related_name="appeal")
    appellant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    filed_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
