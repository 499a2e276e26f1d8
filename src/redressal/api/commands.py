"""Request schemas derived from the case commands' declarations, and the commands built from them.

A command declares each field once (``redressal.cases.commands``); here it becomes a strict ninja
schema with the same names, required-ness, limits and choices: ``OneOf`` turns into an enum, ``Pattern``
into a pattern, ``annotated_types`` bounds carry over as they are, a moment is parsed as ``When``, a nested
declaration becomes a nested schema and a tuple a JSON array.
"""

from __future__ import annotations

import types
from dataclasses import MISSING, fields, is_dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel, Field, StringConstraints, create_model

from redressal.api.schemas import In, When
from redressal.cases.commands import Command, NoticeBody, OneOf, Pattern, from_mapping


def _field_type(annotation: Any, names: dict[type, str]) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *meta = get_args(annotation)
        kept: list[Any] = []
        for m in meta:
            if isinstance(m, OneOf):
                base = Literal.__getitem__(tuple(m.values))  # the enum of the OpenAPI schema
            elif isinstance(m, Pattern):
                kept.append(StringConstraints(pattern=m.regex))
            else:
                kept.append(m)
        inner = _field_type(base, names)
        return Annotated.__class_getitem__((inner, *kept)) if kept else inner  # type: ignore[attr-defined]
    if origin in (Union, types.UnionType):
        parts = tuple(_field_type(a, names) for a in get_args(annotation))
        return Union.__getitem__(parts)
    if origin is tuple:
        item, _ellipsis = get_args(annotation)
        return list[_field_type(item, names)]  # type: ignore[misc]
    if annotation is datetime:
        return When
    if isinstance(annotation, type) and is_dataclass(annotation):
        return schema_of(annotation, names)
    return annotation


_SCHEMAS: dict[tuple[type, str], type[In]] = {}


def schema_of(declaration: type, names: dict[type, str] | None = None, omit: tuple[str, ...] = ()) -> type[In]:
    """The strict request schema of ``declaration`` (a command, or a value nested in one), named as
    ``names`` says (the OpenAPI component), without the fields in ``omit``."""
    names = names or {}
    name = names.get(declaration, f"{declaration.__name__}In")
    key = (declaration, name)
    if key in _SCHEMAS:
        return _SCHEMAS[key]
    hints = get_type_hints(declaration, include_extras=True)
    spec: dict[str, Any] = {}
    for f in fields(declaration):
        if f.name in omit:
            continue
        kind = _field_type(hints[f.name], names)
        if f.default is not MISSING:
            default: Any = list(f.default) if isinstance(f.default, tuple) else f.default
            spec[f.name] = (kind, default)
        elif f.default_factory is not MISSING:
            spec[f.name] = (kind, Field(default_factory=f.default_factory))
        else:
            spec[f.name] = (kind, ...)
    schema = create_model(name, __base__=In, **spec)
    _SCHEMAS[key] = schema
    return schema


def described(declaration: type) -> str | None:
    """The declaration's own docstring (a dataclass without one gets its signature instead)."""
    doc = declaration.__doc__
    return None if doc is None or doc.startswith(f"{declaration.__name__}(") else doc


def command_of(declaration: type[Command], body: BaseModel) -> Command:
    """The command from its validated body."""
    built = from_mapping(declaration, body.model_dump())
    assert isinstance(built, declaration)
    return built


# The decision notice, also part of a mass incident's one decision for all its cases.
NoticeIn = schema_of(NoticeBody, {NoticeBody: "NoticeIn"})
