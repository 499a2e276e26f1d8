"""The allowed values and their labels, written once in ``domain.choices`` (issue 12)."""

from __future__ import annotations

import pytest

from redressal.domain import choices, lifecycle
from tests.catalogue import po_entries

LABELLED = {
    "REGULATOR_LABELS": choices.REGULATOR_LABELS,
    "REQUEST_TYPE_LABELS": choices.REQUEST_TYPE_LABELS,
    "DEMAND_LABELS": choices.DEMAND_LABELS,
    "CHANNEL_LABELS": choices.CHANNEL_LABELS,
    "CONTACT_OUTCOME_LABELS": choices.CONTACT_OUTCOME_LABELS,
    "NOTE_KIND_LABELS": choices.NOTE_KIND_LABELS,
    "FINDING_LABELS": choices.FINDING_LABELS,
    "MEASURE_LABELS": choices.MEASURE_LABELS,
    "ITEM_LABELS": choices.ITEM_LABELS,
    "OUTCOME_LABELS": choices.OUTCOME_LABELS,
    "REVIEW_OUTCOME_LABELS": choices.REVIEW_OUTCOME_LABELS,
    "FEEDBACK_LABELS": choices.FEEDBACK_LABELS,
    "ROUTE_LABELS": choices.ROUTE_LABELS,
    "DECLINE_LABELS": choices.DECLINE_LABELS,
    "PAUSE_REASON_LABELS": choices.PAUSE_REASON_LABELS,
}


@pytest.mark.parametrize("name", sorted(LABELLED))
def test_every_label_is_a_catalogued_msgid(name):
    """A label is translated where it is shown, so its Chinese must be a msgid with English."""
    catalogue = po_entries()
    missing = [label for label in LABELLED[name].values() if not catalogue.get(label)]
    assert missing == []


def test_the_label_marker_changes_nothing():
    assert choices.gettext_noop("投诉") == "投诉"


@pytest.mark.parametrize(
    ("codes", "labels"),
    [
        (choices.CONTACT_CHANNELS, choices.CHANNEL_LABELS),
        (choices.NOTICE_CHANNELS, choices.CHANNEL_LABELS),
        (choices.VISIT_CHANNELS, choices.CHANNEL_LABELS),
        (lifecycle.CHALLENGE_ROUTES, choices.ROUTE_LABELS),
    ],
)
def test_each_allowed_channel_and_route_has_a_label(codes, labels):
    assert [c for c in codes if c not in labels] == []


def test_the_channels_each_use_allows():
    # A notice may go through the customer portal; the first contact and a follow-up visit are people.
    assert "portal" in choices.NOTICE_CHANNELS and "portal" not in choices.CONTACT_CHANNELS
    assert "letter" not in choices.VISIT_CHANNELS and "visit" not in choices.NOTICE_CHANNELS


@pytest.mark.parametrize(
    ("enum", "labels"),
    [
        (lifecycle.RequestType, choices.REQUEST_TYPE_LABELS),
        (lifecycle.Outcome, choices.OUTCOME_LABELS),
        (lifecycle.ReviewOutcome, choices.REVIEW_OUTCOME_LABELS),
        (lifecycle.FeedbackResult, choices.FEEDBACK_LABELS),
    ],
)
def test_the_lifecycles_values_are_labelled_in_order(enum, labels):
    assert list(labels) == [e.value for e in enum]


def test_lists_are_the_labelled_codes_in_order():
    assert choices.REGULATORS == ("NFRA", "NFRA_LOCAL", "PBOC", "12378", "12363", "other")
    assert choices.ITEM_KINDS == ("refund", "fee_waiver", "compensation", "goodwill", "non_monetary")
    assert choices.DECLINE_REASONS == ("not_our_business", "not_by_complainant")
    assert choices.DEMANDS == tuple(choices.DEMAND_LABELS)


def test_the_notice_states_a_partly_upheld_complaint_as_a_sentence():
    """The letter's wording differs from the page's column in one place only."""
    differ = {k: v for k, v in choices.OUTCOME_IN_NOTICE.items() if v != choices.OUTCOME_LABELS[k]}
    assert differ == {"partly_upheld": "投诉部分成立"}
    assert choices.REVIEW_OUTCOME_IN_NOTICE == choices.REVIEW_OUTCOME_LABELS


def test_staff_deliver_the_notice_only_through_notice_channels():
    assert choices.STAFF_DELIVERED_CHANNELS <= set(choices.NOTICE_CHANNELS)
    assert "portal" not in choices.STAFF_DELIVERED_CHANNELS  # the portal is the outbox's
