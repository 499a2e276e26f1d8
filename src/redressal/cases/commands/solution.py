"""Commands whose choices ``services.solution`` still defines (remedy item kinds)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, ClassVar

from annotated_types import MaxLen

from redressal.cases.commands import Command, FilledText, Money, OneOf, Short, Version
from redressal.cases.services.solution import ITEM_KINDS
from redressal.domain.authority import MAX_PROPOSAL_ITEMS


@dataclass(frozen=True, kw_only=True)
class Item:
    kind: Annotated[str, OneOf(ITEM_KINDS)]
    amount: Money
    description: Short = ""


@dataclass(frozen=True, kw_only=True)
class ProposeSolution(Command):
    action: ClassVar[str] = "propose_solution"

    solution: FilledText
    items: Annotated[tuple[Item, ...], MaxLen(MAX_PROPOSAL_ITEMS)] = ()
    expected_version: Version | None = None
