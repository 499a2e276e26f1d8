"""Root-cause issues, their cases and improvement actions; accountability findings and measures.

Persistence only: the rules are in ``domain.improvement``, the changes (each audited) in ``services``.
None of these rows is part of a case: linking a case to an issue changes nothing of the case and gives
nobody access to it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from redressal.domain.choices import MEASURE_LABELS
from redressal.domain.improvement import (
    ACCOUNTABILITY_MEASURES,
    ACTION_STATE_LABELS,
    ISSUE_SOURCE_LABELS,
    ISSUE_STATE_LABELS,
    MEASURE_STATE_LABELS,
)

STAFF = settings.AUTH_USER_MODEL


def _choices(labels: dict[str, str], keys: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    return [(k, labels[k]) for k in (keys or tuple(labels))]


class RootCauseIssue(models.Model):
    """Cases with one root cause, its analysis, owner and actions (溯源整改)."""

    title = models.CharField(max_length=200)
    root_cause = models.TextField()
    cause_code = models.CharField(max_length=16, blank=True)  # JR/T 0169 C axis: the effect counts it
    business_code = models.CharField(max_length=16, blank=True)  # JR/T 0169 B axis, when one business
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+")  # and its subtree
    owner = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="owned_issues")
    state = models.CharField(max_length=16, choices=_choices(ISSUE_STATE_LABELS), default="open")
    source = models.CharField(max_length=16, choices=_choices(ISSUE_SOURCE_LABELS))
    mass_incident = models.ForeignKey(
        "triage.MassIncident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The criterion the cases were selected by (a report cell): {"cause", "business", "from", "to", "unit"}.
    criterion = models.JSONField(default=dict, blank=True)
    opened_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    closed_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    close_note = models.TextField(blank=True)
    cases = models.ManyToManyField("cases.Case", through="IssueCase", related_name="root_cause_issues")

    class Meta:
        indexes = [models.Index(fields=["unit", "state"], name="issue_unit_state_idx")]

    def __str__(self) -> str:
        return f"RC-{self.pk} {self.title}"


class IssueCase(models.Model):
    issue = models.ForeignKey(RootCauseIssue, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    linked_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "case"], name="uniq_issue_case")]


class ImprovementAction(models.Model):
    """One improvement measure of an issue: an owner, a due day on the working-day calendar, and the
    evidence that it was done (a checked file)."""

    issue = models.ForeignKey(RootCauseIssue, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="improvement_actions")
    due_date = models.DateField()
    state = models.CharField(max_length=16, choices=_choices(ACTION_STATE_LABELS), default="open")
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    finished_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)  # what was done, or why it was cancelled
    evidence = models.FileField(upload_to="improvement/%Y/%m/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    evidence_size = models.PositiveBigIntegerField(null=True, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "due_date"], name="action_state_due_idx")]


class Accountability(models.Model):
    """A responsibility finding naming one member of staff over one case (问责), with its measures."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="accountabilities")
    finding = models.TextField()  # what this person is held to account for
    created_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "staff"], name="uniq_accountability_case_staff")]


class AccountabilityMeasure(models.Model):
    accountability = models.ForeignKey(Accountability, on_delete=models.PROTECT, related_name="measures")
    kind = models.CharField(max_length=24, choices=_choices(MEASURE_LABELS, ACCOUNTABILITY_MEASURES))
    description = models.TextField(blank=True)
    due_date = models.DateField()
    state = models.CharField(max_length=16, choices=_choices(MEASURE_STATE_LABELS), default="ordered")
    ordered_by = models.ForeignKey(STAFF, on_delete=models.PROTECT, related_name="+")
    ordered_at = models.DateTimeField()
    done_by = models.ForeignKey(STAFF, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    evidence_note = models.TextField(blank=True)  # how it was carried out, or why it was withdrawn
    # A training measure is later linked to a training record of the training app (redressal.library):
    # a free reference until then, never a foreign key into an app this one does not know.
    training_ref = models.CharField(max_length=100, blank=True)
