"""One search document per case. The full-text index over it is vendor-specific SQL (migration 0002)."""

from __future__ import annotations

from django.db import models


class SearchDoc(models.Model):
    """The words of a case as the index sees them, and a copy of what the case list sorts and scopes by.

    ``words`` holds the segmented text (``index_words`` joined by spaces) of the description, notes,
    names, product and demand; ``ids`` holds identifiers (case numbers, regulator number, the phone's
    last four digits — already shown on screen as 138****5678). Never a full phone, ID or card number.
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="search_doc")
    words = models.TextField(blank=True)
    ids = models.TextField(blank=True)
    updated_at = models.DateTimeField()
    # Copies of Case columns (not foreign keys: no constraint or index is needed on them).
    # Nullable only so that migration 0003 could add them to existing rows without rebuilding the
    # table (a rebuild would drop SQLite's FTS triggers); every document written since has them.
    unit_id = models.BigIntegerField(null=True)
    assignee_id = models.BigIntegerField(null=True)
    closed_at = models.DateTimeField(null=True)
    decision_due_at = models.DateTimeField(null=True)
    priority = models.CharField(max_length=2, null=True)
    received_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"SearchDoc({self.case_id})"
