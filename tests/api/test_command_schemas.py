"""The API's action bodies are derived from the command declarations: same fields, required-ness,
limits and choices, enforced with a 422 that names the field."""

from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import Annotated, ClassVar

import pytest
from annotated_types import Ge, Le, MaxLen
from pydantic import ValidationError

from redressal.api.cases import ACTIONS, NESTED_NAMES
from redressal.api.commands import command_of, schema_of
from redressal.api.router import api
from redressal.cases import commands as c
from redressal.cases.commands import NO_NUL, Command, OneOf, Pattern
from redressal.cases.services.handling import CONTACT_CHANNELS


@pytest.fixture(scope="module")
def openapi():
    return api.get_openapi_schema()


def test_each_action_body_has_its_commands_fields_and_required_ones(openapi):
    schemas = openapi["components"]["schemas"]
    for path, command, name, omit in ACTIONS:
        body = schemas[name]
        declared = {f.name for f in fields(command)} - set(omit)
        assert set(body["properties"]) == declared, path
        required = {f.name for f in fields(command) if f.default is MISSING and f.default_factory is MISSING}
        assert set(body.get("required", [])) == required - set(omit), path
        operation = openapi["paths"][f"/api/v1/cases/{{case_id}}/{path}"]["post"]
        assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(f"/{name}")


def test_a_declared_limit_shows_in_the_openapi_document(openapi):
    schemas = openapi["components"]["schemas"]
    assert schemas["NoteIn"]["properties"]["text"]["maxLength"] == 20000
    assert schemas["NoteIn"]["properties"]["text"]["minLength"] == 1
    assert schemas["ExtendIn"]["properties"]["level"]["minimum"] == 1
    assert schemas["ExtendIn"]["properties"]["level"]["maximum"] == 2
    assert schemas["AcceptIn"]["properties"]["contact_channel"]["enum"] == list(CONTACT_CHANNELS)
    assert schemas["MergeIn"]["properties"]["into"]["pattern"] == c.CODE
    assert schemas["ProposalIn"]["properties"]["items"]["maxItems"] >= 1


@pytest.mark.django_db
def test_a_declared_limit_is_enforced_with_a_422_naming_the_field(api_as):
    handler = api_as("handler1")
    r = handler.post("/cases/1/add_note", {"text": "x" * 20001})
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "text"
    r = handler.post("/cases/1/extend", {"level": 3, "reason": "r", "justification": "j"})
    assert r.status_code == 422 and r.json()["error"]["field"] == "level"
    r = handler.post("/cases/1/respond", {"outcome": "upheld", "reasons": "r", "basis": "b",
                                          "notice": {"channel": "fax", "content": "n"}})  # fmt: skip
    assert r.status_code == 422 and r.json()["error"]["field"] == "notice.channel"
    r = handler.post("/cases/1/add_note", {"text": "ok", "expected_version": 1})  # not taken by this endpoint
    assert r.status_code == 422 and r.json()["error"]["field"] == "expected_version"


@dataclass(frozen=True, kw_only=True)
class Probe(Command):
    action: ClassVar[str] = "probe"

    name: Annotated[str, MaxLen(5), Pattern(NO_NUL)]
    colour: Annotated[str, OneOf(("red", "blue"))] = "red"
    count: Annotated[int, Ge(1), Le(3)] | None = None


def test_a_declaration_becomes_a_strict_schema_and_back():
    schema = schema_of(Probe)
    assert schema.__name__ == "ProbeIn"
    body = schema.model_validate({"name": "abc", "colour": "blue", "count": 2})
    assert command_of(Probe, body) == Probe(name="abc", colour="blue", count=2)
    for bad, field in (
        ({"name": "toolong"}, "name"),
        ({"name": "a\x00"}, "name"),
        ({"name": "a", "colour": "green"}, "colour"),
        ({"name": "a", "count": 4}, "count"),
        ({"name": "a", "count": "2"}, "count"),  # strict: a string posing as a number
        ({"name": "a", "extra": 1}, "extra"),
        ({}, "name"),
    ):
        with pytest.raises(ValidationError) as exc:
            schema.model_validate(bad)
        assert exc.value.errors()[0]["loc"][0] == field, bad


def test_nested_declarations_keep_their_openapi_names():
    assert set(NESTED_NAMES.values()) == {"NoticeIn", "ItemIn"}
