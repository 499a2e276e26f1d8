"""The reported facts of each case with the interval they held in (SPEC §12), and the bases of the
intensity ratios (outlets, individual customers) per period.

``ReportedFact`` is a projection of the case events kept by a ``cases.bus`` subscription in each
change's transaction (``insight.subscriptions``) and rebuilt from the events by
``redressal insight-rebuild``. A version holds from ``valid_from`` (when the command that set it was
recorded) until ``valid_to`` (when the next was; null: still current), so "the facts as of T" is one
range condition: docs/decisions/0015-stats-reported-facts.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReportedFact(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)

    kind = models.CharField(max_length=10)
    request_type = models.CharField(max_length=16)
    source = models.CharField(max_length=24)
    channel = models.CharField(max_length=8)  # the A code it is counted under
    business = models.CharField(max_length=8, blank=True)  # confirmed B code, "" until confirmed
    cause = models.CharField(max_length=8, blank=True)  # confirmed C code, "" until confirmed
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    on_time = models.BooleanField(null=True)
    extension_level = models.PositiveSmallIntegerField(default=0)  # the highest reached
    was_paused = models.BooleanField(default=False)
    merged = models.BooleanField(default=False)
    outcome = models.CharField(max_length=16, blank=True)
    review_of = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # What the case adds to the dashboards' roll-ups as it stands (``insight.rollups``; meaningful on
    # the current version only): its next change takes exactly that away before adding the new.
    shares = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(valid_to__isnull=True), name="fact_one_current"),
        ]
        indexes = [
            # A period's complaints: received in it, the version valid at its end. On PostgreSQL the
            # index covers what the report groups by, so a quarter is an index-only scan.
            models.Index(
                fields=["received_at", "valid_from"],
                name="fact_received_idx",
                include=[
                    "valid_to",
                    "kind",
                    "request_type",
                    "merged",
                    "unit",
                    "source",
                    "channel",
                    "business",
                    "cause",
                ],
            ),
            # A period's decisions and reviews decided.
            models.Index(
                fields=["decided_at", "valid_from"],
                name="fact_decided_idx",
                include=[
                    "valid_to",
                    "kind",
                    "request_type",
                    "merged",
                    "unit",
                    "on_time",
                    "extension_level",
                    "was_paused",
                    "outcome",
                ],
            ),
            models.Index(fields=["case", "valid_from"], name="fact_case_idx"),
        ]


class ReportingBase(models.Model):
    """The bases of the intensity ratios for one period and one unit (its subtree): the number of
    outlets and of individual customers, as the bank reports them (SPEC §12: from configuration)."""

    period = models.CharField(max_length=7)  # "2026Q3" or "2026"
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")
    outlets = models.PositiveIntegerField()
    individual_customers = models.PositiveBigIntegerField()
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="uniq_reporting_base")]
        ordering = ["-period", "unit__path"]

    def __str__(self) -> str:
        return f"{self.period} {self.unit}"


class Rollup(models.Model):
    """The dashboards' counts per day, unit and one or two dimensions, kept in step by the same
    ``cases.bus`` hook as the facts (``insight.rollups``): a dashboard reads a few hundred rows a
    week instead of every case of its window.

    ``kind`` says what the row counts and what ``a``/``b`` are:

    * ``volume`` — primary cases received on ``day``: ``a`` request type, ``b`` channel of receipt;
    * ``code`` — the same cases by confirmed codes: ``a`` B code, ``b`` C code ("" unconfirmed);
    * ``product`` — the same cases by product: ``a`` product;
    * ``open`` — cases not closed, by the day received: ``a`` state;
    * ``decided`` — cases decided on ``day``: ``x`` of them on time, ``y`` the seconds from receipt
      to decision summed.
    """

    kind = models.CharField(max_length=8)
    day = models.DateField()
    unit_id = models.BigIntegerField()
    a = models.CharField(max_length=100, blank=True)
    b = models.CharField(max_length=24, blank=True)
    n = models.IntegerField(default=0)
    x = models.BigIntegerField(default=0)
    y = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "day", "unit_id", "a", "b"], name="uniq_rollup")]
        indexes = [models.Index(fields=["kind", "day"], name="rollup_kind_day_idx")]


class UnitRegion(models.Model):
    """A unit's region (地区) over time, so a closed period's "by region" counts each unit in the region
    it had at the period's end (decision 0015's validity intervals, for the one org fact the report
    groups by). Kept by ``insight.regions`` on every save of an ``OrgUnit`` whose region changed."""

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    region = models.CharField(max_length=50, blank=True)
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(valid_to__isnull=True), name="unit_region_current"),
        ]
        indexes = [models.Index(fields=["unit", "valid_from"], name="unit_region_idx")]
