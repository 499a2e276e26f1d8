"""Triage's case command: staff confirm (or correct) a suggested classification."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from annotated_types import MaxLen, MinLen

from redressal.cases.commands import NO_NUL, Command, Moment, OneOf, Pattern, Text, Version, calling, register
from redressal.triage.ml import AXES
from redressal.triage.services.triage import confirm_classification


@dataclass(frozen=True, kw_only=True)
class ConfirmClassification(Command):
    """Confirm a suggested classification, or correct it with another code from the code tables."""

    action: ClassVar[str] = "confirm_classification"

    axis: Annotated[str, OneOf(AXES)]
    code: Annotated[str, MinLen(1), MaxLen(100), Pattern(NO_NUL)]
    at: Moment | None = None
    expected_version: Version | None = None
    backdate_reason: Text = ""


register(ConfirmClassification, calling(confirm_classification))
