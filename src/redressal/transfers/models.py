"""What a regulator-list import leaves behind: the batch (for audit) and one key per imported transfer."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """One import of a regulator's transfer list: the file (by its SHA-256), who, when, into which
    unit, and the per-row report as it was shown. A dry run (preview from the CLI) is not kept."""

    regulator = models.CharField(max_length=16)
    mapping_key = models.CharField(max_length=32)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    imported_by = models.ForeignKey("org.Staff", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    already = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("导入批次")


class TransferKey(models.Model):
    """The regulator's case number of each transfer the importer registered: unique per regulator, so
    two imports of the same list running at once cannot both register a row (decision 0022)."""

    regulator = models.CharField(max_length=16)
    regulator_case_number = models.CharField(max_length=64)
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="keys")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["regulator", "regulator_case_number"], name="uniq_transfer_key")]
