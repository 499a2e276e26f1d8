"""The case page's forms against the commands they build: the forms are kept (their labels, widgets and
tighter page limits), so this keeps the two from drifting apart: every form field is a command field,
every required command field is a required form field, and no form offers a choice or a length the
command refuses."""

from __future__ import annotations

import types
from dataclasses import MISSING, fields, is_dataclass
from typing import Annotated, Any, Union, get_args, get_origin, get_type_hints

import pytest
from annotated_types import MaxLen
from django import forms

from redressal.cases.commands import OneOf, base_type
from redressal.web.forms import case_actions as f
from redressal.web.views.case_actions import ACTIONS, SPECS, ActionSpec, command_for

BOOKKEEPING = {"version", "seen_seq", "confirm"}  # the rendered version is sent as expected_version
# Command fields the page does not ask for (they keep their defaults).
NOT_ON_THE_PAGE = {
    "propose_solution": {"items"},  # asked as ITEM_ROWS rows of kind and amount (ProposalForm.items())
}

# Form fields allowed to be longer than their command field (none now: the responsible staff member
# is chosen from the case's units, not typed).
LONGER_ON_THE_PAGE: set[tuple[str, str]] = set()


def _leaves(declaration: type, prefix: str = "") -> dict[str, Any]:
    """Each field's dotted path and annotation, nested declarations flattened."""
    hints = get_type_hints(declaration, include_extras=True)
    out: dict[str, Any] = {}
    for fl in fields(declaration):
        base = base_type(hints[fl.name])
        if isinstance(base, type) and is_dataclass(base) and base.__name__ != "Upload":
            out.update(_leaves(base, prefix + fl.name + "."))
        else:
            out[prefix + fl.name] = (hints[fl.name], fl.default is MISSING and fl.default_factory is MISSING)
    return out


def _meta(annotation: Any) -> list[Any]:
    out: list[Any] = []
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *meta = get_args(annotation)
            out.extend(meta)
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        elif origin is tuple:
            annotation = get_args(annotation)[0]
        else:
            return out


def _form_name(spec: ActionSpec, path: str) -> str:
    return {"expected_version": "version", **spec.fields}.get(path, path.rsplit(".", 1)[-1])


@pytest.mark.parametrize("spec", SPECS, ids=[s.name for s in SPECS])
def test_the_form_asks_for_what_its_command_declares(spec: ActionSpec):
    form = spec.form(prefix=spec.name)
    leaves = _leaves(spec.command)
    skipped = NOT_ON_THE_PAGE.get(spec.name, set())
    asked = {_form_name(spec, path): path for path in leaves if path not in skipped}
    item_rows = {n for n in form.fields if n.startswith("item_")} if spec.name == "propose_solution" else set()
    on_the_form = set(form.fields) - BOOKKEEPING - item_rows
    assert on_the_form <= set(asked), f"form fields the command lacks: {on_the_form - set(asked)}"
    for name, path in asked.items():
        annotation, required = leaves[path]
        if name == "version":
            continue
        assert name in form.fields, f"{spec.name}: the command's {path} is not on the form"
        field = form.fields[name]
        if required and base_type(annotation) is not bool:
            assert field.required, f"{spec.name}: {path} is required by the command"
        for meta in _meta(annotation):
            if isinstance(meta, OneOf) and isinstance(field, forms.ChoiceField):
                offered = {str(v) for v, _label in field.choices if v != ""}
                assert offered <= set(meta.values), f"{spec.name}: {name} offers {offered - set(meta.values)}"
            longer = (spec.name, name) in LONGER_ON_THE_PAGE
            if isinstance(meta, MaxLen) and getattr(field, "max_length", None) is not None and not longer:
                assert field.max_length <= meta.max_length, f"{spec.name}: {name} allows more than the command"


def test_the_proposal_rows_build_the_commands_items():
    form = f.ProposalForm(
        {"p-version": "1", "p-seen_seq": "1", "p-solution": "退还年费", "p-item_kind_0": "refund",
         "p-item_amount_0": "120.00"},
        prefix="p",
    )  # fmt: skip
    assert form.is_valid(), form.errors
    command = command_for(ACTIONS["propose_solution"], {**form.cleaned_data, "_items": form.items()})
    assert [(i.kind, i.amount) for i in command.items] == [("refund", "120.00")]
    assert command.expected_version == 1
