"""The domain's labels (``domain.choices``) as the pages show them: translated into the reader's
language when rendered. Each table here is the domain's, looked at through ``gettext_lazy``; none is
written twice."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from redressal.domain import choices


def translated(table: Mapping[str, str]) -> dict[str, Promise]:
    """``code → label`` translated when shown (the label is its own msgid)."""
    return {code: gettext_lazy(label) for code, label in table.items()}


REGULATOR_LABELS = translated(choices.REGULATOR_LABELS)
DEMAND_LABELS = translated(choices.DEMAND_LABELS)
CHANNEL_LABELS = translated(choices.CHANNEL_LABELS)
CONTACT_OUTCOME_LABELS = translated(choices.CONTACT_OUTCOME_LABELS)
NOTE_KINDS = translated(choices.NOTE_KIND_LABELS)
FINDING_LABELS = translated(choices.FINDING_LABELS)
MEASURE_LABELS = translated(choices.MEASURE_LABELS)
ITEM_LABELS = translated(choices.ITEM_LABELS)
OUTCOME_LABELS = translated(choices.OUTCOME_LABELS)
REVIEW_OUTCOME_LABELS = translated(choices.REVIEW_OUTCOME_LABELS)
FEEDBACK_LABELS = translated(choices.FEEDBACK_LABELS)
ROUTE_LABELS = translated(choices.ROUTE_LABELS)
DECLINE_LABELS = translated(choices.DECLINE_LABELS)
PAUSE_REASONS = translated(choices.PAUSE_REASON_LABELS)
