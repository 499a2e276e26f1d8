"""The API's enumerations are the domain's lists (``domain.choices``): a schema's ``Literal`` is spelled
out for the type checker and the OpenAPI document, so this keeps it equal to the one definition."""

from __future__ import annotations

from typing import Any, get_args, get_origin

import pytest

from redressal.api import schemas
from redressal.api.commands import schema_of
from redressal.cases import commands as c
from redressal.domain import choices, lifecycle


def literal_values(model: Any, field: str) -> tuple[str, ...]:
    annotation = model.model_fields[field].annotation
    while get_origin(annotation) is not None and not isinstance(get_args(annotation)[0], str):
        annotation = get_args(annotation)[0]  # list[Literal[...]] → Literal[...]
    return tuple(v for v in get_args(annotation) if v != "")


@pytest.mark.parametrize(
    ("model", "field", "allowed"),
    [
        (schemas.CaseIn, "request_type", tuple(choices.REQUEST_TYPE_LABELS)),
        (schemas.CaseIn, "demand", choices.DEMANDS),
        (schemas.CaseIn, "regulator", choices.REGULATORS),
        # The action schemas, as the API derives them from the commands' declarations.
        (schema_of(c.Accept), "contact_channel", choices.CONTACT_CHANNELS),
        (schema_of(c.Accept), "contact_outcome", choices.CONTACT_OUTCOMES),
        (schema_of(c.AddNote), "kind", choices.NOTE_KINDS),
        (schema_of(c.SetResponsibility), "finding", choices.FINDINGS),
        (schema_of(c.SetResponsibility), "measure", choices.MEASURES),
        (schema_of(c.Item), "kind", choices.ITEM_KINDS),
        (schema_of(c.NoticeBody), "channel", choices.NOTICE_CHANNELS),
        (schema_of(c.NoticeBody), "routes", lifecycle.CHALLENGE_ROUTES),
        (schema_of(c.RecordFeedback), "result", tuple(choices.FEEDBACK_LABELS)),
        (schema_of(c.Decline), "reason_code", choices.DECLINE_REASONS),
        (schemas.VisitIn, "channel", choices.VISIT_CHANNELS),
    ],
)
def test_api_literals_are_the_domain_lists(model, field, allowed):
    assert literal_values(model, field) == tuple(allowed)
